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
import { decodeObject, materialize, ObjectCorruptError } from '../../../src/agent/materialize.js'
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
