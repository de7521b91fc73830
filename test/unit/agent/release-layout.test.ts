/**
 * ReleaseLayout: where a host's releases, markers and agents' work live; what `inspect` says of a
 * tag; what sweepIncoming clears; and the kept payloads — what a host keeps to seed a later deploy
 * of the same build, and when it lets go.
 */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { ReleaseLayout } from '../../../src/agent/release-layout.js'
import { unpackRelease } from '../../../src/agent/unpack.js'
import { treeDigest } from '../../../src/content/tree-digest.js'
import { packDirectory } from '../../../src/pack/pack.js'
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
})

/** A destination where v1 is in place (marker for contentId c1) and a verified download waits in incoming/. */
function released(): { layout: ReleaseLayout; download: string } {
  const layout = new ReleaseLayout(temporaryDir(), 'v1')
  fs.mkdirSync(layout.finalDir, { recursive: true })
  layout.writeMarker({ contentId: 'c1', tag: 'v1', at: '2026-11-24T00:00:00.000Z' })
  const download = path.join(layout.workDir, 'v1.tar.gz.enc')
  fs.mkdirSync(path.dirname(download), { recursive: true })
  fs.writeFileSync(download, 'payload bytes')
  return { layout, download }
}

describe('kept payloads', () => {
  test('keepPayload moves the file beside the release and records it; keptPayloadFor finds it only for that payload', () => {
    const { layout, download } = released()
    assert.equal(layout.keepPayload(download, 'v1.tar.gz.enc', 'aa'.repeat(32), 'c1'), true)
    const kept = path.join(layout.destination, '.murder/payloads/v1/v1.tar.gz.enc')
    assert.equal(fs.readFileSync(kept, 'utf8'), 'payload bytes')
    assert.equal(fs.existsSync(download), false, 'moved, not copied')
    assert.deepEqual(layout.readMarker()?.payload, { name: 'v1.tar.gz.enc', sha256: 'aa'.repeat(32) })
    assert.equal(layout.readMarker()?.contentId, 'c1')
    assert.equal(layout.keptPayloadFor('v1.tar.gz.enc', 'aa'.repeat(32)), kept)
    assert.equal(layout.keptPayloadFor('v1.tar.gz.enc', 'bb'.repeat(32)), undefined, 'another payload (another key or packing)')
    assert.equal(layout.keptPayloadFor('v1.tar.gz', 'aa'.repeat(32)), undefined)
    fs.rmSync(kept)
    assert.equal(layout.keptPayloadFor('v1.tar.gz.enc', 'aa'.repeat(32)), undefined, 'recorded but gone')
  })
  test('a payload is never attached to a release it did not make', () => {
    const { layout, download } = released()
    assert.equal(layout.keepPayload(download, 'v1.tar.gz.enc', 'aa'.repeat(32), 'another-content'), false)
    assert.equal(fs.existsSync(layout.keptPayloadDir), false)
    assert.equal(layout.readMarker()?.payload, undefined)
  })
  test('sweepKeptPayloads removes the payloads of releases that are gone, and keeps the others', () => {
    const { layout, download } = released()
    layout.keepPayload(download, 'v1.tar.gz.enc', 'aa'.repeat(32), 'c1')
    for (const tag of ['v0', 'v2']) {
      fs.mkdirSync(path.join(layout.payloadsDir, tag), { recursive: true })
      fs.writeFileSync(path.join(layout.payloadsDir, tag, `${tag}.tar.gz`), 'old')
    }
    fs.mkdirSync(path.join(layout.destination, 'v2'))
    layout.sweepKeptPayloads()
    assert.deepEqual(fs.readdirSync(layout.payloadsDir).sort(), ['v1', 'v2'], 'v0 was pruned by the operator')
  })
  test('sweepKeptPayloads with no payloads directory leaves the destination as it was', () => {
    const layout = new ReleaseLayout(temporaryDir(), 'v1')
    fs.mkdirSync(layout.finalDir)
    layout.writeMarker({ contentId: 'c1', tag: 'v1', at: '2026-11-24T00:00:00.000Z' })
    const before = (fs.readdirSync(layout.destination, { recursive: true }) as string[]).sort()
    layout.sweepKeptPayloads()
    assert.deepEqual((fs.readdirSync(layout.destination, { recursive: true }) as string[]).sort(), before)
    assert.deepEqual(before, ['.murder', path.join('.murder', 'v1.json'), 'v1'])
  })
  test('overwriting the release drops the payload kept for the old one', async () => {
    const { layout, download } = released()
    layout.keepPayload(download, 'v1.tar.gz.enc', 'aa'.repeat(32), 'c1')
    const source = temporaryDir()
    fs.writeFileSync(path.join(source, 'new.txt'), 'new\n')
    const packed = await packDirectory(source, path.join(temporaryDir(), 'p'), { gzipLevel: 1, encrypt: false })
    await unpackRelease(packed.file, layout, { contentId: 'c2', mtimes: packed.mtimes, overwrite: true })
    assert.equal(fs.existsSync(layout.keptPayloadDir), false)
    assert.deepEqual(layout.readMarker()?.contentId, 'c2')
    assert.equal(layout.readMarker()?.payload, undefined)
    assert.equal(layout.keptPayloadFor('v1.tar.gz.enc', 'aa'.repeat(32)), undefined)
  })
})
