import { createHash, type Hash } from 'node:crypto'
import * as fs from 'node:fs'
import type { LaidObject } from '../swarm/object-layout.js'
import type { ObjectCheck } from './object-receiver.js'

/**
 * Checks an object's bytes against the torrent's piece hashes, the check webtorrent makes of every
 * piece in the swarm: the object starts on a piece boundary (swarm/object-layout.ts), each
 * `pieceLength` bytes of it are one piece, and its last piece is completed with the zeros of its pad.
 * Transport ssh checks what arrives, and what the host's store already held, with it.
 */
export function pieceCheck(object: LaidObject, pieces: Buffer, pieceLength: number): ObjectCheck {
  let piece = 0
  let filled = 0
  let hash: Hash = createHash('sha1')
  let wrong: number | undefined
  const endPiece = (): void => {
    const at = (object.firstPiece + piece) * 20
    if (wrong === undefined && !hash.digest().equals(pieces.subarray(at, at + 20))) wrong = piece
    piece++
    filled = 0
    hash = createHash('sha1')
  }
  return {
    update(bytes) {
      for (let offset = 0; offset < bytes.length; ) {
        const take = Math.min(pieceLength - filled, bytes.length - offset)
        hash.update(bytes.subarray(offset, offset + take))
        filled += take
        offset += take
        if (filled === pieceLength) endPiece()
      }
    },
    mismatch() {
      if (filled > 0) {
        hash.update(Buffer.alloc(pieceLength - filled))
        endPiece()
      }
      if (piece !== object.pieces) return `object ${object.id} has ${piece} pieces, not ${object.pieces}`
      return wrong === undefined ? undefined : `object ${object.id}: piece ${object.firstPiece + wrong} fails its SHA-1 check`
    },
  }
}

/** Whether a file holds the object, piece for piece (an object in the host's store, before it is used). */
export async function holdsObject(file: string, object: LaidObject, pieces: Buffer, pieceLength: number): Promise<boolean> {
  const size = fs.statSync(file, { throwIfNoEntry: false })?.size
  if (size !== object.size) return false
  const check = pieceCheck(object, pieces, pieceLength)
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) check.update(chunk as Buffer)
  return check.mismatch() === undefined
}
