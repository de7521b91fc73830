/**
 * transport ssh on the host: objects checked against the manifest's sha256, those the store holds
 * (a damaged one is asked for again, and leaves the store) and those that arrive on stdin.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { DecodedBytes, decodingCheck, holdsObject } from '../../../src/agent/decoded-object.js'
import { DirectReceive } from '../../../src/agent/direct-receive.js'
import { decodeObject, ReleaseWriter } from '../../../src/agent/materialize.js'
import { ObjectMismatchError } from '../../../src/agent/object-receiver.js'
import type { PackedRelease } from '../../../src/pack/release.js'
import { decodeManifest } from '../../../src/content/manifest.js'
import { pack, removeTemporaryDirs, snapshotTree, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

let release: PackedRelease
const bytesOf = (id: string): Buffer => fs.readFileSync(path.join(release.objectsDir, id))

before(async () => {
  const source = temporaryDir()
  // Objects of several pieces (and a last piece with a pad), and a bundle of small files.
  fs.writeFileSync(path.join(source, 'a.bin'), randomBytes(700_000))
  fs.writeFileSync(path.join(source, 'b.bin'), randomBytes(400_000))
  fs.writeFileSync(path.join(source, 'c.bin'), randomBytes(90_000))
  for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(source, `small-${i}.txt`), `file ${i}\n`)
  release = await pack(source, { compressionLevel: 0 })
  assert.ok(release.layout.objects.length >= 3, 'several objects')
  assert.ok(release.layout.objects.some((object) => object.pieces > 1), 'an object of several pieces')
})

/** Feeds `bytes` in chunks of the given sizes, in turn. */
function feed(push: (chunk: Buffer) => void, bytes: Buffer, sizes: number[]): void {
  for (let at = 0, turn = 0; at < bytes.length; turn++) {
    const size = sizes[turn % sizes.length]!
    push(bytes.subarray(at, at + size))
    at += size
  }
}

describe('holdsObject: an object of the store, checked before it counts as held', () => {
  test('the object whole, not a damaged or truncated copy, nor one the manifest names by another sha256, nor none', async () => {
    for (const record of release.manifest.objects) assert.equal(await holdsObject(path.join(release.objectsDir, record.id), record), true, record.id)
    const record = release.manifest.objects.find((candidate) => candidate.size > 1 << 20) ?? release.manifest.objects[0]!
    const dir = temporaryDir()
    const file = path.join(dir, record.id)
    const damaged = Buffer.from(bytesOf(record.id))
    damaged[damaged.length - 1]! ^= 0x80
    fs.writeFileSync(file, damaged)
    assert.equal(await holdsObject(file, record), false)
    fs.writeFileSync(file, bytesOf(record.id).subarray(1))
    assert.equal(await holdsObject(file, record), false)
    assert.equal(await holdsObject(path.join(release.objectsDir, record.id), { ...record, sha256: '0'.repeat(64) }), false)
    assert.equal(await holdsObject(path.join(dir, 'absent'), record), false)
  })
})

/** An object's bytes decrypted and still compressed, as the manifest's sha256 is of them. */
async function decodedBytesOf(id: string): Promise<Buffer> {
  const record = release.manifest.objects.find((object) => object.id === id)!
  return Buffer.from(await decodeObject({ ...record, compressed: false }, path.join(release.objectsDir, id)))
}

describe('DecodedBytes', () => {
  const whole = randomBytes(1000)
  const decoded = new DecodedBytes([whole.subarray(0, 1), whole.subarray(1, 300), whole.subarray(300, 301), whole.subarray(301)])
  test('any range reads the bytes it covers, across parts', () => {
    assert.equal(decoded.length, 1000)
    for (const [offset, length] of [[0, 1000], [0, 0], [0, 1], [1, 299], [299, 3], [300, 1], [250, 600], [999, 1], [301, 699]] as const) {
      assert.ok(Buffer.concat(decoded.pick(offset, length)).equals(whole.subarray(offset, offset + length)), `${offset}+${length}`)
    }
    assert.deepEqual(decoded.pick(500, 0), [])
    assert.ok(decoded.whole().equals(whole))
  })
})

