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

/** The verdict once the release was (or was to be) made live: distribution and activation failures count together. */
export interface ActivationVerdict {
  ok: boolean
  headline: string
  /** One line per host that failed to activate, could not be rolled back, or kept old releases: "host: why". */
  details: string[]
  /** Hosts that failed activation, as given in the inputs. */
  failedHosts: string[]
}

/** The part of a rollout the verdict reads (activation/rollout.ts's RolloutResult). */
export interface RolloutFacts {
  hosts: { host: string; result: string; error?: string; rollback?: string }[]
  batches: { index: number; result: string }[]
  stopped: boolean
  rolledBack: boolean
  cancelled: boolean
  failed: { host: string }[]
  pruneProblems: string[]
}

export function judgeActivation(rollout: RolloutFacts, distribution: Verdict, maxFailedHosts: number, tag: string): ActivationVerdict {
  const total = distribution.succeeded.length + distribution.failed.length
  const failedHosts = rollout.failed.map((host) => host.host)
  const failedCount = distribution.failed.length + failedHosts.length
  const live = rollout.hosts.filter((host) => host.result === 'activated').length
  const details = [
    ...rollout.hosts
      .filter((host) => host.result === 'failed')
      .map((host) => `${host.host}: activation failed: ${host.error ?? 'unknown error'}${host.rollback ? `; ${host.rollback}` : ''}`),
    ...rollout.hosts.filter((host) => host.result === 'activated' && host.rollback?.startsWith('could not')).map((host) => `${host.host}: ${host.rollback}`),
    ...rollout.pruneProblems.map((problem) => `old releases not pruned on ${problem}`),
  ]
  const ok = !rollout.stopped && failedCount <= maxFailedHosts
  const names = [...distribution.failed.map((state) => state.target.label), ...failedHosts].join(', ')
  let headline: string
  if (rollout.stopped) {
    const at = rollout.batches.filter((batch) => batch.result !== 'not run').length
    const back = rollout.hosts.filter((host) => host.result === 'rolled back').length
    headline =
      `The rollout of ${tag} stopped in batch ${at} of ${rollout.batches.length}: ${failedCount} host${failedCount === 1 ? '' : 's'} failed (max-failed-hosts is ${maxFailedHosts}): ${names}. ` +
      (rollout.rolledBack ? `${back} host${back === 1 ? '' : 's'} switched in this run went back to ${back === 1 ? 'its' : 'their'} previous release.` : `rollback-on-failure is off: ${live} host${live === 1 ? '' : 's'} stay on ${tag}.`)
  } else if (rollout.cancelled) headline = `Cancelled during the rollout: ${tag} is live on ${live} of ${total} hosts.`
  else if (failedCount === 0) headline = `Deployed to all ${total} host${total === 1 ? '' : 's'} and made ${tag} live on them in ${rollout.batches.length} batch${rollout.batches.length === 1 ? '' : 'es'}.`
  else headline = `${tag} is live on ${live} of ${total} hosts; ${failedCount} failed, within max-failed-hosts (${maxFailedHosts}): ${names}`
  return { ok, headline, details, failedHosts }
}
