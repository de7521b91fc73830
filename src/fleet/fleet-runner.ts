import pLimit, { type LimitFunction } from 'p-limit'
import pRetry, { AbortError } from 'p-retry'
import { AGENT_STOP_GRACE_MS, SETUP_RETRY } from '../policy.js'
import type { AgentEvent, AgentJob } from '../protocol/events.js'
import type { HostTarget } from '../ssh/hosts.js'
import { HostSetupError, type HostLink, type HostLinkFactory } from './host-link.js'
import { applyEvent, deadlineReason, isSettled, markFailed, newHostState, type HostState } from './host-state.js'

export interface FleetRun {
  hosts: HostTarget[]
  /** The hosts' states, one per host in order, when the caller shows them before this run starts (one run per zone); default: new ones. */
  states?: HostState[]
  /** Makes the link to one host; one per setup attempt. */
  connect: HostLinkFactory
  job: AgentJob
  /** Hosts being set up at once. */
  concurrency: number
  /** Shared by the runs of one deploy (one per zone), so `concurrency` bounds them all together; default: this run's own. */
  limit?: LimitFunction
  /** Epoch ms the transfer started at; deadlines count from here. */
  transferStart: number
  deadlineMs: number
  /** Aborted when the run is cancelled (SIGINT/SIGTERM). */
  signal: AbortSignal
  /** Detail for debugging. */
  log: (message: string) => void
  /** Worth an operator's eye even when the host succeeds. */
  notice: (message: string) => void
  /** policy.ts's, unless a test shortens them. */
  retry?: { attempts: number; minDelayMs: number; maxDelayMs: number; minTimeLeftMs: number }
  stopGraceMs?: number
}

export interface FleetHandle {
  states: HostState[]
  /** Resolves when every host is done or failed, and every agent has been stopped. */
  finished: Promise<void>
  /** Epoch ms at which the last host was done or failed. */
  settledAt(): number
}

/**
 * Drives every host through its phases — waiting, connecting (at most `concurrency` at once, each
 * tried again by one retry policy), transferring, done or failed — until all are settled or the
 * deadline passes, then stops every agent, the ones still seeding too.
 */
export function runFleet(run: FleetRun): FleetHandle {
  const retry = run.retry ?? SETUP_RETRY
  const states = run.states ?? run.hosts.map(newHostState)
  const links: (HostLink | undefined)[] = []
  const deadlineAt = run.transferStart + run.deadlineMs
  let settle: () => void = () => {}
  const allSettled = new Promise<void>((resolve) => (settle = resolve))
  const checkSettled = (): void => {
    if (states.every(isSettled)) settle()
  }
  const fail = (state: HostState, reason: string): void => {
    if (markFailed(state, reason)) checkSettled()
  }

  const onEvent = (state: HostState, event: AgentEvent): void => {
    const secondsIn = (Date.now() - run.transferStart) / 1000
    if (event.type === 'notice') run.notice(`${state.target.label}: ${event.message}`)
    const outcome = applyEvent(state, event, secondsIn)
    if (outcome === 'settled') checkSettled()
    else if (outcome === 'first-bytes') run.log(`${state.target.label}: first pieces ${secondsIn.toFixed(1)} s into the transfer`)
    else if (outcome === 'late-error' && event.type === 'error') run.log(`${state.target.label}: after its release was in place: ${event.message}`)
  }

  const startHost = async (index: number): Promise<void> => {
    const state = states[index]!
    const { label } = state.target
    if (isSettled(state) || run.signal.aborted) return
    state.phase = 'connecting'
    const listener = {
      event: (event: AgentEvent) => onEvent(state, event),
      log: (message: string) => run.log(`${label}: ${message}`),
      notice: (message: string) => run.notice(`${label}: ${message}`),
    }
    try {
      await pRetry(
        async () => {
          if (isSettled(state)) throw new AbortError('stopped before the agent started')
          const link = run.connect(state.target, listener)
          links[index] = link
          try {
            await link.start(run.job)
          } catch (error) {
            // Failed for good: said before the agent is stopped, whose "stopped" would else be the reason given.
            if (!(error instanceof HostSetupError) || error.retry === 'never') fail(state, (error as Error).message)
            await link.stop(0)
            throw error
          }
        },
        {
          retries: retry.attempts - 1,
          factor: 2,
          minTimeout: retry.minDelayMs,
          maxTimeout: retry.maxDelayMs,
          randomize: true,
          signal: run.signal,
          shouldRetry: ({ error, attemptNumber }) => {
            const again =
              error instanceof HostSetupError &&
              error.retry !== 'never' &&
              !isSettled(state) &&
              deadlineAt - Date.now() > retry.minTimeLeftMs
            if (again) {
              const line = `${error.message}; connecting again (attempt ${attemptNumber + 1} of ${retry.attempts})`
              if (error.retry === 'loudly') listener.notice(line)
              else listener.log(line)
            }
            return again
          },
        },
      )
    } catch (error) {
      fail(state, (error as Error).message)
      state.agentExited = true
      return
    }
    if (state.phase === 'connecting') state.phase = 'transferring'
    state.agentStartedSeconds ??= (Date.now() - run.transferStart) / 1000
    void links[index]!.closed().then((why) => {
      state.agentExited = true
      fail(state, why)
    })
  }

  const limit = run.limit ?? pLimit(run.concurrency)
  run.hosts.forEach((_target, index) => void limit(() => startHost(index)))

  const deadlineTimer = setTimeout(() => {
    for (const state of states) fail(state, deadlineReason(state, run.deadlineMs))
  }, Math.max(0, deadlineAt - Date.now()))
  // A reason given with the abort (the seeder host went away) is each host's; otherwise it was a cancel.
  const onAbort = (): void => {
    const why = typeof run.signal.reason === 'string' ? run.signal.reason : 'the deploy was cancelled'
    for (const state of states) fail(state, why)
  }
  run.signal.addEventListener('abort', onAbort, { once: true })
  checkSettled()

  let settledAt = 0
  const finished = allSettled.then(async () => {
    settledAt = Date.now()
    clearTimeout(deadlineTimer)
    run.signal.removeEventListener('abort', onAbort)
    // A shared queue holds other runs' hosts; this run's left in it return at once, being settled.
    if (run.limit === undefined) limit.clearQueue()
    // Every host is settled: the swarm is done. End every agent (the ones still seeding too).
    await Promise.all(
      links.map(async (link, index) => {
        if (link === undefined) return
        await link.stop(run.stopGraceMs ?? AGENT_STOP_GRACE_MS)
        states[index]!.agentExited = true
      }),
    )
  })
  return { states, finished, settledAt: () => settledAt }
}
