/**
 * Who an agent's or the seeder's BitTorrent client deals with. The swarm is the fleet's: anyone
 * else on the network who learns the info hash (it is in the log) could otherwise connect, take
 * connection slots, and answer requests with garbage that is never held against them — 40 such
 * connections stalled a 16 MiB deploy. So:
 *   - incoming connections are taken only from the fleet's addresses (when known), at most
 *     `maxPerAddress` from one address and `maxIncoming` in all, and closed before the handshake
 *     otherwise;
 *   - no peer outside the fleet is dialled;
 *   - a peer that sent a piece failing its hash (or, when several sent it, a block that differs from
 *     the piece's good bytes) is dropped and never dialled or accepted again;
 *   - the seeder drops peers posing as seeds (it has nothing to give them).
 * webtorrent 3 has none of this (its `blocked` list is not consulted for incoming connections, nor
 * for its own re-dials), so this reaches into its internals; test/unit/swarm/peer-filter.test.ts
 * fails if an upgrade moves them.
 */

import { peerIsSeed, pieceCount } from './webtorrent-internals.js'

export interface PeerGuardOptions {
  /** Addresses whose peers are accepted and dialled; undefined = any (a fleet behind NAT). */
  allowed?: ReadonlySet<string>
  maxIncoming: number
  maxPerAddress: number
  onBan?: (address: string, why: string) => void
  /** Drop peers that hold every piece, once a second: the seeder has nothing to give them, and a peer
   *  posing as a seed would otherwise keep its connection slots. */
  dropSeeds?: boolean
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
  /** bittorrent-protocol: a block arrived (index, offset, bytes). */
  on(event: 'piece', listener: (index: number, offset: number, data: Buffer) => void): unknown
}
interface TorrentInternals {
  wires: WireInternals[]
  bitfield: { get(index: number): boolean }
  store: { get(index: number, options: null, callback: (error: Error | null, data?: Buffer) => void): void }
  _addPeer(peer: unknown, ...rest: unknown[]): unknown
  on(event: 'wire', listener: (wire: WireInternals) => void): unknown
  on(event: 'warning', listener: (error: Error | string) => void): unknown
  on(event: 'verified', listener: (index: number) => void): unknown
  once(event: 'close', listener: () => void): unknown
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
 * A piece that fails its hash is blamed on who sent its blocks. Sent by one peer alone: that peer
 * is banned at once. Sent by several: the blocks are kept until the piece passes (fetched again),
 * then each is compared with the good bytes, and whoever sent a block that differs is banned —
 * no honest peer is blamed for sharing a piece with a poisoner (libtorrent's "smart ban"). At most
 * SUSPECT_PIECES failed pieces are kept at once (the oldest go first), which bounds the memory.
 */
const SUSPECT_PIECES = 32

interface ReceivedBlock {
  offset: number
  data: Buffer
  address: string
}

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
    if (options.dropSeeds) {
      const timer = setInterval(() => {
        const pieces = pieceCount(torrent)
        for (const wire of [...torrent.wires]) if (peerIsSeed(wire, pieces)) wire.destroy()
      }, 1000)
      timer.unref()
      torrent.once('close', () => clearInterval(timer))
    }
    // The blocks of each piece since it was last started, and who sent them.
    const received = new Map<number, ReceivedBlock[]>()
    const suspects = new Map<number, ReceivedBlock[]>()
    torrent.on('wire', (wire) => {
      wire.on('piece', (index, offset, data) => {
        // A block of a piece already held (a duplicate at the end) is neither used nor blamed.
        if (wire.remoteAddress === undefined || torrent.bitfield.get(index)) return
        let blocks = received.get(index)
        if (blocks === undefined) received.set(index, (blocks = []))
        blocks.push({ offset, data, address: plainAddress(wire.remoteAddress) })
      })
    })
    torrent.on('verified', (index) => {
      received.delete(index)
      const blocks = suspects.get(index)
      if (blocks === undefined) return
      suspects.delete(index)
      torrent.store.get(index, null, (error, good) => {
        if (error || good === undefined) return
        for (const block of blocks) {
          if (!good.subarray(block.offset, block.offset + block.data.length).equals(block.data)) {
            ban(block.address, `it sent a block of piece ${index} that differs from the piece's verified bytes`)
          }
        }
      })
    })
    torrent.on('warning', (warning) => {
      const match = /Piece (\d+) failed verification/.exec(String(warning instanceof Error ? warning.message : warning))
      if (match === null) return
      const index = Number(match[1])
      const blocks = received.get(index) ?? []
      received.delete(index)
      const senders = new Set(blocks.map((block) => block.address))
      if (senders.size === 1) return ban([...senders][0]!, `it sent piece ${index}, which failed its hash`)
      if (senders.size === 0) return
      suspects.delete(index)
      suspects.set(index, blocks)
      for (const oldest of suspects.keys()) {
        if (suspects.size <= SUSPECT_PIECES) break
        suspects.delete(oldest)
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
 * above that, and one address gets few (a poisoner's many connections each carry garbage until it
 * is caught). The seeder is dialled by every host; behind NAT (any peer allowed) many hosts may reach
 * it from one address, so it then takes more from one.
 */
export function incomingLimits(role: { agent: true; maxConns: number } | { agent: false; hosts: number }, anyPeer: boolean): { maxIncoming: number; maxPerAddress: number } {
  if (role.agent) return { maxIncoming: Math.max(64, 8 * role.maxConns), maxPerAddress: 4 }
  if (!anyPeer) return { maxIncoming: 2 * role.hosts + 16, maxPerAddress: 4 }
  // Room for every host behind one address, and as much again for the rest: one address cannot take it all.
  return { maxIncoming: 3 * role.hosts + 16, maxPerAddress: Math.max(4, role.hosts) }
}
