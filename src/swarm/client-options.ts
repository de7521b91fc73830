import { randomBytes } from 'node:crypto'

/**
 * WebTorrent options for a closed fleet, shared by the seeder and the agents: peers come only from
 * our own tracker. Everything that would reach outside or discover strangers is off — DHT, local
 * service discovery (a private torrent does NOT turn it off), peer exchange, UPnP/NAT-PMP, web
 * seeds — and uTP too (its native addon is not shipped, and TCP is what fleets firewall for).
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
    ...overrides,
  }
}

/** Azureus-style peer id prefix, so a wire from our seeder is recognisable in the agents' counts. */
const PEER_ID_PREFIX = '-MA0100-'

export function newPeerId(): string {
  return Buffer.concat([Buffer.from(PEER_ID_PREFIX), randomBytes(12)]).toString('hex')
}

/** One length of a piece for the payload size: ~1024 pieces, between 32 KiB and 4 MiB. */
export function pieceLengthFor(bytes: number): number {
  const target = bytes / 1024
  let length = 32 * 1024
  while (length < target && length < 4 * 1024 * 1024) length *= 2
  return length
}
