/**
 * The origin's objects, read off its stdin by their sizes, each checked against its sha256 before it
 * takes its name; written off the agent's thread, in order, and a failed write reported, not lost.
 */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { ObjectMismatchError, ObjectReceiver } from '../../../src/agent/object-receiver.js'
import { removeTemporaryDirs, sha256, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

const objects = [randomBytes(100_000), randomBytes(1), randomBytes(70_000)].map((bytes, index) => ({
  bytes,
  id: `${index}`.repeat(32),
  size: bytes.length,
  sha256: sha256(bytes),
}))
const stream = Buffer.concat(objects.map((object) => object.bytes))

/** Feeds `data` in chunks of the given sizes, in turn; returns what came back past the objects. */
function feed(receiver: ObjectReceiver, data: Buffer, sizes: number[]): Buffer {
  const rest: Buffer[] = []
  for (let at = 0, turn = 0; at < data.length; turn++) {
    const size = sizes[turn % sizes.length]!
    rest.push(receiver.push(data.subarray(at, at + size)))
    at += size
  }
  return Buffer.concat(rest)
}

/** Polls `ready` every 5 ms, for at most 5 s. */
async function waitFor(ready: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1000 && !ready(); turn++) await new Promise((resolve) => setTimeout(resolve, 5))
  assert.ok(ready(), 'not within 5 s')
}

describe('ObjectReceiver', () => {
  for (const sizes of [[1], [7, 65_536, 3], [stream.length + 10]]) {
    test(`chunks of ${sizes.join(', ')} bytes: every object whole under its id, the heartbeats after them handed back`, async () => {
      const dir = temporaryDir()
      const stored: number[] = []
      const progress: number[] = []
      const receiver = new ObjectReceiver(objects, dir, {
        objectStored: (index) => {
          // Handed over only once the object has its name.
          assert.ok(fs.existsSync(path.join(dir, objects[index]!.id)))
          stored.push(index)
        },
        progress: (written) => progress.push(written),
      })
      assert.equal(receiver.total, stream.length)
      const rest = feed(receiver, Buffer.concat([stream, Buffer.from('\n\n')]), sizes)
      assert.equal(receiver.complete, true)
      assert.equal(receiver.received, stream.length)
      assert.equal(rest.toString(), '\n\n')
      await receiver.stored
      assert.deepEqual(stored, [0, 1, 2])
      assert.equal(receiver.written, stream.length)
      assert.equal(progress.at(-1), stream.length)
      assert.deepEqual(progress, [...progress].sort((a, b) => a - b))
      assert.deepEqual(fs.readdirSync(dir).sort(), objects.map((object) => object.id).sort())
      for (const object of objects) assert.ok(fs.readFileSync(path.join(dir, object.id)).equals(object.bytes))
    })
  }
  test('not complete until the last byte of the last object', () => {
    const receiver = new ObjectReceiver(objects, temporaryDir())
    receiver.push(stream.subarray(0, stream.length - 1))
    assert.equal(receiver.complete, false)
    receiver.push(stream.subarray(stream.length - 1))
    assert.equal(receiver.complete, true)
  })
  test('a damaged object is refused and never takes its name', async () => {
    const dir = temporaryDir()
    const receiver = new ObjectReceiver(objects, dir)
    const damaged = Buffer.from(stream)
    damaged[100_000 + 1 + 5]! ^= 1
    assert.throws(() => receiver.push(damaged), (error) => error instanceof ObjectMismatchError && /object 2{32} arrived with sha256/.test(error.message))
    // The objects before it still reach their names; the damaged one stays a .part.
    await waitFor(() => fs.existsSync(path.join(dir, objects[1]!.id)))
    assert.equal(fs.existsSync(path.join(dir, objects[2]!.id)), false)
    assert.equal(receiver.complete, false)
  })
  test('a write that fails (a full disk) rejects `stored` with its error, and the next bytes are refused with it', async () => {
    const dir = temporaryDir()
    // The first object's file is the device that is always full: every write to it fails with ENOSPC.
    fs.symlinkSync('/dev/full', path.join(dir, `${objects[0]!.id}.part`))
    const receiver = new ObjectReceiver(objects, dir)
    receiver.push(stream.subarray(0, 50_000))
    await assert.rejects(receiver.stored, (error: NodeJS.ErrnoException) => error.code === 'ENOSPC')
    assert.throws(() => receiver.push(stream.subarray(50_000)), (error: NodeJS.ErrnoException) => error.code === 'ENOSPC')
    assert.equal(fs.existsSync(path.join(dir, objects[0]!.id)), false)
  })
})
