/**
 * unpackRelease on a host:
 *  - two agents unpacking the same tag at once (two workflow runs; one host listed under two
 *    names): each works in its own directory, and <tag> ends as exactly one complete release —
 *    never a mix, never half-written — with the outcome each agent reports matching what is there;
 *  - hand-made hostile archives that try to write outside the release: refused, nothing written.
 * (pack → unpack round trips: pack/pack.test.ts.)
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { gzipSync } from 'node:zlib'
import { ReleaseLayout } from '../../../src/agent/release-layout.js'
import { TagExistsError, unpackRelease } from '../../../src/agent/unpack.js'
import { packDirectory, type PackedPayload } from '../../../src/pack/pack.js'
import { treeDigest } from '../../../src/content/tree-digest.js'
import {
  assertUnpackRefused,
  exists,
  makeTar,
  removeTemporaryDirs,
  sha256,
  snapshotTree,
  temporaryDir,
  unpackOutcome,
  type TarEntry,
} from '../helpers.js'

after(removeTemporaryDirs)

interface Build {
  dir: string
  id: string
  packed: PackedPayload
}

async function build(files: Record<string, string>): Promise<Build> {
  const dir = temporaryDir()
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    fs.writeFileSync(path.join(dir, name), content)
  }
  const packed = await packDirectory(dir, path.join(temporaryDir(), 'payload'), { gzipLevel: 1, encrypt: false })
  return { dir, id: await treeDigest(dir), packed }
}

/** Many files, so that the two extractions really interleave. */
function manyFiles(label: string): Record<string, string> {
  const files: Record<string, string> = {}
  for (let index = 0; index < 300; index++) files[`d${index % 7}/f${index}.txt`] = `${label} ${index}\n`.repeat(50)
  return files
}

function unpack(destination: string, pid: number, release: Build, overwrite: boolean): Promise<void> {
  const layout = new ReleaseLayout(destination, 'v1', pid)
  return unpackRelease(release.packed.file, layout, { contentId: release.id, mtimes: release.packed.mtimes, overwrite })
}

/** Nothing beside the release, and no agent work left in incoming/. */
function assertClean(destination: string): void {
  assert.deepEqual(fs.readdirSync(destination).sort(), ['.murder', 'v1'])
  for (const pid of fs.readdirSync(path.join(destination, '.murder/incoming'))) {
    assert.deepEqual(fs.readdirSync(path.join(destination, '.murder/incoming', pid)), [], `incoming/${pid} is empty`)
  }
}

let a: Build
let aAgain: Build
let b: Build
before(async () => {
  a = await build(manyFiles('A'))
  aAgain = await build(manyFiles('A'))
  b = await build(manyFiles('B'))
})

describe('two agents, one tag, at the same time', () => {
  test('the same release twice: both succeed, one complete copy', async () => {
    for (let round = 0; round < 8; round++) {
      const destination = temporaryDir()
      const outcomes = await Promise.allSettled([unpack(destination, 1001, a, false), unpack(destination, 1002, aAgain, false)])
      assert.deepEqual(outcomes.map((outcome) => outcome.status), ['fulfilled', 'fulfilled'], `round ${round}: ${JSON.stringify(outcomes)}`)
      // Same content; the mtimes are those of whichever copy was renamed into place.
      const tree = JSON.stringify([...snapshotTree(path.join(destination, 'v1'))])
      assert.ok([a, aAgain].some((release) => JSON.stringify([...snapshotTree(release.dir)]) === tree), 'one complete copy')
      assert.equal(await new ReleaseLayout(destination, 'v1').holds(a.id), 'same')
      assertClean(destination)
    }
  })
  test('two different releases, overwrite off: one wins whole, the other fails with TAG_EXISTS and writes nothing', async () => {
    for (let round = 0; round < 8; round++) {
      const destination = temporaryDir()
      const outcomes = await Promise.allSettled([unpack(destination, 1001, a, false), unpack(destination, 1002, b, false)])
      const won = outcomes.findIndex((outcome) => outcome.status === 'fulfilled')
      const lost = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult | undefined
      assert.ok(won >= 0 && lost !== undefined, `round ${round}: exactly one wins: ${JSON.stringify(outcomes)}`)
      assert.ok(lost.reason instanceof TagExistsError, String(lost.reason))
      const winner = [a, b][won]!
      assert.deepEqual(snapshotTree(path.join(destination, 'v1')), snapshotTree(winner.dir), 'the winner, complete, nothing of the other')
      assert.equal(await new ReleaseLayout(destination, 'v1').holds(winner.id), 'same')
      assertClean(destination)
    }
  })
  test('two different releases, overwrite on: <tag> ends as exactly one of them, complete, and says which', async () => {
    for (let round = 0; round < 8; round++) {
      const destination = temporaryDir()
      await Promise.allSettled([unpack(destination, 1001, a, true), unpack(destination, 1002, b, true)])
      const tree = JSON.stringify([...snapshotTree(path.join(destination, 'v1'))])
      const which = [a, b].find((release) => JSON.stringify([...snapshotTree(release.dir)]) === tree)
      assert.ok(which, `round ${round}: v1 is exactly A or exactly B`)
      assert.equal(await new ReleaseLayout(destination, 'v1').holds(which.id), 'same')
      assertClean(destination)
    }
  })
})