describe('decodingCheck: an arriving object checked in one pass', () => {
  test('in any chunking, it passes and keeps the decoded bytes the manifest\'s sha256 is of', async () => {
    for (const record of release.manifest.objects) {
      for (const sizes of [[1 << 20], [7, 16_384, 3, 65_537]]) {
        const check = decodingCheck(record, 'sealed')
        feed((chunk) => check.update(chunk), bytesOf(record.id), sizes)
        assert.equal(check.mismatch(), undefined, `${record.id} in chunks of ${sizes.join(', ')}`)
        assert.ok(check.decoded().whole().equals(await decodedBytesOf(record.id)), record.id)
      }
    }
  })
  test('one byte changed, or a manifest saying another sha256: refused, naming both hashes', () => {
    const record = release.manifest.objects[0]!
    const damaged = Buffer.from(bytesOf(record.id))
    damaged[damaged.length - 1]! ^= 1
    const check = decodingCheck(record, 'sealed')
    check.update(damaged)
    assert.match(check.mismatch()!, new RegExp(`^object ${record.id} arrived with sha256 [0-9a-f]{64}, not the manifest's ${record.sha256}$`))
    const other = decodingCheck({ ...record, sha256: '0'.repeat(64) }, 'sealed')
    other.update(bytesOf(record.id))
    assert.match(other.mismatch()!, /not the manifest's 0{64}$/)
  })
  test('an object of a deploy without encryption is kept as it came', async () => {
    const source = temporaryDir()
    fs.writeFileSync(path.join(source, 'a.bin'), randomBytes(300_000))
    const plain = await pack(source, { encrypt: false, compressionLevel: 0 })
    const record = plain.manifest.objects[0]!
    const bytes = fs.readFileSync(path.join(plain.objectsDir, record.id))
    const check = decodingCheck(record, 'sealed')
    feed((chunk) => check.update(chunk), bytes, [4096])
    assert.equal(check.mismatch(), undefined)
    assert.ok(check.decoded().whole().equals(bytes))
  })
})

describe('encoded objects (transport ssh without a swarm): checked as they came, sealed for the store', () => {
  test('the store\'s file of each is the swarm\'s object byte for byte, and the writer gets its decoded bytes', async () => {
    const source = temporaryDir()
    fs.writeFileSync(path.join(source, 'a.bin'), randomBytes(700_000))
    fs.writeFileSync(path.join(source, 'text.txt'), 'hello '.repeat(50_000))
    for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(source, `small-${i}.txt`), `file ${i}\n`)
    const open = await pack(source, { sealObjects: false, pieceHashes: false })
    const sealed = await pack(source)
    assert.deepEqual(open.layout, sealed.layout)
    const workDir = temporaryDir()
    const decodedOf = new Map<number, DecodedBytes | undefined>()
    const direct = new DirectReceive(open.layout, open.manifest.objects, 'encoded', workDir, temporaryDir(), (index, decoded) => decodedOf.set(index, decoded))
    const { needed } = await direct.plan(() => {})
    assert.equal(needed.length, open.layout.objects.length)
    const stream = Buffer.concat(needed.map((object) => fs.readFileSync(path.join(open.objectsDir, object.id))))
    feed((chunk) => direct.push(chunk), stream, [65_536, 7, 1000])
    await direct.complete
    for (const [index, object] of open.layout.objects.entries()) {
      const encoded = fs.readFileSync(path.join(open.objectsDir, object.id))
      const inStore = fs.readFileSync(path.join(workDir, object.id))
      assert.equal(inStore.equals(encoded), false, `object ${index} is not kept as it came`)
      assert.ok(inStore.equals(fs.readFileSync(path.join(sealed.objectsDir, object.id))), `object ${index}: the bytes a swarm host holds`)
      assert.equal(await holdsObject(path.join(workDir, object.id), open.manifest.objects[index]!), true, `object ${index} counts as held next time`)
      assert.ok(decodedOf.get(index)?.whole().equals(encoded), `object ${index} handed over decoded`)
    }
  })
  test('one byte changed on the way: refused before it takes its name', async () => {
    const source = temporaryDir()
    fs.writeFileSync(path.join(source, 'a.bin'), randomBytes(300_000))
    const open = await pack(source, { sealObjects: false, pieceHashes: false })
    const record = open.manifest.objects[0]!
    const damaged = Buffer.from(fs.readFileSync(path.join(open.objectsDir, record.id)))
    damaged[1000]! ^= 1
    const check = decodingCheck(record, 'encoded')
    check.update(damaged)
    assert.match(check.mismatch()!, /not the manifest's/)
  })
})

describe('ReleaseWriter with decoded objects', () => {
  test('writes the tree from them without reading their files', async () => {
    const source = temporaryDir()
    fs.mkdirSync(path.join(source, 'dir'))
    fs.writeFileSync(path.join(source, 'big.bin'), randomBytes(600_000))
    fs.writeFileSync(path.join(source, 'text.txt'), 'hello '.repeat(50_000))
    for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(source, `dir/small-${i}.txt`), `file ${i}\n`)
    for (const compressionLevel of [0, 6]) {
      const packed = await pack(source, { compressionLevel })
      const manifest = decodeManifest(packed.encodedManifest)
      const decoded = await Promise.all(
        manifest.objects.map(async (record) => {
          const check = decodingCheck(record, 'sealed')
          feed((chunk) => check.update(chunk), fs.readFileSync(path.join(packed.objectsDir, record.id)), [65_536, 1000])
          assert.equal(check.mismatch(), undefined)
          return check.decoded()
        }),
      )
      const target = path.join(temporaryDir(), 'release')
      // No object file at all: every byte must come from what the writer was handed.
      const writer = new ReleaseWriter(manifest, temporaryDir(), target)
      writer.start()
      for (const [index, bytes] of decoded.entries()) writer.write(index, bytes)
      await writer.finish()
      const files = (tree: string) => [...snapshotTree(tree)].filter(([, node]) => node.type === 'file')
      assert.deepEqual(files(target), files(source), `compression-level ${compressionLevel}`)
      for (const name of ['big.bin', 'text.txt', 'dir/small-7.txt']) {
        assert.ok(fs.readFileSync(path.join(target, name)).equals(fs.readFileSync(path.join(source, name))), name)
      }
    }
  })
})

