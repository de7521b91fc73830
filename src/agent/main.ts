/**
 * The agent's process: one self-contained file the action ships to each host and runs under the
 * host's Node (≥ 20). This only wires stdio to the Agent (agent.ts) or, for an activation job, to
 * its activation mode (activation.ts): the first stdin line is the job, every later line a
 * heartbeat, the end of stdin means stop; events go to stdout.
 */
import { isActivationJob } from '../protocol/events.js'
import { LineSplitter } from '../protocol/line-splitter.js'
import { Activation } from './activation.js'
import { Agent } from './agent.js'

/** The job line holds the torrent and the mtimes: tens of KB usually, bounded all the same. */
const MAX_JOB_LINE = 64 << 20
const JOB_WAIT_MS = 60_000

const io = {
  emit(event: object) {
    try {
      process.stdout.write(JSON.stringify(event) + '\n')
    } catch {
      // stdout gone: the controller is gone; stdin's end will follow.
    }
  },
  exit(code: number) {
    // Let stdout drain, then go.
    process.stdout.write('', () => process.exit(code))
    setTimeout(() => process.exit(code), 1000).unref()
  },
}
// The hello (pid, Node version) is the same in both modes: the controller learns the pid before it sends the job.
const agent = new Agent(io)
let activation: Activation | undefined
agent.hello()
// The controller reading our stdout went away: nobody to report to, stop now.
process.stdout.on('error', () => (activation ? activation.stop('stdout closed') : void agent.shutdown(1)))

let jobArrived = false
const jobTimer = setTimeout(() => agent.fail('BAD_JOB', `no job on stdin within ${JOB_WAIT_MS / 1000} s`), JOB_WAIT_MS)
const lines = new LineSplitter((line) => {
  if (jobArrived) return
  jobArrived = true
  clearTimeout(jobTimer)
  if (isActivationJob(parseOrUndefined(line))) {
    activation = new Activation(io)
    activation.start(line)
  } else void agent.start(line)
}, MAX_JOB_LINE)
process.stdin.on('data', (chunk: Buffer) => {
  agent.controllerAlive()
  activation?.controllerAlive()
  lines.push(chunk)
})
process.stdin.on('end', () => {
  if (!jobArrived) {
    clearTimeout(jobTimer)
    return agent.fail('BAD_JOB', 'stdin closed before a job arrived')
  }
  if (activation) activation.stop('the controller closed the session')
  else agent.stop('stopped by the controller before the release was complete')
})
process.stdin.on('error', () => (activation ? activation.stop("the controller's pipe broke") : agent.stop("the controller's pipe broke")))
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => (activation ? activation.stop(`stopped by ${signal}`) : agent.stop(`stopped by ${signal}`)))
}

function parseOrUndefined(line: string): unknown {
  try {
    return JSON.parse(line)
  } catch {
    return undefined
  }
}
