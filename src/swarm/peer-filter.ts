/**
 * Who an agent's or the seeder's BitTorrent client deals with. The swarm is the fleet's: anyone
 * else on the network who learns the info hash (it is in the log) could otherwise connect, take
 * connection slots, and answer requests with garbage that is never held against them — 40 such
 * connections stalled a 16 MiB deploy. So:
 *   - incoming connections are taken only from the fleet's addresses (when known), at most
 *     `maxPerAddress` from one address and `maxIncoming` in all, and closed before the handshake
 *     otherwise;
 *   - no peer outside the fleet is dialled;
 *   - a peer that sent a piece failing its hash is dropped and never dialled or accepted again.
 * webtorrent 3 has none of this (its `blocked` list is not consulted for incoming connections, nor
 * for its own re-dials), so this reaches into its internals; test/unit/swarm/peer-filter.test.ts
 * fails if an upgrade moves them.
 */

export interface PeerGuardOptions {
  /** Addresses whose peers are accepted and dialled; undefined = any (a fleet behind NAT). */
  allowed?: ReadonlySet<string>
  maxIncoming: number
  maxPerAddress: number
  onBan?: (address: string, why: string) => void
}

export interface PeerGuard {
  readonly banned: ReadonlySet<string>
  ban(address: string, why: string): void
  /** Applies the rules to a torrent's own dials, and bans peers that send pieces failing their hash. */
  watch(torrent: unknown): void
}

/** The internals used: the client's TCP server (conn-pool), its torrents, and a torrent's dialler and wires. */
interface GuardedSocket {
  remoteAddress?: string
  once(event: 'close', listener: () => void): unknown
  destroy(): void
}
interface ClientInternals {
  _connPool?: { tcpServer?: ListeningServer | null }
  torrents: TorrentInternals[]
}
interface ListeningServer {
  listeners(event: 'connection'): ((socket: GuardedSocket) => void)[]
  removeListener(event: 'connection', listener: (socket: GuardedSocket) => void): unknown
  on(event: 'connection', listener: (socket: GuardedSocket) => void): unknown
  address(): { port: number } | string | null
  close(): unknown
  listen(port: number, host: string, callback: () => void): unknown
}
interface WireInternals {
  remoteAddress?: string
  destroy(): void
  on(event: 'piece', listener: (index: number) => void): unknown
}
interface TorrentInternals {
  wires: WireInternals[]
  _addPeer(peer: unknown, ...rest: unknown[]): unknown
  on(event: 'wire', listener: (wire: WireInternals) => void): unknown
  on(event: 'warning', listener: (error: Error | string) => void): unknown
  on(event: 'verified', listener: (index: number) => void): unknown
}

/** IPv4 peers show as ::ffff:a.b.c.d on a dual-stack socket. */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address
}

/** The host part of "a.b.c.d:port" or "[v6]:port". */
function hostOf(peer: string): string {
  const host = peer.slice(0, peer.lastIndexOf(':'))
  return host.startsWith('[') ? host.slice(1, -1) : host
}

/**
 * A piece that fails its hash is blamed on who sent its blocks. Sent alone: that peer is banned at
 * once. Shared: each sender gets a strike, unless another sender of it is banned (its garbage
 * explains the failure — blocks it sent before its ban can sit in a piece that completes much
 * later, from honest peers); UNEXPLAINED_STRIKES of those and it is banned too.
 */
const UNEXPLAINED_STRIKES = 3

