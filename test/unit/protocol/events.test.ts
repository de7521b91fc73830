/** The controller ↔ agent protocol: one job line in, one JSON line per event out, stray output ignored. */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  badNeed,
  decodeActivationEvent,
  decodeActivationJob,
  decodeEvent,
  decodeJob,
  decodeOriginJob,
  encodeActivationEvent,
  encodeActivationJob,
  encodeEvent,
  encodeJob,
  isActivationJob,
  jobRole,
  PROTOCOL_VERSION,
  type ActivationEvent,
  type ActivationJob,
  type AgentEvent,
  type AgentJob,
  type OriginJob,
} from '../../../src/protocol/events.js'
import { LineSplitter } from '../../../src/protocol/line-splitter.js'

const job: AgentJob = {
  v: PROTOCOL_VERSION,
  tag: 'v1.2.3',
  destination: '/srv/releases',
  torrent: Buffer.from('d8:announce...e').toString('base64'),
  pieceLength: 262_144,
  manifest: Buffer.from('the encoded manifest').toString('base64'),
  keepObjects: true,
  seederPeerId: '2d4d41303130302d' + '00'.repeat(12),
  overwrite: false,
  hardCapSeconds: 900,
  progressIntervalMs: 1000,
  heartbeatTimeoutMs: 30_000,
  maxConns: 55,
}

const everyEvent: AgentEvent[] = [
  { type: 'hello', v: PROTOCOL_VERSION, pid: 4242, node: 'v24.11.1' },
  { type: 'progress', have: 1_048_576, total: 3_145_728, fromSeeder: 524_288, fromPeers: 524_288, uploaded: 65_536, peers: 7 },
  { type: 'done', alreadyPresent: false, seeding: true, fromSeeder: 1, fromPeers: 2, fromStore: 3, seconds: 12.5 },
  { type: 'done', alreadyPresent: true, seeding: false, fromSeeder: 0, fromPeers: 0, fromStore: 0, seconds: 0.01 },
  { type: 'error', code: 'TAG_EXISTS', message: '/srv/releases/v1 already holds a different release;\nline two "quoted" — é ✓' },
  { type: 'notice', message: 'dropped peer 198.18.0.13 for good: it sent piece 3, which failed its hash' },
  { type: 'exit', uploaded: 123_456_789 },
  { type: 'need', objects: ['a'.repeat(32), 'b'.repeat(32)], bytes: 4_194_304 },
  { type: 'need', objects: [], bytes: 0 },
  { type: 'ack', bytes: 0 },
  { type: 'ack', bytes: 8_388_608 },
  { type: 'ready', trackerUrl: 'http://198.18.0.11:6969/announce', infoHash: 'ab'.repeat(20), seederPeerId: '2d4d41'.padEnd(40, '0'), seederPort: 40_000 },
  { type: 'origin-progress', received: 1_048_576, total: 2_097_152, uploaded: 0, announces: 0 },
]

