/**
 * materialize on a host: objects are checked before any byte of them is used — a damaged, cut or
 * missing object fails the install and leaves nothing behind — and the modes that are hard to get
 * right land exactly: read-only directories with children, setuid and setgid bits.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { decodeObject, materialize, ObjectCorruptError, ReleaseWriter } from '../../../src/agent/materialize.js'
import { ReleaseLayout } from '../../../src/agent/release-layout.js'
import { decodeManifest, type Manifest, type ObjectRecord } from '../../../src/content/manifest.js'
import type { PackedRelease } from '../../../src/pack/release.js'
import { assertInstallRefused, exists, installOutcome, pack, removeTemporaryDirs, snapshotTree, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

const TEXT = 'compressible text, line after line\n'.repeat(5000)

let source: string
let release: PackedRelease
let manifest: Manifest

/** The process umask, read without the deprecated no-argument form of process.umask(). */
function currentUmask(): number {
  const mask = process.umask(0o022)
  process.umask(mask)
  return mask
}

before(async () => {
  source = temporaryDir('murder-unit-source-')
  const at = (relative: string) => path.join(source, relative)
  fs.mkdirSync(at('ro/sub'), { recursive: true })
  fs.writeFileSync(at('ro/file.txt'), 'inside a read-only directory\n')
  fs.writeFileSync(at('ro/sub/inner.txt'), 'deeper\n')
  fs.writeFileSync(at('suid'), '#!/bin/sh\n')
  fs.chmodSync(at('suid'), 0o4755)
  fs.mkdirSync(at('shared'))
  fs.writeFileSync(at('shared/log.txt'), '')
  fs.chmodSync(at('shared'), 0o2775)
  fs.writeFileSync(at('text.txt'), TEXT)
  fs.writeFileSync(at('blob.bin'), randomBytes(200_000))
  fs.chmodSync(at('ro/sub'), 0o555)
  fs.chmodSync(at('ro'), 0o555)
  // Modes kept as they are: what is tested here is that the agent applies whatever the manifest says.
  release = await pack(source, { compressionLevel: 6, preserveSpecialModes: true })
  manifest = decodeManifest(release.encodedManifest)
})

/** A destination, and the agent's objects directory in it holding copies of the release's objects, to damage. */
function staged(): { layout: ReleaseLayout; objects: string } {
  const layout = new ReleaseLayout(path.join(temporaryDir('murder-unit-dest-'), 'releases'), 'v1')
  fs.cpSync(release.objectsDir, layout.workObjectsDir, { recursive: true })
  return { layout, objects: layout.workObjectsDir }
}

function objectOf(relative: string): ObjectRecord {
  const entry = manifest.entries.find((candidate) => candidate.path === relative)
  assert.ok(entry?.type === 'file' && entry.segments.length > 0, relative)
  return manifest.objects[entry.segments[0]!.object]!
}

describe('modes that are hard to get right', () => {
  let target: string
  before(async () => {
    target = path.join(temporaryDir(), 'v1')
    await materialize(manifest, release.objectsDir, target)
  })

  test('a read-only directory (0555) with children: the children are there, the directory ends 0555', () => {
    assert.equal(fs.statSync(path.join(target, 'ro')).mode & 0o7777, 0o555)
    assert.equal(fs.statSync(path.join(target, 'ro/sub')).mode & 0o7777, 0o555)
    assert.equal(fs.readFileSync(path.join(target, 'ro/file.txt'), 'utf8'), 'inside a read-only directory\n')
    assert.equal(fs.readFileSync(path.join(target, 'ro/sub/inner.txt'), 'utf8'), 'deeper\n')
  })
  test('setuid (04755) on a file and setgid (02775) on a directory land exactly', () => {
    assert.equal(fs.statSync(path.join(target, 'suid')).mode & 0o7777, 0o4755)
    assert.equal(fs.statSync(path.join(target, 'shared')).mode & 0o7777, 0o2775)
  })
  test('the whole tree, mtimes of the read-only directories included', () => {
    assert.deepEqual(snapshotTree(target), snapshotTree(source))
  })
  test('the umask is back as it was (materialize sets 0 while it writes)', () => {
    assert.notEqual(currentUmask(), 0)
  })
  test('the target must not exist: nothing is written into a directory that is there', async () => {
    const existing = temporaryDir()
    fs.writeFileSync(path.join(existing, 'keep'), 'keep')
    await assert.rejects(materialize(manifest, release.objectsDir, existing), { code: 'EEXIST' })
    assert.deepEqual(fs.readdirSync(existing), ['keep'])
  })
})