describe('the other agent renamed its release in but has not written its marker yet', () => {
  test('the same content is accepted (and the marker written); other content is TAG_EXISTS, untouched', async () => {
    const destination = temporaryDir()
    await unpack(destination, 1001, a, false)
    const layout = new ReleaseLayout(destination, 'v1')
    fs.rmSync(layout.markerFile)
    await unpack(destination, 1002, aAgain, false)
    assert.equal(layout.readMarker()?.contentId, a.id)
    fs.rmSync(layout.markerFile)
    const before = JSON.stringify([...snapshotTree(layout.finalDir)])
    await assert.rejects(unpack(destination, 1003, b, false), TagExistsError)
    assert.equal(JSON.stringify([...snapshotTree(layout.finalDir)]), before)
    assert.equal(layout.readMarker(), undefined, 'no marker written for what this agent did not put there')
    assertClean(destination)
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
   *   <case>/outside.txt                        a file that must not change
   *   <case>/a/dest/.murder/incoming/<pid>/v1   where extraction happens (layout.partialDir)
   * makeEntries gets the layout, so that an entry can aim at a real path relative to partialDir.
   */
  async function unpackHostile(makeEntries: (caseDir: string, layout: ReleaseLayout) => TarEntry[], gzip = false): Promise<Outcome> {
    const caseDir = temporaryDir('murder-unit-hostile-')
    const outsideFile = path.join(caseDir, 'outside.txt')
    fs.writeFileSync(outsideFile, 'original')
    const layout = new ReleaseLayout(path.join(caseDir, 'a', 'dest'), 'v1')
    const payload = path.join(caseDir, 'payload.tar')
    const tarBytes = makeTar(makeEntries(caseDir, layout))
    fs.writeFileSync(payload, gzip ? gzipSync(tarBytes) : tarBytes)
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

  /** Refused with `pattern`; the destination holds only the (empty) work directory; the outside file unchanged. */
  function assertRefusedCleanly(outcome: Outcome, pattern: RegExp): void {
    const { layout } = outcome
    assertUnpackRefused(layout, outcome.error, pattern)
    assert.deepEqual(
      (fs.readdirSync(layout.destination, { recursive: true }) as string[]).sort(),
      ['.murder', path.join('.murder', 'incoming'), path.relative(layout.destination, layout.workDir)],
      'nothing anywhere in the destination but the empty work directory',
    )
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
    assert.equal(exists(path.resolve(outcome.layout.partialDir, '../evil')), false)
    assert.equal(exists(path.resolve(outcome.layout.partialDir, '../../evil2')), false)
  })

  test('a/../../../evil (.. in the middle): refused', async () => {
    const outcome = await unpackHostile(() => [{ name: 'a/../../../evil', type: '0', content: 'pwned' }])
    assertRefusedCleanly(outcome, /TAR_ENTRY_ERROR: path contains '\.\.'/)
    assert.equal(exists(path.resolve(outcome.layout.partialDir, 'a/../../../evil')), false)
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

  /** A symlink `escape` from where the archive is extracted up to <case>, then escape/pwned. */
  const escapeToCase = (caseDir: string, layout: ReleaseLayout): TarEntry[] => [
    { name: 'escape', type: '2', linkname: path.relative(layout.partialDir, caseDir) },
    { name: 'escape/pwned', type: '0', content: 'pwned' },
  ]

  test('symlink escape -> ../ up to the case directory, then escape/pwned: refused at the link, nothing written through it', async () => {
    const outcome = await unpackHostile(escapeToCase)
    assertRefusedCleanly(outcome, /TAR_ENTRY_ERROR: linkpath escapes extraction directory/)
    assert.equal(exists(path.join(outcome.caseDir, 'pwned')), false)
  })

  test('the same escape, gzipped: refused too', async () => {
    const outcome = await unpackHostile(escapeToCase, true)
    assertRefusedCleanly(outcome, /TAR_ENTRY_ERROR: linkpath escapes extraction directory/)
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

  test('a hard link to ../…/outside.txt: refused, the outside file not linked', async () => {
    const outcome = await unpackHostile((caseDir, layout) => [{ name: 'h', type: '1', linkname: path.relative(layout.partialDir, path.join(caseDir, 'outside.txt')) }])
    assertRefusedCleanly(outcome, /TAR_ENTRY_ERROR: linkpath contains '\.\.'/)
    assert.equal(fs.statSync(outcome.outsideFile).nlink, 1)
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
    assertUnpackRefused(layout, await unpackOutcome(payload, layout, { contentId: 'x', overwrite: false }), /TAR_ENTRY_INVALID: checksum failure/)
    // Random bytes fail too, with whichever header field node-tar trips on first.
    fs.writeFileSync(payload, randomBytes(10_000))
    const error = await unpackOutcome(payload, layout, { contentId: 'x', overwrite: false })
    assertUnpackRefused(layout, error, /checksum failure|invalid base256 encoding|outside of javascript safe integer range/)
    assert.equal((error as NodeJS.ErrnoException).code, 'TAR_ENTRY_INVALID', String(error))
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
      assertUnpackRefused(layout, await unpackOutcome(payload, layout, { contentId: 'x', overwrite: false }), /TAR_BAD_ARCHIVE: Unrecognized archive format/)
    }
  })
})
