/**
 * WebTorrent options for a closed fleet, shared by the seeder and the agents: peers come only from
 * our own tracker. Everything that would reach outside or discover strangers is off — DHT, local
 * service discovery (a private torrent does NOT turn it off), peer exchange, UPnP/NAT-PMP, web
 * seeds — and uTP too (its native addon is not shipped, and TCP is what fleets firewall for).
 *
 * `secure: 0`: no BitTorrent protocol encryption (MSE/PE). webtorrent's default opens every
 * connection with a 768-bit Diffie-Hellman that cost 54 % of all agent CPU at 32 hosts
 * (bench/README.md). It only obfuscates (RC4) anyway; the payload's confidentiality is our own
 * AES-256 (`encrypt`).
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
    // A host that holds the whole payload dials no one: peers still downloading dial it.
    seedOutgoingConnections: false,
    ...overrides,
  }
}

/**
 * Unchoke slots of an agent and of the seeder. webtorrent's default, 10 (tit-for-tat against free
 * riders on the internet), chokes all but the 9 best peers every 10 s; a fleet has no free riders.
 */
export const UPLOAD_SLOTS = 1000

/**
 * Pieces an agent keeps in memory to serve its peers: none. webtorrent's cache reads a whole piece
 * for each block a peer asks for and keeps a few; an agent serves many peers different pieces, so
 * a small cache missed nearly always and each 16 KiB block cost a whole piece's read (bench/README.md,
 * "Swarm efficiency"). Without it a block is read alone, from the page cache.
 */
const AGENT_STORE_CACHE_SLOTS = 0

/** Options for `client.add` in a downloading agent: nothing selected until spreadPieceOrder() runs. */
export function agentAddOptions(downloadDir: string): Record<string, unknown> {
  return { path: downloadDir, strategy: 'sequential', deselect: true, uploads: UPLOAD_SLOTS, storeCacheSlots: AGENT_STORE_CACHE_SLOTS }
}

/** How an agent that already holds the release seeds it from its store (webtorrent verifies every piece first). */
export function storeSeedOptions(workDir: string): Record<string, unknown> {
  return { path: workDir, uploads: UPLOAD_SLOTS, storeCacheSlots: AGENT_STORE_CACHE_SLOTS }
}
