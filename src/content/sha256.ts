import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import { Transform } from 'node:stream'

/** What sha256OfFile reads at a time: a stream's 64 KiB chunks took 2.5× as long per GiB (bench/README.md, "Objects"). */
const READ_BYTES = 1 << 20

/** sha256 (hex) of a file, read a MiB at a time into one buffer. */
export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256')
  const buffer = Buffer.allocUnsafe(READ_BYTES)
  const handle = await fs.promises.open(file, 'r')
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, READ_BYTES, null)
      if (bytesRead === 0) break
      hash.update(buffer.subarray(0, bytesRead))
    }
  } finally {
    await handle.close()
  }
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
