import { ACK_EVERY_BYTES } from '../ssh/paced-stdin.js'
import { shellQuote } from '../ssh/shell.js'
import type { AgentBundle } from './agent-bundle.js'

/** The oldest Node the agent runs on (webtorrent 3 and the bundle's target). */
export const MIN_NODE_MAJOR = 20
const AGENT_DIR = '"$HOME"/.murder-action'

/** Where the agent lives on a host: named by its content, so an unchanged agent is never sent twice. */
export function agentPath(agent: AgentBundle): string {
  return `${AGENT_DIR}/agent-${agent.sha256.slice(0, 16)}.mjs`
}

/** One command that says which Node the host has and whether the agent is there already. */
export function probeCommand(nodePath: string, agent: AgentBundle): string {
  const path = agentPath(agent)
  return `v=$(${shellQuote(nodePath)} --version 2>/dev/null) || v=none; echo "node=$v"; if [ -f ${path} ]; then echo agent=present; else echo agent=missing; fi`
}

/** Reads probeCommand's answer; `problem` is set when the host's Node cannot run the agent. */
export function readProbe(stdout: string, nodePath: string): { agentPresent: boolean; problem?: string } {
  const version = /node=(\S+)/.exec(stdout)?.[1] ?? 'none'
  const major = /^v(\d+)\./.exec(version)?.[1]
  const agentPresent = stdout.includes('agent=present')
  if (major === undefined) return { agentPresent, problem: `no Node.js at node-path "${nodePath}" on the host; install Node ≥ ${MIN_NODE_MAJOR} or set node-path` }
  if (Number(major) < MIN_NODE_MAJOR) {
    return { agentPresent, problem: `Node ${version} on the host is too old: the agent needs Node ≥ ${MIN_NODE_MAJOR} (set node-path to a newer one)` }
  }
  return { agentPresent }
}

/**
 * Runs under the hosts' own Node (already required, so no gzip binary is assumed): gunzips stdin
 * into argv[1] and checks that what arrived is the agent it was meant to be (sha256 = argv[2]).
 * It acknowledges what it reads, one byte on stdout per ACK_EVERY_BYTES, for writePaced.
 */
const INSTALL_SCRIPT =
  'const {pipeline,Transform}=require("stream"),zlib=require("zlib"),fs=require("fs"),hash=require("crypto").createHash("sha256");' +
  `let read=0,acked=0;const ack=new Transform({transform(chunk,_,done){read+=chunk.length;` +
  `while(read-acked>=${ACK_EVERY_BYTES}){acked+=${ACK_EVERY_BYTES};process.stdout.write(".")}done(null,chunk)}});` +
  'pipeline(process.stdin,ack,zlib.createGunzip(),new Transform({transform(chunk,_,done){hash.update(chunk);done(null,chunk)}}),' +
  'fs.createWriteStream(process.argv[1]),(error)=>{' +
  'if(error){console.error(error.message);process.exit(1)}' +
  'if(hash.digest("hex")!==process.argv[2]){console.error("the agent arrived damaged (sha256 differs)");process.exit(1)}})'

/**
 * The shell command that installs the agent from gzipped stdin (fed by writePaced): written to a
 * temporary name, renamed into place only when complete and verified, so a cut connection leaves no
 * broken agent for the next deploy to trust (and no temporary file either).
 */
export function installCommand(nodePath: string, agent: AgentBundle): string {
  const path = agentPath(agent)
  return (
    `umask 077 && mkdir -p ${AGENT_DIR} && t=${path}.tmp.$$ && ` +
    `{ ${shellQuote(nodePath)} -e ${shellQuote(INSTALL_SCRIPT)} "$t" ${agent.sha256} && mv -f "$t" ${path}; } || { s=$?; rm -f "$t"; exit $s; }`
  )
}

/** Runs the installed agent; its job comes on stdin. */
export function launchCommand(nodePath: string, agent: AgentBundle): string {
  return `exec ${shellQuote(nodePath)} ${agentPath(agent)}`
}
