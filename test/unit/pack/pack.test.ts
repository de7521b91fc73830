/**
 * packDirectory → unpackRelease on local disk: what the controller packs is what lands on a host,
 * bytes and modes; payloads that do not decrypt or are cut short, overwrite, and links that point
 * out of the release. (Hand-made hostile archives: agent/unpack.test.ts.)
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { packDirectory, type PackedPayload } from '../../../src/pack/pack.js'
import { ReleaseLayout } from '../../../src/agent/release-layout.js'
import { TagExistsError, unpackRelease } from '../../../src/agent/unpack.js'
import { sha256OfFile } from '../../../src/content/sha256.js'
import { treeDigest } from '../../../src/content/tree-digest.js'
import {
  assertUnpackRefused,
  exists,
  removeTemporaryDirs,
  sha256,
  snapshotTree,
  temporaryDir,
  unpackOutcome,
  type TreeNode,
} from '../helpers.js'

let root: string
let sourceDir: string
const umaskBefore = currentUmask()
/** treeDigest of sourceDir: the content id a deploy of it records on the hosts. */
let sourceId: string

/** A tree with everything a build may hold. */
function makeSourceTree(dir: string): void {
  fs.mkdirSync(path.join(dir, 'nested/a/b/c'), { recursive: true })
  fs.mkdirSync(path.join(dir, 'empty-dir'))
  fs.mkdirSync(path.join(dir, 'private'))
  fs.chmodSync(path.join(dir, 'private'), 0o750)
  fs.writeFileSync(path.join(dir, 'private/secret.txt'), 'secret\n')
  fs.writeFileSync(path.join(dir, 'nested/a/b/c/deep.txt'), 'deep\n')
  fs.writeFileSync(path.join(dir, 'run.sh'), '#!/bin/sh\necho hi\n')
  fs.chmodSync(path.join(dir, 'run.sh'), 0o755)
  fs.writeFileSync(path.join(dir, 'shared.conf'), 'group-writable\n')
  fs.chmodSync(path.join(dir, 'shared.conf'), 0o664)
  fs.writeFileSync(path.join(dir, 'zero.bin'), '')
  fs.writeFileSync(path.join(dir, 'big.bin'), randomBytes(3 * 1024 * 1024))
  fs.writeFileSync(path.join(dir, 'nested/zeros.bin'), Buffer.alloc(2 * 1024 * 1024))
  fs.writeFileSync(path.join(dir, 'ünïcode name.txt'), 'ü\n')
  fs.symlinkSync('nested/a/b/c/deep.txt', path.join(dir, 'link-to-deep'))
  fs.symlinkSync('../../run.sh', path.join(dir, 'nested/a/up-link'))
  fs.symlinkSync('does-not-exist', path.join(dir, 'dangling-link'))
  const old = new Date('2020-02-02T02:02:02Z')
  fs.utimesSync(path.join(dir, 'run.sh'), old, old)
}

function assertSameTree(actualRoot: string, expected: Map<string, TreeNode>): void {
  const actual = snapshotTree(actualRoot)
  assert.deepEqual([...actual.keys()], [...expected.keys()], 'the same entries')
  for (const [name, node] of expected) assert.deepEqual(actual.get(name), node, name)
}

/** The process umask, read without the deprecated no-argument form of process.umask(). */
function currentUmask(): number {
  const mask = process.umask(0o022)
  process.umask(mask)
  return mask
}

function readMarker(layout: ReleaseLayout): { contentId: string; tag: string; at: string } {
  return JSON.parse(fs.readFileSync(layout.markerFile, 'utf8')) as { contentId: string; tag: string; at: string }
}

/** What a layout's destination holds besides the release itself. */
function leftovers(layout: ReleaseLayout): string[] {
  return fs.readdirSync(layout.destination).filter((name) => name !== layout.tag && name !== '.murder')
}

before(() => {
  root = temporaryDir('murder-unit-pack-')
  sourceDir = path.join(root, 'source')
  fs.mkdirSync(sourceDir)
  makeSourceTree(sourceDir)
})
before(async () => {
  sourceId = await treeDigest(sourceDir)
})
after(removeTemporaryDirs)