/** The lines of `stream` fed to a LineSplitter one character at a time. */
function linesOf(stream: string): string[] {
  const lines: string[] = []
  const splitter = new LineSplitter((line) => lines.push(line))
  for (const character of stream) splitter.push(character)
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
    const decoded = linesOf(stream)
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
  test('a protocol-2 job (one payload, its sha256, key and mtimes) is refused by its version, whatever it holds', () => {
    const { manifest: _manifest, pieceLength: _pieceLength, keepObjects: _keepObjects, ...common } = job
    const older = { ...common, v: 2, payloadName: 'v1.2.3.tar.gz.enc', sha256: 'ab'.repeat(32), contentId: '12'.repeat(32), mtimes: 'AA', keepPayload: true }
    assert.throws(() => decodeJob(JSON.stringify(older)), { message: `protocol version 2 is not ${PROTOCOL_VERSION}: agent and action differ` })
    assert.equal(PROTOCOL_VERSION, 6)
  })
  test('a protocol-5 direct job (direct: true, sealed objects) is refused by its version: its agent would not seal encoded ones', () => {
    const older = { ...job, v: 5, torrent: '', seederPeerId: '', direct: true }
    assert.throws(() => decodeJob(JSON.stringify(older)), { message: `protocol version 5 is not ${PROTOCOL_VERSION}: agent and action differ` })
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
  test('wrong or missing protocol version: the agent and the action differ', () => {
    const v = PROTOCOL_VERSION
    for (const other of [v - 1, v + 1, 0]) {
      assert.throws(() => decodeJob(JSON.stringify({ ...job, v: other })), { message: `protocol version ${other} is not ${v}: agent and action differ` })
    }
    assert.throws(() => decodeJob(JSON.stringify({ ...job, v: String(v) })), { message: `protocol version ${v} is not ${v}: agent and action differ` }, 'a string is not the version')
    const { v: _v, ...noVersion } = job
    assert.throws(() => decodeJob(JSON.stringify(noVersion)), { message: `protocol version undefined is not ${v}: agent and action differ` })
    assert.throws(() => decodeJob('[]'), { message: `protocol version undefined is not ${v}: agent and action differ` })
  })
  test('keepObjects must be true or false (a protocol-2 keepPayload does not stand in for it)', () => {
    const { keepObjects: _dropped, ...without } = job
    const message = 'job field keepObjects must be true or false'
    assert.throws(() => decodeJob(JSON.stringify(without)), { message })
    assert.throws(() => decodeJob(JSON.stringify({ ...without, keepPayload: true })), { message })
    assert.throws(() => decodeJob(JSON.stringify({ ...job, keepObjects: 'true' })), { message })
    assert.equal(decodeJob(JSON.stringify({ ...job, keepObjects: false })).keepObjects, false)
  })
  for (const field of ['tag', 'destination', 'torrent', 'manifest', 'seederPeerId'] as const) {
    test(`missing, empty or non-string ${field}`, () => {
      const message = `job field ${field} is missing`
      const { [field]: _dropped, ...without } = job
      assert.throws(() => decodeJob(JSON.stringify(without)), { message })
      assert.throws(() => decodeJob(JSON.stringify({ ...job, [field]: '' })), { message })
      assert.throws(() => decodeJob(JSON.stringify({ ...job, [field]: 12 })), { message })
    })
  }
  for (const field of ['pieceLength', 'hardCapSeconds', 'progressIntervalMs', 'heartbeatTimeoutMs', 'maxConns'] as const) {
    test(`${field} must be a positive number`, () => {
      const message = `job field ${field} must be a positive number`
      const { [field]: _dropped, ...without } = job
      assert.throws(() => decodeJob(JSON.stringify(without)), { message })
      for (const bad of [0, -5, '900', null]) {
        assert.throws(() => decodeJob(JSON.stringify({ ...job, [field]: bad })), { message }, `${field}: ${JSON.stringify(bad)}`)
      }
    })
  }
  for (const field of ['uploadLimit', 'downloadLimit'] as const) {
    test(`${field} is optional, and a rate of at least 1 byte/s when present`, () => {
      assert.equal(decodeJob(JSON.stringify({ ...job, [field]: 5e6 }))[field], 5e6)
      assert.equal(decodeJob(JSON.stringify(job))[field], undefined)
      for (const bad of [0, -1, '5MB/s', null]) {
        assert.throws(() => decodeJob(JSON.stringify({ ...job, [field]: bad })), { message: `job field ${field} must be a rate of at least 1 byte/s when present` })
      }
    })
  }
})

describe('job field nice', () => {
  test('optional (absent: 0), and a whole number from 0 to 19 when present', () => {
    assert.equal(decodeJob(JSON.stringify(job)).nice, undefined)
    assert.equal(decodeJob(JSON.stringify({ ...job, nice: 10 })).nice, 10)
    assert.equal(decodeJob(JSON.stringify({ ...job, nice: 0 })).nice, 0)
    for (const bad of [-1, 20, 2.5, '10', null]) {
      assert.throws(() => decodeJob(JSON.stringify({ ...job, nice: bad })), { message: 'job field nice must be a whole number from 0 to 19 when present' }, JSON.stringify(bad))
    }
  })
})

describe('the activation mode\'s job and events', () => {
  const activationJob: ActivationJob = {
    v: PROTOCOL_VERSION,
    mode: 'activate',
    destination: '/srv/releases',
    tag: 'v2',
    sharedPaths: ['config/app.conf'],
    activateCommand: "systemctl reload 'app'",
    healthTimeoutMs: 60_000,
    healthAttemptMs: 15_000,
    commandTimeoutMs: 300_000,
    restoreOnFailure: true,
    keepReleases: 5,
    hardCapSeconds: 720,
    heartbeatTimeoutMs: 30_000,
  }
  test('round-trips, and is told apart from a deploy job', () => {
    const line = encodeActivationJob(activationJob)
    assert.deepEqual(decodeActivationJob(line), activationJob)
    assert.equal(isActivationJob(JSON.parse(line)), true)
    assert.equal(isActivationJob({ ...activationJob, mode: 'deploy' }), false)
    assert.equal(isActivationJob(null), false)
  })
  test('refuses a job with a field missing or wrong', () => {
    assert.throws(() => decodeActivationJob(JSON.stringify({ ...activationJob, v: 2 })), /protocol version 2/)
    assert.throws(() => decodeActivationJob(JSON.stringify({ ...activationJob, tag: '' })), /job field tag is missing/)
    assert.throws(() => decodeActivationJob(JSON.stringify({ ...activationJob, healthTimeoutMs: 0 })), /healthTimeoutMs must be a positive number/)
    assert.throws(() => decodeActivationJob(JSON.stringify({ ...activationJob, sharedPaths: 'config' })), /sharedPaths must be a list/)
    assert.throws(() => decodeActivationJob(JSON.stringify({ ...activationJob, restoreOnFailure: 'yes' })), /restoreOnFailure must be true or false/)
  })
  test('activation events decode; transfer events are not activation events and the other way round', () => {
    const switched: ActivationEvent = { type: 'switched', previousTag: 'v1' }
    assert.deepEqual(decodeActivationEvent(encodeActivationEvent(switched)), switched)
    assert.equal(decodeActivationEvent('{"type":"progress","have":1}'), undefined)
    assert.equal(decodeEvent(encodeActivationEvent(switched)), undefined)
    assert.equal(decodeActivationEvent('not json'), undefined)
  })
})

describe('the origin role (seeder-host)', () => {
  const originJob: OriginJob = {
    v: PROTOCOL_VERSION,
    role: 'origin',
    objects: [
      { id: '0123456789abcdef0123456789abcdef', size: 1000, sha256: 'a'.repeat(64) },
      { id: 'fedcba9876543210fedcba9876543210', size: 1, sha256: 'b'.repeat(64) },
    ],
    pieceLength: 32_768,
    pieces: Buffer.alloc(40).toString('base64'),
    announceAddress: '198.18.0.11',
    trackerPort: 0,
    trackerIntervalMs: 5000,
    peersCacheLength: 1000,
    hostCount: 100,
    workRoot: '/srv/releases/.murder/origin',
    hardCapSeconds: 720,
    progressIntervalMs: 1000,
    heartbeatTimeoutMs: 30_000,
  }
  const line = (changes: Record<string, unknown>): string => JSON.stringify({ ...originJob, ...changes })

  test('a job line says its role; anything else is an agent\'s', () => {
    assert.equal(jobRole(encodeJob(originJob)), 'origin')
    assert.equal(jobRole(encodeJob(job)), 'agent')
    assert.equal(jobRole('not json'), 'agent')
    assert.equal(jobRole('null'), 'agent')
  })
  test('round-trips', () => {
    assert.deepEqual(decodeOriginJob(encodeJob(originJob)), originJob)
    assert.deepEqual(decodeOriginJob(line({ seederUploadLimit: 1_000_000 })).seederUploadLimit, 1_000_000)
    assert.deepEqual(decodeOriginJob(line({ allowedPeers: ['198.18.0.12', 'fd00::12'] })).allowedPeers, ['198.18.0.12', 'fd00::12'])
  })
  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['another protocol version', { v: 2 }, /protocol version 2/],
    ['no role', { role: undefined }, /role must be "origin"/],
    ['no objects', { objects: [] }, /at least one object/],
    ['an object id that names another place', { objects: [{ id: '../../etc/passwd', size: 1, sha256: 'a'.repeat(64) }] }, /not a valid object id/],
    ['an object listed twice', { objects: [originJob.objects[0], originJob.objects[0]] }, /listed twice/],
    ['an empty object', { objects: [{ ...originJob.objects[0], size: 0 }] }, /size must be a positive integer/],
    ['a sha256 that is not one', { objects: [{ ...originJob.objects[0], sha256: 'xyz' }] }, /64 hex digits/],
    ['a relative work root', { workRoot: 'srv/x' }, /absolute path/],
    ['a work root with ..', { workRoot: '/srv/../etc' }, /without "\.\."/],
    ['a port out of range', { trackerPort: 70_000 }, /trackerPort must be a port/],
    ['no announce address', { announceAddress: '' }, /announceAddress is missing/],
    ['a zero heartbeat timeout', { heartbeatTimeoutMs: 0 }, /heartbeatTimeoutMs must be a positive number/],
    ['a seeder cap under 1 byte/s', { seederUploadLimit: 0 }, /seederUploadLimit/],
    ['no host count', { hostCount: undefined }, /hostCount must be a positive number/],
    ['allowed peers that are not a list of addresses', { allowedPeers: '198.18.0.12' }, /allowedPeers must be a list of addresses/],
  ]
  for (const [what, changes, message] of bad) {
    test(`refuses ${what}`, () => assert.throws(() => decodeOriginJob(line(changes)), message))
  }
  test('an agent\'s job is not an origin\'s, and an origin\'s is not an agent\'s', () => {
    assert.throws(() => decodeOriginJob(encodeJob(job)), /role must be "origin"/)
    assert.throws(() => decodeJob(encodeJob(originJob)), /job field tag is missing/)
  })
})

