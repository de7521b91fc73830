/**
 * Pins the webtorrent / bittorrent-protocol internals the swarm relies on
 * (src/swarm/webtorrent-internals.ts). None of them is public API: each test names the internal it
 * checks, so a failing upgrade says which one moved.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import WebTorrent from 'webtorrent'
import { closedFleetClientOptions } from '../../../src/swarm/client-options.js'
import { hashPiecesOfFile } from '../../../src/swarm/piece-hashes.js'
import { swarmPieceLength } from '../../../src/swarm/piece-length.js'
import { makeTorrent } from '../../../src/swarm/torrent.js'
import { pieceCount } from '../../../src/swarm/webtorrent-internals.js'
import { removeTemporaryDirs, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

const SIZE = 100 * 1024 + 123

describe('webtorrent Torrent internals (a real client with the closed-fleet options)', () => {
  let client: WebTorrent.Instance
  let torrent: WebTorrent.Torrent
  /** The untyped torrent object, as webtorrent-internals.ts sees it. */
  let internals: Record<string, unknown>
  let expectedPieces: number

  before(async () => {
    const dir = temporaryDir()
    const file = path.join(dir, 'v1.tar.gz')
    fs.writeFileSync(file, randomBytes(SIZE))
    const pieceLength = swarmPieceLength(SIZE)
    expectedPieces = Math.ceil(SIZE / pieceLength)
    assert.ok(expectedPieces > 1, `${expectedPieces} pieces`)
    const { torrent: torrentFile } = makeTorrent({
      name: 'v1.tar.gz',
      length: SIZE,
      pieceLength,
      pieces: await hashPiecesOfFile(file, pieceLength),
      announceUrl: 'http://127.0.0.1:9/announce',
    })
    client = new WebTorrent(closedFleetClientOptions({ torrentPort: 0 }))
    client.on('error', () => {}) // the unreachable tracker is only a warning; nothing else is expected
    torrent = await new Promise<WebTorrent.Torrent>((resolve, reject) => {
      const added = client.add(torrentFile, { path: dir })
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
  test('the client verified the file against our piece hashes: the torrent is complete', () => {
    assert.equal(torrent.done, true)
    assert.equal(torrent.length, SIZE)
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
