import { createHash, type Hash } from 'node:crypto'
import * as fs from 'node:fs'
import { Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'

/** A pass-through stage that takes the BitTorrent piece hashes (SHA-1 of every pieceLength bytes) of what flows through it. */
export class PieceHasher extends Transform {
  private readonly hashes: Buffer[] = []
  private current: Hash = createHash('sha1')
  private filled = 0

  constructor(readonly pieceLength: number) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let offset = 0
    while (offset < chunk.length) {
      const take = Math.min(this.pieceLength - this.filled, chunk.length - offset)
      this.current.update(chunk.subarray(offset, offset + take))
      this.filled += take
      offset += take
      if (this.filled === this.pieceLength) this.closePiece()
    }
    callback(null, chunk)
  }

  override _flush(callback: TransformCallback): void {
    if (this.filled > 0) this.closePiece()
    callback()
  }

  /** The concatenated 20-byte hashes, once the stream has ended. */
  pieces(): Buffer {
    return Buffer.concat(this.hashes)
  }

  private closePiece(): void {
    this.hashes.push(this.current.digest())
    this.current = createHash('sha1')
    this.filled = 0
  }
}

/**
 * The piece hashes of the payload, read once in 1 MiB chunks: 0.9–1.1 s per GiB here, where
 * create-torrent took 2.0–2.8 s for the same file (bench/README.md).
 */
export async function hashPiecesOfFile(file: string, pieceLength: number): Promise<Buffer> {
  const hasher = new PieceHasher(pieceLength)
  await pipeline(fs.createReadStream(file, { highWaterMark: 1 << 20 }), hasher, async function* (source) {
    for await (const _chunk of source) {
      // drained: only the hashes are wanted
    }
  })
  return hasher.pieces()
}
