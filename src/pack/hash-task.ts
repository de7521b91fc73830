/**
 * The pack's first pass, in the worker pool beside the encode tasks: the sha256 of byte ranges of
 * the tree's files — small files whole, a big file's cuts one by one, so that one big file is
 * hashed by all the workers at once (pack/tree-hashes.ts).
 */
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import { ScratchBuffer } from '../content/object-key.js'

export interface HashTask {
  kind: 'hash'
  ranges: { full: string; start: number; size: number }[]
}

/** What one read takes: a stream's 64 KiB chunks cost 2.5× as much per GiB (content/sha256.ts). */
const READ_BYTES = 1 << 20
const scratch = new ScratchBuffer()

/** The sha256 (hex) of each range, in order. */
export function hashRanges(task: HashTask): string[] {
  const buffer = scratch.take(READ_BYTES)
  return task.ranges.map(({ full, start, size }) => {
    const hash = createHash('sha256')
    const fd = fs.openSync(full, 'r')
    try {
      for (let at = 0; at < size; ) {
        const got = fs.readSync(fd, buffer, 0, Math.min(READ_BYTES, size - at), start + at)
        if (got === 0) throw new Error(`${full} shrank while it was being hashed`)
        hash.update(buffer.subarray(0, got))
        at += got
      }
    } finally {
      fs.closeSync(fd)
    }
    return hash.digest('hex')
  })
}
