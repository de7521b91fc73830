/**
 * packDirectory → unpackRelease on local disk: what the controller packs is what lands on a host,
 * bytes and modes; and archives that try to write outside the release do not.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { gzipSync } from 'node:zlib'
import { packDirectory, type PackedPayload } from '../../src/pack/pack.js'
import { ReleaseLayout, sha256OfFile, TagExistsError, unpackRelease } from '../../src/agent/release.js'
import { treeDigest } from '../../src/pack/tree-digest.js'
import { makeTar, removeTemporaryDirs, sha256, snapshotTree, temporaryDir, type TarEntry, type TreeNode } from './helpers.js'

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

function exists(file: string): boolean {
  try {
    fs.lstatSync(file)
    return true
  } catch {
    return false
  }
}

function readMarker(layout: ReleaseLayout): { contentId: string; tag: string; at: string } {
  return JSON.parse(fs.readFileSync(layout.markerFile, 'utf8')) as { contentId: string; tag: string; at: string }
}

/**
 * unpackRelease rejects as soon as node-tar errors, while node-tar may still have file operations in
 * flight; its cleanup (rmSync of <tag>.partial) then races them and can fail with ENOTEMPTY, which
 * replaces the real error and leaves <tag>.partial behind (see the todo test below). So: wait for
 * the extractor to go quiet before looking at the disk, and treat ENOTEMPTY as that known race.
 */
async function unpackOutcome(payload: string, layout: ReleaseLayout, options: Parameters<typeof unpackRelease>[2]): Promise<Error | undefined> {
  try {
    await unpackRelease(payload, layout, options)
    return undefined
  } catch (error) {
    await new Promise((resolve) => setTimeout(resolve, 60))
    return error as Error
  }
}

const CLEANUP_RACE = /ENOTEMPTY/