describe('the source tree used here', () => {
  test('holds every kind of entry', () => {
    const tree = snapshotTree(sourceDir)
    assert.equal(tree.get('run.sh')?.mode, 0o755)
    assert.equal(tree.get('shared.conf')?.mode, 0o664)
    assert.equal(tree.get('private')?.mode, 0o750)
    assert.equal(tree.get('zero.bin')?.size, 0)
    assert.equal(tree.get('big.bin')?.size, 3 * 1024 * 1024)
    assert.deepEqual(tree.get('empty-dir'), { type: 'dir', mode: 0o755 & ~currentUmask() })
    assert.deepEqual(tree.get('link-to-deep'), { type: 'symlink', mode: 0, target: 'nested/a/b/c/deep.txt' })
  })
})

describe('encrypted, gzip level 6', () => {
  let packed: PackedPayload
  let layout: ReleaseLayout
  let expected: Map<string, TreeNode>

  before(async () => {
    expected = snapshotTree(sourceDir)
    packed = await packDirectory(sourceDir, path.join(root, 'payload-enc'), { gzipLevel: 6, encrypt: true })
    layout = new ReleaseLayout(path.join(root, 'dest-enc'), 'v1')
  })

  test('the returned sha256 and size are those of the file written', async () => {
    const bytes = fs.readFileSync(packed.file)
    assert.equal(packed.sha256, sha256(bytes))
    assert.equal(packed.sha256, await sha256OfFile(packed.file))
    assert.equal(packed.bytes, bytes.length)
    assert.equal(fs.statSync(packed.file).mode & 0o777, 0o600)
    assert.ok(Number.isFinite(packed.seconds) && packed.seconds >= 0 && packed.seconds < 60, `packed in ${packed.seconds} s`)
  })
  test('a fresh AES-256 key and IV; the file is not readable as gzip', async () => {
    assert.match(packed.encryption?.key ?? '', /^[0-9a-f]{64}$/)
    assert.match(packed.encryption?.iv ?? '', /^[0-9a-f]{32}$/)
    const head = fs.readFileSync(packed.file).subarray(0, 2)
    assert.notDeepEqual([...head], [0x1f, 0x8b])
    const again = await packDirectory(sourceDir, path.join(root, 'payload-enc-again'), { gzipLevel: 6, encrypt: true })
    assert.notEqual(again.encryption?.key, packed.encryption?.key)
    assert.notEqual(again.sha256, packed.sha256)
  })
  test('compressed: the 2 MB of zeros shrink it well below the tree size', () => {
    assert.ok(packed.bytes < 3.3 * 1024 * 1024, `payload is ${packed.bytes} bytes`)
  })
  test('inspect says absent before the release', () => {
    assert.equal(layout.inspect(sourceId), 'absent')
  })
  test('unpacks to the identical tree: bytes, modes, symlinks, empty dirs, mtimes', async () => {
    await unpackRelease(packed.file, layout, { mtimes: packed.mtimes, contentId: sourceId, ...packed.encryption!, overwrite: false })
    assert.equal(layout.finalDir, path.join(root, 'dest-enc', 'v1'))
    assertSameTree(layout.finalDir, expected)
    assert.equal(snapshotTree(layout.finalDir).get('run.sh')?.mtimeSeconds, Date.parse('2020-02-02T02:02:02Z') / 1000)
  })
  test('the release has the content id of the source tree', async () => {
    assert.equal(await treeDigest(layout.finalDir), sourceId)
  })
  test('the agent\'s work is gone (the tree it unpacked into is the release now), and nothing else beside the release', () => {
    assert.equal(exists(layout.partialDir), false)
    assert.equal(exists(layout.asideDir), false)
    assertSameTree(layout.finalDir, expected)
    assert.deepEqual(leftovers(layout), [])
    assert.deepEqual(fs.readdirSync(layout.stateDir).sort(), ['incoming', 'v1.json'])
    assert.deepEqual(fs.readdirSync(layout.workDir), [], 'the work directory (the agent removes it on exit) is empty')
  })
  test('.murder/v1.json holds the content id and the tag', () => {
    assert.equal(layout.markerFile, path.join(root, 'dest-enc', '.murder', 'v1.json'))
    const marker = readMarker(layout)
    assert.equal(marker.contentId, sourceId)
    assert.equal(marker.tag, 'v1')
    assert.ok(Math.abs(Date.parse(marker.at) - Date.now()) < 60_000, marker.at)
  })
  test('the umask is restored after unpacking', () => {
    assert.equal(currentUmask(), umaskBefore, 'unpackRelease sets umask 0 while it extracts; it must put it back')
    assert.notEqual(umaskBefore, 0)
  })
  test('inspect: same for this content, different for another, absent for another tag', () => {
    assert.equal(layout.inspect(sourceId), 'same')
    assert.equal(layout.inspect('f'.repeat(64)), 'different')
    assert.equal(layout.inspect(packed.sha256), 'different', 'the payload sha256 is not the content id')
    assert.equal(new ReleaseLayout(layout.destination, 'v2').inspect(sourceId), 'absent')
  })
})

