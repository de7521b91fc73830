/**
 * The pack's first pass in its workers (tree-hashes.ts, hash-task.ts): the same file hashes, so the
 * same content id, as hashing on one thread; the hashes of a big file's cuts are those of its bytes
 * at each CHUNK, and its content hash is made of theirs; and an object named from them is refused if its file changed before it was encoded.
 */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describeTree, digestOf } from '../../../src/content/tree-digest.js'
import { encodeWhole, type WholeTask } from '../../../src/pack/encode-task.js'
import { hashRanges } from '../../../src/pack/hash-task.js'
import { CHUNK } from '../../../src/pack/plan.js'
import { poolHasher } from '../../../src/pack/tree-hashes.js'
import { removeTemporaryDirs, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

describe('hashing the tree in the pack\'s workers', () => {
  const dir = temporaryDir()
  const big = randomBytes(2 * CHUNK + 4097)
  fs.writeFileSync(path.join(dir, 'big.bin'), big)
  fs.writeFileSync(path.join(dir, 'chunk.bin'), big.subarray(0, CHUNK))
  fs.writeFileSync(path.join(dir, 'empty'), '')
  fs.mkdirSync(path.join(dir, 'many'))
  // More files than one batch takes, so that several tasks carry small files.
  for (let index = 0; index < 600; index++) fs.writeFileSync(path.join(dir, 'many', `${index}.txt`), `file ${index}\n`)
  const tasks: number[] = []
  const hasher = poolHasher(async (task) => {
    tasks.push(task.ranges.length)
    return hashRanges(task)
  })

  test('every file has the hash one thread gives it, and the tree the same content id', async () => {
    const here = await describeTree(dir)
    const pooled = await describeTree(dir, hasher)
    assert.deepEqual(pooled.map((entry) => entry.sha256), here.map((entry) => entry.sha256))
    assert.equal(digestOf(pooled), digestOf(here))
    assert.ok(tasks.length >= 5, `${tasks.length} tasks: the big file's 3 cuts, and batches of small files`)
  })
  test('a file bigger than one CHUNK has the hash of each cut; one of CHUNK bytes or less has none', async () => {
    const pooled = await describeTree(dir, hasher)
    const byName = new Map(pooled.map((entry) => [entry.relative, entry]))
    const cuts = [big.subarray(0, CHUNK), big.subarray(CHUNK, 2 * CHUNK), big.subarray(2 * CHUNK)].map((cut) => createHash('sha256').update(cut).digest())
    assert.deepEqual(byName.get('big.bin')!.cutSha256, cuts.map((cut) => cut.toString('hex')))
    assert.equal(byName.get('big.bin')!.sha256, sha256(Buffer.concat(cuts)), 'its content hash: the sha256 of its cuts\' digests')
    const here = new Map((await describeTree(dir)).map((entry) => [entry.relative, entry]))
    assert.deepEqual(here.get('big.bin')!.cutSha256, byName.get('big.bin')!.cutSha256, 'one thread cuts it the same way')
    assert.equal(byName.get('chunk.bin')!.cutSha256, undefined)
    assert.equal(byName.get('chunk.bin')!.sha256, sha256(big.subarray(0, CHUNK)))
  })
})

/** An encode task for one file of random bytes, and what the first pass knows of it. */
function fileTask(level: number): { task: WholeTask; known: NonNullable<WholeTask['known']> } {
  const file = path.join(temporaryDir(), 'a.bin')
  fs.writeFileSync(file, randomBytes(100_000))
  const stat = fs.statSync(file)
  const task: WholeTask = {
    kind: 'encode',
    sources: [{ full: file, start: 0, size: stat.size }],
    plainSize: stat.size,
    level,
    secret: '11'.repeat(32),
    encrypt: true,
    seal: true,
    pieceLength: 16384,
    pieceHashes: true,
    outDir: temporaryDir(),
    write: 'all',
  }
  return { task, known: { sha256: sha256(fs.readFileSync(file)), size: stat.size, mtimeMs: stat.mtimeMs } }
}

describe('an object named from the first pass', () => {
  test('is refused when its file changed before its bytes were read', () => {
    const { task, known } = fileTask(0)
    const good = encodeWhole({ ...task, known })
    assert.equal(good.written, true)
    assert.throws(() => encodeWhole({ ...task, known: { ...known, mtimeMs: known.mtimeMs - 1000 } }), /a\.bin changed while it was being packed/)
  })
  test('without pieces or a file to write, is named and keyed as a full encode names and keys it', () => {
    const { task, known } = fileTask(6)
    const full = encodeWhole({ ...task, write: 'compressed' })
    const lean = encodeWhole({ ...task, write: 'compressed', pieceHashes: false, known })
    assert.deepEqual({ ...lean, pieces: undefined }, { ...full, pieces: undefined })
    assert.equal(lean.pieces.length, 0)
    assert.ok(full.pieces.length > 0)
  })
})
