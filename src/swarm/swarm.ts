import type { DeployPolicy } from '../policy.js'
import type { ObjectLayout } from './object-layout.js'
import { startSeeder, type Seeder } from './seeder.js'
import { makeTorrent } from './torrent.js'
import { startTracker, type EphemeralTracker } from './tracker.js'

/** One deploy's swarm on the controller's side: its tracker, its torrent and the first seeder. */
export interface Swarm {
  announceUrl: string
  infoHash: string
  pieceLength: number
  /** The .torrent file. */
  torrent: Buffer
  seederPeerId: string
  seederPort: number
  seederUploaded(): number
  trackerAnnounces(): number
  /** Where the tracker and the seeder run: 'runner', or the seeder host as given (seeder-host). */
  where: string
  /** Resolves, with why, if the tracker and the seeder go away before close() (a seeder host that died); never for the runner's own. */
  lost?: Promise<string>
  close(): Promise<void>
}

export interface SwarmSpec {
  /** The release's objects (pack/release.ts): where they are, how they lie in the torrent, their piece hashes. */
  objectsDir: string
  layout: ObjectLayout
  pieces: Buffer
  trackerPort: number
  /** The address the hosts reach the tracker and seeder at (asked once the tracker listens). */
  address: () => Promise<string>
  policy: DeployPolicy['tracker']
  /** The seeder's upload cap, bytes/s; undefined = none. */
  seederUploadLimit?: number
  onWarning: (message: string) => void
}

/** Starts the tracker, makes the torrent, starts the seeder; on any failure closes what it started. */
export async function openSwarm(spec: SwarmSpec): Promise<Swarm> {
  let tracker: EphemeralTracker | undefined
  let seeder: Seeder | undefined
  try {
    tracker = await startTracker({
      port: spec.trackerPort,
      intervalMs: spec.policy.intervalMs,
      peersCacheLength: spec.policy.peersCacheLength,
      onWarning: (message) => spec.onWarning(`tracker: ${message}`),
    })
    const announceUrl = tracker.announceUrl(await spec.address())
    const pieceLength = spec.layout.pieceLength
    const torrent = makeTorrent({ name: 'objects', layout: spec.layout, pieces: spec.pieces, announceUrl })
    tracker.allow(torrent.infoHash)
    seeder = await startSeeder({
      objectsDir: spec.objectsDir,
      layout: spec.layout,
      torrent: torrent.torrent,
      uploadLimit: spec.seederUploadLimit,
      onWarning: spec.onWarning,
    })
    const [openTracker, openSeeder] = [tracker, seeder]
    return {
      announceUrl,
      infoHash: torrent.infoHash,
      pieceLength,
      torrent: torrent.torrent,
      seederPeerId: openSeeder.peerId,
      seederPort: openSeeder.port,
      where: 'runner',
      seederUploaded: () => openSeeder.uploaded(),
      trackerAnnounces: () => openTracker.announces(),
      close: async () => {
        await Promise.allSettled([openSeeder.close(), openTracker.close()])
      },
    }
  } catch (error) {
    await Promise.allSettled([seeder?.close(), tracker?.close()])
    throw error
  }
}
