/**
 * ObjectStore: a host's store of encoded objects. It lends objects to an agent by hard link (no
 * copy), counts only what is usable, takes in verified objects without replacing what it holds,
 * and lets go of what no kept release needs.
 */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { ObjectStore } from '../../../src/agent/object-store.js'
import { removeTemporaryDirs, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

const [A, B, C, D] = ['a', 'b', 'c', 'd'].map((letter) => letter.repeat(32)) as [string, string, string, string]

function storeWith(objects: Record<string, string | Buffer>): ObjectStore {
  const store = new ObjectStore(path.join(temporaryDir(), '.murder', 'objects'))
  fs.mkdirSync(store.dir, { recursive: true })
  for (const [id, bytes] of Object.entries(objects)) fs.writeFileSync(path.join(store.dir, id), bytes)
  return store
}

function workDir(): string {
  const dir = path.join(temporaryDir(), 'incoming', '42', 'objects')
  fs.mkdirSync(dir, { recursive: true })
  return dir
}

const inode = (file: string) => fs.statSync(file).ino

describe('lendTo', () => {
  test('links what the store holds into the work directory (the same inode, no copy) and counts its bytes', () => {
    const store = storeWith({ [A]: 'x'.repeat(10), [B]: 'y'.repeat(20) })
    const work = workDir()
    assert.equal(store.lendTo(work, [{ id: A, size: 10 }, { id: B, size: 20 }]), 30)
    for (const id of [A, B]) assert.equal(inode(path.join(work, id)), inode(path.join(store.dir, id)), id)
    assert.equal(fs.statSync(path.join(store.dir, A)).nlink, 2)
  })
  test('skips what the store lacks; counts only objects of the right size (a wrong size is linked, for the torrent to check)', () => {
    const store = storeWith({ [A]: 'x'.repeat(10), [B]: 'y'.repeat(5) })
    const work = workDir()
    assert.equal(store.lendTo(work, [{ id: A, size: 10 }, { id: B, size: 6 }, { id: C, size: 3 }]), 10)
    assert.deepEqual(fs.readdirSync(work).sort(), [A, B])
  })
  test('skips a directory in the store\'s place of an object', () => {
    const store = storeWith({})
    fs.mkdirSync(path.join(store.dir, A))
    const work = workDir()
    assert.equal(store.lendTo(work, [{ id: A, size: 10 }]), 0)
    assert.deepEqual(fs.readdirSync(work), [])
  })
  test('an object already in the work directory (a resumed download) is left as it is, and not counted', () => {
    const store = storeWith({ [A]: 'x'.repeat(10) })
    const work = workDir()
    fs.writeFileSync(path.join(work, A), 'half')
    assert.equal(store.lendTo(work, [{ id: A, size: 10 }]), 0)
    assert.equal(fs.readFileSync(path.join(work, A), 'utf8'), 'half')
    assert.notEqual(inode(path.join(work, A)), inode(path.join(store.dir, A)))
  })
  test('a store that does not exist yet is made (owner only), and lends nothing', () => {
    const store = new ObjectStore(path.join(temporaryDir(), '.murder', 'objects'))
    fs.mkdirSync(path.dirname(store.dir))
    assert.equal(store.lendTo(workDir(), [{ id: A, size: 1 }]), 0)
    assert.equal(fs.statSync(store.dir).mode & 0o077, 0)
  })
})

describe('adopt', () => {
  test('links new objects in, and leaves those it holds exactly as they are', () => {
    const store = storeWith({ [A]: 'the store\'s copy' })
    const work = workDir()
    fs.writeFileSync(path.join(work, A), 'another copy')
    fs.writeFileSync(path.join(work, B), 'new')
    const held = inode(path.join(store.dir, A))
    store.adopt(work, [A, B])
    assert.equal(fs.readFileSync(path.join(store.dir, A), 'utf8'), 'the store\'s copy')
    assert.equal(inode(path.join(store.dir, A)), held)
    assert.equal(inode(path.join(store.dir, B)), inode(path.join(work, B)), 'linked, not copied')
    assert.deepEqual(fs.readdirSync(store.dir).sort(), [A, B])
  })
  test('only the ids it is given', () => {
    const store = storeWith({})
    const work = workDir()
    fs.writeFileSync(path.join(work, A), 'verified')
    fs.writeFileSync(path.join(work, C), 'not part of the release')
    store.adopt(work, [A])
    assert.deepEqual(fs.readdirSync(store.dir), [A])
  })
  test('an id missing from the work directory is an error (the caller adopts only what it verified)', () => {
    const store = storeWith({})
    assert.throws(() => store.adopt(workDir(), [D]), { code: 'ENOENT' })
  })
})

describe('collect and bytesOnDisk', () => {
  test('removes every object not kept, returns the bytes it took on disk, keeps the rest', () => {
    // Random bytes: a compressing file system cannot make them smaller than they are.
    const store = storeWith({ [A]: randomBytes(10_000), [B]: randomBytes(50_000), [C]: randomBytes(3) })
    fs.writeFileSync(path.join(store.dir, `${D}.tmp`), 'stray')
    const onDisk = (id: string) => fs.statSync(path.join(store.dir, id)).blocks * 512
    const total = store.bytesOnDisk()
    assert.equal(total, [A, B, C, `${D}.tmp`].reduce((sum, id) => sum + onDisk(id), 0))
    assert.ok(total >= 60_003)
    const expected = onDisk(B) + onDisk(`${D}.tmp`)
    const freed = store.collect(new Set([A, C]))
    assert.equal(freed, expected)
    assert.ok(freed >= 50_000)
    assert.deepEqual(fs.readdirSync(store.dir).sort(), [A, C])
    assert.equal(store.bytesOnDisk(), total - freed)
  })
  test('keeping everything removes nothing and frees nothing', () => {
    const store = storeWith({ [A]: 'a', [B]: 'b' })
    assert.equal(store.collect(new Set([A, B, C])), 0)
    assert.deepEqual(fs.readdirSync(store.dir).sort(), [A, B])
  })
  test('a store that does not exist: nothing to collect, nothing on disk', () => {
    const store = new ObjectStore(path.join(temporaryDir(), 'nowhere'))
    assert.equal(store.collect(new Set()), 0)
    assert.equal(store.bytesOnDisk(), 0)
  })
  test('an object lent to an agent stays in its work directory when the store lets go of it', () => {
    const store = storeWith({ [A]: 'in use' })
    const work = workDir()
    store.lendTo(work, [{ id: A, size: 6 }])
    store.collect(new Set())
    assert.deepEqual(fs.readdirSync(store.dir), [])
    assert.equal(fs.readFileSync(path.join(work, A), 'utf8'), 'in use')
  })
})