/** The unpack failed (with `pattern`, or the cleanup race) and left no release, no marker, and no partial tree unless the race hit. */
function assertNoRelease(layout: ReleaseLayout, error: Error | undefined, pattern: RegExp = /./): void {
  assert.ok(error, 'the unpack must fail')
  if (!CLEANUP_RACE.test(error.message)) {
    assert.match(error.message, pattern)
    assert.equal(exists(layout.partialDir), false, `no ${layout.tag}.partial`)
  }
  assert.equal(exists(layout.finalDir), false, `no ${layout.tag}`)
  assert.equal(exists(layout.markerFile), false, 'no marker')
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
    assert.ok(packed.seconds >= 0)
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
  test('no v1.partial is left, and nothing else beside the release', () => {
    assert.equal(exists(layout.partialDir), false)
    assert.equal(exists(path.join(root, 'dest-enc', 'v1.partial')), false)
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

describe('ReleaseLayout.inspect edge cases', () => {
  test('a release without marker, or with a broken marker, is "different"', () => {
    const layout = new ReleaseLayout(temporaryDir(), 'v9')
    fs.mkdirSync(layout.finalDir)
    assert.equal(layout.inspect('a'.repeat(64)), 'different')
    fs.mkdirSync(layout.stateDir)
    fs.writeFileSync(layout.markerFile, '{not json')
    assert.equal(layout.inspect('a'.repeat(64)), 'different')
    fs.writeFileSync(layout.markerFile, JSON.stringify({ tag: 'v9' }))
    assert.equal(layout.inspect('a'.repeat(64)), 'different')
    // A marker of the earlier format, which named the payload's sha256, no longer says "same".
    fs.writeFileSync(layout.markerFile, JSON.stringify({ sha256: 'a'.repeat(64) }))
    assert.equal(layout.inspect('a'.repeat(64)), 'different')
  })
  test('a marker without its release is "absent"', () => {
    const layout = new ReleaseLayout(temporaryDir(), 'v9')
    fs.mkdirSync(layout.stateDir)
    fs.writeFileSync(layout.markerFile, JSON.stringify({ contentId: 'a'.repeat(64) }))
    assert.equal(layout.inspect('a'.repeat(64)), 'absent')
  })
  test('sweepIncoming removes what dead agents left, adopts a download of the same payload, spares live agents', () => {
    const layout = new ReleaseLayout(temporaryDir(), 'v1')
    const own = layout.workDir
    const dead = new ReleaseLayout(layout.destination, 'v1', 2 ** 22 + 12345).workDir // above pid_max: no such process
    const deadOther = path.join(layout.incomingDir, '99999999')
    const live = new ReleaseLayout(layout.destination, 'v1', process.ppid).workDir
    for (const dir of [own, dead, deadOther, live]) fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(path.join(dead, 'v1.tar.gz.enc'), 'half a download')
    fs.mkdirSync(path.join(dead, 'v1/half-unpacked'), { recursive: true })
    fs.writeFileSync(path.join(deadOther, 'v0.tar.gz.enc'), 'an older tag')
    fs.writeFileSync(path.join(live, 'v2.tar.gz.enc'), 'in progress elsewhere')
    fs.writeFileSync(path.join(layout.incomingDir, 'v0.tar.gz'), 'the old flat layout')
    layout.sweepIncoming(own, 'v1.tar.gz.enc')
    assert.equal(fs.readFileSync(path.join(own, 'v1.tar.gz.enc'), 'utf8'), 'half a download')
    assert.deepEqual(fs.readdirSync(layout.incomingDir).sort(), [String(process.pid), String(process.ppid)].sort())
    assert.equal(fs.readFileSync(path.join(live, 'v2.tar.gz.enc'), 'utf8'), 'in progress elsewhere')
  })
  test('a top-level entry starting with @ (node_modules/@scope style) is packed, not read as an archive to append', async () => {
    const tree = temporaryDir()
    fs.mkdirSync(path.join(tree, '@scope/pkg'), { recursive: true })
    fs.writeFileSync(path.join(tree, '@scope/pkg/index.js'), 'module.exports = 1\n')
    const packed = await packDirectory(tree, path.join(temporaryDir(), 'at.tgz'), { gzipLevel: 1, encrypt: false })
    const layout = new ReleaseLayout(temporaryDir(), 'v1')
    await unpackRelease(packed.file, layout, { mtimes: packed.mtimes, contentId: 'x', overwrite: false })
    assert.equal(fs.readFileSync(path.join(layout.finalDir, '@scope/pkg/index.js'), 'utf8'), 'module.exports = 1\n')
  })
  test('paths of the layout: everything in progress is in the agent\'s own directory', () => {
    const layout = new ReleaseLayout('/srv/releases', 'v1.2.3', 4242)
    assert.deepEqual(
      [layout.finalDir, layout.stateDir, layout.markerFile, layout.incomingDir, layout.workDir, layout.partialDir, layout.asideDir, layout.keptPayloadDir],
      [
        '/srv/releases/v1.2.3',
        '/srv/releases/.murder',
        '/srv/releases/.murder/v1.2.3.json',
        '/srv/releases/.murder/incoming',
        '/srv/releases/.murder/incoming/4242',
        '/srv/releases/.murder/incoming/4242/v1.2.3',
        '/srv/releases/.murder/incoming/4242/v1.2.3.replaced',
        '/srv/releases/.murder/payloads/v1.2.3',
      ],
    )
    assert.equal(new ReleaseLayout('/srv/releases', 'v1').pid, process.pid)
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

  test('a wrong key fails and leaves neither v1 nor v1.partial', async () => {
    const layout = new ReleaseLayout(path.join(root, 'dest-wrong-key'), 'v1')
    const wrong = { key: randomBytes(32).toString('hex'), iv: packed.encryption!.iv }
    // The decrypted bytes are noise: node-tar fails on a bad checksum or a bad number field.
    const error = await unpackOutcome(packed.file, layout, { mtimes: packed.mtimes, contentId: sourceId, ...wrong, overwrite: false })
    assertNoRelease(layout, error)
    assert.equal(layout.inspect(sourceId), 'absent')
  })
  test('a wrong IV fails the same way', async () => {
    const layout = new ReleaseLayout(path.join(root, 'dest-wrong-iv'), 'v1')
    const wrong = { key: packed.encryption!.key, iv: randomBytes(16).toString('hex') }
    assertNoRelease(layout, await unpackOutcome(packed.file, layout, { mtimes: packed.mtimes, contentId: sourceId, ...wrong, overwrite: false }))
  })
  test('an encrypted payload given no key fails', async () => {
    const layout = new ReleaseLayout(path.join(root, 'dest-no-key'), 'v1')
    assertNoRelease(layout, await unpackOutcome(packed.file, layout, { mtimes: packed.mtimes, contentId: sourceId, overwrite: false }))
  })
  test('a truncated payload fails and leaves nothing', async () => {
    const cut = path.join(root, 'payload-cut')
    fs.writeFileSync(cut, fs.readFileSync(packed.file).subarray(0, Math.floor(packed.bytes / 2)))
    const layout = new ReleaseLayout(path.join(root, 'dest-cut'), 'v1')
    const error = await unpackOutcome(cut, layout, { contentId: sourceId, ...packed.encryption!, overwrite: false })
    assertNoRelease(layout, error, /unexpected end|TAR_|zlib/i)
  })
  test('a stale v1.partial from an earlier crash is cleared first', async () => {
    const layout = new ReleaseLayout(path.join(root, 'dest-stale'), 'v1')
    fs.mkdirSync(path.join(layout.partialDir, 'junk'), { recursive: true })
    fs.writeFileSync(path.join(layout.partialDir, 'stale.txt'), 'old')
    await unpackRelease(packed.file, layout, { mtimes: packed.mtimes, contentId: sourceId, ...packed.encryption!, overwrite: false })
    assertSameTree(layout.finalDir, snapshotTree(sourceDir))
    assert.equal(exists(layout.partialDir), false)
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
    assert.deepEqual(leftovers(layout), [], 'no v1.partial and no v1.old-<pid> left')
  })
  test('overwrite: false with a v1 already there refuses and keeps the old v1', async () => {
    const layout = new ReleaseLayout(path.join(root, 'dest-no-overwrite'), 'v1')
    fs.mkdirSync(layout.finalDir, { recursive: true })
    fs.writeFileSync(path.join(layout.finalDir, 'keep.txt'), 'keep')
    await assert.rejects(
      unpackRelease(packed.file, layout, { mtimes: packed.mtimes, contentId: sourceId, ...packed.encryption!, overwrite: false }),
      (error: Error) => error instanceof TagExistsError && error.message.includes(`${layout.finalDir} was put in place by another deploy`),
    )
    assert.deepEqual(fs.readdirSync(layout.finalDir), ['keep.txt'])
    assert.equal(exists(layout.markerFile), false)
  })
  test(
    'overwrite: false with a v1 already there leaves no v1.partial behind',
    async () => {
      const layout = new ReleaseLayout(path.join(root, 'dest-no-overwrite-2'), 'v1')
      fs.mkdirSync(layout.finalDir, { recursive: true })
      await assert.rejects(unpackRelease(packed.file, layout, { mtimes: packed.mtimes, contentId: sourceId, ...packed.encryption!, overwrite: false }))
      assert.equal(exists(layout.partialDir), false)
    },
  )
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
  // packDirectory keeps these links ("symlinks are kept") but node-tar's strict extraction refuses
  // them on every host, after the whole transfer: a build holding `log -> /var/log/app` or
  // `shared -> ../../shared` cannot be deployed. Recorded here as the behaviour it is today.
  test('an absolute link (e.g. log -> /var/log/app) packs but is refused on unpack', async () => {
    const { error, layout } = await roundTrip('/var/log/app')
    assertNoRelease(layout, error, /TAR_ENTRY_INFO: stripping \/ from absolute linkpath/)
  })
  test(
    'a refused archive never leaves v1.partial behind nor hides the tar error (30 tries)',
    async () => {
      for (let attempt = 0; attempt < 30; attempt++) {
        const { error, layout } = await roundTrip('/var/log/app')
        assert.match(error?.message ?? 'unpacked', /TAR_ENTRY_INFO/, `attempt ${attempt}`)
        assert.equal(exists(layout.partialDir), false, `attempt ${attempt}: ${layout.partialDir} left behind`)
      }
    },
  )
  test('a relative link out of the release (shared -> ../../shared) packs but is refused on unpack', async () => {
    const { error, layout } = await roundTrip('../../shared/log')
    assertNoRelease(layout, error, /TAR_ENTRY_ERROR: linkpath escapes extraction directory/)
  })
})

describe('hostile archives', () => {
  interface Outcome {
    error?: Error
    layout: ReleaseLayout
    /** Root of this case: everything outside `dest` here must stay as it was. */
    caseDir: string
    outsideFile: string
  }

  /**
   * Unpacks a hand-made tar (optionally gzipped) in a fresh case directory:
   *   <case>/outside.txt         a file that must not change
   *   <case>/a/dest/v1.partial   where extraction happens
   */
  async function unpackHostile(makeEntries: (caseDir: string) => TarEntry[], gzip = false): Promise<Outcome> {
    const caseDir = temporaryDir('murder-unit-hostile-')
    const outsideFile = path.join(caseDir, 'outside.txt')
    fs.writeFileSync(outsideFile, 'original')
    const payload = path.join(caseDir, 'payload.tar')
    const tarBytes = makeTar(makeEntries(caseDir))
    fs.writeFileSync(payload, gzip ? gzipSync(tarBytes) : tarBytes)
    const layout = new ReleaseLayout(path.join(caseDir, 'a', 'dest'), 'v1')
    fs.mkdirSync(path.join(caseDir, 'a'))
    const before = outsideDest(caseDir)
    const error = await unpackOutcome(payload, layout, { contentId: sha256(fs.readFileSync(payload)), overwrite: false })
    assert.deepEqual(outsideDest(caseDir), before, 'nothing created or removed outside the destination')
    return { error, layout, caseDir, outsideFile }
  }

  /** Every path under caseDir that is not under <case>/a/dest. */
  function outsideDest(caseDir: string): string[] {
    return (fs.readdirSync(caseDir, { recursive: true }) as string[]).filter((name) => !name.startsWith(path.join('a', 'dest'))).sort()
  }

  function assertRefusedCleanly(outcome: Outcome, pattern: RegExp): void {
    assertNoRelease(outcome.layout, outcome.error, pattern)
    assert.equal(fs.readFileSync(outcome.outsideFile, 'utf8'), 'original')
  }

  test('a file control archive unpacks (the harness itself works)', async () => {
    const outcome = await unpackHostile(() => [
      { name: 'dir/', type: '5' },
      { name: 'dir/ok.txt', type: '0', content: 'ok' },
    ])
    assert.equal(outcome.error, undefined)
    assert.equal(fs.readFileSync(path.join(outcome.layout.finalDir, 'dir/ok.txt'), 'utf8'), 'ok')
  })

  test('../evil: refused, nothing written outside', async () => {
    const outcome = await unpackHostile(() => [
      { name: 'ok.txt', type: '0', content: 'ok' },
      { name: '../evil', type: '0', content: 'pwned' },
      { name: '../../evil2', type: '0', content: 'pwned' },
    ])
    assertRefusedCleanly(outcome, /TAR_ENTRY_ERROR: path contains '\.\.'/)
    assert.equal(exists(path.join(outcome.layout.destination, 'evil')), false)
    assert.equal(exists(path.join(outcome.caseDir, 'a', 'evil2')), false)
  })

  test('a/../../../evil (.. in the middle): refused', async () => {
    const outcome = await unpackHostile(() => [{ name: 'a/../../../evil', type: '0', content: 'pwned' }])
    assertRefusedCleanly(outcome, /path contains '\.\.'/)
    assert.equal(exists(path.join(outcome.caseDir, 'a', 'evil')), false)
  })

  test('an absolute path entry: refused, the absolute path is not written', async () => {
    let target = ''
    const outcome = await unpackHostile((caseDir) => {
      target = path.join(caseDir, 'evil-abs')
      return [{ name: target, type: '0', content: 'pwned' }]
    })
    assert.ok(path.isAbsolute(target))
    assertRefusedCleanly(outcome, /TAR_ENTRY_INFO: stripping \/ from absolute path/)
    assert.equal(exists(target), false)
  })

  test('symlink escape -> ../../.. then escape/pwned: refused at the link, nothing written through it', async () => {
    const outcome = await unpackHostile(() => [
      { name: 'escape', type: '2', linkname: '../../..' },
      { name: 'escape/pwned', type: '0', content: 'pwned' },
    ])
    assertRefusedCleanly(outcome, /TAR_ENTRY_ERROR: linkpath escapes extraction directory/)
    // ../../.. from <case>/a/dest/v1.partial is <case>
    assert.equal(exists(path.join(outcome.caseDir, 'pwned')), false)
  })

  test('the same escape, gzipped: refused too', async () => {
    const outcome = await unpackHostile(
      () => [
        { name: 'escape', type: '2', linkname: '../../..' },
        { name: 'escape/pwned', type: '0', content: 'pwned' },
      ],
      true,
    )
    assertRefusedCleanly(outcome, /linkpath escapes extraction directory/)
    assert.equal(exists(path.join(outcome.caseDir, 'pwned')), false)
  })

  test('an in-tree symlink to a directory, then a file written through it: refused', async () => {
    const outcome = await unpackHostile(() => [
      { name: 'real/', type: '5' },
      { name: 'alias', type: '2', linkname: 'real' },
      { name: 'alias/through.txt', type: '0', content: 'via link' },
    ])
    assertRefusedCleanly(outcome, /TAR_SYMLINK_ERROR: Cannot extract through symbolic link/)
  })

  test('a symlink to an absolute outside file, then a file of the same name: refused, the outside file unchanged', async () => {
    const outcome = await unpackHostile((caseDir) => [
      { name: 's', type: '2', linkname: path.join(caseDir, 'outside.txt') },
      { name: 's', type: '0', content: 'pwned' },
    ])
    assertRefusedCleanly(outcome, /TAR_ENTRY_INFO: stripping \/ from absolute linkpath/)
  })

  test('a hard link to ../../outside.txt: refused', async () => {
    const outcome = await unpackHostile(() => [{ name: 'h', type: '1', linkname: '../../../outside.txt' }])
    assertRefusedCleanly(outcome, /TAR_ENTRY_ERROR: linkpath contains '\.\.'/)
  })

  test('a hard link to an absolute outside file: refused, the outside file unchanged and not linked', async () => {
    const outcome = await unpackHostile((caseDir) => [
      { name: 'h', type: '1', linkname: path.join(caseDir, 'outside.txt') },
      { name: 'h', type: '0', content: 'pwned' },
    ])
    assertRefusedCleanly(outcome, /TAR_ENTRY_INFO: stripping \/ from absolute linkpath/)
    assert.equal(fs.statSync(outcome.outsideFile).nlink, 1)
  })

  test('garbage instead of a tar: refused', async () => {
    const caseDir = temporaryDir('murder-unit-hostile-')
    const payload = path.join(caseDir, 'garbage')
    fs.writeFileSync(payload, Buffer.alloc(10_000, 7))
    const layout = new ReleaseLayout(path.join(caseDir, 'dest'), 'v1')
    await assert.rejects(unpackRelease(payload, layout, { contentId: 'x', overwrite: false }), /TAR_ENTRY_INVALID: checksum failure/)
    assert.equal(exists(layout.finalDir), false)
    assert.equal(exists(layout.partialDir), false)
    // Random bytes fail too, with whichever header field node-tar trips on first.
    fs.writeFileSync(payload, randomBytes(10_000))
    await assert.rejects(unpackRelease(payload, layout, { contentId: 'x', overwrite: false }), Error)
    assert.equal(exists(layout.finalDir), false)
    assert.equal(exists(layout.partialDir), false)
  })

  test('an empty file, or only the end-of-archive zeros: refused, no empty release', async () => {
    const caseDir = temporaryDir('murder-unit-hostile-')
    for (const [name, bytes] of [
      ['empty', Buffer.alloc(0)],
      ['zeros', Buffer.alloc(1024)],
    ] as const) {
      const payload = path.join(caseDir, name)
      fs.writeFileSync(payload, bytes)
      const layout = new ReleaseLayout(path.join(caseDir, `dest-${name}`), 'v1')
      await assert.rejects(unpackRelease(payload, layout, { contentId: 'x', overwrite: false }), /TAR_BAD_ARCHIVE: Unrecognized archive format/)
      assert.equal(exists(layout.finalDir), false)
      assert.equal(exists(layout.partialDir), false)
    }
  })
})

describe('treeDigest (the content id)', () => {
  async function digestAfter(change: (dir: string) => void): Promise<string> {
    const dir = temporaryDir('murder-unit-digest-')
    fs.mkdirSync(path.join(dir, 'sub'))
    fs.writeFileSync(path.join(dir, 'sub/a.txt'), 'a')
    fs.writeFileSync(path.join(dir, 'b.sh'), 'b')
    fs.chmodSync(path.join(dir, 'b.sh'), 0o644)
    fs.symlinkSync('sub/a.txt', path.join(dir, 'link'))
    change(dir)
    return treeDigest(dir)
  }

  test('the same content gives the same digest, whatever the mtimes', async () => {
    const base = await digestAfter(() => {})
    assert.match(base, /^[0-9a-f]{64}$/)
    const touched = await digestAfter((dir) => fs.utimesSync(path.join(dir, 'b.sh'), new Date(0), new Date(0)))
    assert.equal(touched, base)
  })
  test('content, modes, names, link targets and empty directories all count', async () => {
    const base = await digestAfter(() => {})
    const changes: [string, (dir: string) => void][] = [
      ['content', (dir) => fs.writeFileSync(path.join(dir, 'b.sh'), 'B')],
      ['mode', (dir) => fs.chmodSync(path.join(dir, 'b.sh'), 0o755)],
      ['name', (dir) => fs.renameSync(path.join(dir, 'b.sh'), path.join(dir, 'c.sh'))],
      ['link target', (dir) => (fs.unlinkSync(path.join(dir, 'link')), fs.symlinkSync('b.sh', path.join(dir, 'link')))],
      ['empty directory', (dir) => fs.mkdirSync(path.join(dir, 'empty'))],
      ['directory mode', (dir) => fs.chmodSync(path.join(dir, 'sub'), 0o700)],
    ]
    for (const [what, change] of changes) assert.notEqual(await digestAfter(change), base, what)
  })
})
