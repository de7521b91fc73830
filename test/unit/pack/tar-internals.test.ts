/**
 * Pins the node-tar internals the payload's reproducibility rests on (src/pack/tar-internals.ts):
 * canonicalHeader, used as tar.c's onWriteEntry, rewrites each WriteEntry's `stat` and `myuid`
 * before its header is written. If an upgrade of node-tar stops honouring that rewrite, the
 * archive carries times and owners again and these tests fail.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as tar from 'tar'
import { ARCHIVE_MTIME, canonicalHeader } from '../../../src/pack/tar-internals.js'
import { removeTemporaryDirs, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

/** What tar.t reads back of one entry (pax extended headers applied). */
interface ReadBack {
  path: string
  type: string
  mode?: number
  size: number
  uid?: number
  gid?: number
  uname?: string
  mtime?: Date
  atime?: Date
  ctime?: Date
}

const OLD = new Date('2019-05-06T07:08:09Z')
/** An owner that is not the packing process: node-tar records uid/gid as stat gives them. */
const OTHER_ID = 4242
const LONG_NAME = 'n'.repeat(120) // over ustar's 100 characters: this entry goes through a pax header
const USER = 'murder-unit-user'

let tree: string
/** The ids the files have on disk: one owned by the packing user (root in CI containers), one by OTHER_ID when it can be arranged. */
let ownerIds: number[]

before(() => {
  tree = temporaryDir()
  fs.mkdirSync(path.join(tree, 'dir'))
  fs.chmodSync(path.join(tree, 'dir'), 0o750)
  fs.writeFileSync(path.join(tree, 'dir/shared.conf'), 'group-writable\n')
  fs.chmodSync(path.join(tree, 'dir/shared.conf'), 0o664)
  fs.writeFileSync(path.join(tree, 'other-owner.txt'), 'x\n')
  fs.writeFileSync(path.join(tree, LONG_NAME), 'long\n')
  fs.symlinkSync('dir/shared.conf', path.join(tree, 'link'))
  ownerIds = [process.getuid!()]
  if (process.getuid!() === 0) {
    fs.chownSync(path.join(tree, 'other-owner.txt'), OTHER_ID, OTHER_ID)
    ownerIds.push(OTHER_ID)
  }
  for (const name of ['dir/shared.conf', 'other-owner.txt', LONG_NAME, 'dir', '']) fs.utimesSync(path.join(tree, name), OLD, OLD)
  fs.lutimesSync(path.join(tree, 'link'), OLD, OLD)
})

const ENTRIES = ['dir', 'dir/shared.conf', 'other-owner.txt', LONG_NAME, 'link']

/** Packs the tree with tar.c (optionally with canonicalHeader as onWriteEntry) and reads it back with tar.t. */
async function packAndRead(onWriteEntry?: (entry: unknown) => void): Promise<Map<string, ReadBack>> {
  const file = path.join(temporaryDir(), 'archive.tar')
  // node-tar names the owner (process.env.USER) on entries the packing user owns: give it one to name.
  const savedUser = process.env.USER
  process.env.USER = USER
  try {
    await tar.c({ cwd: tree, file, follow: false, noDirRecurse: true, ...(onWriteEntry ? { onWriteEntry } : {}) }, ENTRIES)
  } finally {
    if (savedUser === undefined) delete process.env.USER
    else process.env.USER = savedUser
  }
  const read = new Map<string, ReadBack>()
  await tar.t({
    file,
    onReadEntry: (entry) => {
      read.set(entry.path.replace(/\/$/, ''), {
        path: entry.path,
        type: entry.type,
        mode: entry.mode,
        size: entry.size,
        uid: entry.uid,
        gid: entry.gid,
        uname: entry.uname,
        mtime: entry.mtime,
        atime: entry.atime,
        ctime: entry.ctime,
      })
    },
  })
  assert.deepEqual([...read.keys()], ENTRIES, 'every entry, in the order given')
  return read
}

describe('the fixture would show what canonicalHeader removes', () => {
  test('without onWriteEntry, node-tar records the real mtime, the owner and the user name', async () => {
    const read = await packAndRead()
    for (const name of ENTRIES) assert.equal(read.get(name)?.mtime?.getTime(), OLD.getTime(), `${name}: mtime`)
    assert.equal(read.get('dir/shared.conf')?.uname, USER, 'the packing user owns it: node-tar names the user')
    assert.equal(read.get('dir/shared.conf')?.uid, process.getuid!())
    if (ownerIds.includes(OTHER_ID)) {
      assert.equal(read.get('other-owner.txt')?.uid, OTHER_ID)
      assert.equal(read.get('other-owner.txt')?.gid, OTHER_ID)
    }
    assert.notEqual(read.get(LONG_NAME)?.atime, undefined, 'the pax header of a long name carries atime')
  })
})

describe('canonicalHeader as tar.c onWriteEntry (node-tar WriteEntry.stat and .myuid)', () => {
  let read: Map<string, ReadBack>
  before(async () => {
    read = await packAndRead(canonicalHeader)
  })

  test('WriteEntry.stat.mtime: every header says epoch 0, pax headers included', () => {
    assert.equal(ARCHIVE_MTIME.getTime(), 0)
    for (const name of ENTRIES) assert.equal(read.get(name)?.mtime?.getTime(), 0, name)
  })
  test('WriteEntry.stat.uid / .gid: every header says 0, whoever owns the file', () => {
    for (const name of ENTRIES) {
      assert.equal(read.get(name)?.uid, 0, `${name}: uid`)
      assert.equal(read.get(name)?.gid, 0, `${name}: gid`)
    }
  })
  test('WriteEntry.myuid: no user name, even on entries the packing user owns', () => {
    for (const name of ENTRIES) assert.ok(!read.get(name)?.uname, `${name}: uname ${JSON.stringify(read.get(name)?.uname)}`)
  })
  test('WriteEntry.stat.atime / .ctime: absent, pax headers included', () => {
    for (const name of ENTRIES) {
      assert.equal(read.get(name)?.atime, undefined, `${name}: atime`)
      assert.equal(read.get(name)?.ctime, undefined, `${name}: ctime`)
    }
  })
  test('WriteEntry.stat.mode / .size: kept (0664 stays 0664, 0750 stays 0750)', () => {
    assert.equal(read.get('dir/shared.conf')?.mode, 0o664)
    assert.equal(read.get('dir/shared.conf')?.size, 'group-writable\n'.length)
    assert.equal(read.get(LONG_NAME)?.size, 'long\n'.length)
    assert.equal(read.get('dir')?.mode, 0o750)
    assert.equal(read.get('dir')?.type, 'Directory')
    assert.equal(read.get('link')?.type, 'SymbolicLink')
    assert.equal(read.get(LONG_NAME)?.type, 'File')
  })
})
