/**
 * Pins the webtorrent / bittorrent-protocol internals the swarm relies on
 * (src/swarm/webtorrent-internals.ts). None of them is public API: each test names the internal it
 * checks, so a failing upgrade says which one moved.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as path from 'node:path'
import WebTorrent from 'webtorrent'
import { closedFleetClientOptions } from '../../../src/swarm/client-options.js'
import { pieceHashes } from '../../../src/pack/encode-task.js'
import { objectChunkStore } from '../../../src/swarm/object-chunk-store.js'
import { layObjects, type ObjectLayout } from '../../../src/swarm/object-layout.js'
import { swarmPieceLength } from '../../../src/swarm/piece-length.js'
import { makeTorrent } from '../../../src/swarm/torrent.js'
import { dialNoOneOnceDone, peerIsSeed, pieceCount, quietOnceSeeding, retryAnnounceUntilAnswered } from '../../../src/swarm/webtorrent-internals.js'
import { spreadPieceOrder } from '../../../src/swarm/piece-order.js'
import { startTracker } from '../../../src/swarm/tracker.js'
import { removeTemporaryDirs, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

const SIZE = 100 * 1024 + 123

interface OneObject {
  /** Where the object file is (`<dir>/<id>`). */
  dir: string
  layout: ObjectLayout
  torrentFile: Buffer
}

/** A torrent of one object of SIZE random bytes (padded to whole pieces), as a deploy lays it out. */
function oneObject(announceUrl: string): OneObject {
  const dir = temporaryDir()
  const id = randomBytes(16).toString('hex')
  const bytes = randomBytes(SIZE)
  fs.writeFileSync(path.join(dir, id), bytes)
  const layout = layObjects([{ id, size: SIZE }], swarmPieceLength(SIZE))
  const { torrent: torrentFile } = makeTorrent({ name: 'v1', layout, pieces: pieceHashes(bytes, layout.pieceLength, true), announceUrl })
  return { dir, layout, torrentFile }
}

/** webtorrent add options that keep the torrent's objects in `dir`, as the agent's do. */
function objectStoreOptions(dir: string, layout: ObjectLayout): Record<string, unknown> {
  return { path: dir, store: objectChunkStore(dir, layout) }
}

describe('webtorrent Torrent internals (a real client with the closed-fleet options)', () => {
  let client: WebTorrent.Instance
  let torrent: WebTorrent.Torrent
  /** The untyped torrent object, as webtorrent-internals.ts sees it. */
  let internals: Record<string, unknown>
  let expectedPieces: number
  let torrentLength: number

  before(async () => {
    const { dir, layout, torrentFile } = oneObject('http://127.0.0.1:9/announce')
    expectedPieces = Math.ceil(SIZE / layout.pieceLength)
    assert.ok(expectedPieces > 1, `${expectedPieces} pieces`)
    torrentLength = expectedPieces * layout.pieceLength
    assert.ok(torrentLength > SIZE, 'the object ends with a pad')
    client = new WebTorrent(closedFleetClientOptions({ torrentPort: 0 }))
    client.on('error', () => {}) // the unreachable tracker is only a warning; nothing else is expected
    torrent = await new Promise<WebTorrent.Torrent>((resolve, reject) => {
      const added = client.add(torrentFile, objectStoreOptions(dir, layout))
      added.once('error', reject)
      added.once('ready', () => resolve(added))
    })
    internals = torrent as unknown as Record<string, unknown>
  })
  after(() => new Promise<void>((resolve) => client.destroy(() => resolve())))

  test('torrent.ready is true once "ready" has fired', () => {
    assert.equal(internals.ready, true)
  })
  test('torrent.pieces is an array with one slot per piece (pieceCount)', () => {
    assert.ok(Array.isArray(internals.pieces), `pieces is ${typeof internals.pieces}`)
    assert.equal((internals.pieces as unknown[]).length, expectedPieces)
    assert.equal(pieceCount(torrent), expectedPieces)
  })
  test('torrent.select(from, to, priority) is a function (spreadPieceOrder)', () => {
    assert.equal(typeof internals.select, 'function')
    assert.ok((internals.select as (...args: unknown[]) => unknown).length >= 2, 'takes at least from and to')
  })
  test('torrent._update() is a function (nudgeRequests: the request scheduler)', () => {
    assert.equal(typeof internals._update, 'function')
  })
  test('torrent._queue (array), _addPeer() and removePeer() are there (dialNoOneOnceDone)', () => {
    assert.ok(Array.isArray(internals._queue), `_queue is ${typeof internals._queue}`)
    assert.equal(typeof internals._addPeer, 'function')
    assert.equal(typeof internals.removePeer, 'function')
  })
  test('the client verified the object (and its pad) against our piece hashes: the torrent is complete', () => {
    assert.equal(torrent.done, true)
    assert.equal(torrent.length, torrentLength)
  })
})

