import pLimit from 'p-limit'
import type { HostTarget } from '../inputs/hosts.js'
import type { AgentEvent, AgentJob } from '../protocol/events.js'
import type { SshCredentials } from './connect.js'
import type { AgentBundle } from './agent-bundle.js'
import { HostSession } from './host-session.js'

export type HostPhase = 'waiting' | 'connecting' | 'transferring' | 'done' | 'failed'

/** What the controller knows of one host; the verdict and the report are made from these. */
export interface HostState {
  target: HostTarget
  phase: HostPhase
  /** Seconds from the start of the transfer to the verified, unpacked release. */
  seconds?: number
  alreadyPresent: boolean
  /** The agent serves the payload to the others (after a download, or from a payload kept earlier). */
  seeding: boolean
  have: number
  total: number
  fromSeeder: number
  fromPeers: number
  uploaded: number
  error?: string
  /** Set once we know the agent is gone (channel closed); used to prove nothing is left running. */
  agentExited: boolean
}

export interface FleetRun {
  hosts: HostTarget[]
  credentials: SshCredentials
  agent: AgentBundle
  nodePath: string
  job: AgentJob
  concurrency: number
  /** Epoch ms the transfer started at; deadlines count from here. */
  transferStart: number
  deadlineMs: number
  /** Aborted when the run is cancelled (SIGINT/SIGTERM). */
  signal: AbortSignal
  /** Detail for debugging. */
  log: (message: string) => void
  /** Worth an operator's eye even when the host succeeds. */
  notice: (message: string) => void
}

export interface FleetHandle {
  states: HostState[]
  /** Resolves when every host is done or failed, and every agent has been stopped. */
  finished: Promise<void>
  /** Epoch ms at which the last host was done or failed. */
  settledAt(): number
}

const STOP_GRACE_MS = 4000

export function runFleet(run: FleetRun): FleetHandle {
  const states: HostState[] = run.hosts.map((target) => ({
    target,
    phase: 'waiting',
    alreadyPresent: false,
    seeding: false,
    have: 0,
    total: 0,
    fromSeeder: 0,
    fromPeers: 0,
    uploaded: 0,
    agentExited: false,
  }))
  const sessions: (HostSession | undefined)[] = []
  const deadlineAt = run.transferStart + run.deadlineMs
  let settle: () => void = () => {}
  const allSettled = new Promise<void>((resolve) => (settle = resolve))
  const isOver = (state: HostState): boolean => state.phase === 'done' || state.phase === 'failed'
  const checkSettled = (): void => {
    if (states.every(isOver)) settle()
  }
  const fail = (state: HostState, reason: string): void => {
    if (isOver(state)) return
    state.phase = 'failed'
    state.error = reason
    checkSettled()
  }

  const onEvent = (state: HostState, event: AgentEvent): void => {
    switch (event.type) {
      case 'progress':
        if (state.have === 0 && event.have > 0) run.log(`${state.target.label}: first pieces ${((Date.now() - run.transferStart) / 1000).toFixed(1)} s into the transfer`)
        Object.assign(state, {
          have: event.have,
          total: event.total,
          fromSeeder: event.fromSeeder,
          fromPeers: event.fromPeers,
          uploaded: event.uploaded,
        })
        break
      case 'done':
        if (isOver(state)) break
        state.phase = 'done'
        state.alreadyPresent = event.alreadyPresent
        state.seeding = event.seeding
        state.fromSeeder = event.fromSeeder
        state.fromPeers = event.fromPeers
        state.have = state.total || state.have
        state.seconds = (Date.now() - run.transferStart) / 1000
        checkSettled()
        break
      case 'error':
        if (state.phase === 'done') run.log(`${state.target.label}: after its release was in place: ${event.message}`)
        else fail(state, `${event.code}: ${event.message}`)
        break
      case 'exit':
        state.uploaded = event.uploaded
        break
      case 'hello':
        break
    }
  }

  const limit = pLimit(run.concurrency)
  run.hosts.forEach((target, index) => {
    const state = states[index]!
    void limit(async () => {
      if (isOver(state) || run.signal.aborted) return
      state.phase = 'connecting'
      const session = new HostSession({
        target,
        credentials: run.credentials,
        agent: run.agent,
        nodePath: run.nodePath,
        job: run.job,
        giveUpAt: deadlineAt,
        onEvent: (event) => onEvent(state, event),
        onLog: (message) => run.log(`${target.label}: ${message}`),
        onNotice: (message) => run.notice(`${target.label}: ${message}`),
      })
      sessions[index] = session
      try {
        await session.start()
        if (state.phase === 'connecting') state.phase = 'transferring'
      } catch (error) {
        fail(state, (error as Error).message)
        await session.stop(0)
        state.agentExited = true
        return
      }
      void session.whenClosed().then(() => {
        state.agentExited = true
        fail(state, session.describeExit())
      })
    })
  })

  const deadlineTimer = setTimeout(() => {
    for (const state of states) {
      if (isOver(state)) continue
      const percent = state.total > 0 ? Math.floor((100 * state.have) / state.total) : 0
      const where = state.phase === 'transferring' ? `had ${percent} % of the payload` : 'was still being connected'
      fail(state, `missed the ${run.deadlineMs / 1000} s deadline (${where})`)
    }
  }, Math.max(0, deadlineAt - Date.now()))
  const onAbort = (): void => {
    for (const state of states) fail(state, 'the deploy was cancelled')
  }
  run.signal.addEventListener('abort', onAbort, { once: true })
  checkSettled()

  let settledAt = 0
  const finished = allSettled.then(async () => {
    settledAt = Date.now()
    clearTimeout(deadlineTimer)
    run.signal.removeEventListener('abort', onAbort)
    limit.clearQueue()
    // Every host is settled: the swarm is done. End every agent (the ones still seeding too).
    await Promise.all(
      sessions.map(async (session, index) => {
        if (session === undefined) return
        await session.stop(STOP_GRACE_MS)
        states[index]!.agentExited = true
      }),
    )
  })
  return { states, finished, settledAt: () => settledAt }
}