describe('not encrypted, gzip level 0', () => {
  test('a plain tar file that unpacks to the identical tree', async () => {
    const expected = snapshotTree(sourceDir)
    const packed = await packDirectory(sourceDir, path.join(root, 'payload-plain'), { gzipLevel: 0, encrypt: false })
    assert.equal(packed.encryption, undefined)
    const bytes = fs.readFileSync(packed.file)
    assert.equal(packed.sha256, sha256(bytes))
    assert.equal(bytes.subarray(257, 262).toString('latin1'), 'ustar', 'an uncompressed tar header')
    assert.ok(packed.bytes > 5 * 1024 * 1024, 'stored, not compressed')
    const layout = new ReleaseLayout(path.join(root, 'dest-plain'), 'v1')
    await unpackRelease(packed.file, layout, { mtimes: packed.mtimes, contentId: sourceId, overwrite: false })
    assertSameTree(layout.finalDir, expected)
    assert.equal(readMarker(layout).contentId, sourceId)
    assert.equal(layout.inspect(sourceId), 'same')
    assert.equal(exists(layout.partialDir), false)
  })
  test('gzip without encryption starts with the gzip magic', async () => {
    const packed = await packDirectory(sourceDir, path.join(root, 'payload-gz'), { gzipLevel: 1, encrypt: false })
    assert.deepEqual([...fs.readFileSync(packed.file).subarray(0, 2)], [0x1f, 0x8b])
    const layout = new ReleaseLayout(path.join(root, 'dest-gz'), 'v1')
    await unpackRelease(packed.file, layout, { mtimes: packed.mtimes, contentId: sourceId, overwrite: false })
    assertSameTree(layout.finalDir, snapshotTree(sourceDir))
  })
  test('packing the same tree twice gives the same bytes', async () => {
    const one = await packDirectory(sourceDir, path.join(root, 'payload-det-1'), { gzipLevel: 6, encrypt: false })
    const two = await packDirectory(sourceDir, path.join(root, 'payload-det-2'), { gzipLevel: 6, encrypt: false })
    assert.equal(one.sha256, two.sha256)
  })
})

