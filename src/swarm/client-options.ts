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

/** One length of a piece for the payload size: ~1024 pieces, between 32 KiB and 4 MiB. (Not used for deploys any more: see swarmPieceLength.) */
export function pieceLengthFor(bytes: number): number {
  const target = bytes / 1024
  let length = 32 * 1024
  while (length < target && length < 4 * 1024 * 1024) length *= 2
  return length
}

/**
 * How an agent orders the pieces it asks for. webtorrent's default, `sequential`, makes every host
 * ask for piece 0, 1, 2 … at the same moment: they all hold the same pieces, have nothing to trade,
 * and the seeder ends up sending the payload to each host (N × S, as slow as scp). `rotated` starts
 * each host at its own random piece and wraps around, so hosts hold different pieces from the first
 * second and trade them; it costs nothing. (`rarest` does the same job better in theory, but in
 * webtorrent 3.0.21 it rescans every piece for every block request and is CPU-bound.)
 */
export const PIECE_ORDER: 'rotated' | 'rarest' | 'sequential' = 'rotated'

/**
 * Unchoke slots of an agent. webtorrent's default, 10 (tit-for-tat against free riders on the
 * internet), chokes all but the 9 best peers every 10 s; a fleet has no free riders.
 */
export const AGENT_UPLOAD_SLOTS = 1000

/** Options for `client.add` in the agent. */
export function agentAddOptions(downloadDir: string): Record<string, unknown> {
  return {
    path: downloadDir,
    strategy: PIECE_ORDER === 'rarest' ? 'rarest' : 'sequential',
    // rotated: nothing is selected until spreadPieceOrder() runs on 'ready'.
    deselect: PIECE_ORDER === 'rotated',
    uploads: AGENT_UPLOAD_SLOTS,
  }
}

interface SelectableTorrent {
  pieces: unknown[]
  ready: boolean
  select(from: number, to: number, priority?: number): void
  once(event: string, listener: () => void): unknown
}

/**
 * For `rotated`: on 'ready', select [r, n-1] first, then [0, r-2]; the one piece r-1 between them is
 * selected when the others are done (webtorrent merges adjacent selections, which would bring back
 * plain 0 … n-1 order). A piece any peer holds is still fetched from it whatever its place in the
 * order: the order only says what to ask for first.
 */
export function spreadPieceOrder(torrent: unknown, random: () => number = Math.random): void {
  if (PIECE_ORDER !== 'rotated') return
  const t = torrent as SelectableTorrent
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

/** Target piece count of swarmPieceLength. */
export const SWARM_PIECES = 256

/**
 * The piece length deploys use: about SWARM_PIECES pieces, a power of two between 64 KiB and 4 MiB.
 * webtorrent 3 does O(pieces × peers) work for every `have` it receives and every peer sends one
 * `have` per piece, so an agent's CPU grows as pieces² × peers²: ~1024 pieces of 32 KiB cost 6 s of CPU
 * per agent for 16 MiB in a fleet of 32 (2 cores for all of them). Fewer, larger pieces cost far less,
 * and 128 are still plenty for every host to start on a different one.
 */
export function swarmPieceLength(bytes: number, pieces = SWARM_PIECES): number {
  const target = bytes / pieces
  let length = 32 * 1024
  while (length < target && length < 4 * 1024 * 1024) length *= 2
  return length
}
