/**
 * packRelease → materialize on local disk: the same build packs to the same objects, manifest and
 * pieces whatever its mtimes, inodes or the number of workers; a change moves only its own objects;
 * objects are compressed where it pays and encrypted when asked; and what is packed is what lands
 * on a host — bytes, modes, links, empty directories, odd names and mtimes to the millisecond.
 * Entries no host could take are refused before any host is contacted.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { inflateRawSync } from 'node:zlib'
import { decodeObject, materialize } from '../../../src/agent/materialize.js'
import { applyObjectKey } from '../../../src/content/object-key.js'
import { decodeManifest, type Manifest, type ManifestEntry, type ObjectRecord } from '../../../src/content/manifest.js'
import { treeDigest } from '../../../src/content/tree-digest.js'
import { walkTree } from '../../../src/content/tree-walk.js'
import { InputError } from '../../../src/inputs/errors.js'
import type { ObjectReader } from '../../../src/pack/object-reader.js'
import type { PackedRelease } from '../../../src/pack/release.js'
import { KEY_SECRET, pack, removeTemporaryDirs, snapshotTree, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

const OLD = new Date('2021-03-04T05:06:07.890Z')
const BLOB_SIZE = 300_000
const TEXT = 'The quick brown fox jumps over the lazy dog. Lorem ipsum dolor sit amet.\n'.repeat(3000)

/** A build with everything a deploy may hold. */
function makeBuild(dir: string): void {
  const at = (relative: string) => path.join(dir, relative)
  for (const sub of ['app/lib', 'app/empty', '@scope/pkg', 'with space']) fs.mkdirSync(at(sub), { recursive: true })
  fs.writeFileSync(at('app/lib/a.js'), 'a\n')
  fs.writeFileSync(at('app/lib/util.js'), 'module.exports = { util: true }\n')
  fs.writeFileSync(at('app/shared.conf'), 'group-writable\n')
  fs.chmodSync(at('app/shared.conf'), 0o664)
  fs.writeFileSync(at('app/run.sh'), '#!/bin/sh\necho hi\n')
  fs.chmodSync(at('app/run.sh'), 0o755)
  fs.writeFileSync(at('app/private.key'), 'not for others\n')
  fs.chmodSync(at('app/private.key'), 0o600)
  fs.writeFileSync(at('app/blob.bin'), randomBytes(BLOB_SIZE))
  fs.writeFileSync(at('app/text.txt'), TEXT)
  fs.writeFileSync(at('@scope/pkg/index.js'), 'module.exports = 1\n')
  fs.writeFileSync(at('with space/file name.txt'), 'spaces\n')
  fs.writeFileSync(at('ünïcode ✓.txt'), 'ü\n')
  fs.writeFileSync(at('top.txt'), 'top\n')
  fs.writeFileSync(at('zero.bin'), '')
  fs.symlinkSync('lib/a.js', at('app/link'))
  fs.symlinkSync('../top.txt', at('app/up'))
  fs.symlinkSync('does-not-exist', at('dangling'))
  // Times with milliseconds, set last (writing a file moves its directory's time).
  fs.utimesSync(at('app/lib/a.js'), OLD, OLD)
  fs.lutimesSync(at('app/link'), OLD, OLD)
  fs.utimesSync(at('app/lib'), OLD, OLD)
  fs.utimesSync(at('app/empty'), new Date('1999-12-31T23:59:59.001Z'), new Date('1999-12-31T23:59:59.001Z'))
}

/** The same content, written again: new inodes and every mtime moved — what a rebuild or a fresh checkout gives. */
function rebuild(from: string): string {
  const dir = temporaryDir()
  fs.cpSync(from, dir, { recursive: true, verbatimSymlinks: true })
  const later = new Date(Date.now() + 3_600_000)
  for (const entry of walkTree(dir).reverse()) {
    if (entry.stat.isSymbolicLink()) fs.lutimesSync(entry.full, later, later)
    else fs.utimesSync(entry.full, later, later)
  }
  return dir
}

/** The manifest with every mtime left out: what must not depend on when the build was made. */
function withoutTimes(manifest: Manifest): unknown {
  return { ...manifest, entries: manifest.entries.map(({ mtimeMs: _mtimeMs, ...rest }) => rest) }
}