export function guardPeers(client: unknown, options: PeerGuardOptions): PeerGuard {
  const internals = client as ClientInternals
  const banned = new Set<string>()
  const refused = (address: string | undefined): boolean => {
    if (address === undefined) return true
    const plain = plainAddress(address)
    return banned.has(plain) || (options.allowed !== undefined && !options.allowed.has(plain))
  }

  // Incoming: a wrapper around the connection pool's own handler, so a refused socket never
  // reaches webtorrent at all.
  const perAddress = new Map<string, number>()
  let incoming = 0
  const server = internals._connPool?.tcpServer
  if (server) {
    for (const accept of server.listeners('connection')) {
      server.removeListener('connection', accept)
      server.on('connection', (socket) => {
        const address = socket.remoteAddress === undefined ? undefined : plainAddress(socket.remoteAddress)
        if (address === undefined || refused(address) || incoming >= options.maxIncoming || (perAddress.get(address) ?? 0) >= options.maxPerAddress) {
          socket.destroy()
          return
        }
        incoming++
        perAddress.set(address, (perAddress.get(address) ?? 0) + 1)
        socket.once('close', () => {
          incoming--
          const left = (perAddress.get(address) ?? 1) - 1
          if (left > 0) perAddress.set(address, left)
          else perAddress.delete(address)
        })
        accept(socket)
      })
    }
  }

  const ban = (address: string, why: string): void => {
    const plain = plainAddress(address)
    if (banned.has(plain)) return
    banned.add(plain)
    for (const torrent of internals.torrents) {
      for (const wire of [...torrent.wires]) if (wire.remoteAddress !== undefined && plainAddress(wire.remoteAddress) === plain) wire.destroy()
    }
    options.onBan?.(plain, why)
  }

  const watch = (value: unknown): void => {
    const torrent = value as TorrentInternals
    // Outgoing: the tracker's peers, and webtorrent's re-dials of dropped ones (which skip `blocked`).
    const addPeer = torrent._addPeer
    torrent._addPeer = function (this: TorrentInternals, peer: unknown, ...rest: unknown[]) {
      const address = typeof peer === 'string' ? hostOf(peer) : (peer as { remoteAddress?: string }).remoteAddress
      return refused(address) ? null : addPeer.call(this, peer, ...rest)
    }
    // Who sent blocks of each piece since it was last started: blamed when it fails its hash.
    const senders = new Map<number, Set<string>>()
    const sharedFailures: ReadonlySet<string>[] = []
    torrent.on('wire', (wire) => {
      wire.on('piece', (index) => {
        if (wire.remoteAddress === undefined) return
        let from = senders.get(index)
        if (from === undefined) senders.set(index, (from = new Set()))
        from.add(plainAddress(wire.remoteAddress))
      })
    })
    torrent.on('verified', (index) => senders.delete(index))
    torrent.on('warning', (warning) => {
      const index = /Piece (\d+) failed verification/.exec(String(warning instanceof Error ? warning.message : warning))?.[1]
      if (index === undefined) return
      const from = senders.get(Number(index)) ?? new Set<string>()
      senders.delete(Number(index))
      const why = `it sent piece ${index}, which failed its hash`
      if (from.size === 1) return ban([...from][0]!, why)
      sharedFailures.push(from)
      for (const address of from) {
        const unexplained = sharedFailures.filter((failure) => failure.has(address) && ![...failure].some((other) => banned.has(other))).length
        if (unexplained >= UNEXPLAINED_STRIKES) ban(address, `${why}, the ${unexplained}th such piece it had a share in`)
      }
    })
  }

  return { banned, ban, watch }
}

/**
 * Makes the client listen on `address` only (webtorrent listens on every interface), so nobody
 * on another of the runner's networks can even connect. Call it before adding a torrent: the
 * torrent announces the port the client has then.
 */
export async function listenOnly(client: unknown, address: string): Promise<void> {
  const internals = client as ClientInternals & { listening: boolean; torrentPort: number; once(event: 'listening', listener: () => void): unknown }
  const server = internals._connPool?.tcpServer
  if (!server) return
  if (!internals.listening) await new Promise<void>((resolve) => internals.once('listening', () => resolve()))
  server.close()
  await new Promise<void>((resolve) => server.listen(0, address, () => resolve()))
  const bound = server.address()
  if (typeof bound === 'object' && bound !== null) internals.torrentPort = bound.port
}

/**
 * Incoming connections a client takes. An agent dials few peers (policy.ts: maxConns) and is dialled
 * by about as many on average; hosts that finish early are dialled by more, so the cap is well
 * above that. The seeder is dialled by every host. Behind NAT (any peer allowed) many hosts may
 * share one address: the per-address cap is then higher.
 */
export function incomingLimits(role: { agent: true; maxConns: number } | { agent: false; hosts: number }, anyPeer: boolean): { maxIncoming: number; maxPerAddress: number } {
  const maxIncoming = role.agent ? Math.max(64, 8 * role.maxConns) : 2 * role.hosts + 16
  return { maxIncoming, maxPerAddress: anyPeer ? Math.min(maxIncoming, 16) : 4 }
}
