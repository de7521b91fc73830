/** The two ways the ephemeral tracker runs, for tests that hold for both. */
import { startTracker, type EphemeralTracker, type TrackerOptions } from '../../../src/swarm/tracker.js'
import { startTrackerThread } from '../../../src/swarm/tracker-thread.js'

export interface TrackerKind {
  name: string
  start(options: Omit<TrackerOptions, 'allowPeer'> & { allowedPeers?: readonly string[] }): Promise<EphemeralTracker>
}

export const TRACKER_KINDS: TrackerKind[] = [
  {
    name: 'in the event loop (the seeder host\'s origin)',
    start: ({ allowedPeers, ...options }) => startTracker({ ...options, allowPeer: allowedPeers === undefined ? undefined : (address) => allowedPeers.includes(address) }),
  },
  { name: 'in a thread of its own (the action)', start: (options) => startTrackerThread(options) },
]

/**
 * The thread publishes its counts just after it answers: a read right after the answer may come
 * first. Reads until `read()` gives `expected`, at most 100 times 20 ms apart, and returns the last read.
 */
export async function settled<T>(read: () => T, expected: T): Promise<T> {
  let value = read()
  for (let attempt = 0; attempt < 100 && value !== expected; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    value = read()
  }
  return value
}
