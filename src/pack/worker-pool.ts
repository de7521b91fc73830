import type { Worker } from 'node:worker_threads'
import { startWorker } from '../worker-script.js'

/**
 * A fixed set of worker threads taking tasks from one queue. Written here rather than taken from a
 * library (piscina): the pool's workers must load a script that is a file of our own bundle, and
 * library pools load their own worker entry first, which the bundled action does not carry.
 */
export class WorkerPool<Task, Result> {
  private readonly idle: Worker[] = []
  private readonly queue: { task: Task; resolve: (result: Result) => void; reject: (error: Error) => void }[] = []
  private readonly pending = new Map<number, { resolve: (result: Result) => void; reject: (error: Error) => void }>()
  private readonly workers: Worker[] = []
  private nextId = 0

  constructor(script: URL, size: number) {
    for (let index = 0; index < size; index++) {
      const worker = startWorker(script)
      worker.on('message', ({ id, result, error }: { id: number; result?: Result; error?: string }) => {
        const waiting = this.pending.get(id)
        this.pending.delete(id)
        if (error !== undefined) waiting?.reject(new Error(error))
        else waiting?.resolve(result as Result)
        this.idle.push(worker)
        this.dispatch()
      })
      worker.on('error', (error: Error) => {
        for (const waiting of this.pending.values()) waiting.reject(error)
        this.pending.clear()
      })
      this.workers.push(worker)
      this.idle.push(worker)
    }
  }

  run(task: Task): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject })
      this.dispatch()
    })
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()))
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!
      const { task, resolve, reject } = this.queue.shift()!
      const id = this.nextId++
      this.pending.set(id, { resolve, reject })
      worker.postMessage({ id, task })
    }
  }
}
