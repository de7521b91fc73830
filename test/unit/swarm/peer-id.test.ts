/** Our seeder's peer id: recognisable by its prefix, random after it. */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { newPeerId } from '../../../src/swarm/peer-id.js'

describe('newPeerId', () => {
  test('40 hex characters (20 bytes) whose first 8 bytes are -MA0100-', () => {
    const id = newPeerId()
    assert.match(id, /^[0-9a-f]{40}$/)
    assert.equal(Buffer.from(id, 'hex').length, 20)
    assert.equal(Buffer.from(id, 'hex').subarray(0, 8).toString('latin1'), '-MA0100-')
  })
  test('the random part differs from id to id', () => {
    const ids = Array.from({ length: 50 }, newPeerId)
    assert.equal(new Set(ids).size, 50)
    assert.equal(new Set(ids.map((id) => id.slice(16))).size, 50, 'the 12 bytes after the prefix')
  })
})
