/**
 * The agent in the origin role over loopback: its job, then its objects on "stdin" in odd chunks;
 * it reports `ready` with a tracker that answers and a seeder that serves the objects to a real
 * webtorrent client, and on stop removes its work directory. A damaged object stops it before any
 * tracker starts.
 */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import WebTorrent from 'webtorrent'
import { Origin } from '../../../src/agent/origin.js'
import { encodeJob, PROTOCOL_VERSION, type AgentEvent, type OriginJob } from '../../../src/protocol/events.js'
import { closedFleetClientOptions } from '../../../src/swarm/client-options.js'
import { objectChunkStore } from '../../../src/swarm/object-chunk-store.js'
import { layObjects } from '../../../src/swarm/object-layout.js'
import { makeTorrent } from '../../../src/swarm/torrent.js'
import { removeTemporaryDirs, sha256, temporaryDir } from '../helpers.js'
import { knock } from '../../e2e/intruder.js'
import { connects, get } from '../net-probes.js'

after(removeTemporaryDirs)

const PIECE = 32_768
const contents = [randomBytes(100_000), randomBytes(5_000)]
const ids = contents.map(() => randomBytes(16).toString('hex'))
const layout = layObjects(contents.map((bytes, index) => ({ id: ids[index]!, size: bytes.length })), PIECE)
/** Each object's pieces, its pad's zeros making the last one whole. */
const pieces = Buffer.concat(
  layout.objects.flatMap((object, index) =>
    Array.from({ length: object.pieces }, (_, k) => {
      const piece = contents[index]!.subarray(k * PIECE, (k + 1) * PIECE)
      return createHash('sha1').update(Buffer.concat([piece, Buffer.alloc(PIECE - piece.length)])).digest()
    }),
  ),
)

function originJob(workRoot: string): OriginJob {
  return {
    v: PROTOCOL_VERSION,
    role: 'origin',
    objects: contents.map((bytes, index) => ({ id: ids[index]!, size: bytes.length, sha256: sha256(bytes) })),
    pieceLength: PIECE,
    pieces: pieces.toString('base64'),
    announceAddress: '127.0.0.1',
    trackerPort: 0,
    trackerIntervalMs: 5000,
    peersCacheLength: 1000,
    hostCount: 1,
    workRoot,
    hardCapSeconds: 600,
    progressIntervalMs: 1000,
    heartbeatTimeoutMs: 60_000,
  }
}

/** An origin whose events are kept, with a promise for the first event of a type. */
function startOrigin(): { origin: Origin; events: AgentEvent[]; next: <T extends AgentEvent['type']>(type: T) => Promise<Extract<AgentEvent, { type: T }>>; exitCode: Promise<number> } {
  const events: AgentEvent[] = []
  const waiting: { type: string; resolve: (event: AgentEvent) => void }[] = []
  let exited!: (code: number) => void
  const exitCode = new Promise<number>((resolve) => (exited = resolve))
  const origin = new Origin({
    emit(event) {
      events.push(event)
      for (const waiter of waiting.filter((w) => w.type === event.type)) waiter.resolve(event)
    },
    exit: (code) => exited(code),
  })
  const next = <T extends AgentEvent['type']>(type: T): Promise<Extract<AgentEvent, { type: T }>> => {
    const seen = events.find((event) => event.type === type)
    if (seen) return Promise.resolve(seen as Extract<AgentEvent, { type: T }>)
    return new Promise((resolve) => waiting.push({ type, resolve: resolve as (event: AgentEvent) => void }))
  }
  return { origin, events, next, exitCode }
}

function feed(origin: Origin, data: Buffer): void {
  for (let at = 0; at < data.length; at += 4099) origin.push(data.subarray(at, at + 4099))
}

