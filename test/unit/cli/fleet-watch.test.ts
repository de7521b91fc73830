/** What the plain display tells, and that it stays bounded at 1,000 hosts. */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { FleetWatch, MAX_FAILURES_TOLD, MAX_NAMED, newsLines } from '../../../src/cli/fleet-watch.js'
import { doneHost, failedHost, hostState } from '../helpers.js'

describe('FleetWatch', () => {
  test('tells each settled host once, done and failed apart, in fleet order', () => {
    const states = [hostState('a', { phase: 'transferring', have: 5, total: 10 }), hostState('b', { phase: 'connecting' }), hostState('c', { phase: 'waiting' })]
    const watch = new FleetWatch(states)
    assert.deepEqual(watch.news(), { done: [], failed: [] })
    Object.assign(states[1]!, failedHost('b', 'connection refused'))
    Object.assign(states[0]!, doneHost('a', 3.2))
    const news = watch.news()
    assert.deepEqual(news.done.map((state) => state.target.label), ['a'])
    assert.deepEqual(news.failed.map((state) => state.target.label), ['b'])
    assert.deepEqual(watch.news(), { done: [], failed: [] }, 'not told twice')
    assert.equal(watch.doneCount(), 1)
  })

  test('fraction: settled hosts count whole, hosts in flight by their bytes', () => {
    const states = [doneHost('a'), failedHost('b'), hostState('c', { phase: 'transferring', have: 5, total: 10 }), hostState('d', { phase: 'connecting' })]
    assert.equal(new FleetWatch(states).fraction(), (1 + 1 + 0.5 + 0) / 4)
    assert.equal(new FleetWatch([]).fraction(), 1)
  })
})

describe('newsLines', () => {
  test('a failed host on its own line with its reason; the hosts done on one line with their seconds', () => {
    const lines = newsLines({ done: [doneHost('web1', 11.26), hostState('web2', { phase: 'done', alreadyPresent: true })], failed: [failedHost('web3', 'HOST KEY MISMATCH')] }, 2, 3)
    assert.deepEqual(lines, ['web3 FAILED: HOST KEY MISMATCH', '2/3 hosts done: web1 11.3 s, web2 (already present)'])
  })

  test('1,000 hosts settling at once make a dozen lines, not a thousand', () => {
    const done = Array.from({ length: 600 }, (_, index) => doneHost(`web${index}`))
    const failed = Array.from({ length: 400 }, (_, index) => failedHost(`db${index}`, 'deadline'))
    const lines = newsLines({ done, failed }, 600, 1000)
    assert.equal(lines.length, MAX_FAILURES_TOLD + 2)
    assert.equal(lines[MAX_FAILURES_TOLD], `… and ${400 - MAX_FAILURES_TOLD} more hosts failed (the summary names every one)`)
    const doneLine = lines.at(-1)!
    assert.match(doneLine, /^600\/1000 hosts done: /)
    assert.equal(doneLine.split(', ').length, MAX_NAMED + 1)
    assert.ok(doneLine.endsWith(`and ${600 - MAX_NAMED} more`), doneLine)
  })

  test('nothing new, nothing said', () => {
    assert.deepEqual(newsLines({ done: [], failed: [] }, 0, 5), [])
  })
})
