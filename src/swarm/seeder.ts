import WebTorrent from 'webtorrent'
import { closedFleetClientOptions, UPLOAD_SLOTS } from './client-options.js'
import { objectChunkStore } from './object-chunk-store.js'
import type { ObjectLayout } from './object-layout.js'
import { guardPeers, listenOnly, type PeerGuardOptions } from './peer-filter.js'
import { newPeerId } from './peer-id.js'
import { SuperSeeder } from './super-seeder.js'
import { pieceCount, type SeederWire } from './webtorrent-internals.js'

export interface Seeder {
  peerId: string
  port: number
  /** Bytes the seeder has sent to the fleet so far. */
  uploaded(): number
  close(): Promise<void>
}

export interface SeederOptions {
  objectsDir: string
  layout: ObjectLayout
  torrent: Buffer
  /** Bytes/s in all; undefined = unlimited. */
  uploadLimit?: number
  /** The only address to listen on (the fleet's way to the runner); undefined = every interface. */
  listenAddress?: string
  /** Whom the seeder takes connections from, and how many (peer-filter.ts). */
  peers?: PeerGuardOptions
  onWarning?: (message: string) => void
}

/**
 * Seeds the release's objects from the action's own process, super-seeding (super-seeder.ts). They
 * were written and hashed a moment ago, so piece verification is skipped: it would read the whole
 * release again for nothing.
 */
export async function startSeeder(options: SeederOptions): Promise<Seeder> {
  const peerId = newPeerId()
  const client = new WebTorrent(closedFleetClientOptions({ peerId, torrentPort: 0, uploadLimit: options.uploadLimit ?? -1 }))
  client.on('error', (error: Error | string) => options.onWarning?.(`seeder: ${String(error)}`))
  if (options.listenAddress !== undefined) await listenOnly(client, options.listenAddress)
  const guard = options.peers === undefined ? undefined : guardPeers(client, { ...options.peers, dropSeeds: true })
  let superSeeder: SuperSeeder | undefined
  const torrent = await new Promise<WebTorrent.Torrent>((resolve, reject) => {
    const added = client.add(options.torrent, {
      path: options.objectsDir,
      store: objectChunkStore(options.objectsDir, options.layout, { readOnly: true }),
      skipVerify: true,
      uploads: UPLOAD_SLOTS,
    })
    // Wires come only after metadata (we added the whole .torrent), so the piece count is known.
    added.on('wire', (wire: WebTorrent.Wire) => {
      superSeeder ??= new SuperSeeder(pieceCount(added))
      superSeeder.attach(wire as unknown as SeederWire)
    })
    guard?.watch(added)
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
        superSeeder?.close()
        client.destroy(() => resolve())
      }),
  }
}
