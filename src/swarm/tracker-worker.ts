/** The tracker's own thread (tracker-thread.ts): one ephemeral tracker, its counts kept in shared memory. */
import { parentPort, workerData } from 'node:worker_threads'
import { COUNTERS, type FromTrackerThread, type ToTrackerThread, type TrackerThreadData } from './tracker-thread.js'
import { startTracker } from './tracker.js'

const { options, counters } = workerData as TrackerThreadData
const shared = new Int32Array(counters)
const port = parentPort!
const tell = (message: FromTrackerThread): void => port.postMessage(message)
const allowedPeers = options.allowedPeers === undefined ? undefined : new Set(options.allowedPeers)

try {
  const tracker = await startTracker({
    port: options.port,
    intervalMs: options.intervalMs,
    peersCacheLength: options.peersCacheLength,
    host: options.host,
    allowPeer: allowedPeers === undefined ? undefined : (address) => allowedPeers.has(address),
    onWarning: (message) => tell({ type: 'warning', message }),
    onAnnounce: publish,
  })
  // Peers that stop announcing drop out of the counts without an announce to say so.
  const refresh = setInterval(publish, 1000)
  port.on('message', (message: ToTrackerThread) => {
    if (message.type === 'allow') void tracker.allow(message.infoHash).then(() => tell({ type: 'allowed' }))
    else {
      clearInterval(refresh)
      void tracker.close().then(() => port.close())
    }
  })
  tell({ type: 'listening', port: tracker.port })

  function publish(): void {
    const counts = tracker.swarmCounts()
    Atomics.store(shared, COUNTERS.complete, counts.complete)
    Atomics.store(shared, COUNTERS.incomplete, counts.incomplete)
    Atomics.store(shared, COUNTERS.swarms, tracker.swarmsKnown())
    Atomics.store(shared, COUNTERS.announces, tracker.announces())
    Atomics.notify(shared, COUNTERS.announces)
  }
} catch (error) {
  const { message, code } = error as NodeJS.ErrnoException
  tell({ type: 'failed', message, code })
  port.close()
}
