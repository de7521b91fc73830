/**
 * installRelease on a host: the release is written in the agent's own directory and renamed into
 * place, so <tag> is at every instant nothing, the old tree or the new one — never a mix:
 *  - the marker records the content id and the objects the release was made of;
 *  - overwrite replaces a different release whole, and a failed install keeps the old one;
 *  - without overwrite a different release in place is left alone (TagExistsError);
 *  - two agents installing the same tag at once (two workflow runs; one host listed under two
 *    names) end with exactly one complete release, and each reports what is there.
 * (pack → materialize round trips: pack/release.test.ts; damaged objects: materialize.test.ts.)
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { installRelease, TagExistsError } from '../../../src/agent/install-release.js'
import { ObjectCorruptError } from '../../../src/agent/materialize.js'
import { ReleaseLayout } from '../../../src/agent/release-layout.js'
import { decodeManifest, type Manifest } from '../../../src/content/manifest.js'
import { treeDigest } from '../../../src/content/tree-digest.js'
import type { PackedRelease } from '../../../src/pack/release.js'
import { exists, installOutcome, pack, removeTemporaryDirs, snapshotTree, stageObjects, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

interface Build {
  dir: string
  release: PackedRelease
  /** As a host decodes it from the job. */
  manifest: Manifest
}

async function build(files: Record<string, string>): Promise<Build> {
  const dir = temporaryDir('murder-unit-build-')
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    fs.writeFileSync(path.join(dir, name), content)
  }
  const release = await pack(dir)
  return { dir, release, manifest: decodeManifest(release.encodedManifest) }
}

/** Many files, so that two agents writing at once really interleave. */
function manyFiles(label: string): Record<string, string> {
  const files: Record<string, string> = {}
  for (let index = 0; index < 200; index++) files[`d${index % 7}/f${index}.txt`] = `${label} ${index}\n`.repeat(50)
  return files
}

/** What an agent with this pid does once its objects are downloaded: install from its own objects/. */
function install(destination: string, pid: number, which: Build, overwrite: boolean, tag = 'v1'): Promise<void> {
  const layout = new ReleaseLayout(destination, tag, pid)
  return installRelease(which.manifest, stageObjects(which.release, layout), layout, { overwrite })
}

const tree = (dir: string) => JSON.stringify([...snapshotTree(dir)])

