import type { HostTarget } from '../ssh/hosts.js'
import type { AgentEvent } from '../protocol/events.js'

export type HostPhase = 'waiting' | 'connecting' | 'transferring' | 'done' | 'failed'

/** What the controller knows of one host; the verdict and the report are made from these. */
export interface HostState {
  target: HostTarget
  phase: HostPhase
  /** Seconds from the start of the transfer to the verified, unpacked release. */
  seconds?: number
  /** Seconds from the start of the transfer to the agent running with its job. */
  agentStartedSeconds?: number
  alreadyPresent: boolean
  /** The agent serves the payload to the others (after a download, or from a payload kept earlier). */
  seeding: boolean
  have: number
  total: number
  fromSeeder: number
  fromPeers: number
  /** Bytes the host already held in its object store. */
  fromStore: number
  uploaded: number
  error?: string
  /** Set once we know the agent is gone (channel closed); used to prove nothing is left running. */
  agentExited: boolean
}

export function newHostState(target: HostTarget): HostState {
  return {
    target,
    phase: 'waiting',
    alreadyPresent: false,
    seeding: false,
    have: 0,
    total: 0,
    fromSeeder: 0,
    fromPeers: 0,
    fromStore: 0,
    uploaded: 0,
    agentExited: false,
  }
}

export function isSettled(state: HostState): boolean {
  return state.phase === 'done' || state.phase === 'failed'
}

/** Marks the host failed unless it is already settled (a host that got its release stays done); true if it changed. */
export function markFailed(state: HostState, reason: string): boolean {
  if (isSettled(state)) return false
  state.phase = 'failed'
  state.error = reason
  return true
}

/**
 * Applies one agent event to the host's state. Returns what the fleet runner must act on:
 * 'settled' when the host just became done or failed, 'first-bytes' when its first pieces arrived,
 * 'late-error' for an error after the release was in place (logged, the host stays done).
 */
export function applyEvent(state: HostState, event: AgentEvent, secondsSinceTransferStart: number): 'settled' | 'first-bytes' | 'late-error' | undefined {
  switch (event.type) {
    case 'progress': {
      const first = state.have === 0 && event.have > 0
      state.have = event.have
      state.total = event.total
      state.fromSeeder = event.fromSeeder
      state.fromPeers = event.fromPeers
      state.uploaded = event.uploaded
      return first ? 'first-bytes' : undefined
    }
    case 'done':
      if (isSettled(state)) return undefined
      state.phase = 'done'
      state.alreadyPresent = event.alreadyPresent
      state.seeding = event.seeding
      state.fromSeeder = event.fromSeeder
      state.fromPeers = event.fromPeers
      state.fromStore = event.fromStore
      state.have = state.total || state.have
      state.seconds = secondsSinceTransferStart
      return 'settled'
    case 'error':
      if (state.phase === 'done') return 'late-error'
      return markFailed(state, `${event.code}: ${event.message}`) ? 'settled' : undefined
    case 'exit':
      state.uploaded = event.uploaded
      return undefined
    case 'need':
      // transport ssh: the agent runs and its objects are about to stream (start() covers the stream).
      state.agentStartedSeconds ??= secondsSinceTransferStart
      if (state.phase === 'connecting') state.phase = 'transferring'
      return undefined
    case 'hello':
    case 'ready':
    case 'origin-progress':
    case 'notice':
      return undefined
  }
}

/** Why a host still unsettled at the deadline failed, with how far it got. */
export function deadlineReason(state: HostState, deadlineMs: number): string {
  const percent = state.total > 0 ? Math.floor((100 * state.have) / state.total) : 0
  const where = state.phase === 'transferring' ? `had ${percent} % of the payload` : 'was still being connected'
  return `missed the ${deadlineMs / 1000} s deadline (${where})`
}
