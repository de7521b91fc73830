/** The payload key: derived from a secret and the plaintext's hash, so the same build encrypts to the same payload. */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { derivePayloadKey, randomPayloadKey } from '../../../src/content/payload-key.js'

const SECRET = '-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----\n\0'

describe('derivePayloadKey', () => {
  test('HKDF of the secret and the plaintext hash: stable, and different when either differs', () => {
    const hash = 'ab'.repeat(32)
    const key = derivePayloadKey(SECRET, hash)
    assert.match(key.key, /^[0-9a-f]{64}$/)
    assert.match(key.iv, /^[0-9a-f]{32}$/)
    assert.deepEqual(derivePayloadKey(SECRET, hash), key)
    assert.notEqual(derivePayloadKey(SECRET, 'ac'.repeat(32)).key, key.key)
    assert.notEqual(derivePayloadKey(SECRET, 'ac'.repeat(32)).iv, key.iv)
    assert.notEqual(derivePayloadKey('other', hash).key, key.key)
  })
})

describe('randomPayloadKey', () => {
  test('an AES-256 key and a 16-byte IV, new each time', () => {
    const one = randomPayloadKey()
    assert.match(one.key, /^[0-9a-f]{64}$/)
    assert.match(one.iv, /^[0-9a-f]{32}$/)
    assert.notEqual(randomPayloadKey().key, one.key)
  })
})
