/** judgeActivation and the activation part of the report: distribution and activation failures counted together. */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { judge, judgeActivation, type RolloutFacts } from '../../../src/verdict/verdict.js'
import { buildReport, renderSummary, type ActivationReport, type DeployFacts } from '../../../src/report/report.js'
import { doneHost as done, failedHost as failed } from '../helpers.js'

function rollout(overrides: Partial<RolloutFacts> = {}): RolloutFacts {
  return {
    hosts: [
      { host: 'a', result: 'activated' },
      { host: 'b', result: 'activated' },
    ],
    batches: [{ index: 1, result: 'activated' }],
    stopped: false,
    rolledBack: false,
    cancelled: false,
    failed: [],
    pruneProblems: [],
    ...overrides,
  }
}

describe('judgeActivation', () => {
  test('every host live', () => {
    const verdict = judgeActivation(rollout(), judge([done('a'), done('b')], 0), 0, 'v2')
    assert.equal(verdict.ok, true)
    assert.equal(verdict.headline, 'Deployed to all 2 hosts and made v2 live on them in 1 batch.')
    assert.deepEqual(verdict.details, [])
  })
  test('stopped: names the failed hosts of both phases, says who went back, one detail per host', () => {
    const facts = rollout({
      hosts: [
        { host: 'a', result: 'rolled back', rollback: 'back on v1' },
        { host: 'b', result: 'failed', error: 'HEALTH_FAILED: exit 1', rollback: 'back on v1' },
        { host: 'd', result: 'activated', rollback: 'could not be put back: nothing accepts SSH' },
        { host: 'e', result: 'not switched' },
      ],
      batches: [
        { index: 1, result: 'rolled back' },
        { index: 2, result: 'rolled back' },
        { index: 3, result: 'not run' },
      ],
      stopped: true,
      rolledBack: true,
      failed: [{ host: 'b' }],
    })
    const verdict = judgeActivation(facts, judge([done('a'), done('b'), failed('c', 'DISK_FULL'), done('d'), done('e')], 1), 1, 'v2')
    assert.equal(verdict.ok, false)
    assert.equal(
      verdict.headline,
      'The rollout of v2 stopped in batch 2 of 3: 2 hosts failed (max-failed-hosts is 1): c, b. 1 host switched in this run went back to its previous release.',
    )
    assert.deepEqual(verdict.details, ['b: activation failed: HEALTH_FAILED: exit 1; back on v1', 'd: could not be put back: nothing accepts SSH'])
    assert.deepEqual(verdict.failedHosts, ['b'])
  })
  test('failures within max-failed-hosts, and prune problems as details', () => {
    const facts = rollout({ hosts: [{ host: 'a', result: 'activated' }, { host: 'b', result: 'failed', error: 'x' }], failed: [{ host: 'b' }], pruneProblems: ['a: EACCES'] })
    const verdict = judgeActivation(facts, judge([done('a'), done('b')], 1), 1, 'v2')
    assert.equal(verdict.ok, true)
    assert.equal(verdict.headline, 'v2 is live on 1 of 2 hosts; 1 failed, within max-failed-hosts (1): b')
    assert.deepEqual(verdict.details, ['b: activation failed: x', 'old releases not pruned on a: EACCES'])
  })
})

describe('the report with an activation', () => {
  const facts: DeployFacts = {
    tag: 'v2', infoHash: 'ab'.repeat(20), contentId: 'cd'.repeat(32), payloadBytes: 1, objects: 1, padBytes: 0, encrypted: true,
    packSeconds: 0, transferSeconds: 1, durationSeconds: 2, seederUploaded: 1, seederRanOn: 'runner', transport: 'swarm', sentOverSsh: 0, trackerUrl: 'http://x', trackerAnnounces: 1,
  }
  const activation: ActivationReport = {
    batches: [
      { index: 1, hosts: ['a'], seconds: 2.5, result: 'rolled back' },
      { index: 2, hosts: ['b'], seconds: 4, result: 'failed' },
      { index: 3, hosts: ['c'], seconds: 0, result: 'not run' },
    ],
    hosts: [
      { host: 'a', batch: 1, result: 'rolled back', previousTag: 'v1', rollback: 'back on v1' },
      { host: 'b', batch: 2, result: 'failed', previousTag: 'v1', error: 'HEALTH_FAILED: exit 1', rollback: 'back on v1' },
      { host: 'c', batch: 3, result: 'not switched' },
    ],
    stopped: true,
    rolledBack: true,
    hostsActivated: 0,
    previousTag: 'v1',
  }
  test('a host that failed activation is a failed host; one summary row per batch', () => {
    const states = [done('a'), done('b'), done('c')]
    const distribution = judge(states, 0)
    const verdict = judgeActivation(
      { ...activation, cancelled: false, failed: [{ host: 'b' }], pruneProblems: [], batches: activation.batches },
      distribution,
      0,
      'v2',
    )
    const report = buildReport(facts, states, distribution, { report: activation, verdict })
    assert.equal(report.ok, false)
    assert.deepEqual(report.failedHosts, ['b'])
    assert.equal(report.hostsFailed, 1)
    assert.equal(report.hostsSucceeded, 2)
    const summary = renderSummary(report)
    assert.match(summary, /### Activation: live on 0 hosts, previously `v1`; rolled back/)
    assert.match(summary, /\| 1 \| a \| 2\.5 \| ↩️ rolled back \|/)
    assert.match(summary, /\| 2 \| b \| 4\.0 \| ❌ failed \|/)
    assert.match(summary, /\| 3 \| c \| – \| ⏸️ not switched \|/)
    assert.match(summary, /\| b \| 2 \| ❌ failed \| HEALTH_FAILED: exit 1 \| back on v1 \|/)
  })
  test('without activation the report says null and the summary has no activation part', () => {
    const states = [done('a')]
    const report = buildReport(facts, states, judge(states, 0))
    assert.equal(report.activation, null)
    assert.doesNotMatch(renderSummary(report), /Activation/)
  })
})