describe('what a host prints is checked against the event types before use', () => {
  // A host (or whoever controls it) writes what it likes on the agent's stdout: an event whose
  // fields are not of their type is not an event, and strings are made safe for the runner's log.
  for (const line of [
    '{"type":"hello","v":4,"pid":"1; rm -rf /","node":"v20"}',
    '{"type":"hello","v":4,"pid":-5,"node":"v20"}',
    '{"type":"hello","v":4,"pid":0,"node":"v20"}',
    '{"type":"hello","v":4,"pid":1.5,"node":"v20"}',
    '{"type":"hello","v":4,"pid":"4242","node":"v20"}',
    '{"type":"hello","v":4,"node":"v20"}',
    '{"type":"hello","v":4,"pid":4242,"node":7}',
    '{"type":"progress","have":"lots","total":1,"fromSeeder":0,"fromPeers":0,"uploaded":0,"peers":0}',
    '{"type":"progress","have":-1,"total":1,"fromSeeder":0,"fromPeers":0,"uploaded":0,"peers":0}',
    '{"type":"progress","have":1,"total":1,"fromSeeder":0,"fromPeers":0,"uploaded":0}',
    '{"type":"done","alreadyPresent":"yes","seeding":true,"fromSeeder":0,"fromPeers":0,"fromStore":0,"seconds":1}',
    '{"type":"done","alreadyPresent":false,"seeding":true,"fromSeeder":0,"fromPeers":0,"fromStore":0}',
    '{"type":"error","code":"PWNED","message":"x"}',
    '{"type":"error","code":"INTERNAL","message":42}',
    '{"type":"error","code":"__proto__","message":"x"}',
    '{"type":"exit","uploaded":"all"}',
    '{"type":"need","objects":"aaaaaaaaaaaaaaaa","bytes":1}',
    '{"type":"need","objects":["../../etc/passwd"],"bytes":1}',
    '{"type":"need","objects":["aaaaaaaaaaaaaaaa\\n::error::x"],"bytes":1}',
    '{"type":"need","objects":[7],"bytes":1}',
    '{"type":"need","objects":["aaaaaaaaaaaaaaaa"]}',
    '{"type":"need","objects":["aaaaaaaaaaaaaaaa"],"bytes":-1}',
    '{"type":"need","objects":["aaaaaaaaaaaaaaaa"],"bytes":1.5}',
    '{"type":"ack"}',
    '{"type":"ack","bytes":-1}',
    '{"type":"ack","bytes":"1048576"}',
    '{"type":"ack","bytes":1e300}',
  ]) {
    test(`${line} is not an event`, () => {
      assert.equal(decodeEvent(line), undefined)
    })
  }
  test('an error message cannot start a workflow command or carry terminal escapes', () => {
    const event = decodeEvent(JSON.stringify({ type: 'error', code: 'INTERNAL', message: 'boom\n::warning::forged\n  ::add-mask::x\n\u001b[31mred\u0007 ok' }))
    assert.deepEqual(event, { type: 'error', code: 'INTERNAL', message: 'boom\n: :warning::forged\n  : :add-mask::x\n [31mred  ok' })
  })
  test('a message is bounded', () => {
    const event = decodeEvent(JSON.stringify({ type: 'error', code: 'INTERNAL', message: 'x'.repeat(100_000) }))
    assert.ok(event?.type === 'error' && event.message.length <= 4001)
  })
  test('the node version is a version, not text for the log', () => {
    assert.equal(decodeEvent('{"type":"hello","v":4,"pid":4242,"node":"v20\\n::error::x"}'), undefined)
  })
})

