/** The batch runner against fake hosts: which host is switched when, what is rolled back, what is pruned. */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { ActivateOutcome, ActivationTarget, StepOutcome } from '../../../src/activation/activation-target.js'
import { planBatches } from '../../../src/activation/batch-plan.js'
import { runRollout, type RolloutOptions } from '../../../src/activation/rollout.js'

/** A host that records every call in one shared journal; `fails` makes its activation fail. */
class FakeHost implements ActivationTarget {
  live: string | null
  constructor(
    readonly label: string,
    private readonly journal: string[],
    private readonly behaviour: { fails?: 'health' | 'lost' | 'throws'; restoreFails?: boolean; previous?: string | null } = {},
  ) {
    this.live = behaviour.previous === undefined ? 'v1' : behaviour.previous
  }
  async activate(): Promise<ActivateOutcome> {
    this.journal.push(`activate ${this.label}`)
    const previousTag = this.live
    if (this.behaviour.fails === 'throws') throw new Error('connection refused')
    this.live = 'v2'
    if (this.behaviour.fails === 'health') {
      this.live = previousTag // the agent puts it back itself
      return { ok: false, switched: 'restored', previousTag, error: 'HEALTH_FAILED: exit 1', seconds: 1 }
    }
    if (this.behaviour.fails === 'lost') return { ok: false, switched: 'unknown', previousTag, error: 'lost the SSH connection', seconds: 1 }
    return { ok: true, switched: 'yes', previousTag, seconds: 1 }
  }
  async restore(previousTag: string | null): Promise<StepOutcome> {
    this.journal.push(`restore ${this.label} to ${previousTag}`)
    if (this.behaviour.restoreFails) return { ok: false, note: 'nothing accepts SSH' }
    this.live = previousTag
    return { ok: true }
  }
  async prune(previousTag: string | null): Promise<StepOutcome & { removed?: string[] }> {
    this.journal.push(`prune ${this.label} keeping ${previousTag}`)
    return { ok: true, removed: [] }
  }
}

function options(targets: ActivationTarget[], overrides: Partial<RolloutOptions> = {}): RolloutOptions {
  return { targets, batchSize: { hosts: 2 }, failureBudget: 0, rollbackOnFailure: true, concurrency: 10, signal: new AbortController().signal, log: () => {}, ...overrides }
}

function fleet(journal: string[], count: number, behaviours: Record<number, ConstructorParameters<typeof FakeHost>[2]> = {}): FakeHost[] {
  return Array.from({ length: count }, (_, index) => new FakeHost(`h${index + 1}`, journal, behaviours[index + 1]))
}

describe('planBatches', () => {
  test('cuts the hosts in order, the last batch holding the rest', () => {
    assert.deepEqual(planBatches([1, 2, 3, 4, 5], { hosts: 2 }), [[1, 2], [3, 4], [5]])
    assert.deepEqual(planBatches([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { percent: 25 }), [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10]])
    assert.deepEqual(planBatches([], { hosts: 2 }), [])
  })
})