function fileEntry(release: PackedRelease, relative: string): Extract<ManifestEntry, { type: 'file' }> {
  const entry = release.manifest.entries.find((candidate) => candidate.path === relative)
  assert.ok(entry?.type === 'file', relative)
  return entry
}

/** The object records holding `relative`'s bytes. */
function objectsOf(release: PackedRelease, relative: string): ObjectRecord[] {
  return fileEntry(release, relative).segments.map((segment) => release.manifest.objects[segment.object]!)
}

function ids(release: PackedRelease): string[] {
  return release.manifest.objects.map((object) => object.id)
}

/** Materializes a release as a host would: from the encoded manifest, into a new directory. */
async function materialized(release: PackedRelease): Promise<string> {
  const target = path.join(temporaryDir('murder-unit-release-'), 'v1')
  await materialize(decodeManifest(release.encodedManifest), release.objectsDir, target)
  return target
}

function assertSameTree(actualRoot: string, expectedRoot: string): void {
  const actual = snapshotTree(actualRoot)
  const expected = snapshotTree(expectedRoot)
  assert.deepEqual([...actual.keys()], [...expected.keys()], 'the same entries')
  for (const [name, node] of expected) assert.deepEqual(actual.get(name), node, name)
}

let build: string
/** Encrypted, level 6, one worker. */
let one: PackedRelease
before(async () => {
  build = temporaryDir('murder-unit-build-')
  makeBuild(build)
  one = await pack(build, { compressionLevel: 6 })
})

describe('the release is a function of the content', () => {
  test('packing the same tree twice: the same content id, objects, pieces, layout and manifest', async () => {
    const two = await pack(build, { compressionLevel: 6 })
    assert.equal(two.contentId, one.contentId)
    assert.deepEqual(ids(two), ids(one))
    assert.deepEqual(two.manifest, one.manifest)
    assert.equal(two.encodedManifest, one.encodedManifest)
    assert.ok(two.pieces.equals(one.pieces))
    assert.deepEqual(two.layout, one.layout)
    for (const id of ids(one)) assert.ok(fs.readFileSync(path.join(two.objectsDir, id)).equals(fs.readFileSync(path.join(one.objectsDir, id))), id)
  })
  test('a rebuild (new inodes, every mtime moved) packed by three workers: the same objects and pieces; only the times differ', async () => {
    const rebuilt = rebuild(build)
    const three = await pack(rebuilt, { compressionLevel: 6, workers: 3 })
    assert.equal(three.contentId, one.contentId)
    assert.equal(await treeDigest(rebuilt), one.contentId)
    assert.deepEqual(ids(three), ids(one))
    assert.ok(three.pieces.equals(one.pieces))
    assert.deepEqual(three.layout, one.layout)
    assert.deepEqual(withoutTimes(decodeManifest(three.encodedManifest)), withoutTimes(decodeManifest(one.encodedManifest)))
    assert.notEqual(three.encodedManifest, one.encodedManifest, 'the times travel in the manifest')
    assert.notDeepEqual(three.manifest.entries.map((entry) => entry.mtimeMs), one.manifest.entries.map((entry) => entry.mtimeMs))
  })
  test('another secret: the same content id, other object ids and keys', async () => {
    const other = await pack(build, { compressionLevel: 6, keySecret: KEY_SECRET + 'x' })
    assert.equal(other.contentId, one.contentId)
    for (const id of ids(other)) assert.equal(ids(one).includes(id), false, id)
    assert.notEqual(other.manifest.objects[0]!.key, one.manifest.objects[0]!.key)
    assert.equal(other.manifest.objects[0]!.sha256, one.manifest.objects[0]!.sha256, 'the same bytes before encryption')
  })
  test('a changed big file changes its own object id and no other', async () => {
    const changed = rebuild(build)
    fs.writeFileSync(path.join(changed, 'app/blob.bin'), randomBytes(BLOB_SIZE))
    const release = await pack(changed, { compressionLevel: 6 })
    const [oldBlob] = objectsOf(one, 'app/blob.bin')
    const [newBlob] = objectsOf(release, 'app/blob.bin')
    assert.notEqual(newBlob!.id, oldBlob!.id)
    assert.deepEqual(ids(release).filter((id) => !ids(one).includes(id)), [newBlob!.id])
    assert.deepEqual(ids(one).filter((id) => !ids(release).includes(id)), [oldBlob!.id])
    assert.notEqual(release.contentId, one.contentId)
  })
  test('a changed small file changes its bundle (and at most the next one, if the content cut moved), nothing else', async () => {
    const changed = rebuild(build)
    fs.writeFileSync(path.join(changed, 'app/lib/a.js'), 'a, hotfixed\n')
    const release = await pack(changed, { compressionLevel: 6 })
    const added = ids(release).filter((id) => !ids(one).includes(id))
    const gone = ids(one).filter((id) => !ids(release).includes(id))
    assert.ok(added.length >= 1 && added.length <= 2, `${added.length} new objects`)
    assert.ok(gone.includes(objectsOf(one, 'app/lib/a.js')[0]!.id))
    assert.ok(gone.length <= 2, `${gone.length} objects gone`)
    for (const unchanged of ['app/blob.bin', 'app/text.txt']) assert.deepEqual(objectsOf(release, unchanged), objectsOf(one, unchanged), unchanged)
  })
})

