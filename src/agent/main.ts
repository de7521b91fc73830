/**
 * The agent's process: one self-contained file the action ships to each host and runs under the
 * host's Node (≥ 20). This only wires stdio to the Agent (agent.ts): the first stdin line is the
 * job, every later line a heartbeat, the end of stdin means stop; events go to stdout.
 */
import { encodeEvent } from '../protocol/events.js'
import { LineSplitter } from '../protocol/line-splitter.js'
import { Agent } from './agent.js'

/** The job line holds the torrent and the mtimes: tens of KB usually, bounded all the same. */
const MAX_JOB_LINE = 64 << 20
const JOB_WAIT_MS = 60_000

const agent = new Agent({
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
})
agent.hello()
// The controller reading our stdout went away: nobody to report to, stop now.
process.stdout.on('error', () => void agent.shutdown(1))

let jobArrived = false
const jobTimer = setTimeout(() => agent.fail('BAD_JOB', `no job on stdin within ${JOB_WAIT_MS / 1000} s`), JOB_WAIT_MS)
const lines = new LineSplitter((line) => {
  if (jobArrived) return
  jobArrived = true
  clearTimeout(jobTimer)
  void agent.start(line)
}, MAX_JOB_LINE)
process.stdin.on('data', (chunk: Buffer) => {
  agent.controllerAlive()
  lines.push(chunk)
})
process.stdin.on('end', () => {
  if (!jobArrived) {
    clearTimeout(jobTimer)
    return agent.fail('BAD_JOB', 'stdin closed before a job arrived')
  }
  agent.stop('stopped by the controller before the release was complete')
})
process.stdin.on('error', () => agent.stop('the controller\'s pipe broke'))
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => agent.stop(`stopped by ${signal}`))
