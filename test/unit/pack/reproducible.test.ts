/**
 * The same build packs to the same payload — whatever its files' mtimes, inodes or owner — so hosts
 * that kept an earlier deploy's payload can seed a re-run. The times travel beside the archive and
 * still land on the hosts.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as tar from 'tar'
import { packDirectory } from '../../../src/pack/pack.js'
import { encodeMtimes, treeMtimes } from '../../../src/content/mtimes.js'
import { walkTree } from '../../../src/content/tree-walk.js'
import { ReleaseLayout } from '../../../src/agent/release-layout.js'
import { unpackRelease } from '../../../src/agent/unpack.js'
import { assertUnpackRefused, removeTemporaryDirs, snapshotTree, temporaryDir, unpackOutcome } from '../helpers.js'

const SECRET = '-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----\n\0'

function makeBuild(dir: string): void {
  fs.mkdirSync(path.join(dir, 'app/lib'), { recursive: true })
  fs.mkdirSync(path.join(dir, 'app/empty'))
  fs.mkdirSync(path.join(dir, '@scope/pkg'), { recursive: true })
  fs.writeFileSync(path.join(dir, '@scope/pkg/index.js'), 'module.exports = 1\n')
  fs.writeFileSync(path.join(dir, 'app/lib/a.js'), 'a\n')
  fs.writeFileSync(path.join(dir, 'app/shared.conf'), 'group-writable\n')
  fs.chmodSync(path.join(dir, 'app/shared.conf'), 0o664)
  fs.writeFileSync(path.join(dir, 'app/blob.bin'), randomBytes(300_000))
  fs.writeFileSync(path.join(dir, 'b'.repeat(120)), 'a name too long for a plain tar header\n')
  fs.symlinkSync('lib/a.js', path.join(dir, 'app/link'))
}

/** The same content, written again: new inodes, new mtimes/ctimes/atimes — what a rebuild or a fresh checkout gives. */
function rebuild(from: string): string {
  const dir = temporaryDir()
  fs.cpSync(from, dir, { recursive: true, verbatimSymlinks: true })
  const later = new Date(Date.now() + 3_600_000)
  for (const entry of walkTree(dir)) {
    if (entry.stat.isSymbolicLink()) fs.lutimesSync(entry.full, later, later)
    else fs.utimesSync(entry.full, later, later)
  }
  return dir
}

let build: string
let rebuilt: string
after(removeTemporaryDirs)
before(() => {
  build = temporaryDir()
  makeBuild(build)
  const old = new Date('2021-03-04T05:06:07.890Z')
  fs.utimesSync(path.join(build, 'app/lib/a.js'), old, old)
  fs.lutimesSync(path.join(build, 'app/link'), old, old)
  fs.utimesSync(path.join(build, 'app/lib'), old, old)
  rebuilt = rebuild(build)
})

