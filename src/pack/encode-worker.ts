/** A worker thread of the pack's pool (worker-pool.ts): runs hash and encode tasks, one at a time. */
import { parentPort } from 'node:worker_threads'
import { encodeWhole, type WholeTask } from './encode-task.js'
import { hashRanges, type HashTask } from './hash-task.js'

export type PackTask = HashTask | WholeTask

parentPort?.on('message', ({ id, task }: { id: number; task: PackTask }) => {
  try {
    const result = task.kind === 'hash' ? hashRanges(task) : encodeWhole(task)
    parentPort!.postMessage({ id, result })
  } catch (error) {
    parentPort!.postMessage({ id, error: (error as Error).message })
  }
})
