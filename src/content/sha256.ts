import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'

/** sha256 (hex) of a file, streamed. */
export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(fs.createReadStream(file), hash)
  return hash.digest('hex')
}

/** A pass-through stage that hashes and counts what flows through it (results valid once the stream ends). */
export function hashingCounter(): { stage: Transform; sha256(): string; bytes(): number } {
  const hash = createHash('sha256')
  let bytes = 0
  const stage = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk)
      bytes += chunk.length
      callback(null, chunk)
    },
  })
  return { stage, sha256: () => hash.digest('hex'), bytes: () => bytes }
}
