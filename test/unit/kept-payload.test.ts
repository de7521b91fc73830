/** ReleaseLayout's kept payloads: what a host keeps to seed a later deploy of the same build, and when it lets go. */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { ReleaseLayout, unpackRelease } from '../../src/agent/release.js'
import { packDirectory } from '../../src/pack/pack.js'
import { removeTemporaryDirs, temporaryDir } from './helpers.js'

after(removeTemporaryDirs)

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
  test('sweepKeptPayloads with no payloads directory does nothing', () => {
    const layout = new ReleaseLayout(temporaryDir(), 'v1')
    layout.sweepKeptPayloads()
    assert.equal(fs.existsSync(layout.payloadsDir), false)
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