describe('allowedPeers in the job', () => {
  test('absent (any peer) or a list of addresses', () => {
    assert.equal(decodeJob(encodeJob(job)).allowedPeers, undefined)
    assert.deepEqual(decodeJob(encodeJob({ ...job, allowedPeers: ['198.18.0.1', 'fd00::11'] })).allowedPeers, ['198.18.0.1', 'fd00::11'])
  })
  test('anything else is refused', () => {
    for (const allowedPeers of ['198.18.0.1', [1, 2], { a: 1 }]) {
      assert.throws(() => decodeJob(JSON.stringify({ ...job, allowedPeers })), /allowedPeers must be a list of addresses/)
    }
  })
})

describe('transport ssh: the job\'s direct field and the need event', () => {
  const direct: AgentJob = { ...job, torrent: '', seederPeerId: '', direct: 'encoded' }

  test('a direct job round-trips in either form, without a torrent or a seeder', () => {
    assert.deepEqual(decodeJob(encodeJob(direct)), direct)
    assert.deepEqual(decodeJob(encodeJob({ ...direct, direct: 'sealed' })), { ...direct, direct: 'sealed' })
  })
  test('without direct, the torrent and the seeder are still required', () => {
    assert.throws(() => decodeJob(JSON.stringify({ ...direct, direct: undefined })), { message: 'job field torrent is missing' })
  })
  test('direct is "sealed", "encoded" or absent: anything else is refused', () => {
    const message = 'job field direct must be "sealed" or "encoded" when present (transport ssh)'
    for (const bad of [{}, { pieces: 'AAAA' }, true, false, 1, null, 'true', 'plain', 'Sealed']) {
      assert.throws(() => decodeJob(JSON.stringify({ ...direct, direct: bad })), { message }, JSON.stringify(bad))
    }
  })
  test('a need names only objects of the release, each once', () => {
    const known = new Set(['a'.repeat(32), 'b'.repeat(32)])
    assert.equal(badNeed(['b'.repeat(32), 'a'.repeat(32)], known), undefined)
    assert.equal(badNeed([], known), undefined)
    assert.match(badNeed(['c'.repeat(32)], known)!, /asked for an object this release does not have/)
    assert.match(badNeed(['../etc/passwd'], known)!, /does not have/)
    assert.match(badNeed(['a'.repeat(32), 'a'.repeat(32)], known)!, /twice/)
    assert.match(badNeed('a'.repeat(32), known)!, /lists no objects/)
    assert.match(badNeed([7], known)!, /does not have/)
  })
})
