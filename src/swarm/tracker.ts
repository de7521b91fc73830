import { Server } from 'bittorrent-tracker'
import { plainAddress } from './peer-filter.js'
import { onlyAnnounces } from './tracker-guard.js'

export interface EphemeralTracker {
  port: number
  /** The one info hash this tracker serves; every other is refused. Resolves once announces for it are taken. */
  allow(infoHash: string): Promise<void>
  announceUrl(address: string): string
  /** complete / incomplete counts from the tracker's view of the swarm. */
  swarmCounts(): { complete: number; incomplete: number }
  /** How many swarms the tracker holds state for: 1 at most, ours. */
  swarmsKnown(): number
  /** Announces answered so far (start, update, complete, stop). */
  announces(): number
  close(): Promise<void>
}

export interface TrackerOptions {
  port: number
  /** How often peers re-announce; short, so late joiners are found fast (Murder used 15 s). */
  intervalMs: number
  /** Peers remembered per swarm; the library default (1000, LRU) would forget hosts in a larger fleet. */
  peersCacheLength: number
  /** The address to listen on (the one the fleet reaches the runner at); undefined = every interface. */
  host?: string
  /** Whether an announce from this address is taken (the fleet's hosts and the seeder); undefined = any. */
  allowPeer?: (address: string) => boolean
  onWarning?: (message: string) => void
  /** Called after each announce of this deploy is counted (the tracker thread publishes its counts from here). */
  onAnnounce?: () => void
}

/**
 * An HTTP tracker that lives exactly as long as one deploy and serves only its info hash.
 * UDP and WebSocket trackers are off: agents announce over HTTP, which fleet firewalls pass.
 * In this thread's event loop: the seeder host's origin runs it so. The action runs it in a thread
 * of its own (tracker-thread.ts), so that announces are answered whatever the controller is doing.
 */
export async function startTracker(options: TrackerOptions): Promise<EphemeralTracker> {
  let allowed: string | undefined
  const server = new Server({
    http: true,
    udp: false,
    ws: false,
    stats: false,
    trustProxy: false,
    interval: options.intervalMs,
    peersCacheLength: options.peersCacheLength,
    filter(infoHash: string, params: { ip?: string }, callback: (error?: Error | null) => void) {
      if (infoHash !== allowed) callback(new Error('unknown torrent: this tracker serves one deploy only'))
      else if (options.allowPeer !== undefined && !options.allowPeer(plainAddress(params.ip ?? ''))) callback(new Error('not a host of this deploy'))
      else callback(null)
    },
  })
  onlyAnnounces(server.http)
  server.on('warning', (error: Error) => options.onWarning?.(error.message))
  let announces = 0
  // Emitted for refused announces too (after the failure is sent): count our deploy's only.
  for (const event of ['start', 'update', 'complete', 'stop']) {
    server.on(event, (_address: unknown, params: { info_hash?: string }) => {
      if (params?.info_hash !== allowed) return
      announces++
      options.onAnnounce?.()
    })
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.removeListener('error', reject)
      resolve()
    })
  })
  // A tracker error after start must not crash the deploy; the swarm keeps going on known peers.
  server.on('error', (error: Error) => options.onWarning?.(`tracker: ${error.message}`))
  const port = (server.http.address() as { port: number }).port
  return {
    port,
    allow(infoHash) {
      allowed = infoHash
      return Promise.resolve()
    },
    announceUrl(address) {
      const host = address.includes(':') ? `[${address}]` : address
      return `http://${host}:${port}/announce`
    },
    swarmCounts() {
      const swarm = allowed !== undefined ? server.torrents[allowed] : undefined
      return { complete: swarm?.complete ?? 0, incomplete: swarm?.incomplete ?? 0 }
    },
    swarmsKnown() {
      return Object.keys(server.torrents).length
    },
    announces: () => announces,
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
