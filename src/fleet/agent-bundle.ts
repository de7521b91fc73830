import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { shellQuote } from './shell.js'
import { ACK_EVERY_BYTES } from './paced-stdin.js'

/** The agent bundle, named by its content so an unchanged agent is never sent twice. */
export interface AgentBundle {
  /** sha256 of the agent's source: its name on the hosts (agent-<first 16>.mjs). */
  sha256: string
  /** What crosses the wire on a first deploy: 0.82 MB of JavaScript is 0.24 MB gzipped, and the
   *  runner's uplink carries one copy per host. */
  gzipped: Buffer
}

export function makeAgentBundle(source: string): AgentBundle {
  return { sha256: createHash('sha256').update(source).digest('hex'), gzipped: gzipSync(source, { level: 9 }) }
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
 * The shell command that installs the agent from gzipped stdin (fed by writePaced) at agentPath:
 * written to a temporary name, renamed into place only when complete and verified, so a cut
 * connection leaves no broken agent for the next deploy to trust (and no temporary file either).
 */
export function installCommand(node: string, agentDir: string, agentPath: string, sha256: string): string {
  return (
    `umask 077 && mkdir -p ${agentDir} && t=${agentPath}.tmp.$$ && ` +
    `{ ${node} -e ${shellQuote(INSTALL_SCRIPT)} "$t" ${sha256} && mv -f "$t" ${agentPath}; } || { s=$?; rm -f "$t"; exit $s; }`
  )
}
