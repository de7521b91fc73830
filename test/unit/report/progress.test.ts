/** ProgressLine: one log line per interval, however large the fleet. */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { ProgressLine } from '../../../src/report/progress.js'
import { doneHost as done, failedHost as failed, hostState as host } from '../helpers.js'

const MB = 1_000_000

describe('ProgressLine', () => {
  test('done/total, MB/s since the last line, and the slowest pending host', () => {
    const line = new ProgressLine(1_000, 1_000)
    const states = [
      done('web1'),
      host('web2', { phase: 'transferring', have: 5 * MB, total: 20 * MB }),
      host('web3', { phase: 'transferring', have: 15 * MB, total: 20 * MB }),
    ]
    states[0]!.have = 0 // only bytes still flowing count here; keep the arithmetic simple
    const text = line.render(states, 3_000)
    assert.equal(text, '[   2 s] 1/3 done · 10.0 MB/s into the fleet · slowest: web2 25 %')
  })
  test('the rate is measured from the previous line', () => {
    const line = new ProgressLine(0, 0)
    const states = [host('a', { phase: 'transferring', have: 10 * MB, total: 100 * MB })]
    assert.match(line.render(states, 1_000), /· 10\.0 MB\/s into the fleet/)
    states[0]!.have = 14 * MB
    assert.equal(line.render(states, 3_000), '[   3 s] 0/1 done · 2.0 MB/s into the fleet · slowest: a 14 %')
    assert.match(line.render(states, 4_000), /· 0\.0 MB\/s/)
  })
  test('failed hosts are counted; a connecting host is the slowest and says so', () => {
    const line = new ProgressLine(0, 0)
    const states = [
      failed('a', 'x'),
      host('b', { phase: 'transferring', have: 1, total: 10 }),
      host('c', { phase: 'connecting' }),
      done('d'),
    ]
    states[3]!.have = 0
    assert.equal(line.render(states, 65_000), '[  65 s] 1/4 done, 1 failed · 0.0 MB/s into the fleet · slowest: c (connecting)')
  })
  test('no pending host: no "slowest"', () => {
    const line = new ProgressLine(0, 0)
    const text = line.render([done('a'), failed('b')], 1_000)
    assert.ok(!text.includes('slowest'), text)
    assert.match(text, /^\[   1 s\] 1\/2 done, 1 failed · /)
  })
  test('a render at the same instant does not divide by zero', () => {
    const line = new ProgressLine(0, 5_000)
    const text = line.render([host('a', { phase: 'transferring', have: 1000, total: 2000 })], 5_000)
    assert.equal(text, '[   5 s] 0/1 done · 1.0 MB/s into the fleet · slowest: a 50 %')
  })
})