describe('failures and overwrite', () => {
  let packed: PackedPayload

  before(async () => {
    packed = await packDirectory(sourceDir, path.join(root, 'payload-enc-2'), { gzipLevel: 6, encrypt: true })
  })

  /**
   * Bytes that do not decrypt are noise to node-tar: it refuses the first header, on its checksum or
   * on a number field (base256) it cannot read — TAR_ENTRY_INVALID either way.
   */
  function assertRefusedAsNoise(layout: ReleaseLayout, error: Error | undefined): void {
    assertUnpackRefused(layout, error, /checksum failure|invalid base256 encoding|outside of javascript safe integer range/)
    assert.equal((error as NodeJS.ErrnoException).code, 'TAR_ENTRY_INVALID', String(error))
  }

  test('a wrong key fails and leaves neither v1 nor the tree it was unpacking', async () => {
    const layout = new ReleaseLayout(path.join(root, 'dest-wrong-key'), 'v1')
    const wrong = { key: randomBytes(32).toString('hex'), iv: packed.encryption!.iv }
    assertRefusedAsNoise(layout, await unpackOutcome(packed.file, layout, { mtimes: packed.mtimes, contentId: sourceId, ...wrong, overwrite: false }))
    assert.equal(layout.inspect(sourceId), 'absent')
  })
  test('a wrong IV fails the same way', async () => {
    const layout = new ReleaseLayout(path.join(root, 'dest-wrong-iv'), 'v1')
    const wrong = { key: packed.encryption!.key, iv: randomBytes(16).toString('hex') }
    assertRefusedAsNoise(layout, await unpackOutcome(packed.file, layout, { mtimes: packed.mtimes, contentId: sourceId, ...wrong, overwrite: false }))
  })
  test('an encrypted payload given no key fails', async () => {
    const layout = new ReleaseLayout(path.join(root, 'dest-no-key'), 'v1')
    assertRefusedAsNoise(layout, await unpackOutcome(packed.file, layout, { mtimes: packed.mtimes, contentId: sourceId, overwrite: false }))
  })
  test('a truncated payload fails and leaves nothing', async () => {
    const cut = path.join(root, 'payload-cut')
    fs.writeFileSync(cut, fs.readFileSync(packed.file).subarray(0, Math.floor(packed.bytes / 2)))
    const layout = new ReleaseLayout(path.join(root, 'dest-cut'), 'v1')
    const error = await unpackOutcome(cut, layout, { contentId: sourceId, ...packed.encryption!, overwrite: false })
    assertUnpackRefused(layout, error, /zlib: unexpected end of file/)
  })
  test('a stale tree where this agent unpacks (an earlier agent with the same pid crashed) is cleared first', async () => {
    const layout = new ReleaseLayout(path.join(root, 'dest-stale'), 'v1')
    fs.mkdirSync(path.join(layout.partialDir, 'junk'), { recursive: true })
    fs.writeFileSync(path.join(layout.partialDir, 'stale.txt'), 'old')
    await unpackRelease(packed.file, layout, { mtimes: packed.mtimes, contentId: sourceId, ...packed.encryption!, overwrite: false })
    assertSameTree(layout.finalDir, snapshotTree(sourceDir))
    assert.equal(exists(layout.partialDir), false)
    assert.deepEqual(fs.readdirSync(layout.workDir), [])
  })
  test('overwrite: true replaces a different v1 completely', async () => {
    const otherSource = path.join(root, 'source-other')
    fs.mkdirSync(path.join(otherSource, 'only-in-old'), { recursive: true })
    fs.writeFileSync(path.join(otherSource, 'only-in-old/file.txt'), 'old release')
    fs.writeFileSync(path.join(otherSource, 'run.sh'), 'old run.sh')
    const old = await packDirectory(otherSource, path.join(root, 'payload-old'), { gzipLevel: 6, encrypt: true })
    const layout = new ReleaseLayout(path.join(root, 'dest-overwrite'), 'v1')
    const oldId = await treeDigest(otherSource)
    assert.notEqual(oldId, sourceId)
    await unpackRelease(old.file, layout, { mtimes: old.mtimes, contentId: oldId, ...old.encryption!, overwrite: false })
    assert.equal(layout.inspect(oldId), 'same')
    assert.equal(layout.inspect(sourceId), 'different')

    await unpackRelease(packed.file, layout, { mtimes: packed.mtimes, contentId: sourceId, ...packed.encryption!, overwrite: true })
    assertSameTree(layout.finalDir, snapshotTree(sourceDir))
    assert.equal(exists(path.join(layout.finalDir, 'only-in-old')), false)
    assert.equal(readMarker(layout).contentId, sourceId)
    assert.equal(layout.inspect(sourceId), 'same')
    assert.deepEqual(leftovers(layout), [])
    assert.equal(exists(layout.asideDir), false, 'the old release set aside is removed')
    assert.deepEqual(fs.readdirSync(layout.workDir), [], 'nothing left in the agent\'s work directory')
  })
  test('overwrite: false with a v1 already there: TAG_EXISTS, the tree it unpacked is removed, the old v1 intact', async () => {
    const layout = new ReleaseLayout(path.join(root, 'dest-no-overwrite'), 'v1')
    fs.mkdirSync(path.join(layout.finalDir, 'sub'), { recursive: true })
    fs.writeFileSync(path.join(layout.finalDir, 'sub/keep.txt'), 'keep')
    const before = snapshotTree(layout.finalDir)
    const error = await unpackOutcome(packed.file, layout, { mtimes: packed.mtimes, contentId: sourceId, ...packed.encryption!, overwrite: false })
    assert.ok(error instanceof TagExistsError, String(error))
    assert.ok(error.message.includes(`${layout.finalDir} was put in place by another deploy`), error.message)
    assert.equal(exists(layout.partialDir), false)
    assert.deepEqual(fs.readdirSync(layout.workDir), [], 'nothing left in the agent\'s work directory')
    assertSameTree(layout.finalDir, before)
    assert.equal(exists(layout.markerFile), false)
  })
})