describe('Origin', () => {
  test('serves the objects it was sent: a client downloads them through its tracker and seeder', async () => {
    const workRoot = path.join(temporaryDir(), 'origin')
    const { origin, events, next, exitCode } = startOrigin()
    // No progress on the interval during the test: the counts the report gets are the ones sent on stopping.
    origin.start(encodeJob({ ...originJob(workRoot), progressIntervalMs: 600_000 }).trimEnd())
    feed(origin, Buffer.concat([...contents, Buffer.from('\n\n')]))
    const ready = await next('ready')
    const acks = events.filter((event) => event.type === 'ack').map((event) => (event.type === 'ack' ? event.bytes : -1))
    const total = contents.reduce((sum, bytes) => sum + bytes.length, 0)
    assert.equal(acks.at(-1), total, `the last ack is every object byte: ${JSON.stringify(acks)}`)
    assert.deepEqual([...acks].sort((a, b) => a - b), acks, 'acks only grow')
    assert.match(ready.trackerUrl, /^http:\/\/127\.0\.0\.1:\d+\/announce$/)
    const { torrent, infoHash } = makeTorrent({ name: 'objects', layout, pieces, announceUrl: ready.trackerUrl })
    assert.equal(ready.infoHash, infoHash)
    assert.ok(fs.existsSync(path.join(workRoot, String(process.pid))), 'it works in <workRoot>/<pid>')

    const downloadDir = temporaryDir()
    const client = new WebTorrent(closedFleetClientOptions({ torrentPort: 0 }))
    try {
      const fromSeeder = await new Promise<number>((resolve, reject) => {
        const added = client.add(torrent, { path: downloadDir, store: objectChunkStore(downloadDir, layout) })
        let bytes = 0
        added.on('wire', (wire: WebTorrent.Wire) => wire.on('download', (n: number) => (bytes += wire.peerId === ready.seederPeerId ? n : 0)))
        added.once('error', reject)
        added.once('done', () => resolve(bytes))
        setTimeout(() => reject(new Error('no download within 60 s')), 60_000).unref()
      })
      assert.ok(fromSeeder > 0, 'the bytes came from the origin\'s seeder')
      contents.forEach((bytes, index) => assert.ok(fs.readFileSync(path.join(downloadDir, ids[index]!)).equals(bytes)))
    } finally {
      await new Promise<void>((resolve) => client.destroy(() => resolve()))
    }
    origin.stop('the deploy is over')
    assert.equal(await exitCode, 0)
    assert.ok((await next('exit')).uploaded > 0)
    const last = events.filter((event) => event.type === 'origin-progress').at(-1)
    assert.ok(last?.type === 'origin-progress' && last.announces >= 1 && last.uploaded > 0, `the last origin-progress holds the final counts: ${JSON.stringify(last)}`)
    assert.deepEqual(fs.readdirSync(workRoot), [], 'its work directory is gone')
  })

  test('its tracker and seeder deal only with the fleet\'s addresses, on the address the fleet reaches it at', async () => {
    const workRoot = path.join(temporaryDir(), 'origin')
    const { origin, next, exitCode } = startOrigin()
    origin.start(encodeJob({ ...originJob(workRoot), allowedPeers: ['127.0.0.1'] }).trimEnd())
    feed(origin, Buffer.concat([...contents, Buffer.from('\n\n')]))
    const ready = await next('ready')
    try {
      const { infoHash } = makeTorrent({ name: 'objects', layout, pieces, announceUrl: ready.trackerUrl })
      const query = `info_hash=${infoHash.replace(/../g, '%$&')}&peer_id=${'%cc'.repeat(20)}&port=7001&uploaded=0&downloaded=0&left=0&compact=1&event=started`
      const outsider = await get(`${ready.trackerUrl}?${query}`, '127.0.0.2')
      assert.match(outsider.body, /failure reason.*not a host of this deploy/, 'an announce from outside the fleet is refused')
      assert.doesNotMatch((await get(`${ready.trackerUrl}?${query}`, '127.0.0.1')).body, /failure reason/, 'one from the fleet is taken')
      const trackerPort = Number(new URL(ready.trackerUrl).port)
      assert.equal(await connects('127.0.0.2', trackerPort), false, 'the tracker listens on the fleet\'s address only')
      assert.equal(await connects('127.0.0.2', ready.seederPort), false, 'and so does the seeder')
      const hash = Buffer.from(infoHash, 'hex')
      assert.equal(await knock('127.0.0.1', ready.seederPort, hash, '127.0.0.2'), 'refused', 'the seeder closes an outsider\'s connection before the handshake')
      assert.equal(await knock('127.0.0.1', ready.seederPort, hash, '127.0.0.1'), 'answered', 'and answers the fleet\'s')
    } finally {
      origin.stop('the deploy is over')
    }
    assert.equal(await exitCode, 0)
  })

  test('a damaged object: VERIFY_FAILED, no tracker, nothing left', async () => {
    const workRoot = path.join(temporaryDir(), 'origin')
    const { origin, events, next, exitCode } = startOrigin()
    origin.start(encodeJob(originJob(workRoot)).trimEnd())
    const damaged = Buffer.concat(contents)
    damaged[10]! ^= 1
    feed(origin, damaged)
    const error = await next('error')
    assert.equal(error.code, 'VERIFY_FAILED')
    assert.match(error.message, new RegExp(`object ${ids[0]} arrived with sha256`))
    assert.equal(await exitCode, 1)
    assert.equal(events.some((event) => event.type === 'ready'), false)
    assert.deepEqual(fs.readdirSync(workRoot), [])
  })

  test('stdin closed before every object arrived: STOPPED, exit 1, nothing left; the dead origins\' directories are swept', async () => {
    const workRoot = path.join(temporaryDir(), 'origin')
    fs.mkdirSync(path.join(workRoot, '999999999'), { recursive: true })
    const { origin, next, exitCode } = startOrigin()
    origin.start(encodeJob(originJob(workRoot)).trimEnd())
    assert.deepEqual(fs.readdirSync(workRoot), [String(process.pid)])
    feed(origin, contents[0]!.subarray(0, 1000))
    origin.stop('stopped by the controller before the release was complete')
    assert.equal((await next('error')).code, 'STOPPED')
    assert.equal(await exitCode, 1)
    assert.deepEqual(fs.readdirSync(workRoot), [])
  })

  test('a bad job line: BAD_JOB', async () => {
    const { origin, next, exitCode } = startOrigin()
    origin.start(JSON.stringify({ ...originJob('/tmp/x'), objects: [] }))
    assert.match((await next('error')).message, /at least one object/)
    assert.equal(await exitCode, 1)
  })
})
