/**
 * A pack that writes only its compressed objects (objectFiles 'compressed', for SSH streams) reads
 * back, through its reader, exactly the bytes a pack that writes them all has in its files — the
 * object the manifest names, which a host checks — encrypted or not, for big files cut into several
 * objects and for bundles of small ones; and a source file changed since the pack fails the read
 * instead of sending bytes no host would accept.
 */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { BufferRing, SourceChangedError } from '../../../src/pack/object-reader.js'
import type { PackedRelease } from '../../../src/pack/release.js'
import { pack, removeTemporaryDirs, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

const MiB = 1024 * 1024

/** A file cut into several objects, a bundle of small ones, and one that compresses. */
function makeBuild(): string {
  const dir = temporaryDir()
  fs.mkdirSync(path.join(dir, 'small'))
  fs.writeFileSync(path.join(dir, 'big.bin'), randomBytes(17 * MiB + 12_345))
  for (let index = 0; index < 40; index++) fs.writeFileSync(path.join(dir, 'small', `${index}.bin`), randomBytes(3000 + index))
  fs.writeFileSync(path.join(dir, 'text.txt'), 'compresses well\n'.repeat(50_000))
  return dir
}

async function readAll(release: PackedRelease, id: string, slice: number): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const part of release.reader.read(id, slice)) {
    assert.ok(part.length <= slice, `a slice of ${part.length} bytes, asked for ${slice}`)
    parts.push(Buffer.from(part))
  }
  return Buffer.concat(parts)
}

describe('objects remade from the tree', () => {
  for (const encrypt of [true, false]) {
    test(`match the objects a full pack writes, byte for byte (encrypt ${encrypt})`, async () => {
      const build = makeBuild()
      const full = await pack(build, { encrypt, compressionLevel: 6 })
      // As transport ssh packs: no object files it can remake, no pieces' SHA-1s, two workers.
      const lean = await pack(build, { encrypt, compressionLevel: 6, objectFiles: 'compressed', pieceHashes: false, workers: 2 })
      assert.deepEqual(lean.manifest, full.manifest)
      assert.equal(lean.contentId, full.contentId)
      assert.equal(lean.pieces.length, 0, 'no pieces hashed')
      assert.ok(full.pieces.length > 0)
      assert.ok(full.allWritten)
      assert.equal(lean.allWritten, false)
      const written = new Set(fs.readdirSync(lean.objectsDir))
      const compressed = lean.manifest.objects.filter((object) => object.compressed).map((object) => object.id)
      assert.ok(compressed.length > 0, 'the text file was compressed')
      assert.deepEqual([...written].sort(), compressed.sort(), 'only the compressed objects are files')
      assert.ok(lean.manifest.objects.length >= 4, `${lean.manifest.objects.length} objects`)
      for (const object of lean.manifest.objects) {
        const expected = fs.readFileSync(path.join(full.objectsDir, object.id))
        assert.ok((await readAll(lean, object.id, 100_000)).equals(expected), `object ${object.id}`)
      }
    })
  }

  test('a source file changed after the pack fails the read, before its bytes are returned', async () => {
    const build = makeBuild()
    const lean = await pack(build, { encrypt: true, compressionLevel: 0, objectFiles: 'compressed' })
    const big = lean.manifest.entries.find((entry) => entry.path === 'big.bin')
    assert.ok(big !== undefined && big.type === 'file')
    const id = lean.manifest.objects[big.segments[0]!.object]!.id
    // Same size, new content and mtime: what a rebuild writing over the output does.
    fs.writeFileSync(path.join(build, 'big.bin'), randomBytes(17 * MiB + 12_345))
    const future = new Date(Date.now() + 60_000)
    fs.utimesSync(path.join(build, 'big.bin'), future, future)
    let returned = 0
    await assert.rejects(async () => {
      for await (const part of lean.reader.read(id, 64 * 1024)) returned += part.length
    }, (error: Error) => error instanceof SourceChangedError && error.message.includes('big.bin changed after it was packed'))
    assert.equal(returned, 0)
  })
})

describe('BufferRing: the reads of one stream reuse a few buffers', () => {
  test('an unsealed object read through a ring comes in the ring\'s buffers, each back before it serves again; the bytes are the object\'s', async () => {
    const build = makeBuild()
    const open = await pack(build, { sealObjects: false, pieceHashes: false, objectFiles: 'compressed', compressionLevel: 0 })
    const big = open.manifest.objects.find((object) => object.size === 16 * MiB)!
    const ring = new BufferRing(2, 256 << 10)
    const seen = new Set<ArrayBufferLike>()
    const parts: Buffer[] = []
    // Each chunk is given back only once the next one is there, as a write's callback comes later.
    let held: Buffer | undefined
    for await (const chunk of open.reader.read(big.id, 256 << 10, ring)) {
      seen.add(chunk.buffer)
      parts.push(Buffer.from(chunk))
      if (held !== undefined) ring.give(held)
      held = chunk
    }
    assert.equal(seen.size, 2, 'the two buffers of the ring, in turn, for 64 reads')
    const sealed = await pack(build, { sealObjects: false, pieceHashes: false, objectFiles: 'all', compressionLevel: 0 })
    assert.ok(Buffer.concat(parts).equals(fs.readFileSync(path.join(sealed.objectsDir, big.id))))
  })
  test('all lent: take waits until one is given back; closed, it lends fresh ones and waits for none', async () => {
    const ring = new BufferRing(1, 1024)
    const first = await ring.take()
    let second: Buffer | undefined
    const waiting = ring.take().then((buffer) => (second = buffer))
    await new Promise((resolve) => setImmediate(resolve))
    assert.equal(second, undefined, 'none free: it waits')
    ring.give(first.subarray(10, 20))
    await waiting
    assert.equal(second!.buffer, first.buffer, 'the same buffer, whole again')
    assert.equal(second!.length, 1024)
    ring.give(Buffer.alloc(1024))
    ring.close()
    const fresh = await ring.take()
    assert.notEqual(fresh.buffer, first.buffer, 'lent out still, so a fresh one')
  })
})