describe('what the objects hold', () => {
  test('the facts: one entry per tree entry, stored bytes are the objects\' sizes, pieces for the layout', () => {
    assert.equal(one.entries, walkTree(build).length)
    assert.equal(one.manifest.entries.length, one.entries)
    assert.equal(one.contentId, one.manifest.contentId)
    assert.equal(one.storedBytes, one.manifest.objects.reduce((sum, object) => sum + object.size, 0))
    assert.ok(one.plainBytes >= BLOB_SIZE + TEXT.length)
    assert.ok(one.storedBytes < one.plainBytes, 'the text compressed')
    assert.equal(one.pieces.length, one.layout.pieceCount * 20)
    assert.deepEqual(one.layout.objects.map((object) => object.id), ids(one))
    assert.equal(one.encrypted, true)
    assert.ok(Number.isFinite(one.seconds) && one.seconds >= 0 && one.seconds < 60, `${one.seconds} s`)
  })
  test('every object is a file named by its id, of its stored size, readable by the owner only', () => {
    assert.deepEqual(fs.readdirSync(one.objectsDir).sort(), [...ids(one)].sort())
    for (const object of one.manifest.objects) {
      const stat = fs.statSync(path.join(one.objectsDir, object.id))
      assert.equal(stat.size, object.size, object.id)
      assert.equal(stat.mode & 0o077, 0, object.id)
    }
  })
  test('encrypted: every object has a key and IV, its stored bytes differ from the plain ones, and decode back to them', async () => {
    const [blob] = objectsOf(one, 'app/blob.bin')
    assert.match(blob!.key ?? '', /^[0-9a-f]{64}$/)
    assert.match(blob!.iv ?? '', /^[0-9a-f]{32}$/)
    for (const object of one.manifest.objects) assert.ok(object.key !== undefined && object.iv !== undefined, object.id)
    const stored = fs.readFileSync(path.join(one.objectsDir, blob!.id))
    const plain = fs.readFileSync(path.join(build, 'app/blob.bin'))
    assert.equal(stored.length, plain.length, 'stored uncompressed')
    assert.equal(stored.equals(plain), false, 'but encrypted')
    assert.ok((await decodeObject(blob!, path.join(one.objectsDir, blob!.id))).equals(plain))
    const bundle = objectsOf(one, 'app/lib/util.js')[0]!
    assert.equal(fs.readFileSync(path.join(one.objectsDir, bundle.id)).includes('module.exports'), false, 'no plain text in a bundle')
  })
  test('incompressible data is stored as it is even at level 6; text is compressed', () => {
    const [blob] = objectsOf(one, 'app/blob.bin')
    assert.equal(blob!.compressed, false)
    assert.equal(blob!.size, BLOB_SIZE)
    assert.equal(blob!.plainSize, BLOB_SIZE)
    const [text] = objectsOf(one, 'app/text.txt')
    assert.equal(text!.compressed, true)
    assert.equal(text!.plainSize, TEXT.length)
    assert.ok(text!.size < TEXT.length / 10, `${text!.size} bytes for ${TEXT.length}`)
  })
  test('encrypt: false, level 0: no keys, nothing compressed, and an object is exactly the bytes of its files', async () => {
    const plain = await pack(build, { encrypt: false, compressionLevel: 0 })
    assert.equal(plain.encrypted, false)
    assert.equal(plain.contentId, one.contentId)
    for (const object of plain.manifest.objects) {
      assert.equal(object.key, undefined)
      assert.equal(object.iv, undefined)
      assert.equal(object.compressed, false)
      assert.equal(object.size, object.plainSize)
    }
    const [blob] = objectsOf(plain, 'app/blob.bin')
    assert.ok(fs.readFileSync(path.join(plain.objectsDir, blob!.id)).equals(fs.readFileSync(path.join(build, 'app/blob.bin'))))
    const [text] = objectsOf(plain, 'app/text.txt')
    assert.equal(fs.readFileSync(path.join(plain.objectsDir, text!.id), 'utf8'), TEXT)
    // A bundle: its files' bytes one after another, where the segments say.
    const segment = fileEntry(plain, 'app/lib/util.js').segments[0]!
    const bundle = fs.readFileSync(path.join(plain.objectsDir, plain.manifest.objects[segment.object]!.id))
    assert.equal(bundle.subarray(segment.offset, segment.offset + segment.length).toString(), 'module.exports = { util: true }\n')
    assertSameTree(await materialized(plain), build)
  })
})

