import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import { Transform } from 'node:stream'

/** What sha256OfFile reads at a time: a stream's 64 KiB chunks took 2.5× as long per GiB (bench/README.md, "Objects"). */
const READ_BYTES = 1 << 20

/** sha256 (hex) of a file, read a MiB at a time into one buffer. */
export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256')
  await readEachMiB(file, (bytes) => hash.update(bytes))
  return hash.digest('hex')
}

/** Hands a file's bytes to `take` in order, a MiB at a time, in one buffer reused for each (the caller must not keep it). */
export async function readEachMiB(file: string, take: (bytes: Buffer) => void): Promise<void> {
  const buffer = Buffer.allocUnsafe(READ_BYTES)
  const handle = await fs.promises.open(file, 'r')
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, READ_BYTES, null)
      if (bytesRead === 0) break
      take(buffer.subarray(0, bytesRead))
    }
  } finally {
    await handle.close()
  }
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