describe('DirectReceive', () => {
  /** A work directory lending the first object (good) and the second (damaged) from a store, as ObjectStore.lendTo leaves it. */
  function lentHost(): { workDir: string; storeDir: string } {
    const storeDir = temporaryDir()
    const workDir = temporaryDir()
    const [good, damaged] = [release.layout.objects[0]!, release.layout.objects[1]!]
    fs.writeFileSync(path.join(storeDir, good.id), bytesOf(good.id))
    const bad = Buffer.from(bytesOf(damaged.id))
    bad[0]! ^= 1
    fs.writeFileSync(path.join(storeDir, damaged.id), bad)
    for (const { id } of [good, damaged]) fs.linkSync(path.join(storeDir, id), path.join(workDir, id))
    return { workDir, storeDir }
  }

  test('asks for what the store lacks or holds damaged, takes it off the stream, and every object is ready once', async () => {
    const { workDir, storeDir } = lentHost()
    const ready: number[] = []
    const decodedOf = new Map<number, DecodedBytes | undefined>()
    const direct = new DirectReceive(release.layout, release.manifest.objects, 'sealed', workDir, storeDir, (index, decoded) => {
      ready.push(index)
      decodedOf.set(index, decoded)
    })
    let busy = 0
    const { needed, fromStore } = await direct.plan(() => busy++)
    const objects = release.layout.objects
    assert.deepEqual(needed.map((object) => object.id), objects.slice(1).map((object) => object.id), 'all but the good one, in release order')
    assert.equal(fromStore, objects[0]!.size)
    assert.equal(busy, objects.length)
    assert.deepEqual(ready, [0], 'the held object is ready at once')
    assert.equal(fs.existsSync(path.join(storeDir, objects[1]!.id)), false, 'the damaged object left the store')
    const stream = Buffer.concat([...needed.map((object) => bytesOf(object.id)), Buffer.from('\n\n')])
    feed((chunk) => direct.push(chunk), stream, [5, 65_536, 1])
    assert.deepEqual(ready, [0], 'an arrived object is handed over once it is in its file, not as its last byte is taken')
    await direct.complete
    assert.equal(direct.written, stream.length - 2)
    assert.deepEqual([...ready].sort((a, b) => a - b), objects.map((_object, index) => index), 'each object ready exactly once')
    assert.equal(direct.received, stream.length - 2)
    for (const object of objects) assert.ok(bytesOf(object.id).equals(fs.readFileSync(path.join(workDir, object.id))), object.id)
    assert.equal(decodedOf.get(0), undefined, 'the held object is read from its file by the writer')
    for (const index of objects.keys()) {
      if (index === 0) continue
      const record = release.manifest.objects[index]!
      const expected = await decodedBytesOf(record.id)
      assert.ok(decodedOf.get(index)?.whole().equals(expected), `object ${index} arrived and was handed over decoded`)
    }
  })

  test('needing nothing, it is complete at once', async () => {
    const workDir = temporaryDir()
    for (const object of release.layout.objects) fs.copyFileSync(path.join(release.objectsDir, object.id), path.join(workDir, object.id))
    const direct = new DirectReceive(release.layout, release.manifest.objects, 'sealed', workDir, temporaryDir(), () => {})
    const { needed } = await direct.plan(() => {})
    assert.deepEqual(needed, [])
    await direct.complete
  })

  test('an object that arrives damaged is refused before it takes its name', async () => {
    const workDir = temporaryDir()
    const direct = new DirectReceive(release.layout, release.manifest.objects, 'sealed', workDir, temporaryDir(), () => {})
    const { needed } = await direct.plan(() => {})
    const first = Buffer.from(bytesOf(needed[0]!.id))
    first[first.length >> 1]! ^= 4
    assert.throws(() => direct.push(first), ObjectMismatchError)
    assert.equal(fs.existsSync(path.join(workDir, needed[0]!.id)), false)
  })
})
