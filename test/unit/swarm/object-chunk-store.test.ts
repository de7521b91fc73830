/**
 * The object chunk store on its own: pieces map to object files plus zeros for pads, missing data is
 * an error, files are never truncated, and no more than maxOpenFiles descriptors are ever open.
 */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { objectChunkStore, type ObjectChunkStore } from '../../../src/swarm/object-chunk-store.js'
import { layObjects, PAD_DIR, type ObjectLayout } from '../../../src/swarm/object-layout.js'

// Not ../helpers.js: it imports the packer and the agent, which this store has nothing to do with.
const made: string[] = []
function temporaryDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'murder-unit-'))
  made.push(dir)
  return dir
}
after(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

const P = 4096

interface Objects {
  layout: ObjectLayout
  contents: Map<string, Buffer>
}

/** Random objects of the given sizes, with 32-hex ids. */
function makeObjects(sizes: number[]): Objects {
  const contents = new Map<string, Buffer>()
  for (const size of sizes) contents.set(randomBytes(16).toString('hex'), randomBytes(size))
  const layout = layObjects(
    [...contents].map(([id, data]) => ({ id, size: data.length })),
    P,
  )
  return { layout, contents }
}

/**
 * The same objects in a torrent that ends where the last object ends, mid-piece: no pad after it.
 * layObjects pads the last object too, but the store must not depend on it (its last piece is as
 * long as webtorrent says, i.e. as the torrent's files make it).
 */
function endingMidPiece({ layout, contents }: Objects): Objects {
  const last = layout.files[layout.files.length - 1]!
  if (last.path[0] !== PAD_DIR) return { layout, contents }
  return { layout: { ...layout, files: layout.files.slice(0, -1), padBytes: layout.padBytes - last.length }, contents }
}

function torrentLength({ layout }: Objects): number {
  return layout.files.reduce((sum, file) => sum + file.length, 0)
}

function writeObjects(dir: string, { contents }: Objects, ids: Iterable<string> = contents.keys()): void {
  for (const id of ids) fs.writeFileSync(path.join(dir, id), contents.get(id)!)
}

/** Piece `index` as the torrent holds it: the object's bytes, then its pad's zeros up to the piece's end. */
function expectedPiece(objects: Objects, index: number): Buffer {
  const object = objects.layout.objects.find((candidate) => index >= candidate.firstPiece && index < candidate.firstPiece + candidate.pieces)!
  const start = (index - object.firstPiece) * P
  const data = objects.contents.get(object.id)!.subarray(start, start + P)
  const length = Math.min(P, torrentLength(objects) - index * P)
  return Buffer.concat([data, Buffer.alloc(length - data.length)])
}

function get(store: ObjectChunkStore, index: number, opts?: { offset?: number; length?: number } | null): Promise<Buffer> {
  return new Promise((resolve, reject) => store.get(index, opts, (error, buffer) => (error ? reject(error) : resolve(buffer!))))
}

function put(store: ObjectChunkStore, index: number, buffer: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => store.put(index, buffer, (error) => (error ? reject(error) : resolve())))
}

function close(store: ObjectChunkStore, how: 'close' | 'destroy' = 'close'): Promise<void> {
  return new Promise((resolve, reject) => store[how]((error) => (error ? reject(error) : resolve())))
}

function openStore(dir: string, objects: Objects, options?: Parameters<typeof objectChunkStore>[2]): ObjectChunkStore {
  const Store = objectChunkStore(dir, objects.layout, options)
  return new Store(P, { length: torrentLength(objects) })
}

/**
 * Descriptors this process holds on files under `dir`, from /proc/self/fd. Only those: the test
 * runner and tsx open files of their own now and then (tsx's compile cache), which would make a count
 * of all descriptors flaky by one or two.
 */
function openFdsUnder(dir: string): number {
  let count = 0
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      if (fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir + path.sep)) count++
    } catch {
      // closed since the listing (the listing's own descriptor, among others)
    }
  }
  return count
}

