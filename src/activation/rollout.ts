import pLimit from 'p-limit'
import type { BatchSize } from '../inputs/batch-size.js'
import type { ActivateOutcome, ActivationTarget } from './activation-target.js'
import { planBatches } from './batch-plan.js'

export interface RolloutOptions {
  /** The hosts that hold the release, in the order of the hosts input. */
  targets: ActivationTarget[]
  batchSize: BatchSize
  /** How many more hosts may fail (max-failed-hosts less the hosts that failed distribution). */
  failureBudget: number
  rollbackOnFailure: boolean
  /** Hosts worked on at once within a batch, and while rolling back or pruning. */
  concurrency: number
  signal: AbortSignal
  log(message: string): void
  now?: () => number
}

export type HostActivationResult = 'activated' | 'failed' | 'rolled back' | 'not switched'

export interface HostActivation {
  host: string
  /** 1-based. */
  batch: number
  result: HostActivationResult
  /** What current pointed to before this run (null: nothing); undefined when unknown. */
  previousTag?: string | null
  /** Why the host failed. */
  error?: string
  /** How its rollback went, when it was rolled back or tried to be. */
  rollback?: string
  seconds?: number
}

export interface BatchReport {
  /** 1-based. */
  index: number
  hosts: string[]
  seconds: number
  result: 'activated' | 'failed' | 'rolled back' | 'not run'
}

export interface RolloutResult {
  hosts: HostActivation[]
  batches: BatchReport[]
  /** More hosts failed than allowed: no further batch was switched. */
  stopped: boolean
  /** Stopped, and the hosts switched in this run were put back (rollback-on-failure). */
  rolledBack: boolean
  /** Cancelled: batches after the current one were not started. */
  cancelled: boolean
  /** Hosts that failed in this phase. */
  failed: HostActivation[]
  /** Hosts whose old releases could not be pruned (a warning, not a failure): "host: why". */
  pruneProblems: string[]
}

/**
 * The rollout, batch after batch: every host of a batch is activated (switch, command, health
 * check); the next batch starts only when the whole batch is done. A host whose activation fails
 * has failed; it puts its previous release back itself (rollback-on-failure). When more hosts have
 * failed than the budget allows, no further batch is switched and — unless rollback-on-failure is
 * off — every host switched in this run goes back to the release it had. After a rollout that did
 * not stop, each activated host prunes its old releases.
 */
export async function runRollout(options: RolloutOptions): Promise<RolloutResult> {
  const now = options.now ?? Date.now
  const limit = pLimit(Math.max(1, options.concurrency))
  const batches = planBatches(options.targets, options.batchSize)
  const hosts = new Map<ActivationTarget, HostActivation>()
  batches.forEach((batch, index) => {
    for (const target of batch) hosts.set(target, { host: target.label, batch: index + 1, result: 'not switched' })
  })
  const reports: BatchReport[] = batches.map((batch, index) => ({ index: index + 1, hosts: batch.map((target) => target.label), seconds: 0, result: 'not run' }))
  const failed: HostActivation[] = []
  let stopped = false
  let cancelled = false

  for (const [index, batch] of batches.entries()) {
    if (options.signal.aborted) {
      cancelled = true
      break
    }
    const started = now()
    options.log(`Activating batch ${index + 1} of ${batches.length}: ${batch.map((target) => target.label).join(', ')}`)
    const outcomes = await Promise.all(batch.map((target) => limit(() => activateOne(target))))
    for (const [position, outcome] of outcomes.entries()) {
      const target = batch[position]!
      const host = hosts.get(target)!
      host.previousTag = outcome.previousTag
      host.seconds = outcome.seconds
      if (outcome.ok) {
        host.result = 'activated'
        continue
      }
      host.result = 'failed'
      host.error = outcome.error ?? 'activation failed'
      failed.push(host)
      if (outcome.switched === 'restored') host.rollback = `back on ${outcome.previousTag ?? 'no release (there was none)'}`
      else if (outcome.switched === 'yes') host.rollback = options.rollbackOnFailure ? 'could not be put back (see the error)' : 'left on the new release (rollback-on-failure is off)'
    }
    // A host lost after its switch: its agent puts the old release back by itself; make sure.
    if (options.rollbackOnFailure) {
      await Promise.all(
        batch
          .filter((target, position) => outcomes[position]!.switched === 'unknown' && outcomes[position]!.previousTag !== undefined)
          .map((target) => limit(() => restoreOne(target, hosts.get(target)!))),
      )
    }
    reports[index]!.seconds = (now() - started) / 1000
    reports[index]!.result = outcomes.every((outcome) => outcome.ok) ? 'activated' : 'failed'
    const failedHere = outcomes.filter((outcome) => !outcome.ok).length
    options.log(
      `Batch ${index + 1} of ${batches.length}: ${failedHere === 0 ? 'live and healthy' : `${failedHere} of ${batch.length} failed`} after ${reports[index]!.seconds.toFixed(1)} s`,
    )
    if (failed.length > options.failureBudget) {
      stopped = true
      options.log(`${failed.length} host${failed.length === 1 ? '' : 's'} failed to activate (at most ${options.failureBudget} may): the rollout stops`)
      break
    }
  }

  let rolledBack = false
  if (stopped && options.rollbackOnFailure) {
    const switched = [...hosts.entries()].filter(([, host]) => host.result === 'activated')
    options.log(`Rolling back ${switched.length} host${switched.length === 1 ? '' : 's'} switched in this run`)
    await Promise.all(switched.map(([target, host]) => limit(() => restoreOne(target, host))))
    for (const [index, batch] of batches.entries()) {
      if (batch.some((target) => hosts.get(target)!.result === 'rolled back')) reports[index]!.result = 'rolled back'
    }
    rolledBack = true
  }

  const pruneProblems: string[] = []
  if (!stopped && !cancelled) {
    const activated = [...hosts.entries()].filter(([, host]) => host.result === 'activated')
    await Promise.all(
      activated.map(([target, host]) =>
        limit(async () => {
          const pruned = await target.prune(host.previousTag ?? null).catch((error: Error) => ({ ok: false, note: error.message, removed: undefined }))
          if (!pruned.ok) pruneProblems.push(`${host.host}: ${pruned.note ?? 'pruning failed'}`)
          else if (pruned.removed !== undefined && pruned.removed.length > 0) options.log(`${host.host}: removed ${pruned.removed.join(', ')}`)
        }),
      ),
    )
  }

  return { hosts: [...hosts.values()], batches: reports, stopped, rolledBack, cancelled, failed, pruneProblems }

  async function activateOne(target: ActivationTarget): Promise<ActivateOutcome> {
    const started = now()
    try {
      return await target.activate()
    } catch (error) {
      return { ok: false, switched: 'no', error: (error as Error).message, seconds: (now() - started) / 1000 }
    }
  }

  /** Puts one host back; a host whose link could not be restored keeps its result, with why. */
  async function restoreOne(target: ActivationTarget, host: HostActivation): Promise<void> {
    const restored = await target.restore(host.previousTag ?? null).catch((error: Error) => ({ ok: false, note: error.message }))
    if (restored.ok) {
      if (host.result === 'activated') host.result = 'rolled back'
      host.rollback = `back on ${host.previousTag ?? 'no release (there was none)'}` + (restored.note ? ` (${restored.note})` : '')
    } else host.rollback = `could not be put back: ${restored.note ?? 'unknown error'}`
  }
}
