/** The job line off the start of stdin, and the bytes after it untouched (an origin's objects). */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { FirstLine } from '../../../src/agent/first-line.js'

describe('FirstLine', () => {
  test('a line and binary bytes in one chunk: the bytes come back exactly, not decoded as text', () => {
    const binary = Buffer.from([0xff, 0x00, 0x0a, 0xc3, 0x28, 0x0a])
    const got = new FirstLine(1024).push(Buffer.concat([Buffer.from('{"role":"origin"}\n'), binary]))
    assert.deepEqual(got, { line: '{"role":"origin"}', rest: binary })
  })
  test('a line across chunks, a multi-byte character split between them', () => {
    const reader = new FirstLine(1024)
    const text = Buffer.from('{"tag":"é✓"}\nrest')
    assert.equal(reader.push(text.subarray(0, 10)), undefined)
    assert.equal(reader.push(text.subarray(10, 12)), undefined)
    const got = reader.push(text.subarray(12))!
    assert.equal(got.line, '{"tag":"é✓"}')
    assert.equal(got.rest.toString(), 'rest')
  })
  test('only the first line: later chunks are not read as one', () => {
    const reader = new FirstLine(1024)
    assert.ok(reader.push(Buffer.from('job\n')))
    assert.equal(reader.push(Buffer.from('\n\n')), undefined)
  })
  test('bounded: a line past the limit is handed on as it is', () => {
    const reader = new FirstLine(8)
    assert.equal(reader.push(Buffer.from('12345')), undefined)
    assert.deepEqual(reader.push(Buffer.from('6789')), { line: '123456789', rest: Buffer.alloc(0) })
  })
})
