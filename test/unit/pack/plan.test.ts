/**
 * planObjects: which bytes go into which object. Big files are objects of their own (in 16 MiB
 * chunks), small files share bundles cut where their content says, identical content is one object
 * — so a hotfix changes few objects, and a re-run none.
 */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { ManifestEntry, Segment } from '../../../src/content/manifest.js'
import { describeTree } from '../../../src/content/tree-digest.js'
import { choosePieceLength, CHUNK, planObjects, type Plan } from '../../../src/pack/plan.js'
import { removeTemporaryDirs, sha256, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

const MiB = 1024 * 1024
/** A small piece length, so that small trees make several bundles: files below it are bundled. */
const PIECE = 512
const SMALL_FILE = PIECE
/** Bundles close at a content cut from 8 pieces on, and before they would pass 24 pieces in any case. */
const BUNDLE_MAX = 24 * PIECE

async function planOf(dir: string): Promise<Plan> {
  return planObjects(await describeTree(dir), PIECE)
}

function segmentsOf(plan: Plan, relative: string): Segment[] {
  const entry = plan.entries.find((candidate) => candidate.path === relative)
  assert.ok(entry?.type === 'file', `${relative} is a file of the plan`)
  return entry.segments
}

/** Each object as the list of files (relative paths) whose bytes it holds, in order. */
function memberships(plan: Plan, root: string): string[] {
  return plan.objects.map((object) => object.sources.map((source) => `${path.relative(root, source.full)}@${source.start}+${source.size}`).join(' '))
}

/** `count` small files of distinct content, in a few directories; returns their relative paths in walk order. */
function smallFiles(dir: string, count: number, prefix = 'f'): string[] {
  const names: string[] = []
  for (let index = 0; index < count; index++) {
    const relative = `d${index % 3}/${prefix}${String(index).padStart(4, '0')}.txt`
    fs.mkdirSync(path.join(dir, path.dirname(relative)), { recursive: true })
    fs.writeFileSync(path.join(dir, relative), `file ${prefix} ${index}\n`.repeat(1 + (index % 40)))
    names.push(relative)
  }
  return names.sort()
}

describe('big files', () => {
  test('a 40 MiB file is three objects: 16 MiB, 16 MiB and 8 MiB, read at the right offsets', async () => {
    const dir = temporaryDir()
    const big = path.join(dir, 'disk.img')
    fs.closeSync(fs.openSync(big, 'w'))
    fs.truncateSync(big, 40 * MiB) // sparse: cheap to make, hashed once by describeTree
    const plan = await planOf(dir)
    assert.equal(CHUNK, 16 * MiB)
    assert.deepEqual(
      plan.objects.map((object) => object.sources),
      [0, 16, 32].map((start, index) => [{ full: big, start: start * MiB, size: index < 2 ? 16 * MiB : 8 * MiB }]),
    )
    assert.deepEqual(plan.objects.map((object) => object.plainSize), [16 * MiB, 16 * MiB, 8 * MiB])
    assert.deepEqual(segmentsOf(plan, 'disk.img'), [
      { object: 0, offset: 0, length: 16 * MiB },
      { object: 1, offset: 0, length: 16 * MiB },
      { object: 2, offset: 0, length: 8 * MiB },
    ])
    const entry = plan.entries[0] as Extract<ManifestEntry, { type: 'file' }>
    assert.equal(entry.size, 40 * MiB)
  })
  test('exactly SMALL_FILE bytes is an object of its own; one byte less is bundled', async () => {
    const dir = temporaryDir()
    fs.writeFileSync(path.join(dir, 'at-limit'), randomBytes(SMALL_FILE))
    fs.writeFileSync(path.join(dir, 'below'), randomBytes(SMALL_FILE - 1))
    const plan = await planOf(dir)
    assert.deepEqual(segmentsOf(plan, 'at-limit'), [{ object: 0, offset: 0, length: SMALL_FILE }])
    assert.equal(plan.objects[0]!.sources.length, 1)
    const below = segmentsOf(plan, 'below')
    assert.equal(below.length, 1)
    assert.notEqual(below[0]!.object, 0)
    assert.equal(plan.objects[below[0]!.object]!.sources[0]!.full, path.join(dir, 'below'))
  })
  test('a file of exactly CHUNK bytes is one object, not one and an empty one', async () => {
    const dir = temporaryDir()
    fs.closeSync(fs.openSync(path.join(dir, 'exact'), 'w'))
    fs.truncateSync(path.join(dir, 'exact'), CHUNK)
    const plan = await planOf(dir)
    assert.equal(plan.objects.length, 1)
    assert.deepEqual(segmentsOf(plan, 'exact'), [{ object: 0, offset: 0, length: CHUNK }])
  })
})

describe('small files', () => {
  test('are bundled in walk order, each a segment at its offset in its bundle', async () => {
    const dir = temporaryDir()
    const names = smallFiles(dir, 200)
    const plan = await planOf(dir)
    assert.ok(plan.objects.length < 200 / 4, `${plan.objects.length} bundles for 200 files`)
    assert.ok(plan.objects.length > 1, 'cut into more than one bundle')
    // Every file is one segment, and the bundles hold the files one after another, in walk order.
    const order: string[] = []
    for (const [index, object] of plan.objects.entries()) {
      let offset = 0
      for (const source of object.sources) {
        const relative = path.relative(dir, source.full)
        assert.deepEqual(segmentsOf(plan, relative), [{ object: index, offset, length: source.size }], relative)
        assert.equal(source.start, 0)
        assert.equal(source.size, fs.statSync(source.full).size)
        offset += source.size
        order.push(relative)
      }
      assert.equal(object.plainSize, offset)
    }
    assert.deepEqual(order, names)
  })
  test('a bundle closes once it reaches BUNDLE_MAX, when no content cut comes first', async () => {
    const dir = temporaryDir()
    for (let index = 0; index < 48; index++) {
      const file = path.join(dir, `r${String(index).padStart(2, '0')}`)
      fs.closeSync(fs.openSync(file, 'w'))
      fs.truncateSync(file, SMALL_FILE - 1)
    }
    // Distinct contents whose hashes never cut (their last 32 bits draw the largest value).
    const described = (await describeTree(dir)).map((entry, index) => ({ ...entry, sha256: sha256(`content ${index}`).slice(0, 56) + 'ffffffff' }))
    const plan = planObjects(described, PIECE)
    const perBundle = Math.floor(BUNDLE_MAX / (SMALL_FILE - 1))
    assert.equal(perBundle, 24)
    assert.deepEqual(
      plan.objects.map((object) => object.sources.length),
      [24, 24],
      'closed before the file that would pass the cap',
    )
    assert.ok(plan.objects.every((object) => object.plainSize <= BUNDLE_MAX))
  })
  test('a content cut closes a bundle once it holds 8 pieces, not before', async () => {
    const dir = temporaryDir()
    const names = Array.from({ length: 20 }, (_, index) => `f${String(index).padStart(2, '0')}`)
    for (const name of names) fs.writeFileSync(path.join(dir, name), randomBytes(SMALL_FILE - 1))
    // f02 and f10 have hashes that cut; f02 comes before the bundle holds 8 pieces (4,096 bytes).
    const hashes = names.map((_, index) => sha256(`content ${index}`).slice(0, 56) + (index === 2 || index === 10 ? '00000000' : 'ffffffff'))
    const plan = planObjects((await describeTree(dir)).map((entry, index) => ({ ...entry, sha256: hashes[index] })), PIECE)
    assert.deepEqual(
      plan.objects.map((object) => object.sources.length),
      [11, 9],
      'cut after f10 (11 × 511 bytes ≥ 4,096), not after f02',
    )
  })
  test('an empty file has no segments and no object', async () => {
    const dir = temporaryDir()
    fs.writeFileSync(path.join(dir, 'empty'), '')
    fs.writeFileSync(path.join(dir, 'empty-too'), '')
    let plan = await planOf(dir)
    assert.deepEqual(plan.objects, [])
    assert.deepEqual(
      plan.entries.map((entry) => entry.type === 'file' && [entry.path, entry.size, entry.segments]),
      [
        ['empty', 0, []],
        ['empty-too', 0, []],
      ],
    )
    fs.writeFileSync(path.join(dir, 'not-empty'), 'x')
    plan = await planOf(dir)
    assert.equal(plan.objects.length, 1)
    assert.deepEqual(segmentsOf(plan, 'empty'), [])
  })
})

describe('identical content is one object', () => {
  test('small and big duplicates point at the same bytes; the object count does not grow', async () => {
    const dir = temporaryDir()
    const big = randomBytes(SMALL_FILE * 3)
    fs.mkdirSync(path.join(dir, 'a'))
    fs.mkdirSync(path.join(dir, 'b'))
    for (const sub of ['a', 'b']) {
      fs.writeFileSync(path.join(dir, sub, 'LICENSE'), 'MIT License\n'.repeat(40))
      fs.writeFileSync(path.join(dir, sub, 'big.bin'), big)
      fs.writeFileSync(path.join(dir, sub, `own-${sub}.txt`), `only in ${sub}\n`)
    }
    const plan = await planOf(dir)
    assert.deepEqual(segmentsOf(plan, 'b/LICENSE'), segmentsOf(plan, 'a/LICENSE'))
    assert.deepEqual(segmentsOf(plan, 'b/big.bin'), segmentsOf(plan, 'a/big.bin'))
    assert.notDeepEqual(segmentsOf(plan, 'b/own-b.txt'), segmentsOf(plan, 'a/own-a.txt'))
    const readers = plan.objects.flatMap((object) => object.sources.map((source) => path.relative(dir, source.full)))
    assert.deepEqual(readers.filter((name) => name.endsWith('LICENSE') || name.endsWith('big.bin')).sort(), ['a/LICENSE', 'a/big.bin'], 'each content read once')
  })
  test('the same bytes at another size are not the same content', async () => {
    const dir = temporaryDir()
    fs.writeFileSync(path.join(dir, 'one'), 'abc')
    fs.writeFileSync(path.join(dir, 'two'), 'abcd')
    const plan = await planOf(dir)
    assert.notDeepEqual(segmentsOf(plan, 'one'), segmentsOf(plan, 'two'))
  })
})

describe('content-defined bundles: a change moves few objects', () => {
  /** Which bundle holds `relative`, and whether it is the bundle's last file (the content cut there). */
  function placeOf(plan: Plan, root: string, relative: string): { bundle: number; last: boolean } {
    const bundle = plan.objects.findIndex((object) => object.sources.some((source) => source.full === path.join(root, relative)))
    const sources = plan.objects[bundle]!.sources
    return { bundle, last: sources[sources.length - 1]!.full === path.join(root, relative) }
  }

  /** Bundles of `after` that `before` does not have, and the other way round. */
  function changedBundles(before: string[], after: string[]): { gone: string[]; added: string[] } {
    return { gone: before.filter((bundle) => !after.includes(bundle)), added: after.filter((bundle) => !before.includes(bundle)) }
  }

  test('a changed small file changes only its own bundle when the content cut stays where it was', async () => {
    const dir = temporaryDir()
    const names = smallFiles(dir, 300)
    const before = await planOf(dir)
    // A file in the middle that does not end its bundle: most new contents do not cut there either.
    const changed = names.slice(100).find((name) => !placeOf(before, dir, name).last)!
    const was = placeOf(before, dir, changed)
    // A new content whose hash cuts (or does not cut) as the old one did.
    let plan: Plan | undefined
    for (let attempt = 0; attempt < 200 && plan === undefined; attempt++) {
      fs.writeFileSync(path.join(dir, changed), `hotfix ${attempt}\n`)
      const candidate = await planOf(dir)
      if (placeOf(candidate, dir, changed).last === was.last) plan = candidate
    }
    assert.ok(plan, 'found a hotfix that keeps the cut')
    const { gone, added } = changedBundles(memberships(before, dir), memberships(plan, dir))
    assert.equal(gone.length, 1, 'one bundle changed')
    assert.equal(added.length, 1)
    assert.ok(gone[0]!.includes(changed) && added[0]!.includes(changed), 'the bundle of the changed file')
    assert.equal(plan.objects.length, before.objects.length)
  })
  test('a changed small file that no longer cuts changes its bundle and the next, no other', async () => {
    const dir = temporaryDir()
    const names = smallFiles(dir, 300)
    const before = await planOf(dir)
    // A file in the middle that ends its bundle: most new contents do not cut there.
    const changed = names.slice(100).find((name) => placeOf(before, dir, name).last)!
    const was = placeOf(before, dir, changed)
    assert.ok(was.bundle + 1 < before.objects.length, 'a bundle follows')
    let plan: Plan | undefined
    for (let attempt = 0; attempt < 200 && plan === undefined; attempt++) {
      fs.writeFileSync(path.join(dir, changed), `hotfix ${attempt}\n`)
      const candidate = await planOf(dir)
      if (placeOf(candidate, dir, changed).last !== was.last) plan = candidate
    }
    assert.ok(plan, 'found a hotfix that moves the cut')
    // No cut after it any more: its bundle runs on into the next one's files (up to the next cut,
    // or the size cap, which can leave a tail bundle); every bundle after that is as it was.
    const { gone, added } = changedBundles(memberships(before, dir), memberships(plan, dir))
    assert.deepEqual(gone, memberships(before, dir).slice(was.bundle, was.bundle + gone.length))
    assert.ok(gone.length >= 2 && gone.length <= 4, `${gone.length} bundles changed`)
    assert.ok(added.length >= 1 && added.length <= 4, `${added.length} bundles new`)
    assert.ok(gone.length <= before.objects.length / 2, `${gone.length} of ${before.objects.length}: the rest are the same objects`)
    assert.ok(added[0]!.includes(changed))
  })
  test('a file inserted early shifts nothing after the next cut: most later bundles are the same objects', async () => {
    const dir = temporaryDir()
    smallFiles(dir, 300)
    const before = await planOf(dir)
    assert.ok(before.objects.length >= 8, `${before.objects.length} bundles`)
    fs.writeFileSync(path.join(dir, 'd0/f0003a.txt'), 'a new file early in the walk\n')
    const plan = await planOf(dir)
    const { gone, added } = changedBundles(memberships(before, dir), memberships(plan, dir))
    assert.ok(gone.length <= 2, `${gone.length} of ${before.objects.length} bundles changed`)
    assert.ok(added.length <= 2, `${added.length} new bundles`)
    // The bundles after the insertion are the same sources at new indexes: the same objects once encoded.
    assert.ok(plan.objects.length - added.length >= before.objects.length - 2)
  })
})

describe('directories and links', () => {
  test('pass through with their mode, target and mtime (whole milliseconds), in walk order', async () => {
    const dir = temporaryDir()
    fs.mkdirSync(path.join(dir, 'sub'))
    fs.chmodSync(path.join(dir, 'sub'), 0o2750)
    fs.symlinkSync('../x', path.join(dir, 'sub/up'))
    fs.writeFileSync(path.join(dir, 'x'), 'x')
    const when = new Date('2024-01-02T03:04:05.678Z')
    fs.lutimesSync(path.join(dir, 'sub/up'), when, when)
    fs.utimesSync(path.join(dir, 'sub'), when, when)
    const plan = await planOf(dir)
    // What the source holds, to the millisecond (utimes itself may land a hair before .678).
    const ms = (relative: string) => Math.trunc(fs.lstatSync(path.join(dir, relative)).mtimeMs)
    assert.ok(Math.abs(ms('sub') - when.getTime()) <= 1)
    assert.deepEqual(plan.entries.slice(0, 2), [
      { type: 'dir', path: 'sub', mode: 0o2750, mtimeMs: ms('sub') },
      { type: 'link', path: 'sub/up', target: '../x', mtimeMs: ms('sub/up') },
    ])
    assert.equal(plan.entries[2]!.path, 'x')
  })
})

describe('choosePieceLength', () => {
  test('keeps the ceiling when pads cost little, halves it while they cost more than 5 %', async () => {
    const dir = temporaryDir()
    // 40 files of 1.5 MiB: at 1 MiB pieces each pads 0.5 MiB (25 %); at 256 KiB, 0 %.
    for (let index = 0; index < 40; index++) {
      const file = path.join(dir, `f${index}`)
      fs.closeSync(fs.openSync(file, 'w'))
      fs.truncateSync(file, 1.5 * MiB)
      const fd = fs.openSync(file, 'r+')
      fs.writeSync(fd, `content ${index}`, 0) // distinct contents, the size kept
      fs.closeSync(fd)
    }
    const described = await describeTree(dir)
    const { pieceLength, plan } = choosePieceLength(described, MiB)
    const pad = plan.objects.reduce((sum, object) => sum + Math.ceil(object.plainSize / pieceLength) * pieceLength - object.plainSize, 0)
    const total = plan.objects.reduce((sum, object) => sum + Math.ceil(object.plainSize / pieceLength) * pieceLength, 0)
    assert.ok(pieceLength < MiB, `chose ${pieceLength}`)
    assert.ok(pad <= 0.05 * total, `pads ${pad} of ${total}`)
    // And the next larger length would have cost more than 5 %.
    const larger = planObjects(described, pieceLength * 2)
    const largerPad = larger.objects.reduce((sum, object) => sum + Math.ceil(object.plainSize / (pieceLength * 2)) * pieceLength * 2 - object.plainSize, 0)
    assert.ok(largerPad > 0.05 * (largerPad + larger.objects.reduce((sum, object) => sum + object.plainSize, 0)))
    const whole = await describeTree(dir)
    assert.equal(choosePieceLength(whole.filter((entry) => entry.relative === 'f0'), 256 * 1024).pieceLength, 256 * 1024, 'one 1.5 MiB file at 256 KiB pieces pads nothing')
  })
})
