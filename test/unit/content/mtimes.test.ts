/** Modification times travel beside the archive (the archive carries none): their encoding, and how they land on a tree. */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { deflateRawSync } from 'node:zlib'
import { applyMtimes, decodeMtimes, encodeMtimes, treeMtimes } from '../../../src/content/mtimes.js'
import { removeTemporaryDirs, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

describe('encodeMtimes and decodeMtimes', () => {
  test('round-trip whole milliseconds, and stay small for clustered times', () => {
    const times = [1_700_000_000_123.9, 1_700_000_000_123, 1_600_000_000_000, 0, 1_700_000_999_999]
    assert.deepEqual(decodeMtimes(encodeMtimes(times)), times.map(Math.trunc))
    const build = Array.from({ length: 10_000 }, (_, index) => 1_700_000_000_000 + Math.floor(index / 100) * 7)
    const encoded = encodeMtimes(build)
    assert.deepEqual(decodeMtimes(encoded), build)
    assert.ok(encoded.length < 2_000, `10 000 clustered times encode to ${encoded.length} characters`)
  })
  test('no entries: an empty list', () => {
    assert.deepEqual(decodeMtimes(encodeMtimes([])), [])
  })
  test('decode refuses what is not deflated', () => {
    assert.throws(() => decodeMtimes(Buffer.from('nope').toString('base64')), { code: 'Z_DATA_ERROR' })
    assert.throws(() => decodeMtimes(encodeMtimes([]).replace(/./, 'A')), { code: 'Z_DATA_ERROR' })
  })
  test('decode refuses JSON that is not a list of integers', () => {
    for (const json of ['{"a":1}', '[1.5]', '["1"]', '[null]', `[${2 ** 53}]`]) {
      assert.throws(() => decodeMtimes(deflateRawSync(json).toString('base64')), { message: 'the modification times are not a list of integers' }, json)
    }
  })
})

describe('applyMtimes', () => {
  test('sets children before parents, so directory times stick', () => {
    const dir = temporaryDir()
    fs.mkdirSync(path.join(dir, 'd'))
    fs.writeFileSync(path.join(dir, 'd/f'), 'x')
    applyMtimes(dir, encodeMtimes([1_000_000, 2_000_000]))
    assert.equal(Math.trunc(fs.statSync(path.join(dir, 'd')).mtimeMs), 1_000_000)
    assert.equal(Math.trunc(fs.statSync(path.join(dir, 'd/f')).mtimeMs), 2_000_000)
    assert.deepEqual(treeMtimes(dir).map(Math.trunc), [1_000_000, 2_000_000])
  })
  test('a symlink gets its own time; its target keeps its own', () => {
    const dir = temporaryDir()
    fs.writeFileSync(path.join(dir, 'a'), 'x')
    fs.symlinkSync('a', path.join(dir, 'b'))
    applyMtimes(dir, encodeMtimes([1_000_000, 3_000_000]))
    assert.equal(Math.trunc(fs.lstatSync(path.join(dir, 'a')).mtimeMs), 1_000_000)
    assert.equal(Math.trunc(fs.lstatSync(path.join(dir, 'b')).mtimeMs), 3_000_000)
  })
  test('times for another tree (another entry count) are refused', () => {
    const dir = temporaryDir()
    fs.writeFileSync(path.join(dir, 'f'), 'x')
    assert.throws(() => applyMtimes(dir, encodeMtimes([1, 2])), { message: 'the release has 1 entries but the deploy sent times for 2' })
  })
  test('every millisecond lands as itself, whatever float error fs adds (x.902 s must not become x.901999950)', () => {
    const dir = temporaryDir()
    fs.writeFileSync(path.join(dir, 'f'), 'x')
    const start = Date.parse('2026-11-24T23:21:39.000Z')
    for (let offset = 0; offset < 2000; offset++) {
      const ms = start + offset * 1_000_003 + (offset % 1000)
      applyMtimes(dir, encodeMtimes([ms]))
      assert.equal(Math.trunc(fs.statSync(path.join(dir, 'f')).mtimeMs), ms, `ms ${ms}`)
    }
  })
})
