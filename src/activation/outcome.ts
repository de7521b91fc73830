import type { RolloutResult } from './rollout.js'

/** What the outputs and the report say about an activation. */
export interface ActivationOutcome {
  /** Hosts whose current link points to the release when the step ends. */
  hostsActivated: number
  rolledBack: boolean
  /** The release the hosts were on before (the first host's that had one); '' when none had one. */
  previousTag: string
}

export function activationOutcome(rollout: RolloutResult | undefined): ActivationOutcome {
  if (rollout === undefined) return { hostsActivated: 0, rolledBack: false, previousTag: '' }
  const previous = rollout.hosts.find((host) => typeof host.previousTag === 'string')?.previousTag
  return {
    hostsActivated: rollout.hosts.filter((host) => host.result === 'activated').length,
    rolledBack: rollout.rolledBack,
    previousTag: previous ?? '',
  }
}
