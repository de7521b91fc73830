import { isSettled, type HostState } from '../fleet/host-state.js'

/** At most this many hosts are named per line or per batch of failures, so 1,000 hosts never flood a log. */
export const MAX_NAMED = 5
export const MAX_FAILURES_TOLD = 10

/**
 * Turns the fleet's live states into what is worth telling a person: the hosts that settled since
 * the last look, and how far the whole fleet is. Pure: the displays decide when to look.
 */
export class FleetWatch {
  private readonly told = new Set<HostState>()

  constructor(private readonly states: readonly HostState[]) {}

  /** Hosts that are done or failed since the last call, in fleet order. */
  news(): { done: HostState[]; failed: HostState[] } {
    const done: HostState[] = []
    const failed: HostState[] = []
    for (const state of this.states) {
      if (!isSettled(state) || this.told.has(state)) continue
      this.told.add(state)
      ;(state.phase === 'done' ? done : failed).push(state)
    }
    return { done, failed }
  }

  /** 0..1: a settled host counts whole, one in flight by its share of the bytes. */
  fraction(): number {
    if (this.states.length === 0) return 1
    const sum = this.states.reduce((total, state) => total + (isSettled(state) ? 1 : state.total > 0 ? Math.min(1, state.have / state.total) : 0), 0)
    return sum / this.states.length
  }

  doneCount(): number {
    return this.states.filter((state) => state.phase === 'done').length
  }

  get size(): number {
    return this.states.length
  }
}

/**
 * The lines for one look: each failed host on its own line with its reason (at most
 * MAX_FAILURES_TOLD, then a count), and the hosts done since the last look on one line.
 */
export function newsLines(news: { done: HostState[]; failed: HostState[] }, doneSoFar: number, hostsTotal: number): string[] {
  const lines: string[] = []
  for (const state of news.failed.slice(0, MAX_FAILURES_TOLD)) lines.push(`${state.target.label} FAILED: ${state.error ?? 'no reason given'}`)
  if (news.failed.length > MAX_FAILURES_TOLD) lines.push(`… and ${news.failed.length - MAX_FAILURES_TOLD} more hosts failed (the summary names every one)`)
  if (news.done.length > 0) {
    const named = news.done.slice(0, MAX_NAMED).map((state) => `${state.target.label}${state.alreadyPresent ? ' (already present)' : state.seconds !== undefined ? ` ${state.seconds.toFixed(1)} s` : ''}`)
    const more = news.done.length > MAX_NAMED ? `, and ${news.done.length - MAX_NAMED} more` : ''
    lines.push(`${doneSoFar}/${hostsTotal} hosts done: ${named.join(', ')}${more}`)
  }
  return lines
}
