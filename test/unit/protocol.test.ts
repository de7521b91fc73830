import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  decodeEvent,
  decodeJob,
  encodeEvent,
  encodeJob,
  LineSplitter,
  PROTOCOL_VERSION,
  type AgentEvent,
  type AgentJob,
} from '../../src/protocol/events.js'

const job: AgentJob = {
  v: PROTOCOL_VERSION,
  tag: 'v1.2.3',
  destination: '/srv/releases',
  torrent: Buffer.from('d8:announce...e').toString('base64'),
  payloadName: 'v1.2.3.tar.gz.enc',
  sha256: 'ab'.repeat(32),
  contentId: '12'.repeat(32),
  mtimes: 'izbUMdIxjgUA', // encodeMtimes([1, 3, 6])
  keepPayload: true,
  key: 'cd'.repeat(32),
  iv: 'ef'.repeat(16),
  seederPeerId: '2d4d41303130302d' + '00'.repeat(12),
  overwrite: false,
  hardCapSeconds: 900,
  progressIntervalMs: 1000,
  heartbeatTimeoutMs: 30_000,
  uploadLimit: 0,
  maxConns: 55,
}

const everyEvent: AgentEvent[] = [
  { type: 'hello', v: PROTOCOL_VERSION, pid: 4242, node: 'v24.11.1' },
  { type: 'progress', have: 1_048_576, total: 3_145_728, fromSeeder: 524_288, fromPeers: 524_288, uploaded: 65_536, peers: 7 },
  { type: 'done', alreadyPresent: false, seeding: true, fromSeeder: 1, fromPeers: 2, seconds: 12.5 },
  { type: 'done', alreadyPresent: true, seeding: false, fromSeeder: 0, fromPeers: 0, seconds: 0.01 },
  { type: 'error', code: 'TAG_EXISTS', message: '/srv/releases/v1 already holds a different release;\nline two "quoted" — é ✓' },
  { type: 'exit', uploaded: 123_456_789 },
]

/** Feeds chunks to a LineSplitter, ends it, and returns the lines it produced. */
function split(chunks: (string | Buffer)[], maxLine?: number): string[] {
  const lines: string[] = []
  const splitter = new LineSplitter((line) => lines.push(line), maxLine)
  for (const chunk of chunks) splitter.push(chunk)
  splitter.end()
  return lines
}

describe('events', () => {
  for (const event of everyEvent) {
    test(`${event.type} round-trips as one line`, () => {
      const line = encodeEvent(event)
      assert.ok(line.endsWith('\n'))
      assert.equal(line.indexOf('\n'), line.length - 1, 'exactly one newline, at the end')
      assert.deepEqual(decodeEvent(line), event)
      assert.deepEqual(decodeEvent(line.trimEnd()), event)
    })
  }
  test('every event survives a stream cut into 1-character chunks, between stray output', () => {
    const stream = 'Welcome to host1\n' + everyEvent.map(encodeEvent).join('stray line\n') + 'bye\n'
    const decoded = split([...stream])
      .map(decodeEvent)
      .filter((event) => event !== undefined)
    assert.deepEqual(decoded, everyEvent)
  })
  test('a line with surrounding spaces or CR is still an event', () => {
    assert.deepEqual(decodeEvent('  {"type":"exit","uploaded":5}\r'), { type: 'exit', uploaded: 5 })
  })
  for (const stray of [
    '',
    'Welcome to Ubuntu 24.04',
    'npm WARN something',
    '{not json',
    '{"type":"unknown"}',
    '{"type":5}',
    '{"no":"type"}',
    '[{"type":"done"}]',
    '"{\\"type\\":\\"done\\"}"',
    'null',
    '42',
    '{"type":"__proto__"}',
    '{"type":"toString"}',
  ]) {
    test(`stray line ${JSON.stringify(stray)} is ignored`, () => {
      assert.equal(decodeEvent(stray), undefined)
    })
  }
})

describe('decodeJob', () => {
  test('round-trips the encoded job', () => {
    const line = encodeJob(job)
    assert.ok(line.endsWith('\n'))
    assert.equal(line.split('\n').length, 2)
    assert.deepEqual(decodeJob(line), job)
  })
  test('optional fields may be absent (unencrypted payload)', () => {
    const { key: _key, iv: _iv, uploadLimit: _u, maxConns: _m, ...plain } = job
    assert.deepEqual(decodeJob(JSON.stringify(plain)), plain)
  })
  test('not JSON', () => {
    assert.throws(() => decodeJob('hello'), { message: 'the job line is not JSON' })
    assert.throws(() => decodeJob(''), { message: 'the job line is not JSON' })
    assert.throws(() => decodeJob(encodeJob(job).slice(0, 40)), { message: 'the job line is not JSON' })
  })
  test('not an object', () => {
    assert.throws(() => decodeJob('null'), { message: 'the job line is not an object' })
    assert.throws(() => decodeJob('"text"'), { message: 'the job line is not an object' })
    assert.throws(() => decodeJob('7'), { message: 'the job line is not an object' })
  })
  test('wrong or missing protocol version', () => {
    assert.equal(PROTOCOL_VERSION, 2)
    assert.throws(() => decodeJob(JSON.stringify({ ...job, v: 1 })), { message: 'protocol version 1 is not 2: agent and action differ' })
    assert.throws(() => decodeJob(JSON.stringify({ ...job, v: '2' })), { message: 'protocol version 2 is not 2: agent and action differ' })
    const { v: _v, ...noVersion } = job
    assert.throws(() => decodeJob(JSON.stringify(noVersion)), { message: 'protocol version undefined is not 2: agent and action differ' })
    assert.throws(() => decodeJob('[]'), /protocol version undefined is not 2/)
  })
  test('keepPayload must be true or false', () => {
    const { keepPayload: _dropped, ...without } = job
    const message = 'job field keepPayload must be true or false'
    assert.throws(() => decodeJob(JSON.stringify(without)), { message })
    assert.throws(() => decodeJob(JSON.stringify({ ...job, keepPayload: 'true' })), { message })
  })
  for (const field of ['tag', 'destination', 'torrent', 'sha256', 'contentId', 'mtimes', 'seederPeerId'] as const) {
    test(`missing, empty or non-string ${field}`, () => {
      const message = `job field ${field} is missing`
      const { [field]: _dropped, ...without } = job
      assert.throws(() => decodeJob(JSON.stringify(without)), { message })
      assert.throws(() => decodeJob(JSON.stringify({ ...job, [field]: '' })), { message })
      assert.throws(() => decodeJob(JSON.stringify({ ...job, [field]: 12 })), { message })
    })
  }
  for (const field of ['hardCapSeconds', 'progressIntervalMs', 'heartbeatTimeoutMs'] as const) {
    test(`${field} must be a positive number`, () => {
      const message = `job field ${field} must be a positive number`
      const { [field]: _dropped, ...without } = job
      assert.throws(() => decodeJob(JSON.stringify(without)), { message })
      for (const bad of [0, -5, '900', null]) {
        assert.throws(() => decodeJob(JSON.stringify({ ...job, [field]: bad })), { message }, `${field}: ${JSON.stringify(bad)}`)
      }
    })
  }
})

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
    const ascii = everyEvent.filter((event) => /^[\x00-\x7f]*$/.test(encodeEvent(event)))
    assert.equal(ascii.length, everyEvent.length - 1)
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
