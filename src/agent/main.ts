/**
 * The agent's process: one self-contained file the action ships to each host and runs under the
 * host's Node (≥ 20). This only wires stdio to the Agent (agent.ts): the first stdin line is the
 * job, every later line a heartbeat, the end of stdin means stop; events go to stdout. A job with
 * `role: 'origin'` (seeder-host) goes to the Origin (origin.ts) instead, with the stdin after it.
 */
import { encodeEvent, jobRole } from '../protocol/events.js'
import { Agent, type AgentIO } from './agent.js'
import { FirstLine } from './first-line.js'
import { Origin } from './origin.js'

/** The job line holds the torrent and the mtimes: tens of KB usually, bounded all the same. */
const MAX_JOB_LINE = 64 << 20
const JOB_WAIT_MS = 60_000

const agentIO: AgentIO = {
  emit(event) {
    try {
      process.stdout.write(encodeEvent(event))
    } catch {
      // stdout gone: the controller is gone; stdin's end will follow.
    }
  },
  exit(code) {
    // Let stdout drain, then go.
    process.stdout.write('', () => process.exit(code))
    setTimeout(() => process.exit(code), 1000).unref()
  },
}
const agent = new Agent(agentIO)
agent.hello()
// The controller reading our stdout went away: nobody to report to, stop now.
process.stdout.on('error', () => void (origin ?? agent).shutdown(1))

let jobArrived = false
/** The origin role (seeder-host), once its job line asked for it: stdin past that line is its objects. */
let origin: Origin | undefined
const jobTimer = setTimeout(() => agent.fail('BAD_JOB', `no job on stdin within ${JOB_WAIT_MS / 1000} s`), JOB_WAIT_MS)
const firstLine = new FirstLine(MAX_JOB_LINE)
process.stdin.on('data', (chunk: Buffer) => {
  if (origin !== undefined) return origin.push(chunk)
  agent.controllerAlive()
  if (jobArrived) return
  const job = firstLine.push(chunk)
  if (job === undefined) return
  jobArrived = true
  clearTimeout(jobTimer)
  if (jobRole(job.line) === 'origin') {
    origin = new Origin(agentIO)
    origin.start(job.line)
    origin.push(job.rest)
  } else void agent.start(job.line)
})
process.stdin.on('end', () => {
  if (!jobArrived) {
    clearTimeout(jobTimer)
    return agent.fail('BAD_JOB', 'stdin closed before a job arrived')
  }
  ;(origin ?? agent).stop('stopped by the controller before the release was complete')
})
process.stdin.on('error', () => (origin ?? agent).stop('the controller\'s pipe broke'))
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => (origin ?? agent).stop(`stopped by ${signal}`))