/** Nothing beside the release, and no agent work left in incoming/ but objects. */
function assertClean(destination: string, tag = 'v1'): void {
  assert.deepEqual(fs.readdirSync(destination).sort(), ['.murder', tag])
  for (const pid of fs.readdirSync(path.join(destination, '.murder/incoming'))) {
    assert.deepEqual(fs.readdirSync(path.join(destination, '.murder/incoming', pid)), ['objects'], `incoming/${pid} holds only its objects`)
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

describe('one agent', () => {
  test('installs the release, records its content id and objects in the marker, and leaves only its objects in its work directory', async () => {
    const destination = temporaryDir()
    await install(destination, 1001, a, false)
    const layout = new ReleaseLayout(destination, 'v1', 1001)
    assert.equal(tree(layout.finalDir), tree(a.dir))
    const marker = layout.readMarker()
    assert.equal(marker?.contentId, a.release.contentId)
    assert.equal(marker?.tag, 'v1')
    assert.deepEqual(marker?.objects, a.manifest.objects.map((object) => object.id))
    assert.ok(Math.abs(Date.parse(marker!.at) - Date.now()) < 60_000, marker!.at)
    assert.equal(await layout.holds(a.release.contentId), 'same')
    assert.deepEqual([...layout.objectsOfKeptReleases()].sort(), a.manifest.objects.map((object) => object.id).sort())
    assertClean(destination)
    assert.equal(exists(layout.asideDir), false)
  })
  test('a stale tree where this agent writes (an earlier agent with the same pid crashed) is cleared first', async () => {
    const destination = temporaryDir()
    const layout = new ReleaseLayout(destination, 'v1', 1001)
    fs.mkdirSync(path.join(layout.partialDir, 'junk'), { recursive: true })
    fs.writeFileSync(path.join(layout.partialDir, 'stale.txt'), 'old')
    await install(destination, 1001, a, false)
    assert.equal(tree(layout.finalDir), tree(a.dir))
    assertClean(destination)
  })
})

describe('a release already in place', () => {
  test('overwrite: true replaces a different v1 completely, marker included', async () => {
    const destination = temporaryDir()
    const old = await build({ 'only-in-old/file.txt': 'old release', 'd0/f0.txt': 'old f0' })
    await install(destination, 1001, old, false)
    const layout = new ReleaseLayout(destination, 'v1', 1002)
    assert.equal(layout.inspect(old.release.contentId), 'same')
    await install(destination, 1002, b, true)
    assert.equal(tree(layout.finalDir), tree(b.dir))
    assert.equal(exists(path.join(layout.finalDir, 'only-in-old')), false)
    assert.equal(layout.readMarker()?.contentId, b.release.contentId)
    assert.deepEqual(layout.readMarker()?.objects, b.manifest.objects.map((object) => object.id))
    assert.equal(exists(layout.asideDir), false, 'the old release set aside is removed')
    assertClean(destination)
  })
  test('overwrite: true, but the new release fails (a damaged object): the old release and its marker stay as they were', async () => {
    const destination = temporaryDir()
    await install(destination, 1001, a, false)
    const layout = new ReleaseLayout(destination, 'v1', 1002)
    const before = tree(layout.finalDir)
    const markerBefore = fs.readFileSync(layout.markerFile, 'utf8')
    const objects = stageObjects(b.release, layout)
    // Damage a copy (the staged object is a link to the packed one).
    const victim = path.join(objects, b.manifest.objects[0]!.id)
    const bytes = fs.readFileSync(victim)
    bytes[0]! ^= 0xff
    fs.rmSync(victim)
    fs.writeFileSync(victim, bytes)
    const error = await installOutcome(b.manifest, objects, layout, { overwrite: true })
    assert.ok(error instanceof ObjectCorruptError, String(error))
    assert.equal(tree(layout.finalDir), before)
    assert.equal(fs.readFileSync(layout.markerFile, 'utf8'), markerBefore)
    assert.equal(exists(layout.partialDir), false)
    assert.equal(exists(layout.asideDir), false)
  })
  test('overwrite: false with a different v1 there: TagExistsError, the tree written is removed, v1 and its (absent) marker untouched', async () => {
    const destination = temporaryDir()
    const layout = new ReleaseLayout(destination, 'v1', 1001)
    fs.mkdirSync(path.join(layout.finalDir, 'sub'), { recursive: true })
    fs.writeFileSync(path.join(layout.finalDir, 'sub/keep.txt'), 'keep')
    const before = tree(layout.finalDir)
    const error = await installOutcome(a.manifest, stageObjects(a.release, layout), layout, { overwrite: false })
    assert.ok(error instanceof TagExistsError, String(error))
    assert.ok(error.message.includes(`${layout.finalDir} was put in place by another deploy`), error.message)
    assert.equal(exists(layout.partialDir), false)
    assert.deepEqual(fs.readdirSync(layout.workDir), ['objects'])
    assert.equal(tree(layout.finalDir), before)
    assert.equal(exists(layout.markerFile), false)
  })
  test('another agent renamed its release in but has not written its marker yet: the same content is accepted (marker written); other content is TagExistsError', async () => {
    const destination = temporaryDir()
    await install(destination, 1001, a, false)
    const layout = new ReleaseLayout(destination, 'v1')
    fs.rmSync(layout.markerFile)
    await install(destination, 1002, aAgain, false)
    assert.equal(layout.readMarker()?.contentId, a.release.contentId)
    assert.deepEqual(layout.readMarker()?.objects, aAgain.manifest.objects.map((object) => object.id))
    fs.rmSync(layout.markerFile)
    const before = tree(layout.finalDir)
    await assert.rejects(install(destination, 1003, b, false), TagExistsError)
    assert.equal(tree(layout.finalDir), before)
    assert.equal(layout.readMarker(), undefined, 'no marker written for what this agent did not put there')
    assertClean(destination)
  })
})

describe('two agents, one tag, at the same time', () => {
  test('the same release twice: both succeed, one complete copy', async () => {
    assert.equal(aAgain.release.contentId, a.release.contentId)
    for (let round = 0; round < 5; round++) {
      const destination = temporaryDir()
      const outcomes = await Promise.allSettled([install(destination, 1001, a, false), install(destination, 1002, aAgain, false)])
      assert.deepEqual(outcomes.map((outcome) => outcome.status), ['fulfilled', 'fulfilled'], `round ${round}: ${JSON.stringify(outcomes)}`)
      // Same content; the mtimes are those of whichever copy was renamed into place.
      const landed = tree(path.join(destination, 'v1'))
      assert.ok([a, aAgain].some((release) => tree(release.dir) === landed), 'one complete copy')
      assert.equal(await new ReleaseLayout(destination, 'v1').holds(a.release.contentId), 'same')
      assertClean(destination)
    }
  })
  test('two different releases, overwrite off: one wins whole, the other fails with TagExistsError and writes nothing', async () => {
    for (let round = 0; round < 5; round++) {
      const destination = temporaryDir()
      const outcomes = await Promise.allSettled([install(destination, 1001, a, false), install(destination, 1002, b, false)])
      const won = outcomes.findIndex((outcome) => outcome.status === 'fulfilled')
      const lost = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult | undefined
      assert.ok(won >= 0 && lost !== undefined, `round ${round}: exactly one wins: ${JSON.stringify(outcomes)}`)
      assert.ok(lost.reason instanceof TagExistsError, String(lost.reason))
      const winner = [a, b][won]!
      assert.equal(tree(path.join(destination, 'v1')), tree(winner.dir), 'the winner, complete, nothing of the other')
      assert.equal(await new ReleaseLayout(destination, 'v1').holds(winner.release.contentId), 'same')
      assert.equal(new ReleaseLayout(destination, 'v1').readMarker()?.contentId, winner.release.contentId)
      assertClean(destination)
    }
  })
  test('two different releases, overwrite on: <tag> ends as exactly one of them, complete, and its marker says which', async () => {
    for (let round = 0; round < 5; round++) {
      const destination = temporaryDir()
      await Promise.allSettled([install(destination, 1001, a, true), install(destination, 1002, b, true)])
      const landed = tree(path.join(destination, 'v1'))
      const which = [a, b].find((release) => tree(release.dir) === landed)
      assert.ok(which, `round ${round}: v1 is exactly A or exactly B`)
      assert.equal(await new ReleaseLayout(destination, 'v1').holds(which.release.contentId), 'same')
      assertClean(destination)
    }
  })
})

describe('content id', () => {
  test('the installed tree has the content id the release was packed with', async () => {
    const destination = temporaryDir()
    await install(destination, 1001, b, false, 'v7')
    assert.equal(await treeDigest(path.join(destination, 'v7')), b.release.contentId)
    assertClean(destination, 'v7')
  })
})