describe('spreadPieceOrder on a real torrent with nothing downloaded', () => {
  test('every piece is selected from the start: [r, n-1] first, then [0, r-1] kept apart (torrent._select, selectApart)', async () => {
    const { layout, torrentFile } = oneObject('http://127.0.0.1:9/announce')
    const client = new WebTorrent(closedFleetClientOptions({ torrentPort: 0 }))
    client.on('error', () => {})
    try {
      const empty = temporaryDir()
      const torrent = await new Promise<WebTorrent.Torrent>((resolve, reject) => {
        const added = client.add(torrentFile, { ...objectStoreOptions(empty, layout), deselect: true })
        added.once('error', reject)
        added.once('ready', () => resolve(added))
      })
      const n = pieceCount(torrent)
      assert.ok(n >= 3, `${n} pieces`)
      spreadPieceOrder(torrent, () => 0.5)
      const r = Math.floor(0.5 * n)
      const selections = (torrent as unknown as { _selections: { length: number; get(index: number): { from: number; to: number; priority: number } } })._selections
      const ranges = Array.from({ length: selections.length }, (_, index) => selections.get(index)).map(({ from, to, priority }) => ({ from, to, priority }))
      assert.deepEqual(ranges, [
        { from: r, to: n - 1, priority: 1 },
        { from: 0, to: r - 1, priority: 0 },
      ])
    } finally {
      await new Promise<void>((resolve) => client.destroy(() => resolve()))
    }
  })
})

/** bittorrent-protocol has no type declarations: imported by a non-literal name, typed here as used. */
const WIRE_MODULE: string = 'bittorrent-protocol'
interface WireInstance {
  peerPieces?: { get?: unknown }
  hasFast?: unknown
  destroyed?: unknown
  destroy(): void
}
type WireClass = (new () => WireInstance) & { prototype: Record<string, unknown> }

describe('bittorrent-protocol Wire internals (the super-seeder drives wires with them)', () => {
  let Wire: WireClass
  let wire: WireInstance

  before(async () => {
    Wire = ((await import(WIRE_MODULE)) as { default: WireClass }).default
    wire = new Wire()
  })
  after(() => wire?.destroy())

  for (const method of ['bitfield', 'have', 'haveAll', 'haveNone']) {
    test(`Wire.prototype.${method} is a function`, () => {
      assert.equal(typeof Wire.prototype[method], 'function')
    })
  }
  test('wire.peerPieces.get(index) is a function: the pieces the remote peer holds', () => {
    assert.equal(typeof wire.peerPieces?.get, 'function')
    assert.equal((wire.peerPieces!.get as (index: number) => boolean).call(wire.peerPieces, 0), false, 'a new wire knows of no piece')
  })
  test('wire.hasFast is a boolean, false before the handshake (BEP 6 Fast extension)', () => {
    assert.equal(wire.hasFast, false)
  })
  test('wire.destroyed is a boolean, false on a live wire', () => {
    assert.equal(wire.destroyed, false)
  })
})

