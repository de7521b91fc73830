import { randomBytes } from 'node:crypto'

/**
 * WebTorrent options for a closed fleet, shared by the seeder and the agents: peers come only from
 * our own tracker. Everything that would reach outside or discover strangers is off — DHT, local
 * service discovery (a private torrent does NOT turn it off), peer exchange, UPnP/NAT-PMP, web
 * seeds — and uTP too (its native addon is not shipped, and TCP is what fleets firewall for).
 *
 * `secure: 0`: no BitTorrent protocol encryption (MSE/PE). webtorrent's default (1) opens every
 * connection with a 768-bit Diffie-Hellman whose `crypto.createDiffieHellman(prime)` checks the prime
 * each time: ~20 ms of CPU per connection on an idle core. A fleet of 32 opens ~1000 connections on
 * 2 shared cores — measured, that DH was 54 % of all agent CPU and held the first byte back 15 s.
 * It only obfuscates (RC4) anyway; the payload's confidentiality is our own AES-256 (`encrypt`).
 */
export function closedFleetClientOptions(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    dht: false,
    lsd: false,
    utPex: false,
    natUpnp: false,
    natPmp: false,
    webSeeds: false,
    utp: false,
    secure: 0,
    ...overrides,
  }
}

/** Azureus-style peer id prefix, so a wire from our seeder is recognisable in the agents' counts. */
const PEER_ID_PREFIX = '-MA0100-'

export function newPeerId(): string {
  return Buffer.concat([Buffer.from(PEER_ID_PREFIX), randomBytes(12)]).toString('hex')
}

/**
 * How an agent orders the pieces it asks for. webtorrent's default, `sequential`, makes every host
 * ask for piece 0, 1, 2 … at the same moment: they all hold the same pieces, have nothing to trade,
 * and the seeder ends up sending the payload to each host (N × S, as slow as scp). `rotated` starts
 * each host at its own random piece and wraps around, so hosts hold different pieces from the first
 * second and trade them; it costs nothing. Measured (bench/README.md), 16 MiB to 8 hosts on 20 Mbit/s:
 * sequential 47 s, rotated 20 s. `rarest` spreads pieces too, but webtorrent 3.0.21 rescans every piece
 * for every request: at 32 hosts 47 s vs 35 s for rotated, with 20 % more CPU.
 */
export const PIECE_ORDER: 'rotated' | 'rarest' | 'sequential' = 'rotated'

/**
 * Unchoke slots of an agent. webtorrent's default, 10 (tit-for-tat against free riders on the
 * internet), chokes all but the 9 best peers every 10 s; a fleet has no free riders.
 */
export const AGENT_UPLOAD_SLOTS = 1000

/**
 * Pieces an agent keeps in memory to serve its peers (webtorrent's default 20 = 20 MB at 1 MiB
 * pieces). The page cache holds them anyway; 4 bounds what the cache can add to the agent's RSS.
 */
export const AGENT_STORE_CACHE_SLOTS = 4

/** Options for `client.add` in the agent. */
export function agentAddOptions(downloadDir: string): Record<string, unknown> {
  return {
    path: downloadDir,
    strategy: PIECE_ORDER === 'rarest' ? 'rarest' : 'sequential',
    // rotated: nothing is selected until spreadPieceOrder() runs on 'ready'.
    deselect: PIECE_ORDER === 'rotated',
    uploads: AGENT_UPLOAD_SLOTS,
    storeCacheSlots: AGENT_STORE_CACHE_SLOTS,
  }
}

/** How an agent that already holds the release seeds the payload it kept (verified by sha256 just before). */
export function keptPayloadSeedOptions(keptDir: string): Record<string, unknown> {
  return { path: keptDir, skipVerify: true, uploads: AGENT_UPLOAD_SLOTS, storeCacheSlots: AGENT_STORE_CACHE_SLOTS }
}

const REQUEST_NUDGE_MS = 1000

interface SelectableTorrent {
  pieces: unknown[]
  ready: boolean
  _update?: () => void
  select(from: number, to: number, priority?: number): void
  once(event: string, listener: () => void): unknown
}

/**
 * For `rotated`: on 'ready', select [r, n-1] first, then [0, r-2]; the one piece r-1 between them is
 * selected when the others are done (webtorrent merges adjacent selections, which would bring back
 * plain 0 … n-1 order). A piece any peer holds is still fetched from it whatever its place in the
 * order: the order only says what to ask for first. Also, in every order, a once-a-second nudge of
 * webtorrent's request scheduler (see below).
 */
export function spreadPieceOrder(torrent: unknown, random: () => number = Math.random): void {
  const t = torrent as SelectableTorrent
  // webtorrent only asks for more blocks when a message arrives; once every peer is done and quiet,
  // a host whose last requests were lost would wait for the 30 s piece timeout. Nudge it every second.
  const nudge = setInterval(() => t._update?.(), REQUEST_NUDGE_MS)
  nudge.unref()
  t.once('done', () => clearInterval(nudge))
  if (PIECE_ORDER !== 'rotated') return
  const apply = (): void => {
    const n = t.pieces.length
    if (n === 0) return
    const start = Math.floor(random() * n)
    if (n < 3 || start < 2) {
      t.select(0, n - 1)
      return
    }
    t.select(start, n - 1, 1)
    t.select(0, start - 2, 0)
    t.once('idle', () => t.select(start - 1, start - 1))
  }
  if (t.ready) apply()
  else t.once('ready', apply)
}

/** Target piece count of swarmPieceLength, and the largest piece. */
export const SWARM_PIECES = 256
export const SWARM_MAX_PIECE = 1024 * 1024

/**
 * The piece length deploys use: about SWARM_PIECES pieces, a power of two between 32 KiB and 1 MiB.
 * Measured (bench/README.md, 16 MiB, 20 Mbit/s links, 8 / 32 hosts): 64 pieces 14.3 / 38.4 s,
 * 128 pieces 12.2–13.3 / 33.6–35.0 s, 256 pieces 11.7–12.3 / 33.7–33.9 s, 512 pieces 11.7 / 43–46 s
 * (webtorrent works per piece and per `have` for every peer: more CPU); the seeder's upload falls as
 * pieces get smaller (1.8 × S at 256). The 1 MiB cap keeps an agent's peak RSS at 134 MB on 1 GiB
 * (4 MiB pieces: 162–166 MB): webtorrent holds every piece in flight in memory.
 */
export function swarmPieceLength(bytes: number, pieces = SWARM_PIECES, max = SWARM_MAX_PIECE): number {
  const target = bytes / pieces
  let length = 32 * 1024
  while (length < target && length < max) length *= 2
  return length
}
