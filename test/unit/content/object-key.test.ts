/**
 * An object's key and id: derived from a secret and the hash of the bytes it encrypts, so the same
 * build encrypts to the same objects, and the names in a store or a torrent give nothing away.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { deriveObjectKey, objectId } from '../../../src/content/object-key.js'
import { KEY_SECRET as SECRET, sha256 } from '../helpers.js'

const hash = sha256('the compressed bytes of an object')
const otherHash = sha256('the compressed bytes of another object')

describe('deriveObjectKey', () => {
  test('an AES-256 key and a 16-byte IV, hex', () => {
    const key = deriveObjectKey(SECRET, hash)
    assert.match(key.key, /^[0-9a-f]{64}$/)
    assert.match(key.iv, /^[0-9a-f]{32}$/)
  })
  test('the same secret and hash give the same key, whether the secret is a string or its bytes', () => {
    assert.deepEqual(deriveObjectKey(SECRET, hash), deriveObjectKey(SECRET, hash))
    assert.deepEqual(deriveObjectKey(Buffer.from(SECRET), hash), deriveObjectKey(SECRET, hash))
  })
  test('another hash: another key and another IV (a key stream is never reused for other bytes)', () => {
    const one = deriveObjectKey(SECRET, hash)
    const two = deriveObjectKey(SECRET, otherHash)
    assert.notEqual(two.key, one.key)
    assert.notEqual(two.iv, one.iv)
  })
  test('another secret: another key and IV for the same bytes', () => {
    const one = deriveObjectKey(SECRET, hash)
    const two = deriveObjectKey(SECRET + 'x', hash)
    assert.notEqual(two.key, one.key)
    assert.notEqual(two.iv, one.iv)
  })
})

describe('objectId', () => {
  test('32 hex characters, stable for the same secret and hash', () => {
    const id = objectId(SECRET, hash)
    assert.match(id, /^[0-9a-f]{32}$/)
    assert.equal(objectId(SECRET, hash), id)
    assert.equal(objectId(Buffer.from(SECRET), hash), id)
  })
  test('another hash or another secret: another id', () => {
    const id = objectId(SECRET, hash)
    assert.notEqual(objectId(SECRET, otherHash), id)
    assert.notEqual(objectId(SECRET + 'x', hash), id)
  })
  test('keyed: the id is no prefix of the plain sha256, nor of the key or IV, so it says nothing of the content', () => {
    for (const bytes of ['', 'index.html', 'a well-known library file\n']) {
      const plain = sha256(bytes)
      const id = objectId(SECRET, plain)
      assert.equal(plain.startsWith(id), false, `sha256 of ${JSON.stringify(bytes)}`)
      assert.equal(plain.includes(id), false)
      const { key, iv } = deriveObjectKey(SECRET, plain)
      assert.equal(key.includes(id) || iv === id, false, 'the name in the torrent does not reveal the key')
    }
  })
})
