import type { AgentBundle } from '../fleet/agent-bundle.js'
import type { HostState } from '../fleet/host-state.js'
import type { Settings } from '../inputs/settings.js'
import { runRollout, type RolloutResult } from './rollout.js'
import { sshActivationTargets } from './ssh-activation-target.js'

export interface ActivationHooks {
  info(message: string): void
  signal: AbortSignal
}

/**
 * The activation phase, after the swarm delivered the release: the hosts that hold it (never one
 * that failed distribution) are switched to it in batches. `failedSoFar` hosts failed distribution
 * and count against max-failed-hosts like hosts that fail here.
 */
export async function activateRelease(settings: Settings, states: HostState[], failedSoFar: number, agent: AgentBundle, hooks: ActivationHooks): Promise<RolloutResult> {
  const target = sshActivationTargets({
    credentials: { privateKey: settings.sshKey, passphrase: settings.sshKeyPassphrase, knownHosts: settings.knownHosts },
    agent,
    nodePath: settings.nodePath,
    destination: settings.destination,
    tag: settings.tag,
    sharedPaths: settings.sharedPaths,
    activateCommand: settings.activateCommand,
    healthCheck: settings.healthCheck,
    healthTimeoutMs: settings.healthTimeoutMs,
    rollbackOnFailure: settings.rollbackOnFailure,
    keepReleases: settings.keepReleases,
  })
  return runRollout({
    targets: states.filter((state) => state.phase === 'done').map((state) => target(state.target)),
    batchSize: settings.batchSize,
    failureBudget: Math.max(0, settings.maxFailedHosts - failedSoFar),
    rollbackOnFailure: settings.rollbackOnFailure,
    concurrency: settings.concurrency,
    signal: hooks.signal,
    log: hooks.info,
  })
}
