import { once } from 'node:events'
import type { Worker } from 'node:worker_threads'
import { startWorker, workerScript } from '../worker-script.js'
import type { EphemeralTracker, TrackerOptions } from './tracker.js'

/** Where each count lives in the shared memory the tracker's thread writes and the controller reads. */
export const COUNTERS = { announces: 0, complete: 1, incomplete: 2, swarms: 3 } as const

export interface TrackerThreadOptions extends Omit<TrackerOptions, 'allowPeer' | 'onAnnounce'> {
  /** The addresses whose announces are taken (the fleet's hosts and the seeder); undefined = any. */
  allowedPeers?: readonly string[]
}

export interface TrackerThreadData {
  options: Omit<TrackerThreadOptions, 'onWarning'>
  counters: SharedArrayBuffer
}

export type ToTrackerThread = { type: 'allow'; infoHash: string } | { type: 'close' }
export type FromTrackerThread =
  | { type: 'listening'; port: number }
  | { type: 'failed'; message: string; code?: string }
  | { type: 'allowed' }
  | { type: 'warning'; message: string }

const PLACES = [new URL('./tracker-worker.js', import.meta.url), new URL('./tracker-worker.ts', import.meta.url)]
/** How long close() waits for the thread to close its server before it stops the thread. */
const CLOSE_GRACE_MS = 3000

/**
 * The ephemeral tracker (tracker.ts) in a worker thread of its own: announces are answered while
 * the controller's event loop is busy — opening a wave of SSH sessions, reading a thousand hosts'
 * events — where in that loop they waited, and an agent's first announce could time out (bench/README.md,
 * "Per-host costs on the runner"). Its counts are read from shared memory, without a round trip.
 */
export async function startTrackerThread(options: TrackerThreadOptions): Promise<EphemeralTracker> {
  const counters = new SharedArrayBuffer(Object.keys(COUNTERS).length * Int32Array.BYTES_PER_ELEMENT)
  const shared = new Int32Array(counters)
  const { onWarning, ...threadOptions } = options
  const data: TrackerThreadData = { options: threadOptions, counters }
  const worker = startWorker(workerScript(PLACES, 'the tracker thread'), { workerData: data })
  const exited = once(worker, 'exit')
  let started = false
  let closing = false
  let ended = false
  const allowed: (() => void)[] = []
  // After start a failing thread must not take the deploy down: the swarm goes on with the peers it knows.
  worker.on('error', (error: Error) => {
    if (started) onWarning?.(`tracker thread: ${error.message}`)
  })
  worker.on('exit', (code: number) => {
    ended = true
    // Nothing will answer what is still waiting: an allow never left pending is what keeps a deploy from hanging.
    for (const resolve of allowed.splice(0)) resolve()
    if (started && !closing) onWarning?.(`the tracker thread stopped (exit code ${code}): hosts go on with the peers they know`)
  })
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject)
    worker.once('exit', (code: number) => reject(new Error(`the tracker thread stopped before it listened (exit code ${code})`)))
    worker.on('message', (message: FromTrackerThread) => {
      if (message.type === 'listening') resolve(message.port)
      else if (message.type === 'failed') reject(Object.assign(new Error(message.message), { code: message.code }))
      else if (message.type === 'allowed') allowed.shift()?.()
      else onWarning?.(message.message)
    })
  }).catch(async (error: Error) => {
    closing = true
    await stop(worker, exited)
    throw error
  })
  started = true
  const tell = (message: ToTrackerThread): void => worker.postMessage(message)
  return {
    port,
    allow(infoHash) {
      if (ended) return Promise.resolve()
      return new Promise<void>((resolve) => {
        allowed.push(resolve)
        tell({ type: 'allow', infoHash })
      })
    },
    announceUrl(address) {
      const host = address.includes(':') ? `[${address}]` : address
      return `http://${host}:${port}/announce`
    },
    swarmCounts: () => ({ complete: Atomics.load(shared, COUNTERS.complete), incomplete: Atomics.load(shared, COUNTERS.incomplete) }),
    swarmsKnown: () => Atomics.load(shared, COUNTERS.swarms),
    announces: () => Atomics.load(shared, COUNTERS.announces),
    async close() {
      if (closing) return
      closing = true
      tell({ type: 'close' })
      await stop(worker, exited)
    },
  }
}

/** Waits for the thread to end by itself (its server closed), at most CLOSE_GRACE_MS, then stops it. */
async function stop(worker: Worker, exited: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const grace = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), CLOSE_GRACE_MS)))
  const ended = await Promise.race([exited.then(() => 'ended' as const), grace])
  clearTimeout(timer)
  if (ended === 'late') await worker.terminate()
}
