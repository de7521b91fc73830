/**
 * Modes that let a build step take over a host: a setuid/setgid file lands owned by the deploy user
 * (often root), and an entry others may write can be changed by any local user. Both are cut at
 * pack time unless preserve-special-modes is set, and the log names what was cut.
 */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { materialize } from '../../../src/agent/materialize.js'
import { treeDigest } from '../../../src/content/tree-digest.js'
import { describeStrippedModes } from '../../../src/pack/modes.js'
import { pack, removeTemporaryDirs, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

function riskyBuild(): string {
  const dir = temporaryDir('murder-unit-src-')
  const at = (relative: string) => path.join(dir, relative)
  fs.mkdirSync(at('bin'))
  fs.mkdirSync(at('drop'))
  fs.writeFileSync(at('bin/su'), '#!/bin/sh\n')
  fs.writeFileSync(at('bin/sg'), '#!/bin/sh\necho sg\n')
  fs.writeFileSync(at('open.txt'), 'anyone may write me\n')
  fs.writeFileSync(at('plain.txt'), 'fine\n')
  fs.chmodSync(at('bin/su'), 0o4755)
  fs.chmodSync(at('bin/sg'), 0o2750)
  fs.chmodSync(at('open.txt'), 0o666)
  fs.chmodSync(at('plain.txt'), 0o664)
  fs.chmodSync(at('drop'), 0o1777)
  return dir
}

function modesOf(manifestEntries: { path: string; mode?: number }[]): Record<string, string> {
  return Object.fromEntries(manifestEntries.filter((entry) => entry.mode !== undefined).map((entry) => [entry.path, entry.mode!.toString(8)]))
}

describe('special modes', () => {
  test('by default setuid, setgid and write-for-others are cut, and the release says which entries', async () => {
    const release = await pack(riskyBuild())
    assert.deepEqual(modesOf(release.manifest.entries), { bin: '755', 'bin/sg': '750', 'bin/su': '755', drop: '1775', 'open.txt': '664', 'plain.txt': '664' })
    assert.deepEqual(
      release.strippedModes.map((entry) => entry.path),
      ['bin/sg', 'bin/su', 'drop', 'open.txt'],
    )
    assert.deepEqual(release.strippedModes.find((entry) => entry.path === 'bin/su'), { path: 'bin/su', from: 0o4755, to: 0o755 })
  })
  test('what lands is what the content id names: a re-run finds the release "same"', async () => {
    const release = await pack(riskyBuild())
    const target = path.join(temporaryDir(), 'v1')
    await materialize(release.manifest, release.objectsDir, target)
    assert.equal(fs.statSync(path.join(target, 'bin/su')).mode & 0o7777, 0o755)
    assert.equal(await treeDigest(target), release.contentId)
  })
  test('preserveSpecialModes keeps every mode as it is', async () => {
    const release = await pack(riskyBuild(), { preserveSpecialModes: true })
    assert.deepEqual(modesOf(release.manifest.entries), { bin: '755', 'bin/sg': '2750', 'bin/su': '4755', drop: '1777', 'open.txt': '666', 'plain.txt': '664' })
    assert.deepEqual(release.strippedModes, [])
  })
  test('the warning names the first few entries and counts the rest', () => {
    const many = Array.from({ length: 12 }, (_, index) => ({ path: `f${index}`, from: 0o4755, to: 0o755 }))
    const text = describeStrippedModes(many)
    assert.match(text, /^12 entries had setuid, setgid or write-for-others bits; they were removed: f0 \(4755 → 755\), f1 .*f4 \(4755 → 755\) and 7 more\. /)
    assert.match(text, /preserve-special-modes: true/)
  })
})
