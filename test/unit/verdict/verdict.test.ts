/** judge: whether the deploy succeeded, in one headline that names every failed host. */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { judge } from '../../../src/verdict/verdict.js'
import { doneHost as done, failedHost as failed, hostState as host } from '../helpers.js'

describe('judge', () => {
  test('no host failed', () => {
    const states = [done('a'), done('b'), done('c')]
    const verdict = judge(states, 0)
    assert.equal(verdict.ok, true)
    assert.equal(verdict.headline, 'Deployed to all 3 hosts.')
    assert.deepEqual(verdict.succeeded, states)
    assert.deepEqual(verdict.failed, [])
    assert.deepEqual(verdict.details, [])
  })
  test('a single host: "host", not "hosts"', () => {
    assert.equal(judge([done('a')], 0).headline, 'Deployed to all 1 host.')
  })
  test('failures within max-failed-hosts: ok, but every failed host is named', () => {
    const states = [done('a'), failed('b', 'TAG_EXISTS: taken'), done('c'), failed('d')]
    const verdict = judge(states, 2)
    assert.equal(verdict.ok, true)
    assert.equal(verdict.headline, 'Deployed to 2 of 4 hosts; 2 failed, within max-failed-hosts (2): b, d')
    assert.deepEqual(
      verdict.failed.map((s) => s.target.label),
      ['b', 'd'],
    )
    assert.deepEqual(verdict.details, ['b: TAG_EXISTS: taken', 'd: did not finish'])
  })
  test('more failures than max-failed-hosts: not ok, headline names every failed host, one detail each', () => {
    const states = [
      failed('web1', 'DISK_FULL: no space'),
      done('web2'),
      host('web3', { phase: 'transferring' }),
      host('web4', { phase: 'waiting' }),
      host('web5', { phase: 'connecting', error: 'connect ETIMEDOUT' }),
    ]
    const verdict = judge(states, 1)
    assert.equal(verdict.ok, false)
    assert.equal(verdict.headline, '4 of 5 hosts failed (max-failed-hosts is 1): web1, web3, web4, web5')
    assert.deepEqual(verdict.details, [
      'web1: DISK_FULL: no space',
      'web3: did not finish',
      'web4: did not finish',
      'web5: connect ETIMEDOUT',
    ])
    assert.deepEqual(
      verdict.succeeded.map((s) => s.target.label),
      ['web2'],
    )
  })
  test('one failure over a limit of zero', () => {
    const verdict = judge([done('a'), failed('b', 'x')], 0)
    assert.equal(verdict.ok, false)
    assert.equal(verdict.headline, '1 of 2 hosts failed (max-failed-hosts is 0): b')
  })
  test('every host failed', () => {
    const verdict = judge([failed('a', 'x'), failed('b', 'y')], 5)
    assert.equal(verdict.ok, true)
    assert.equal(verdict.headline, 'Deployed to 0 of 2 hosts; 2 failed, within max-failed-hosts (5): a, b')
  })
})
