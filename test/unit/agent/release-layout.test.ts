/**
 * ReleaseLayout: where a host's releases, markers, object store and agents' work live; what
 * `inspect` and `holds` say of a tag; what sweepIncoming clears and adopts; and which objects the
 * store must keep (those of the releases still on disk).
 */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { ReleaseLayout } from '../../../src/agent/release-layout.js'
import { CONTENT_DIGEST, CUT_BYTES, treeDigest } from '../../../src/content/tree-digest.js'
import { removeTemporaryDirs, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

describe('layout, inspect and sweepIncoming', () => {
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
  test('sweepIncoming adopts the objects dead agents left into this agent\'s objects/, removes their directories, spares live agents', () => {
    const layout = new ReleaseLayout(temporaryDir(), 'v1')
    const dead = new ReleaseLayout(layout.destination, 'v1', 2 ** 22 + 12345) // above pid_max: no such process
    const deadOther = new ReleaseLayout(layout.destination, 'v0', 99999999)
    const live = new ReleaseLayout(layout.destination, 'v2', process.ppid)
    for (const dir of [layout.workObjectsDir, dead.workObjectsDir, deadOther.workObjectsDir, live.workObjectsDir]) fs.mkdirSync(dir, { recursive: true })
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((letter) => letter.repeat(32)) as [string, string, string, string]
    fs.writeFileSync(path.join(dead.workObjectsDir, a), 'half a download')
    fs.writeFileSync(path.join(dead.workObjectsDir, 'not-an-object.tmp'), 'junk')
    fs.mkdirSync(path.join(dead.partialDir, 'half-written'), { recursive: true })
    fs.writeFileSync(path.join(deadOther.workObjectsDir, b), 'an object of an older tag')
    fs.writeFileSync(path.join(live.workObjectsDir, c), 'in progress elsewhere')
    fs.writeFileSync(path.join(layout.workObjectsDir, d), 'mine already')
    fs.writeFileSync(path.join(layout.incomingDir, 'v0.tar.gz'), 'the old flat layout')
    layout.sweepIncoming()
    assert.deepEqual(fs.readdirSync(layout.workObjectsDir).sort(), [a, b, d], 'the dead agents\' objects, moved in; junk not adopted')
    assert.equal(fs.readFileSync(path.join(layout.workObjectsDir, a), 'utf8'), 'half a download')
    assert.equal(fs.readFileSync(path.join(layout.workObjectsDir, d), 'utf8'), 'mine already')
    assert.deepEqual(fs.readdirSync(layout.incomingDir).sort(), [String(process.pid), String(process.ppid)].sort(), 'dead directories and stray files gone')
    assert.deepEqual(fs.readdirSync(live.workObjectsDir), [c], 'a live agent\'s work is left alone')
    assert.equal(fs.readFileSync(path.join(live.workObjectsDir, c), 'utf8'), 'in progress elsewhere')
  })
  test('sweepIncoming with nothing to sweep changes nothing', () => {
    const layout = new ReleaseLayout(temporaryDir(), 'v1')
    layout.sweepIncoming()
    assert.deepEqual(fs.readdirSync(layout.destination), [])
  })
  test('removeLegacyPayloads removes .murder/payloads/ (kept by agents before the object store) and nothing else', () => {
    const layout = new ReleaseLayout(temporaryDir(), 'v1')
    fs.mkdirSync(path.join(layout.stateDir, 'payloads/v1'), { recursive: true })
    fs.writeFileSync(path.join(layout.stateDir, 'payloads/v1/v1.tar.gz'), 'old payload')
    fs.mkdirSync(layout.storeDir, { recursive: true })
    fs.writeFileSync(path.join(layout.storeDir, 'e'.repeat(32)), 'an object')
    layout.writeMarker({ contentId: 'c1', tag: 'v1', at: '2026-11-24T00:00:00.000Z' })
    layout.removeLegacyPayloads()
    assert.deepEqual(fs.readdirSync(layout.stateDir).sort(), ['objects', 'v1.json'])
    assert.deepEqual(fs.readdirSync(layout.storeDir), ['e'.repeat(32)])
    layout.removeLegacyPayloads() // and again, with nothing to remove
  })
  test('paths of the layout: everything in progress is in the agent\'s own directory', () => {
    const layout = new ReleaseLayout('/srv/releases', 'v1.2.3', 4242)
    assert.deepEqual(
      [layout.finalDir, layout.stateDir, layout.markerFile, layout.incomingDir, layout.workDir, layout.workObjectsDir, layout.partialDir, layout.asideDir, layout.storeDir],
      [
        '/srv/releases/v1.2.3',
        '/srv/releases/.murder',
        '/srv/releases/.murder/v1.2.3.json',
        '/srv/releases/.murder/incoming',
        '/srv/releases/.murder/incoming/4242',
        '/srv/releases/.murder/incoming/4242/objects',
        '/srv/releases/.murder/incoming/4242/v1.2.3',
        '/srv/releases/.murder/incoming/4242/v1.2.3.replaced',
        '/srv/releases/.murder/objects',
      ],
    )
    assert.equal(new ReleaseLayout('/srv/releases', 'v1').pid, process.pid)
  })
  test('holds: "same" only while the tree on disk is still the content the marker names', async () => {
    const layout = new ReleaseLayout(temporaryDir(), 'v1')
    fs.mkdirSync(layout.finalDir)
    fs.writeFileSync(path.join(layout.finalDir, 'index.html'), 'v1\n')
    const contentId = await treeDigest(layout.finalDir)
    layout.writeMarker({ contentId, tag: 'v1', at: '2026-11-24T00:00:00.000Z' })
    assert.equal(await layout.holds(contentId), 'same')
    assert.equal(await layout.holds('f'.repeat(64)), 'different')
    assert.equal(await new ReleaseLayout(layout.destination, 'v2').holds(contentId), 'absent')
    fs.appendFileSync(path.join(layout.finalDir, 'index.html'), 'edited in place\n')
    assert.equal(layout.inspect(contentId), 'same', 'the marker still says so')
    assert.equal(await layout.holds(contentId), 'modified')
  })
  test('holds: a marker of an older digest (big files named by all their bytes) defers to the tree, and is brought up to date', async () => {
    const layout = new ReleaseLayout(temporaryDir(), 'v1')
    fs.mkdirSync(layout.finalDir)
    fs.writeFileSync(path.join(layout.finalDir, 'big.bin'), Buffer.alloc(CUT_BYTES + 1000, 7))
    const contentId = await treeDigest(layout.finalDir)
    layout.writeMarker({ contentId: 'a'.repeat(64), tag: 'v1', at: '2026-11-24T00:00:00.000Z', objects: ['o1'] })
    assert.equal(await layout.holds('f'.repeat(64)), 'different', 'another release still is one')
    assert.equal(layout.readMarker()!.contentId, 'a'.repeat(64))
    assert.equal(await layout.holds(contentId), 'same', 'the tree is this content')
    assert.deepEqual(layout.readMarker(), { contentId, digest: CONTENT_DIGEST, tag: 'v1', at: '2026-11-24T00:00:00.000Z', objects: ['o1'] })
    // A marker of today's digest that names another content is believed, without reading the tree.
    layout.writeMarker({ contentId: 'b'.repeat(64), digest: CONTENT_DIGEST, tag: 'v1', at: '2026-11-24T00:00:00.000Z' })
    assert.equal(await layout.holds(contentId), 'different')
  })
})

describe('objectsOfKeptReleases', () => {
  test('the objects of every release still on disk, from their markers; not those of releases that are gone', () => {
    const layout = new ReleaseLayout(temporaryDir(), 'v1')
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((letter) => letter.repeat(32)) as [string, string, string, string]
    const release = (tag: string, objects: string[] | undefined, onDisk: boolean): void => {
      new ReleaseLayout(layout.destination, tag).writeMarker({ contentId: tag.repeat(4), tag, at: '2026-11-24T00:00:00.000Z', ...(objects ? { objects } : {}) })
      if (onDisk) fs.mkdirSync(path.join(layout.destination, tag))
    }
    release('v1', [a, b], true)
    release('v2', [b, c], true)
    release('v0', [d], false) // removed by the operator: its objects may go
    release('v-old', undefined, true) // a marker from before the store: no objects
    fs.writeFileSync(path.join(layout.stateDir, 'broken.json'), '{not json')
    fs.mkdirSync(path.join(layout.destination, 'broken'))
    assert.deepEqual([...layout.objectsOfKeptReleases()].sort(), [a, b, c])
    fs.rmSync(path.join(layout.destination, 'v2'), { recursive: true })
    assert.deepEqual([...layout.objectsOfKeptReleases()].sort(), [a, b])
  })
  test('no state directory: nothing to keep', () => {
    assert.deepEqual([...new ReleaseLayout(temporaryDir(), 'v1').objectsOfKeptReleases()], [])
  })
})
