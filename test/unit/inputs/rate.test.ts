import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { formatRate, parseRate } from '../../../src/inputs/rate.js'

describe('parseRate', () => {
  const cases: [string, number][] = [
    ['50MB/s', 50e6],
    ['50 MB/s', 50e6],
    ['400Mbit/s', 50e6],
    ['100mbit', 12.5e6],
    ['8Mbps', 1e6],
    ['8Mb/s', 1e6],
    ['20MiB/s', 20 * 1024 * 1024],
    ['1.5GB/s', 1.5e9],
    ['64kbit', 8000],
    ['64KiB/s', 65536],
    ['1000000', 1e6],
    ['250kB/s', 250e3],
  ]
  for (const [text, bytes] of cases) test(`${text} is ${bytes} bytes/s`, () => assert.equal(parseRate(text), bytes))

  for (const bad of ['', 'fast', '50 MB per second', '-5MB/s', 'MB/s', '5TB/s', '0', '0.1']) {
    test(`${JSON.stringify(bad)} is refused with a hint`, () => assert.throws(() => parseRate(bad), /use a rate such as 50MB\/s/))
  }
})

describe('formatRate', () => {
  test('MB/s above a megabyte, kB/s below', () => {
    assert.equal(formatRate(12.5e6), '12.5 MB/s')
    assert.equal(formatRate(8000), '8.0 kB/s')
  })
})
