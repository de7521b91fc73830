/** The piece length deploys use: about 256 pieces, a power of two between 32 KiB and 1 MiB. */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { SWARM_PIECES, swarmPieceLength } from '../../../src/swarm/piece-length.js'

const KiB = 1024
const MiB = 1024 * KiB
const GiB = 1024 * MiB

describe('swarmPieceLength', () => {
  test('small payloads (up to 256 × 32 KiB = 8 MiB) get the 32 KiB minimum', () => {
    assert.equal(swarmPieceLength(0), 32 * KiB)
    assert.equal(swarmPieceLength(1), 32 * KiB)
    assert.equal(swarmPieceLength(3 * MiB), 32 * KiB)
    assert.equal(swarmPieceLength(8 * MiB), 32 * KiB)
  })
  test('about 256 pieces in between: the length doubles each time the payload does', () => {
    assert.equal(swarmPieceLength(8 * MiB + 1), 64 * KiB)
    assert.equal(swarmPieceLength(16 * MiB), 64 * KiB)
    assert.equal(swarmPieceLength(16 * MiB + 1), 128 * KiB)
    assert.equal(swarmPieceLength(100 * MiB), 512 * KiB)
    assert.equal(swarmPieceLength(128 * MiB), 512 * KiB)
    assert.equal(swarmPieceLength(128 * MiB + 1), 1 * MiB)
    assert.equal(swarmPieceLength(256 * MiB), 1 * MiB)
  })
  test('large payloads are capped at 1 MiB (and get more pieces)', () => {
    assert.equal(swarmPieceLength(256 * MiB + 1), 1 * MiB)
    assert.equal(swarmPieceLength(4 * GiB), 1 * MiB)
    assert.equal(swarmPieceLength(100 * GiB), 1 * MiB)
    assert.equal(swarmPieceLength(Number.MAX_SAFE_INTEGER), 1 * MiB)
  })
  test('always a power of two from 32 KiB to 1 MiB; between the two, more than half and at most SWARM_PIECES pieces', () => {
    for (const bytes of [0, 1, 1000, 12_345_678, 8 * MiB + 1, 33 * MiB, 77.7 * MiB, 200 * MiB, 777 * MiB, 3.3 * GiB, 50 * GiB]) {
      const length = swarmPieceLength(bytes)
      assert.equal(length & (length - 1), 0, `${bytes}: ${length} is a power of two`)
      assert.ok(length >= 32 * KiB && length <= 1 * MiB, `${bytes}: ${length}`)
      const pieces = bytes / length
      if (length > 32 * KiB && length < 1 * MiB) assert.ok(pieces > SWARM_PIECES / 2 && pieces <= SWARM_PIECES, `${bytes}: ${pieces} pieces`)
      if (length === 32 * KiB) assert.ok(pieces <= SWARM_PIECES, `${bytes}: ${pieces} pieces at the minimum`)
      if (length === 1 * MiB) assert.ok(pieces > SWARM_PIECES / 2, `${bytes}: ${pieces} pieces at the cap`)
    }
  })
  test('never decreases as the payload grows', () => {
    let previous = 0
    for (let bytes = 0; bytes <= 2 * GiB; bytes += 3 * MiB + 12_345) {
      const length = swarmPieceLength(bytes)
      assert.ok(length >= previous, `${bytes}: ${length} after ${previous}`)
      previous = length
    }
  })
})