describe('the payload is a function of the content', () => {
  test('a rebuild with other mtimes and inodes packs to the same bytes, unencrypted and encrypted', async () => {
    const out = temporaryDir()
    for (const level of [0, 1, 6]) {
      const one = await packDirectory(build, path.join(out, `one-${level}`), { gzipLevel: level, encrypt: false })
      const two = await packDirectory(rebuilt, path.join(out, `two-${level}`), { gzipLevel: level, encrypt: false })
      assert.equal(one.sha256, two.sha256, `level ${level}`)
      assert.notEqual(one.mtimes, two.mtimes, 'the times differ, and travel beside the archive')
    }
    const one = await packDirectory(build, path.join(out, 'one-enc'), { gzipLevel: 1, encrypt: true, keySecret: SECRET })
    const two = await packDirectory(rebuilt, path.join(out, 'two-enc'), { gzipLevel: 1, encrypt: true, keySecret: SECRET })
    assert.equal(one.sha256, two.sha256)
    assert.deepEqual(one.encryption, two.encryption)
  })
  test('another secret, another key and payload; no secret, a random key each time', async () => {
    const out = temporaryDir()
    const one = await packDirectory(build, path.join(out, 'a'), { gzipLevel: 1, encrypt: true, keySecret: SECRET })
    const other = await packDirectory(build, path.join(out, 'b'), { gzipLevel: 1, encrypt: true, keySecret: SECRET + 'x' })
    assert.notEqual(one.encryption!.key, other.encryption!.key)
    assert.notEqual(one.sha256, other.sha256)
    const random1 = await packDirectory(build, path.join(out, 'c'), { gzipLevel: 1, encrypt: true })
    const random2 = await packDirectory(build, path.join(out, 'd'), { gzipLevel: 1, encrypt: true })
    assert.notEqual(random1.sha256, random2.sha256)
  })
  test('other content, another key: a key stream is never reused for a different plaintext', async () => {
    const changed = rebuild(build)
    fs.appendFileSync(path.join(changed, 'app/lib/a.js'), 'b\n')
    const out = temporaryDir()
    const one = await packDirectory(build, path.join(out, 'a'), { gzipLevel: 1, encrypt: true, keySecret: SECRET })
    const two = await packDirectory(changed, path.join(out, 'b'), { gzipLevel: 1, encrypt: true, keySecret: SECRET })
    assert.notEqual(one.encryption!.key, two.encryption!.key)
    assert.notEqual(one.encryption!.iv, two.encryption!.iv)
  })
  test('the archive records content only: no owner, no times, exact modes, parents first in sorted order', async () => {
    const file = path.join(temporaryDir(), 'plain.tar')
    await packDirectory(build, file, { gzipLevel: 0, encrypt: false })
    const headers: { path: string; mode: number; uid?: number; gid?: number; uname?: string; mtime?: Date; atime?: Date; ctime?: Date }[] = []
    await tar.t({ file, onReadEntry: (entry) => headers.push({ ...entry.header, path: entry.path } as (typeof headers)[number]) })
    assert.deepEqual(
      headers.map((header) => header.path),
      walkTree(build).map((entry) => `./${entry.relative}${entry.stat.isDirectory() ? '/' : ''}`),
    )
    for (const header of headers) {
      assert.equal(header.mtime?.getTime(), 0, header.path)
      assert.equal(header.atime, undefined, header.path)
      assert.equal(header.ctime, undefined, header.path)
      assert.equal(header.uid, 0, header.path)
      assert.equal(header.gid, 0, header.path)
      assert.ok(!header.uname, header.path)
    }
    assert.equal(headers.find((header) => header.path === './app/shared.conf')?.mode, 0o664)
  })
})

describe('modification times travel beside the archive and land on the hosts', () => {
  test('a packed and unpacked release gets the source times back, directories and symlinks included', async () => {
    const out = temporaryDir()
    const packed = await packDirectory(build, path.join(out, 'p'), { gzipLevel: 1, encrypt: true, keySecret: SECRET })
    assert.equal(packed.entries, walkTree(build).length)
    const layout = new ReleaseLayout(path.join(out, 'dest'), 'v1')
    await unpackRelease(packed.file, layout, { contentId: 'c', mtimes: packed.mtimes, ...packed.encryption!, overwrite: false })
    assert.deepEqual(treeMtimes(layout.finalDir).map(Math.trunc), treeMtimes(build).map(Math.trunc))
    const link = fs.lstatSync(path.join(layout.finalDir, 'app/link'))
    assert.equal(Math.trunc(link.mtimeMs), Date.parse('2021-03-04T05:06:07.890Z'))
    assert.equal(Math.trunc(fs.statSync(path.join(layout.finalDir, 'app/lib')).mtimeMs), Date.parse('2021-03-04T05:06:07.890Z'))
    assert.deepEqual(snapshotTree(layout.finalDir), snapshotTree(build))
  })
  test('times for another tree: refused, and no release nor unpacked tree left', async () => {
    const out = temporaryDir()
    const packed = await packDirectory(build, path.join(out, 'p'), { gzipLevel: 1, encrypt: false })
    const layout = new ReleaseLayout(path.join(out, 'dest'), 'v1')
    const error = await unpackOutcome(packed.file, layout, { contentId: 'c', mtimes: encodeMtimes([1, 2, 3]), overwrite: false })
    assertUnpackRefused(layout, error, new RegExp(`^the release has ${walkTree(build).length} entries but the deploy sent times for 3$`))
  })
})
