/** The BitTorrent piece hashes of a payload: SHA-1 of every pieceLength bytes, the last piece short. */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { hashPiecesOfFile, PieceHasher } from '../../../src/swarm/piece-hashes.js'
import { removeTemporaryDirs, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

/** The piece hashes computed directly, one slice at a time. */
function expectedPieces(data: Buffer, pieceLength: number): Buffer {
  const hashes: Buffer[] = []
  for (let at = 0; at < data.length; at += pieceLength) hashes.push(createHash('sha1').update(data.subarray(at, at + pieceLength)).digest())
  return Buffer.concat(hashes)
}

function writeTemporary(data: Buffer): string {
  const file = path.join(temporaryDir(), 'data')
  fs.writeFileSync(file, data)
  return file
}

describe('hashPiecesOfFile', () => {
  for (const size of [0, 1, 1023, 1024, 1025, 5 * 1024 + 17, 3 * (1 << 20) + 5]) {
    test(`${size} bytes in 1 KiB pieces: ${Math.ceil(size / 1024)} SHA-1 hashes of the slices`, async () => {
      const data = randomBytes(size)
      const pieces = await hashPiecesOfFile(writeTemporary(data), 1024)
      assert.equal(pieces.length, 20 * Math.ceil(size / 1024))
      assert.deepEqual(pieces, expectedPieces(data, 1024))
    })
  }
})

describe('PieceHasher', () => {
  test('hashes the same pieces whatever the chunking of the stream, and passes the bytes through', async () => {
    const data = randomBytes(5 * 1024 + 17)
    const expected = expectedPieces(data, 1024)
    for (const chunk of [1, 100, 1023, 1024, 1025, 4096, data.length]) {
      const hasher = new PieceHasher(1024)
      const chunks: Buffer[] = []
      for (let at = 0; at < data.length; at += chunk) chunks.push(data.subarray(at, at + chunk))
      const passed: Buffer[] = []
      await pipeline(Readable.from(chunks), hasher, async function* (source: AsyncIterable<Buffer>) {
        for await (const piece of source) passed.push(piece)
      })
      assert.deepEqual(hasher.pieces(), expected, `chunks of ${chunk}`)
      assert.deepEqual(Buffer.concat(passed), data, `chunks of ${chunk}: passed through unchanged`)
    }
  })
})