describe('damaged objects are refused before use, and the install leaves nothing', () => {
  test('one flipped byte in an encrypted, compressed object: ObjectCorruptError (not a zlib error), nothing left', async () => {
    const { layout, objects } = staged()
    const text = objectOf('text.txt')
    assert.equal(text.compressed, true)
    const file = path.join(objects, text.id)
    const bytes = fs.readFileSync(file)
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01
    fs.writeFileSync(file, bytes)
    const error = await installOutcome(manifest, objects, layout, { overwrite: false })
    assert.ok(error instanceof ObjectCorruptError, String(error))
    assertInstallRefused(layout, error, new RegExp(`^object ${text.id} has sha256 [0-9a-f]{64}, not the manifest's ${text.sha256}$`))
  })
  test('one flipped byte in the last byte of an uncompressed object: refused too', async () => {
    const { layout, objects } = staged()
    const blob = objectOf('blob.bin')
    assert.equal(blob.compressed, false)
    const file = path.join(objects, blob.id)
    const bytes = fs.readFileSync(file)
    bytes[bytes.length - 1]! ^= 0x80
    fs.writeFileSync(file, bytes)
    const error = await installOutcome(manifest, objects, layout, { overwrite: false })
    assert.ok(error instanceof ObjectCorruptError, String(error))
    assertInstallRefused(layout, error, /has sha256/)
  })
  test('a truncated object: refused by its size', async () => {
    const { layout, objects } = staged()
    const blob = objectOf('blob.bin')
    fs.truncateSync(path.join(objects, blob.id), blob.size - 1)
    const error = await installOutcome(manifest, objects, layout, { overwrite: false })
    assert.ok(error instanceof ObjectCorruptError, String(error))
    assertInstallRefused(layout, error, new RegExp(`^object ${blob.id} has ${blob.size - 1} bytes, not ${blob.size}$`))
  })
  test('a longer object (a stale download with trailing bytes): refused by its size', async () => {
    const { layout, objects } = staged()
    const text = objectOf('text.txt')
    fs.appendFileSync(path.join(objects, text.id), Buffer.alloc(1))
    assertInstallRefused(layout, await installOutcome(manifest, objects, layout, { overwrite: false }), /bytes, not/)
  })
  test('a missing object: refused, nothing left', async () => {
    const { layout, objects } = staged()
    fs.rmSync(path.join(objects, objectOf('blob.bin').id))
    const error = await installOutcome(manifest, objects, layout, { overwrite: false })
    assert.equal((error as NodeJS.ErrnoException | undefined)?.code, 'ENOENT', String(error))
    assertInstallRefused(layout, error, /no such file/)
  })
  test('the wrong key: refused by the hash, not written as noise', async () => {
    const text = objectOf('text.txt')
    const wrong = { ...text, key: randomBytes(32).toString('hex') }
    await assert.rejects(decodeObject(wrong, path.join(release.objectsDir, text.id)), ObjectCorruptError)
    const unencrypted = { ...text, key: undefined, iv: undefined }
    await assert.rejects(decodeObject(unencrypted, path.join(release.objectsDir, text.id)), ObjectCorruptError)
  })
  test('the control: the undamaged objects install', async () => {
    const { layout, objects } = staged()
    assert.equal(await installOutcome(manifest, objects, layout, { overwrite: false }), undefined)
    assert.deepEqual(snapshotTree(layout.finalDir), snapshotTree(source))
    assert.equal(exists(layout.partialDir), false)
  })
})