describe('tracker client and seed marking (real clients on loopback)', () => {
  test('torrent.discovery.tracker: a failed first announce is asked again until answered (retryAnnounceUntilAnswered)', async () => {
    // A port nobody listens on: every announce fails at once with ECONNREFUSED.
    const closed = net.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()))
    const port = (closed.address() as net.AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const { layout, torrentFile } = oneObject(`http://127.0.0.1:${port}/announce`)
    const client = new WebTorrent(closedFleetClientOptions({ torrentPort: 0 }))
    client.on('error', () => {})
    try {
      let failures = 0
      const torrent = client.add(torrentFile, objectStoreOptions(temporaryDir(), layout))
      torrent.on('warning', () => failures++)
      retryAnnounceUntilAnswered(torrent, 50)
      await new Promise((resolve) => setTimeout(resolve, 1000))
      assert.ok(failures >= 3, `announced ${failures} times in 1 s (without the retry: once, then 30 minutes later)`)
      const trackerClient = (torrent as unknown as { discovery: { tracker: Record<string, unknown> } }).discovery.tracker
      assert.equal(typeof trackerClient.setInterval, 'function', 'torrent.discovery.tracker.setInterval (quietOnceSeeding)')
      // The tracker comes up: the next retry is answered, and the retries stop.
      const tracker = await startTracker({ port, intervalMs: 60_000, peersCacheLength: 10 })
      await tracker.allow(torrent.infoHash)
      try {
        await new Promise<void>((resolve) => torrent.once('trackerAnnounce', () => resolve()))
        const answeredAt = tracker.announces()
        await new Promise((resolve) => setTimeout(resolve, 500))
        assert.equal(tracker.announces(), answeredAt, 'no more retries once answered')
      } finally {
        await tracker.close()
      }
    } finally {
      await new Promise<void>((resolve) => client.destroy(() => resolve()))
    }
  })

  test('peerPieces says whether the peer holds every piece (peerIsSeed)', async () => {
    const { dir, layout, torrentFile } = oneObject('http://127.0.0.1:9/announce')
    const seed = new WebTorrent(closedFleetClientOptions({ torrentPort: 0 }))
    const leech = new WebTorrent(closedFleetClientOptions({ torrentPort: 0 }))
    for (const client of [seed, leech]) client.on('error', () => {})
    try {
      const seeding = seed.add(torrentFile, objectStoreOptions(dir, layout))
      await new Promise<void>((resolve) => seeding.once('ready', () => resolve()))
      await new Promise<void>((resolve) => (seed.listening ? resolve() : seed.once('listening', () => resolve())))
      const fetching = leech.add(torrentFile, objectStoreOptions(temporaryDir(), layout))
      fetching.once('infoHash', () => (fetching as unknown as { addPeer(address: string): void }).addPeer(`127.0.0.1:${seed.address()!.port}`))
      const wire = await new Promise<WebTorrent.Wire>((resolve) => fetching.once('wire', resolve))
      await new Promise<void>((resolve) => (fetching.done ? resolve() : fetching.once('done', () => resolve())))
      assert.equal(peerIsSeed(wire, pieceCount(fetching)), true, 'the downloader sees the seeder as a seed')
      const seedSide = seeding.wires[0]
      assert.ok(seedSide, 'the seeder has the wire too')
      await new Promise((resolve) => setTimeout(resolve, 300))
      assert.equal(peerIsSeed(seedSide, pieceCount(seeding)), true, 'once the download is complete, the seeder sees a seed too')
    } finally {
      await Promise.all([seed, leech].map((client) => new Promise<void>((resolve) => client.destroy(() => resolve()))))
    }
  })
})

describe('peerIsSeed and dialNoOneOnceDone (fakes)', () => {
  test('a peer is a seed only when its announced pieces cover the torrent', () => {
    const pieces = (held: number[]) => ({ peerPieces: { get: (index: number) => held.includes(index) } })
    assert.equal(peerIsSeed(pieces([0, 1, 2]), 3), true)
    assert.equal(peerIsSeed(pieces([0, 2]), 3), false, 'a partial bitfield is not a seed (webtorrent sets isSeeder = true for it)')
    assert.equal(peerIsSeed(pieces([]), 3), false, 'HAVE NONE / nothing announced yet is not a seed')
    assert.equal(peerIsSeed({ peerPieces: { get: () => true } }, 3), true, 'HAVE ALL')
    assert.equal(peerIsSeed(pieces([]), 0), false, 'no metadata yet')
  })

  test('once done, queued peers are dropped and no peer is added (reconnects included)', () => {
    const listeners = new Map<string, () => void>()
    const removed: unknown[] = []
    const torrent = {
      done: false,
      _queue: ['a', 'b'] as unknown[] | null,
      _addPeer: (address: unknown) => address,
      removePeer: (peer: unknown) => removed.push(peer),
      once: (event: string, listener: () => void) => listeners.set(event, listener),
    }
    dialNoOneOnceDone(torrent)
    assert.equal(torrent._addPeer('c'), 'c', 'still downloading: peers are added')
    torrent.done = true
    listeners.get('done')!()
    assert.deepEqual(removed, ['a', 'b'])
    assert.deepEqual(torrent._queue, [])
    assert.equal(torrent._addPeer('d'), null, 'done: no peer is added, so none is dialled')
  })

  test('once done and answered once more, the tracker client announces every 30 minutes (quietOnceSeeding)', () => {
    const listeners = new Map<string, () => void>()
    const intervals: number[] = []
    const tracker = { once: (event: string, listener: () => void) => listeners.set(`tracker:${event}`, listener), setInterval: (ms: number) => intervals.push(ms) }
    const torrent = {
      ready: true,
      done: false,
      destroyed: false,
      discovery: { tracker },
      once: (event: string, listener: () => void) => listeners.set(event, listener),
    }
    quietOnceSeeding(torrent)
    assert.deepEqual(intervals, [], 'still downloading: the tracker\'s own interval')
    torrent.done = true
    listeners.get('done')!()
    assert.deepEqual(intervals, [], 'done, but the announce that says so is not answered yet')
    listeners.get('tracker:update')!()
    assert.deepEqual(intervals, [30 * 60_000])
  })
})