describe('runRollout', () => {
  test('every batch activated in order, then every host pruned keeping the release it replaced', async () => {
    const journal: string[] = []
    const hosts = fleet(journal, 5)
    const result = await runRollout(options(hosts))
    assert.deepEqual(
      journal.filter((line) => line.startsWith('activate')),
      ['activate h1', 'activate h2', 'activate h3', 'activate h4', 'activate h5'],
    )
    assert.ok(journal.indexOf('activate h3') > journal.indexOf('activate h2'), 'batch 2 starts after batch 1 is done')
    assert.deepEqual(result.batches.map((batch) => [batch.hosts, batch.result]), [[['h1', 'h2'], 'activated'], [['h3', 'h4'], 'activated'], [['h5'], 'activated']])
    assert.deepEqual(journal.filter((line) => line.startsWith('prune')).sort(), ['h1', 'h2', 'h3', 'h4', 'h5'].map((host) => `prune ${host} keeping v1`))
    assert.ok(hosts.every((host) => host.live === 'v2'))
    assert.equal(result.stopped, false)
    assert.equal(result.rolledBack, false)
    assert.deepEqual(result.failed, [])
  })

  test('a host unhealthy in batch 2 of 3: it goes back itself, batch 1 is rolled back, batch 3 is never switched, nothing is pruned', async () => {
    const journal: string[] = []
    const hosts = fleet(journal, 6, { 4: { fails: 'health' } })
    const result = await runRollout(options(hosts))
    assert.equal(result.stopped, true)
    assert.equal(result.rolledBack, true)
    assert.deepEqual(result.failed.map((host) => host.host), ['h4'])
    assert.deepEqual(hosts.map((host) => host.live), ['v1', 'v1', 'v1', 'v1', 'v1', 'v1'], 'every host back on (or still on) v1')
    assert.ok(!journal.includes('activate h5') && !journal.includes('activate h6'), 'batch 3 never switched')
    assert.deepEqual(journal.filter((line) => line.startsWith('restore')).sort(), ['restore h1 to v1', 'restore h2 to v1', 'restore h3 to v1'])
    assert.ok(!journal.some((line) => line.startsWith('prune')), 'a failed rollout prunes nothing')
    assert.deepEqual(result.batches.map((batch) => batch.result), ['rolled back', 'rolled back', 'not run'])
    assert.deepEqual(
      result.hosts.map((host) => [host.host, host.result]),
      [['h1', 'rolled back'], ['h2', 'rolled back'], ['h3', 'rolled back'], ['h4', 'failed'], ['h5', 'not switched'], ['h6', 'not switched']],
    )
  })

  test('within the failure budget the rollout goes on, and the failed host stays failed', async () => {
    const journal: string[] = []
    const hosts = fleet(journal, 4, { 2: { fails: 'health' } })
    const result = await runRollout(options(hosts, { failureBudget: 1 }))
    assert.equal(result.stopped, false)
    assert.deepEqual(hosts.map((host) => host.live), ['v2', 'v1', 'v2', 'v2'])
    assert.deepEqual(result.batches.map((batch) => batch.result), ['failed', 'activated'])
    assert.ok(!journal.includes('prune h2 keeping v1'), 'only activated hosts prune')
  })

  test('rollback-on-failure off: the switched hosts stay on the new release', async () => {
    const journal: string[] = []
    const hosts = fleet(journal, 4, { 3: { fails: 'throws' } })
    const result = await runRollout(options(hosts, { rollbackOnFailure: false }))
    assert.equal(result.stopped, true)
    assert.equal(result.rolledBack, false)
    assert.ok(!journal.some((line) => line.startsWith('restore')))
    assert.deepEqual(hosts.map((host) => host.live), ['v2', 'v2', 'v1', 'v2'], 'batch 2 ran whole; nothing after it')
    assert.equal(result.failed[0]!.error, 'connection refused')
  })

  test('a host lost after its switch is put back (make sure), and a rollback that cannot reach a host says so', async () => {
    const journal: string[] = []
    const hosts = fleet(journal, 4, { 1: { restoreFails: true }, 3: { fails: 'lost' } })
    const result = await runRollout(options(hosts))
    assert.ok(journal.includes('restore h3 to v1'), 'the lost host is restored')
    const h1 = result.hosts.find((host) => host.host === 'h1')!
    assert.equal(h1.result, 'activated', 'still on the new release')
    assert.match(h1.rollback!, /could not be put back: nothing accepts SSH/)
    assert.equal(result.hosts.find((host) => host.host === 'h2')!.result, 'rolled back')
  })

  test('a host with no release before goes back to none', async () => {
    const journal: string[] = []
    const hosts = fleet(journal, 2, { 1: { previous: null }, 2: { fails: 'throws' } })
    await runRollout(options(hosts, { batchSize: { hosts: 1 } }))
    assert.ok(journal.includes('restore h1 to null'))
    assert.equal(hosts[0]!.live, null)
  })

  test('cancelled: no further batch starts and nothing is rolled back or pruned', async () => {
    const journal: string[] = []
    const abort = new AbortController()
    const hosts = fleet(journal, 4)
    const first = hosts[0]!
    const original = first.activate.bind(first)
    first.activate = async () => {
      abort.abort()
      return original()
    }
    const result = await runRollout(options(hosts, { signal: abort.signal }))
    assert.equal(result.cancelled, true)
    assert.deepEqual(journal, ['activate h1', 'activate h2'])
    assert.deepEqual(result.batches.map((batch) => batch.result), ['activated', 'not run'])
  })
})