async function readAll(reader: ObjectReader, id: string): Promise<Buffer[]> {
  const parts: Buffer[] = []
  for await (const part of reader.read(id, 65_536)) parts.push(Buffer.from(part))
  return parts
}

describe('objects left unsealed for SSH streams (sealObjects: false)', () => {
  test('the same manifest, ids and keys; each object is its encoded bytes, which its key seals into the sealed pack\'s object', async () => {
    const open = await pack(build, { sealObjects: false, pieceHashes: false, objectFiles: 'compressed' })
    const sealed = await pack(build, { pieceHashes: false, objectFiles: 'all' })
    assert.equal(open.sealed, false)
    assert.equal(sealed.sealed, true)
    assert.equal(open.encodedManifest, sealed.encodedManifest)
    for (const [index, object] of open.manifest.objects.entries()) {
      const encoded = Buffer.concat(await readAll(open.reader, object.id))
      assert.equal(createHash('sha256').update(encoded).digest('hex'), object.sha256, `${object.id}: what the manifest's sha256 is of`)
      assert.ok(applyObjectKey(encoded, { key: object.key!, iv: object.iv! }).equals(fs.readFileSync(path.join(sealed.objectsDir, object.id))), `object ${index} seals into the swarm's bytes`)
    }
    const [text] = objectsOf(open, 'app/text.txt')
    assert.equal(inflateRawSync(fs.readFileSync(path.join(open.objectsDir, text!.id))).toString(), TEXT, 'a compressed object is written encoded')
  })
  test('pieces are hashed over sealed bytes only: asking for them unsealed is refused', async () => {
    await assert.rejects(pack(build, { sealObjects: false }), /pieces are hashed over sealed bytes/)
  })
})

