/** LineSplitter: a byte stream (an agent's stdout, a controller's stdin) into lines, bounded, UTF-8 safe. */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { decodeEvent, encodeEvent, type AgentEvent } from '../../../src/protocol/events.js'
import { LineSplitter } from '../../../src/protocol/line-splitter.js'

/** Feeds chunks to a LineSplitter, ends it, and returns the lines it produced. */
function split(chunks: (string | Buffer)[], maxLine?: number): string[] {
  const lines: string[] = []
  const splitter = new LineSplitter((line) => lines.push(line), maxLine)
  for (const chunk of chunks) splitter.push(chunk)
  splitter.end()
  return lines
}

const events: AgentEvent[] = [
  { type: 'hello', v: 4, pid: 4242, node: 'v24.11.1' },
  { type: 'progress', have: 1_048_576, total: 3_145_728, fromSeeder: 524_288, fromPeers: 524_288, uploaded: 65_536, peers: 7 },
  { type: 'done', alreadyPresent: false, seeding: true, fromSeeder: 1, fromPeers: 2, fromStore: 3, seconds: 12.5 },
  { type: 'error', code: 'TAG_EXISTS', message: '/srv/releases/v1 already holds a different release;\nline two "quoted" — é ✓' },
  { type: 'exit', uploaded: 123_456_789 },
]

describe('LineSplitter', () => {
  test('lines split across chunks are joined', () => {
    assert.deepEqual(split(['ab', 'c\nde', 'f\n\ng', 'h']), ['abc', 'def', '', 'gh'])
  })
  test('several lines in one chunk', () => {
    assert.deepEqual(split(['one\ntwo\nthree\n']), ['one', 'two', 'three'])
  })
  test('end() flushes an unterminated last line, and nothing when there is none', () => {
    assert.deepEqual(split(['tail']), ['tail'])
    assert.deepEqual(split(['done\n']), ['done'])
    assert.deepEqual(split([]), [])
  })
  test('CR is kept (decodeEvent trims it)', () => {
    assert.deepEqual(split(['a\r\nb\r\n']), ['a\r', 'b\r'])
  })
  test('an over-long line is cut instead of buffered: it comes out in pieces that rebuild it', () => {
    const lines = split(['x'.repeat(25), 'yy\nzz\n'], 10)
    assert.deepEqual(lines, ['x'.repeat(25), 'yy', 'zz'])
  })
  test('with many small chunks, nothing held grows far past maxLine', () => {
    const chunks = Array.from({ length: 100 }, () => 'abc')
    const lines = split([...chunks, '\n'], 10)
    assert.equal(lines.join(''), 'abc'.repeat(100))
    assert.ok(lines.length >= 25, `expected the line cut in pieces, got ${lines.length}`)
    for (const line of lines) assert.ok(line.length <= 10 + 3, `piece of ${line.length} characters`)
  })
  test('the default limit is 1 MiB', () => {
    const lines: string[] = []
    const splitter = new LineSplitter((line) => lines.push(line))
    splitter.push('a'.repeat(1 << 20))
    assert.equal(lines.length, 0, 'exactly 1 MiB is still held')
    splitter.push('b')
    assert.equal(lines.length, 1)
    assert.equal(lines[0]!.length, (1 << 20) + 1)
  })
  test('ASCII events survive 1-byte Buffer chunks', () => {
    const ascii = events.filter((event) => /^[\x00-\x7f]*$/.test(encodeEvent(event)))
    assert.equal(ascii.length, events.length - 1)
    const bytes = Buffer.from(ascii.map(encodeEvent).join('noise\n'))
    const decoded = split([...bytes].map((byte) => Buffer.from([byte]))).map(decodeEvent)
    assert.deepEqual(
      decoded.filter((event) => event !== undefined),
      ascii,
    )
  })
  test('multi-byte characters in string chunks', () => {
    assert.deepEqual(split(['é✓', '😀\nnext\n']), ['é✓😀', 'next'])
  })
  test(
    'a multi-byte character split between two Buffer chunks is decoded whole',
    () => {
      const bytes = Buffer.from(encodeEvent({ type: 'error', code: 'INTERNAL', message: 'disque plein: /srv/é' }), 'utf8')
      const cut = bytes.indexOf(Buffer.from('é')) + 1 // between the two bytes of "é"
      const lines = split([bytes.subarray(0, cut), bytes.subarray(cut)])
      assert.deepEqual(lines.map(decodeEvent), [{ type: 'error', code: 'INTERNAL', message: 'disque plein: /srv/é' }])
    },
  )
})
