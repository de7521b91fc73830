import * as path from 'node:path'
import WebTorrent from 'webtorrent'
import { closedFleetClientOptions, newPeerId } from './client-options.js'

export interface Seeder {
  peerId: string
  port: number
  /** Bytes the seeder has sent to the fleet so far. */
  uploaded(): number
  close(): Promise<void>
}

export interface SeederOptions {
  file: string
  torrent: Buffer
  port?: number
  /** Upload slots (peers unchoked at once). */
  uploads?: number
  onWarning?: (message: string) => void
}

/**
 * Seeds the payload from the action's own process. The file was written and hashed a moment ago,
 * so piece verification is skipped: it would read the whole artifact again for nothing.
 */
export async function startSeeder(options: SeederOptions): Promise<Seeder> {
  const peerId = newPeerId()
  const client = new WebTorrent(closedFleetClientOptions({ peerId, torrentPort: options.port ?? 0 }))
  client.on('error', (error: Error | string) => options.onWarning?.(`seeder: ${String(error)}`))
  const torrent = await new Promise<WebTorrent.Torrent>((resolve, reject) => {
    const added = client.add(options.torrent, {
      path: path.dirname(options.file),
      skipVerify: true,
      uploads: options.uploads,
    })
    added.once('error', reject)
    added.once('ready', () => resolve(added))
  })
  torrent.on('warning', (error: Error | string) => options.onWarning?.(`seeder: ${String(error)}`))
  await new Promise<void>((resolve) => (client.listening ? resolve() : client.once('listening', () => resolve())))
  return {
    peerId,
    port: client.address()?.port ?? 0,
    uploaded: () => torrent.uploaded,
    close: () =>
      new Promise<void>((resolve) => {
        client.destroy(() => resolve())
      }),
  }
}
