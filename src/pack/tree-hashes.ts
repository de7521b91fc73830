import { hashOfCuts, type FileHasher, type FileHashes } from '../content/tree-digest.js'
import type { TreeEntry } from '../content/tree-walk.js'
import type { HashTask } from './hash-task.js'
import { CHUNK } from './plan.js'

/** Small files go to a worker in batches of about this many bytes (or files): a task costs ~50 µs of messaging. */
const BATCH_BYTES = 8 << 20
const BATCH_FILES = 256

/**
 * The pack's hasher (content/tree-digest.ts's FileHasher) over its worker pool: every file's
 * sha256, and for a file bigger than one CHUNK the sha256 of each of its cuts, which name the
 * objects plan.ts cuts it into (so that encoding them need not read and hash them again:
 * encode-task.ts) and make its content hash (tree-digest.ts, CUT_BYTES). Each cut is a task of its
 * own, the biggest queued first: a lone 1 GiB file is hashed by every worker at once, each byte once.
 */
export function poolHasher(run: (task: HashTask) => Promise<string[]>): FileHasher {
  return async (files) => {
    const hashes: FileHashes[] = files.map(() => ({ sha256: '' }))
    const tasks: { bytes: number; ranges: HashTask['ranges']; done: (sha256s: string[]) => void }[] = []
    let batch: { files: number[]; bytes: number } | undefined
    const closeBatch = (): void => {
      if (batch === undefined) return
      const members = batch.files
      tasks.push({
        bytes: batch.bytes,
        ranges: members.map((index) => rangeOf(files[index]!, 0, files[index]!.stat.size)),
        done: (sha256s) => members.forEach((index, at) => (hashes[index]!.sha256 = sha256s[at]!)),
      })
      batch = undefined
    }
    files.forEach((file, index) => {
      const size = file.stat.size
      if (size > CHUNK) {
        const cuts: string[] = (hashes[index]!.cutSha256 = [])
        let left = Math.ceil(size / CHUNK)
        for (let start = 0, cut = 0; start < size; start += CHUNK, cut++) {
          const at = cut
          const length = Math.min(CHUNK, size - start)
          tasks.push({
            bytes: length,
            ranges: [rangeOf(file, start, length)],
            done: ([sha256]) => {
              cuts[at] = sha256!
              if (--left === 0) hashes[index]!.sha256 = hashOfCuts(cuts)
            },
          })
        }
        return
      }
      batch ??= { files: [], bytes: 0 }
      batch.files.push(index)
      batch.bytes += size
      if (batch.bytes >= BATCH_BYTES || batch.files.length >= BATCH_FILES) closeBatch()
    })
    closeBatch()
    tasks.sort((a, b) => b.bytes - a.bytes)
    await Promise.all(tasks.map(async (task) => task.done(await run({ kind: 'hash', ranges: task.ranges }))))
    return hashes
  }
}

function rangeOf(file: TreeEntry, start: number, size: number): HashTask['ranges'][number] {
  return { full: file.full, start, size }
}
