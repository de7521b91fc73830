import type { HostState } from '../fleet/host-state.js'

export interface Verdict {
  ok: boolean
  succeeded: HostState[]
  failed: HostState[]
  /** One line for the log / the step's failure message. */
  headline: string
  /** One line per failed host: "host: reason". */
  details: string[]
}

/** The step fails when more than maxFailedHosts hosts failed; every failed host is named either way. */
export function judge(states: HostState[], maxFailedHosts: number): Verdict {
  const succeeded = states.filter((state) => state.phase === 'done')
  const failed = states.filter((state) => state.phase !== 'done')
  const details = failed.map((state) => `${state.target.label}: ${state.error ?? 'did not finish'}`)
  const ok = failed.length <= maxFailedHosts
  const total = states.length
  let headline: string
  if (failed.length === 0) headline = `Deployed to all ${total} host${total === 1 ? '' : 's'}.`
  else if (ok) {
    headline = `Deployed to ${succeeded.length} of ${total} hosts; ${failed.length} failed, within max-failed-hosts (${maxFailedHosts}): ${failed.map((s) => s.target.label).join(', ')}`
  } else {
    headline = `${failed.length} of ${total} hosts failed (max-failed-hosts is ${maxFailedHosts}): ${failed.map((s) => s.target.label).join(', ')}`
  }
  return { ok, succeeded, failed, headline, details }
}
