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

/** Prints the sha256 of argv[1]: the probe's fallback on a host without coreutils' sha256sum. */
const PRINT_SHA256 = 'process.stdout.write(require("crypto").createHash("sha256").update(require("fs").readFileSync(process.argv[1])).digest("hex"))'

/**
 * One command that says which Node the host has and whether the agent is there already, unchanged
 * ("present"; "changed" when the file holds something else: the directory is the deploy user's, but a
 * file there is not proof of what it holds). The hash comes from sha256sum, not from a Node started
 * for it: that Node cost as much CPU as the agent's own start-up (bench/README.md, "Scale").
 */
export function probeCommand(nodePath: string, agent: AgentBundle): string {
  const path = agentPath(agent)
  const node = shellQuote(nodePath)
  return (
    `v=$(${node} --version 2>/dev/null) || v=none; echo "node=$v"; ` +
    `if [ -f ${path} ]; then h=$(sha256sum < ${path} 2>/dev/null) || h=$(${node} -e ${shellQuote(PRINT_SHA256)} ${path} 2>/dev/null) || h=; ` +
    `case "$h" in ${agent.sha256}*) echo agent=present;; *) echo agent=changed;; esac; ` +
    'else echo agent=missing; fi'
  )
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

/**
 * Runs the installed agent (its job comes on stdin) only if it is still exactly the agent this
 * action ships: its sha256 is checked in the same Node process that then imports it, so what runs
 * is what was checked (the file lives in the deploy user's own 0700 directory; nobody else can
 * swap it in between).
 */
const VERIFIED_IMPORT =
  'const [,file,sha]=process.argv,fs=require("fs"),url=require("url");' +
  'const d=require("crypto").createHash("sha256").update(fs.readFileSync(file)).digest("hex");' +
  'if(d!==sha){console.error(file+" differs from the agent this action ships (sha256 "+d+", not "+sha+"); it was changed after it was installed. Remove it: the next deploy sends it again");process.exit(1)}' +
  'import(url.pathToFileURL(file).href).catch((e)=>{console.error(e);process.exit(1)})'

export function launchCommand(nodePath: string, agent: AgentBundle): string {
  return `exec ${shellQuote(nodePath)} -e ${shellQuote(VERIFIED_IMPORT)} ${agentPath(agent)} ${agent.sha256}`
}
