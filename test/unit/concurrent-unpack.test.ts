/**
 * Two agents unpacking the same tag on one host at once (two workflow runs; one host listed under
 * two names): each works in its own directory, and <tag> ends as exactly one complete release —
 * never a mix, never half-written — with the outcome each agent reports matching what is there.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { ReleaseLayout, TagExistsError, unpackRelease } from '../../src/agent/release.js'
import { packDirectory, type PackedPayload } from '../../src/pack/pack.js'
import { treeDigest } from '../../src/pack/tree-digest.js'
import { removeTemporaryDirs, snapshotTree, temporaryDir } from './helpers.js'

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
