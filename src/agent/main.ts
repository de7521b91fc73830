/**
 * The agent's process: one self-contained file the action ships to each host and runs under the
 * host's Node (≥ 20). This only wires stdio to the role the job line asks for: the Agent
 * (agent.ts) for a deploy, its activation mode (activation.ts) for an activation job, the Origin
 * (origin.ts, seeder-host) for `role: 'origin'`, which also takes the stdin after that line (the
 * objects). For the others every later line is a heartbeat; the end of stdin means stop; events go
 * to stdout.
 */
import { encodeActivationEvent, encodeEvent, isActivationJob, jobRole } from '../protocol/events.js'
import { Activation, type ActivationIO } from './activation.js'
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
const activationIO: ActivationIO = {
  emit(event) {
    try {
      process.stdout.write(encodeActivationEvent(event))
    } catch {
      // stdout gone: as above.
    }
  },
  exit: agentIO.exit,
}
// The hello (pid, Node version) is the same in every role: the controller learns the pid before it sends the job.
const agent = new Agent(agentIO)
agent.hello()
/** The activation mode, once its job line asked for it. */
let activation: Activation | undefined
/** The origin role (seeder-host), once its job line asked for it: stdin past that line is its objects. */
let origin: Origin | undefined

function stop(reason: string): void {
  if (activation) activation.stop(reason)
  else (origin ?? agent).stop(reason)
}

// The controller reading our stdout went away: nobody to report to, stop now.
process.stdout.on('error', () => (activation ? activation.stop('stdout closed') : void (origin ?? agent).shutdown(1)))

let jobArrived = false
const jobTimer = setTimeout(() => agent.fail('BAD_JOB', `no job on stdin within ${JOB_WAIT_MS / 1000} s`), JOB_WAIT_MS)
const firstLine = new FirstLine(MAX_JOB_LINE)
process.stdin.on('data', (chunk: Buffer) => {
  if (origin !== undefined) return origin.push(chunk)
  activation?.controllerAlive()
  // After its job line: heartbeats, or for transport ssh the objects first.
  if (jobArrived) return agent.push(chunk)
  agent.controllerAlive()
  const job = firstLine.push(chunk)
  if (job === undefined) return
  jobArrived = true
  clearTimeout(jobTimer)
  if (jobRole(job.line) === 'origin') {
    origin = new Origin(agentIO)
    origin.start(job.line)
    origin.push(job.rest)
  } else if (isActivationJob(parseOrUndefined(job.line))) {
    activation = new Activation(activationIO)
    activation.start(job.line)
  } else void agent.start(job.line)
})
process.stdin.on('end', () => {
  if (!jobArrived) {
    clearTimeout(jobTimer)
    return agent.fail('BAD_JOB', 'stdin closed before a job arrived')
  }
  stop(activation ? 'the controller closed the session' : 'stopped by the controller before the release was complete')
})
process.stdin.on('error', () => stop("the controller's pipe broke"))
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(`stopped by ${signal}`))

function parseOrUndefined(line: string): unknown {
  try {
    return JSON.parse(line)
  } catch {
    return undefined
  }
}
