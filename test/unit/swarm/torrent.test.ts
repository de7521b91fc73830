/** Our torrents are the ones create-torrent would write: same info dictionary, so the same info hash. */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import createTorrent from 'create-torrent'
import parseTorrent from 'parse-torrent'
import { hashPiecesOfFile } from '../../../src/swarm/piece-hashes.js'
import { makeTorrent } from '../../../src/swarm/torrent.js'
import { removeTemporaryDirs, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

const ANNOUNCE = 'http://198.18.0.1:8000/announce'

/** What create-torrent makes of the file, with the options the action used with it. */
function referenceTorrent(file: string, pieceLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    createTorrent(
      file,
      { name: path.basename(file), announceList: [[ANNOUNCE]], urlList: [], private: true, pieceLength, createdBy: 'murder-action' },
      (error: Error | null, torrent: Buffer) => (error ? reject(error) : resolve(torrent)),
    ),
  )
}

describe('makeTorrent', () => {
  const pieceLength = 32 * 1024
  for (const size of [1, pieceLength - 1, pieceLength, pieceLength + 1, 7 * pieceLength + 12_345]) {
    test(`${size} bytes: the info hash create-torrent gives, private, only our tracker`, async () => {
      const file = path.join(temporaryDir(), 'v1.tar.gz.enc')
      fs.writeFileSync(file, randomBytes(size))
      const ours = makeTorrent({ name: 'v1.tar.gz.enc', length: size, pieceLength, pieces: await hashPiecesOfFile(file, pieceLength), announceUrl: ANNOUNCE })
      const reference = (await parseTorrent(await referenceTorrent(file, pieceLength))) as { infoHash: string }
      assert.equal(ours.infoHash, reference.infoHash)
      const parsed = (await parseTorrent(ours.torrent)) as { infoHash: string; private: boolean; announce: string[]; urlList: string[]; length: number; pieceLength: number; name: string }
      assert.equal(parsed.infoHash, ours.infoHash)
      assert.equal(parsed.private, true)
      assert.deepEqual(parsed.announce, [ANNOUNCE])
      assert.deepEqual(parsed.urlList, [])
      assert.equal(parsed.length, size)
      assert.equal(parsed.pieceLength, pieceLength)
      assert.equal(parsed.name, 'v1.tar.gz.enc')
    })
  }
  test('refuses piece hashes that do not fit the length', () => {
    assert.throws(
      () => makeTorrent({ name: 'x', length: 3 * pieceLength, pieceLength, pieces: Buffer.alloc(40), announceUrl: ANNOUNCE }),
      /2 piece hashes for 3 pieces/,
    )
  })
})
