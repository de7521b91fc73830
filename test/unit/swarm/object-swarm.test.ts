/**
 * The object chunk store under real webtorrent clients over loopback (closed-fleet options, no
 * tracker: the downloader is handed the seeder's address). A host that already holds some objects
 * fetches only the others; pads never reach the disk; thousands of objects go through a few
 * descriptors.
 */
import { after, afterEach, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import WebTorrent from 'webtorrent'
import { closedFleetClientOptions } from '../../../src/swarm/client-options.js'
import { objectChunkStore, type ObjectChunkStoreClass } from '../../../src/swarm/object-chunk-store.js'
import { layObjects, type ObjectLayout } from '../../../src/swarm/object-layout.js'
import { makeTorrent } from '../../../src/swarm/torrent.js'

// Not ../helpers.js: it imports the packer and the agent, which have nothing to do with this.
const made: string[] = []
function temporaryDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'murder-unit-'))
  made.push(dir)
  return dir
}

const clients: WebTorrent.Instance[] = []
function newClient(): WebTorrent.Instance {
  const client = new WebTorrent(closedFleetClientOptions({ torrentPort: 0 }))
  client.on('error', () => {}) // the announce URL is never answered: a warning, nothing else expected
  clients.push(client)
  return client
}
/** Each test's clients go when it ends, whatever happened; `after` is the safety net. */
async function destroyClients(): Promise<void> {
  await Promise.all(clients.splice(0).map((client) => new Promise<void>((resolve) => client.destroy(() => resolve()))))
}
after(async () => {
  await destroyClients()
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

const ANNOUNCE = 'http://127.0.0.1:1/announce' // never answered, and no tracker is needed here
const TIMEOUT_MS = 60_000

/** `promise`, or a failure naming `what` after TIMEOUT_MS. */
async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

interface Release {
  layout: ObjectLayout
  contents: Map<string, Buffer>
  torrent: Buffer
  seedDir: string
}

/** Random objects of `sizes` written to a seeder's directory, and their torrent. */
function makeRelease(sizes: number[], pieceLength: number): Release {
  const contents = new Map(sizes.map((size) => [randomBytes(16).toString('hex'), randomBytes(size)]))
  const layout = layObjects(
    [...contents].map(([id, data]) => ({ id, size: data.length })),
    pieceLength,
  )
  // Each object's pieces hashed on their own: its data, then its pad's zeros up to the piece's end
  // (a whole piece, unless the torrent ends before: the files' lengths say).
  const length = layout.files.reduce((sum, file) => sum + file.length, 0)
  const hashes: Buffer[] = []
  for (const object of layout.objects) {
    const data = contents.get(object.id)!
    for (let k = 0; k < object.pieces; k++) {
      const piece = data.subarray(k * pieceLength, (k + 1) * pieceLength)
      const end = Math.min(pieceLength, length - (object.firstPiece + k) * pieceLength)
      hashes.push(createHash('sha1').update(Buffer.concat([piece, Buffer.alloc(end - piece.length)])).digest())
    }
  }
  const seedDir = temporaryDir()
  for (const [id, data] of contents) fs.writeFileSync(path.join(seedDir, id), data)
  const { torrent } = makeTorrent({ name: 'release', layout, pieces: Buffer.concat(hashes), announceUrl: ANNOUNCE })
  return { layout, contents, torrent, seedDir }
}

interface StoreCall {
  op: 'get' | 'put'
  index: number
  offset?: number
  length?: number
}

/**
 * The store class, recording every call webtorrent makes, and calling `onDone` (to sample descriptors)
 * as each completes: then the descriptor it used is surely open.
 */
function recording(Store: ObjectChunkStoreClass, calls: StoreCall[], onDone: () => void = () => {}): ObjectChunkStoreClass {
  return class extends Store {
    override get(index: number, opts: unknown, cb?: unknown): void {
      if (typeof opts === 'function') return this.get(index, null, opts)
      const range = (opts ?? {}) as { offset?: number; length?: number }
      calls.push({ op: 'get', index, offset: range.offset, length: range.length })
      super.get(index, opts as never, (error: Error | null, buffer?: Buffer) => {
        onDone()
        ;(cb as (error: Error | null, buffer?: Buffer) => void)(error, buffer)
      })
    }
    override put(index: number, buf: Uint8Array, cb?: (error: Error | null) => void): void {
      calls.push({ op: 'put', index, length: buf.length })
      super.put(index, buf, (error) => {
        onDone()
        cb?.(error)
      })
    }
  }
}

/** A seeder of `release` (its objects already hashed: no verification), listening; its port. */
async function startSeeder(release: Release, maxOpenFiles?: number, onDone?: () => void): Promise<{ port: number; calls: StoreCall[] }> {
  const client = newClient()
  const calls: StoreCall[] = []
  const store = recording(objectChunkStore(release.seedDir, release.layout, { readOnly: true, maxOpenFiles }), calls, onDone)
  const torrent = client.add(release.torrent, { store, path: release.seedDir, skipVerify: true })
  await within(
    new Promise<void>((resolve, reject) => {
      torrent.once('error', reject)
      torrent.once('ready', () => resolve())
    }),
    'the seeder is ready',
  )
  await within(new Promise<void>((resolve) => (client.listening ? resolve() : client.once('listening', () => resolve()))), 'the seeder listens')
  return { port: client.address()!.port, calls }
}

/** Downloads `release` from the seeder at `port` into `dir` with the object store; resolves on 'done'. */
async function download(
  release: Release,
  dir: string,
  port: number,
  maxOpenFiles?: number,
  onDone?: () => void,
): Promise<{ torrent: WebTorrent.Torrent; calls: StoreCall[]; pieceBytes: () => number }> {
  const client = newClient()
  const calls: StoreCall[] = []
  const store = recording(objectChunkStore(dir, release.layout, { maxOpenFiles }), calls, onDone)
  const torrent = client.add(release.torrent, { store, path: dir })
  torrent.once('infoHash', () => (torrent as unknown as { addPeer(address: string): void }).addPeer(`127.0.0.1:${port}`))
  // Piece payload received, per wire (torrent.received counts every byte off the socket: handshake,
  // bitfield and message headers too).
  const wires: { downloaded: number }[] = []
  torrent.on('wire', (wire: { downloaded: number }) => wires.push(wire))
  await within(
    new Promise<void>((resolve, reject) => {
      torrent.once('error', reject)
      torrent.once('done', () => resolve())
    }),
    'the download is done',
  )
  return { torrent, calls, pieceBytes: () => wires.reduce((sum, wire) => sum + wire.downloaded, 0) }
}

/**
 * How many descriptors this process holds on files under each of `dirs`, from /proc/self/fd (only
 * those: tsx and the test runner open files of their own now and then).
 */
function openFdsUnder(dirs: string[]): number[] {
  const counts = dirs.map(() => 0)
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    let target: string
    try {
      target = fs.readlinkSync(`/proc/self/fd/${fd}`)
    } catch {
      continue // closed since the listing
    }
    dirs.forEach((dir, i) => {
      if (target.startsWith(dir + path.sep)) counts[i]!++
    })
  }
  return counts
}

describe('webtorrent with the object chunk store', () => {
  afterEach(destroyClients)

  test('a host holding two thirds of the objects fetches only the rest; objects byte-identical, no pads on disk', async () => {
    const pieceLength = 32 * 1024
    // 10 KiB .. 300 KiB, some exact piece multiples (no pad), most not.
    const sizes = Array.from({ length: 30 }, (_, i) => (i % 7 === 3 ? ((i % 9) + 1) * pieceLength : 10 * 1024 + ((i * 104_729) % (290 * 1024))))
    assert.ok(sizes.some((size) => size % pieceLength === 0) && sizes.some((size) => size % pieceLength !== 0))
    const release = makeRelease(sizes, pieceLength)
    const seeder = await startSeeder(release)

    const dir = temporaryDir()
    const held = new Set([...release.contents.keys()].filter((_, i) => i % 3 !== 0))
    for (const id of held) fs.copyFileSync(path.join(release.seedDir, id), path.join(dir, id))
    const missing = release.layout.objects.filter((object) => !held.has(object.id))
    const { torrent, calls, pieceBytes } = await download(release, dir, seeder.port)

    // (a) every object, byte for byte
    for (const [id, data] of release.contents) assert.deepEqual(fs.readFileSync(path.join(dir, id)), data, id)
    // (b) only the missing objects travelled: at least their bytes, at most their pieces
    const missingBytes = missing.reduce((sum, object) => sum + object.size, 0)
    const missingPieceBytes = missing.reduce((sum, object) => sum + object.pieces * pieceLength, 0)
    assert.ok(pieceBytes() >= missingBytes, `received ${pieceBytes()} < ${missingBytes} bytes of missing objects`)
    assert.ok(pieceBytes() <= missingPieceBytes, `received ${pieceBytes()} > ${missingPieceBytes} bytes of the missing objects' pieces`)
    // torrent.received is every byte off the socket: the pieces plus the protocol's few kilobytes.
    assert.ok(torrent.received < missingPieceBytes + 64 * 1024, `${torrent.received} bytes off the socket in all`)
    const missingPieces = new Set(missing.flatMap((object) => Array.from({ length: object.pieces }, (_, k) => object.firstPiece + k)))
    const puts = calls.filter((call) => call.op === 'put').map((call) => call.index)
    assert.deepEqual(
      [...puts].sort((a, b) => a - b),
      [...missingPieces].sort((a, b) => a - b),
      'each missing piece written once, no held piece written',
    )
    // (c) the objects and nothing else: no pad files, no directory under the torrent's name
    assert.deepEqual(fs.readdirSync(dir).sort(), [...release.contents.keys()].sort())
    // The seeder was only read (whole pieces: webtorrent's cache-chunk-store in front of the store
    // reads whole pieces and cuts the peers' blocks out of them itself).
    assert.ok(seeder.calls.every((call) => call.op === 'get'))
  })

  test('2,000 small objects through 16 descriptors per store: done, and never more than 16 open', async () => {
    const pieceLength = 16 * 1024
    const sizes = Array.from({ length: 2000 }, (_, i) => 1 + ((i * 7919) % (3 * pieceLength)))
    const release = makeRelease(sizes, pieceLength)
    const dir = temporaryDir()
    const peaks = { seeder: 0, downloader: 0 }
    const sample = (): void => {
      const [seeder, downloader] = openFdsUnder([release.seedDir, dir]) as [number, number]
      peaks.seeder = Math.max(peaks.seeder, seeder)
      peaks.downloader = Math.max(peaks.downloader, downloader)
    }
    // Every 5 ms, and as every 4th store call completes (each sample reads /proc: every call would
    // double the test's time).
    let calls = 0
    const sampleNow = (): void => {
      if (++calls % 4 === 0) sample()
    }
    const timer = setInterval(sample, 5)
    try {
      const seeder = await startSeeder(release, 16, sampleNow)
      await download(release, dir, seeder.port, 16, sampleNow)
    } finally {
      clearInterval(timer)
    }
    assert.ok(peaks.seeder <= 16, `the seeder held ${peaks.seeder} descriptors at once`)
    assert.ok(peaks.downloader <= 16, `the downloader held ${peaks.downloader} descriptors at once`)
    assert.ok(peaks.seeder > 0 && peaks.downloader > 0, 'sampled while the stores worked')
    for (const [id, data] of release.contents) assert.deepEqual(fs.readFileSync(path.join(dir, id)), data, id)
    assert.equal(fs.readdirSync(dir).length, 2000)
  })
})
