/** The origin's objects, read off its stdin by their sizes, each checked against its sha256 before it takes its name. */
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

describe('ObjectReceiver', () => {
  for (const sizes of [[1], [7, 65_536, 3], [stream.length + 10]]) {
    test(`chunks of ${sizes.join(', ')} bytes: every object whole under its id, the heartbeats after them handed back`, () => {
      const dir = temporaryDir()
      const receiver = new ObjectReceiver(objects, dir)
      assert.equal(receiver.total, stream.length)
      const rest = feed(receiver, Buffer.concat([stream, Buffer.from('\n\n')]), sizes)
      assert.equal(receiver.complete, true)
      assert.equal(receiver.received, stream.length)
      assert.equal(rest.toString(), '\n\n')
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
  test('a damaged object is refused and never takes its name', () => {
    const dir = temporaryDir()
    const receiver = new ObjectReceiver(objects, dir)
    const damaged = Buffer.from(stream)
    damaged[100_000 + 1 + 5]! ^= 1
    assert.throws(() => receiver.push(damaged), (error) => error instanceof ObjectMismatchError && /object 2{32} arrived with sha256/.test(error.message))
    assert.equal(fs.existsSync(path.join(dir, objects[2]!.id)), false)
    assert.equal(receiver.complete, false)
  })
})