describe('symlinks that point out of the release', () => {
  /** Packs a one-link tree and unpacks it; returns the error, or undefined when it unpacked. */
  async function roundTrip(target: string): Promise<{ error?: Error; layout: ReleaseLayout }> {
    const dir = temporaryDir('murder-unit-links-')
    const source = path.join(dir, 'source')
    fs.mkdirSync(path.join(source, 'sub'), { recursive: true })
    fs.writeFileSync(path.join(source, 'index.html'), 'x')
    fs.symlinkSync(target, path.join(source, 'sub', 'link'))
    const packed = await packDirectory(source, path.join(dir, 'payload'), { gzipLevel: 0, encrypt: false })
    const layout = new ReleaseLayout(path.join(dir, 'dest'), 'v1')
    return { error: await unpackOutcome(packed.file, layout, { mtimes: packed.mtimes, contentId: packed.sha256, overwrite: false }), layout }
  }

  test('a link that stays inside the release unpacks', async () => {
    const { error, layout } = await roundTrip('../index.html')
    assert.equal(error, undefined)
    assert.equal(fs.readlinkSync(path.join(layout.finalDir, 'sub/link')), '../index.html')
  })
  // packDirectory keeps these links ("symlinks are kept"); a deploy refuses them before any host is
  // contacted (treeDigest, content/tree-digest.test.ts). Should one reach a host anyway, node-tar's
  // strict extraction refuses it there.
  test('an absolute link (e.g. log -> /var/log/app) packs but is refused on unpack', async () => {
    const { error, layout } = await roundTrip('/var/log/app')
    assertUnpackRefused(layout, error, /TAR_ENTRY_INFO: stripping \/ from absolute linkpath/)
  })
  test('a refused archive never leaves its tree behind nor hides the tar error, even with writes in flight (30 tries)', async () => {
    for (let attempt = 0; attempt < 30; attempt++) {
      const { error, layout } = await roundTrip('/var/log/app')
      assertUnpackRefused(layout, error, /TAR_ENTRY_INFO: stripping \/ from absolute linkpath/)
      // node-tar's writes still in flight when the pipeline rejected must not bring the tree back.
      await new Promise((resolve) => setTimeout(resolve, 50))
      assert.equal(exists(layout.partialDir), false, `attempt ${attempt}: ${layout.partialDir} came back`)
    }
  })
  test('a relative link out of the release (shared -> ../../shared) packs but is refused on unpack', async () => {
    const { error, layout } = await roundTrip('../../shared/log')
    assertUnpackRefused(layout, error, /TAR_ENTRY_ERROR: linkpath escapes extraction directory/)
  })
})

describe('names node-tar could misread', () => {
  test('a top-level entry starting with @ (node_modules/@scope style) is packed, not read as an archive to append', async () => {
    const tree = temporaryDir()
    fs.mkdirSync(path.join(tree, '@scope/pkg'), { recursive: true })
    fs.writeFileSync(path.join(tree, '@scope/pkg/index.js'), 'module.exports = 1\n')
    const packed = await packDirectory(tree, path.join(temporaryDir(), 'at.tgz'), { gzipLevel: 1, encrypt: false })
    const layout = new ReleaseLayout(temporaryDir(), 'v1')
    await unpackRelease(packed.file, layout, { mtimes: packed.mtimes, contentId: 'x', overwrite: false })
    assert.equal(fs.readFileSync(path.join(layout.finalDir, '@scope/pkg/index.js'), 'utf8'), 'module.exports = 1\n')
  })
})