describe('pack → materialize: the tree lands as it was', () => {
  let target: string
  before(async () => {
    target = await materialized(one)
  })

  test('the same entries, types, modes, sizes, contents, link targets and mtimes to the millisecond', () => {
    assertSameTree(target, build)
  })
  test('what the tree holds survived: modes 0664, 0755 and 0600, links, an empty directory, odd names', () => {
    const tree = snapshotTree(target)
    assert.equal(tree.get('app/shared.conf')?.mode, 0o664)
    assert.equal(tree.get('app/run.sh')?.mode, 0o755)
    assert.equal(tree.get('app/private.key')?.mode, 0o600)
    assert.equal(tree.get('app/link')?.target, 'lib/a.js')
    assert.equal(tree.get('dangling')?.target, 'does-not-exist')
    assert.deepEqual(fs.readdirSync(path.join(target, 'app/empty')), [])
    assert.equal(fs.readFileSync(path.join(target, '@scope/pkg/index.js'), 'utf8'), 'module.exports = 1\n')
    assert.equal(fs.readFileSync(path.join(target, 'with space/file name.txt'), 'utf8'), 'spaces\n')
    assert.equal(fs.readFileSync(path.join(target, 'ünïcode ✓.txt'), 'utf8'), 'ü\n')
    assert.equal(tree.get('zero.bin')?.size, 0)
  })
  test('mtimes to the millisecond: files, directories and links', () => {
    assert.equal(Math.trunc(fs.statSync(path.join(target, 'app/lib/a.js')).mtimeMs), Math.trunc(fs.statSync(path.join(build, 'app/lib/a.js')).mtimeMs))
    assert.equal(Math.trunc(fs.lstatSync(path.join(target, 'app/link')).mtimeMs), Math.trunc(fs.lstatSync(path.join(build, 'app/link')).mtimeMs))
    assert.equal(Math.trunc(fs.statSync(path.join(target, 'app/lib')).mtimeMs), Math.trunc(fs.statSync(path.join(build, 'app/lib')).mtimeMs))
    assert.ok(Math.abs(fs.statSync(path.join(target, 'app/lib')).mtimeMs - OLD.getTime()) < 2)
  })
  test('the tree has the release\'s content id', async () => {
    assert.equal(await treeDigest(target), one.contentId)
  })
  test('duplicates of a file whose chunks repeat land with their own bytes (objects that encode alike are listed once)', async () => {
    // Chunks 0 and 1 of the image are the same 16 MiB of zeros: one object. The files after it
    // point at objects renumbered once — the LICENSE copies share one list of segments.
    const dir = temporaryDir('murder-unit-build-')
    const image = path.join(dir, '0-disk.img')
    fs.closeSync(fs.openSync(image, 'w'))
    fs.truncateSync(image, 32 * 1024 * 1024)
    fs.appendFileSync(image, randomBytes(4096))
    for (const sub of ['a', 'b']) {
      fs.mkdirSync(path.join(dir, sub))
      fs.writeFileSync(path.join(dir, sub, 'LICENSE'), 'MIT License\n'.repeat(20))
      fs.writeFileSync(path.join(dir, sub, 'own.txt'), `only in ${sub}\n`)
    }
    const release = await pack(dir)
    const image0 = fileEntry(release, '0-disk.img').segments
    assert.equal(image0[0]!.object, image0[1]!.object, 'the two zero chunks are one object')
    assert.equal(release.manifest.objects.length, 3, 'zeros, the tail, and one bundle')
    assertSameTree(await materialized(release), dir)
  })
})

describe('entries no host could take are refused, naming the input', () => {
  async function refusal(make: (dir: string) => void): Promise<InputError> {
    const dir = temporaryDir()
    fs.writeFileSync(path.join(dir, 'ok.txt'), 'ok')
    make(dir)
    const workdir = temporaryDir()
    let caught: unknown
    await pack(dir, { workdir }).catch((error: unknown) => (caught = error))
    assert.ok(caught instanceof InputError, String(caught))
    assert.equal(caught.input, 'path')
    assert.deepEqual(fs.readdirSync(workdir), [], 'nothing written')
    return caught
  }

  test('a FIFO', async () => {
    const error = await refusal((dir) => execFileSync('mkfifo', [path.join(dir, 'a.fifo')]))
    assert.match(error.message, /^Input 'path': .*neither files, directories nor symlinks.*a\.fifo/)
  })
  test('an absolute link', async () => {
    const error = await refusal((dir) => fs.symlinkSync('/var/log/app', path.join(dir, 'log')))
    assert.match(error.message, /^Input 'path': symlinks that point outside the directory.*log -> \/var\/log\/app/)
  })
  test('a relative link that climbs out', async () => {
    const error = await refusal((dir) => {
      fs.mkdirSync(path.join(dir, 'sub'))
      fs.symlinkSync('../../shared/log', path.join(dir, 'sub/log'))
    })
    assert.match(error.message, /sub\/log -> \.\.\/\.\.\/shared\/log/)
  })
})