describe('uncompressed objects bigger than a slice are read in slices, checked before any byte is written', () => {
  let bigSource: string
  let big: PackedRelease
  let bigManifest: Manifest
  const fileOf = (relative: string) => {
    const entry = bigManifest.entries.find((candidate) => candidate.path === relative)
    assert.ok(entry?.type === 'file', relative)
    return entry
  }

  before(async () => {
    bigSource = temporaryDir('murder-unit-source-')
    const at = (relative: string) => path.join(bigSource, relative)
    // Two objects (16 MiB + 4 MiB): each written into its part of one file.
    fs.writeFileSync(at('split.bin'), randomBytes(20 << 20))
    // One object of several slices.
    fs.writeFileSync(at('mid.bin'), randomBytes((5 << 20) / 2 + 12_345))
    // Bundles of small files, many of them across a slice boundary, two with the same bytes.
    fs.mkdirSync(at('small'))
    for (let index = 0; index < 400; index++) fs.writeFileSync(at(`small/${String(index).padStart(3, '0')}`), randomBytes(5000 + ((index * 7919) % 7000)))
    fs.copyFileSync(at('small/007'), at('small/copy-of-007'))
    big = await pack(bigSource, { compressionLevel: 0 })
    bigManifest = decodeManifest(big.encodedManifest)
  })

  test('the tree lands byte for byte: a file split over two objects, an object of several slices, bundles', async () => {
    assert.equal(fileOf('split.bin').segments.length, 2)
    const mid = bigManifest.objects[fileOf('mid.bin').segments[0]!.object]!
    assert.equal(mid.compressed, false)
    assert.ok(mid.size > 2 << 20, 'mid.bin is an object of more than two slices')
    const bundles = new Set(bigManifest.entries.flatMap((entry) => (entry.type === 'file' && entry.path.startsWith('small/') ? entry.segments.map((segment) => segment.object) : [])))
    assert.ok([...bundles].some((index) => bigManifest.objects[index]!.size > 1 << 20), 'a bundle spans slices')
    const target = path.join(temporaryDir(), 'v1')
    await materialize(bigManifest, big.objectsDir, target)
    assert.deepEqual(snapshotTree(target), snapshotTree(bigSource))
  })

  test('a flipped byte in the last slice of an object: refused, and not one byte of its file written', async () => {
    const objects = temporaryDir('murder-unit-objects-')
    fs.cpSync(big.objectsDir, objects, { recursive: true })
    const mid = bigManifest.objects[fileOf('mid.bin').segments[0]!.object]!
    const file = path.join(objects, mid.id)
    const bytes = fs.readFileSync(file)
    bytes[bytes.length - 10]! ^= 0x04
    fs.writeFileSync(file, bytes)
    const target = path.join(temporaryDir(), 'v1')
    const writer = new ReleaseWriter(bigManifest, objects, target)
    writer.start()
    await assert.rejects(writer.finish(), (error: Error) => error instanceof ObjectCorruptError && error.message.startsWith(`object ${mid.id} has sha256`))
    assert.equal(exists(path.join(target, 'mid.bin')), false, 'mid.bin must not be written from an object that fails its check')
  })

  test('a truncated multi-slice object: refused by its size, its file not written', async () => {
    const objects = temporaryDir('murder-unit-objects-')
    fs.cpSync(big.objectsDir, objects, { recursive: true })
    const mid = bigManifest.objects[fileOf('mid.bin').segments[0]!.object]!
    fs.truncateSync(path.join(objects, mid.id), mid.size - 100_000)
    const target = path.join(temporaryDir(), 'v1')
    const writer = new ReleaseWriter(bigManifest, objects, target)
    writer.start()
    await assert.rejects(writer.finish(), (error: Error) => error instanceof ObjectCorruptError && error.message === `object ${mid.id} has ${mid.size - 100_000} bytes, not ${mid.size}`)
    assert.equal(exists(path.join(target, 'mid.bin')), false)
  })
})
