/** A worker thread of the pack's pool (worker-pool.ts): runs encode tasks, one at a time. */
import { parentPort } from 'node:worker_threads'
import { encodeWhole, type WholeTask } from './encode-task.js'

parentPort?.on('message', ({ id, task }: { id: number; task: WholeTask }) => {
  try {
    const result = encodeWhole(task)
    parentPort!.postMessage({ id, result })
  } catch (error) {
    parentPort!.postMessage({ id, error: (error as Error).message })
  }
})