describe('objectChunkStore', () => {
  // Pieces that end an object mid-piece, fill it exactly, span several pieces; the last ends short.
  const SIZES = [100, P, 3 * P + 5, 2 * P, P - 1, 2 * P + 300]

  for (const [title, shape] of [
    ['as laid out', (objects: Objects) => objects],
    ['ending mid-piece', endingMidPiece],
  ] as const) {
    test(`${title}: put then get returns every piece, pads as zeros, the last piece as long as the torrent makes it`, async () => {
      const objects = shape(makeObjects(SIZES))
      const dir = temporaryDir()
      const store = openStore(dir, objects)
      const order = [...Array(objects.layout.pieceCount).keys()].sort(() => Math.random() - 0.5)
      await Promise.all(order.map((index) => put(store, index, expectedPiece(objects, index))))
      for (let index = 0; index < objects.layout.pieceCount; index++) {
        assert.deepEqual(await get(store, index), expectedPiece(objects, index), `piece ${index}`)
      }
      const last = objects.layout.pieceCount - 1
      assert.equal((await get(store, last)).length, torrentLength(objects) - last * P)
      await close(store)
      // Only the objects are on disk, byte for byte, private to the user; nothing for pads.
      assert.deepEqual(fs.readdirSync(dir).sort(), [...objects.contents.keys()].sort())
      for (const [id, data] of objects.contents) {
        assert.deepEqual(fs.readFileSync(path.join(dir, id)), data, id)
        assert.equal(fs.statSync(path.join(dir, id)).mode & 0o077, 0, `${id} is not readable by others`)
      }
    })
  }

  test('ranges as webtorrent asks for them: blocks across data and pad, wholly in the pad, "to the end"', async () => {
    const objects = endingMidPiece(makeObjects(SIZES))
    const dir = temporaryDir()
    writeObjects(dir, objects)
    const store = openStore(dir, objects, { readOnly: true })
    const piece0 = expectedPiece(objects, 0) // 100 bytes of data, then 3996 of pad
    assert.deepEqual(await get(store, 0, { offset: 50, length: 100 }), piece0.subarray(50, 150))
    assert.deepEqual(await get(store, 0, { offset: 1000, length: 2000 }), Buffer.alloc(2000), 'wholly in the pad')
    assert.deepEqual(await get(store, 0, { offset: 4000 }), piece0.subarray(4000), 'no length: to the end of the piece')
    assert.deepEqual(await get(store, 0, {}), piece0, '{} is the whole piece (webtorrent verifies with it)')
    assert.deepEqual(await get(store, 0, { offset: 0, length: 0 }), piece0, 'length 0 means the whole piece, as in fs-chunk-store')
    assert.deepEqual(await get(store, 0, null), piece0)
    const viaShortForm = await new Promise<Buffer>((resolve, reject) =>
      (store.get as (index: number, cb: (error: Error | null, buffer?: Buffer) => void) => void).call(store, 0, (error, buffer) => (error ? reject(error) : resolve(buffer!))),
    )
    assert.deepEqual(viaShortForm, piece0, 'get(index, cb)')
    const last = objects.layout.pieceCount - 1
    assert.deepEqual(await get(store, last, { length: 300 }), expectedPiece(objects, last), 'the last piece, length given as verification does')
    await assert.rejects(get(store, 0, { offset: 4000, length: 200 }), /Invalid offset and\/or length/)
    await assert.rejects(get(store, last, { offset: 0, length: 301 }), /Invalid offset and\/or length/)
    await assert.rejects(get(store, objects.layout.pieceCount), /outside the layout/)
    await close(store)
  })

  test('a missing or short object is an error (webtorrent then counts the piece missing), and get creates nothing', async () => {
    const objects = makeObjects(SIZES)
    const dir = temporaryDir()
    const [first, , third] = [...objects.contents.keys()] as [string, string, string]
    fs.writeFileSync(path.join(dir, third), objects.contents.get(third)!.subarray(0, P + 10)) // 3 pieces' worth, cut short
    const store = openStore(dir, objects)
    await assert.rejects(get(store, 0), { code: 'ENOENT' })
    await assert.rejects(get(store, 0, { offset: 0, length: 10 }), { code: 'ENOENT' })
    assert.deepEqual(await get(store, 2), expectedPiece(objects, 2), 'the short object\'s first piece is whole')
    await assert.rejects(get(store, 3), /ends before byte/, 'its second piece is cut')
    await assert.rejects(get(store, 4), /ends before byte/)
    assert.deepEqual(fs.readdirSync(dir), [third], `no file made for ${first}`)
    await close(store)
  })

  test('put refuses a piece of the wrong length', async () => {
    const objects = endingMidPiece(makeObjects(SIZES))
    const store = openStore(temporaryDir(), objects)
    await assert.rejects(put(store, 0, Buffer.alloc(P - 1)), /Chunk length must be 4096/)
    const last = objects.layout.pieceCount - 1
    await assert.rejects(put(store, last, Buffer.alloc(P)), /Chunk length must be 300/)
    await close(store)
  })

  test('put never truncates: an existing longer file keeps its tail, and a hard link sees the write', async () => {
    const objects = makeObjects([3 * P, 2 * P])
    const dir = temporaryDir()
    const [id] = [...objects.contents.keys()] as [string]
    const tail = randomBytes(P)
    fs.writeFileSync(path.join(dir, id), Buffer.concat([Buffer.alloc(3 * P, 7), tail]))
    const elsewhere = temporaryDir()
    fs.linkSync(path.join(dir, id), path.join(elsewhere, 'linked'))
    const store = openStore(dir, objects)
    await put(store, 1, expectedPiece(objects, 1))
    await close(store)
    const after = fs.readFileSync(path.join(dir, id))
    assert.equal(after.length, 4 * P, 'still as long as before')
    assert.deepEqual(after.subarray(P, 2 * P), objects.contents.get(id)!.subarray(P, 2 * P), 'piece 1 written in place')
    assert.deepEqual(after.subarray(0, P), Buffer.alloc(P, 7), 'piece 0 untouched')
    assert.deepEqual(after.subarray(3 * P), tail, 'the tail kept')
    assert.deepEqual(fs.readFileSync(path.join(elsewhere, 'linked')), after, 'same inode')
  })

  test('a read-only store refuses put and creates nothing', async () => {
    const objects = makeObjects(SIZES)
    const dir = temporaryDir()
    const store = openStore(dir, objects, { readOnly: true })
    await assert.rejects(put(store, 0, expectedPiece(objects, 0)), /read-only/)
    assert.deepEqual(fs.readdirSync(dir), [])
    await close(store)
  })

  test('a get then a put of the same object: the read-only descriptor is reopened read-write', async () => {
    const objects = makeObjects([2 * P, P])
    const dir = temporaryDir()
    const [id] = [...objects.contents.keys()] as [string]
    fs.writeFileSync(path.join(dir, id), objects.contents.get(id)!.subarray(0, P))
    const store = openStore(dir, objects, { maxOpenFiles: 1 })
    assert.deepEqual(await get(store, 0), expectedPiece(objects, 0))
    await put(store, 1, expectedPiece(objects, 1))
    assert.deepEqual(await get(store, 1), expectedPiece(objects, 1))
    await close(store)
    assert.deepEqual(fs.readFileSync(path.join(dir, id)), objects.contents.get(id))
  })

  test('after close every call fails; destroy is a close that deletes nothing', async () => {
    const objects = makeObjects(SIZES)
    const dir = temporaryDir()
    writeObjects(dir, objects)
    const store = openStore(dir, objects)
    await get(store, 0)
    await close(store)
    await assert.rejects(get(store, 0), /closed/)
    await assert.rejects(put(store, 0, expectedPiece(objects, 0)), /closed/)
    await assert.rejects(close(store), /closed/)
    await close(store, 'destroy')
    const destroyed = openStore(dir, objects)
    await put(destroyed, 0, expectedPiece(objects, 0))
    await close(destroyed, 'destroy')
    assert.deepEqual(fs.readdirSync(dir).sort(), [...objects.contents.keys()].sort(), 'the objects are all still there')
  })

  test('the layout must match what webtorrent constructs the store with', () => {
    const objects = makeObjects(SIZES)
    const Store = objectChunkStore(temporaryDir(), objects.layout)
    assert.throws(() => new Store(2 * P), /chunk length/)
    assert.throws(() => new Store(P, { length: 5 }), /the torrent is 5 bytes/)
  })

  test('200 objects through 4 descriptors: never more than 4 open, none left after close, all data right', async () => {
    const objects = makeObjects(Array.from({ length: 200 }, (_, i) => 1 + ((i * 2749) % (3 * P))))
    const dir = temporaryDir()
    const ids = [...objects.contents.keys()]
    writeObjects(dir, objects, ids.filter((_, i) => i % 2 === 0)) // half present, to read; half to write
    const store = openStore(dir, objects, { maxOpenFiles: 4 })
    let peak = 0
    const sample = (): void => {
      peak = Math.max(peak, openFdsUnder(dir))
    }
    const timer = setInterval(sample, 1)
    try {
      // Everything at once: gets of present objects, puts of absent ones, and gets of absent ones
      // racing their puts (either outcome is fine, only the descriptor count matters there).
      const burst = objects.layout.objects.flatMap((object, i) =>
        Array.from({ length: object.pieces }, (_, k) => {
          const index = object.firstPiece + k
          if (i % 2 === 0) {
            return get(store, index).then((buffer) => {
              sample()
              assert.deepEqual(buffer, expectedPiece(objects, index))
            })
          }
          return Promise.all([put(store, index, expectedPiece(objects, index)).then(sample), get(store, index).then(sample, sample)])
        }),
      )
      await Promise.all(burst)
      sample()
      assert.ok(peak <= 4, `${peak} descriptors open at once`)
      for (let index = 0; index < objects.layout.pieceCount; index++) {
        assert.deepEqual(await get(store, index), expectedPiece(objects, index), `piece ${index}`)
        sample()
      }
      assert.ok(peak <= 4, `${peak} descriptors open at once`)
    } finally {
      clearInterval(timer)
    }
    await close(store)
    assert.equal(openFdsUnder(dir), 0, 'close released every descriptor')
    assert.ok(peak >= 2, `the burst used the descriptors it may (${peak})`)
    for (const [id, data] of objects.contents) assert.deepEqual(fs.readFileSync(path.join(dir, id)), data, id)
  })
})
