/**
 * The one place that reaches into webtorrent's internals (webtorrent 3.0.x, bittorrent-protocol
 * 5.x). None of these is public API; test/unit/swarm/webtorrent-internals.test.ts fails when an
 * upgrade renames or removes one of them.
 */

/** A torrent's piece selection and its request scheduler, as the agent's piece order uses them. */
export interface SelectableTorrent {
  pieces: unknown[]
  ready: boolean
  select(from: number, to: number, priority?: number): void
  once(event: string, listener: () => void): unknown
  /** webtorrent's request scheduler: asks every wire for more blocks. Runs only when a message arrives. */
  _update?: () => void
}

/** A peer connection (bittorrent-protocol's Wire) as the super-seeder drives it. */
export interface SeederWire {
  /** The pieces the remote peer says it holds. */
  peerPieces: { get(index: number): boolean }
  /** The remote supports the Fast extension (BEP 6): HAVE NONE instead of an empty bitfield. */
  hasFast: boolean
  destroyed: boolean
  bitfield(bitfield: Uint8Array): void
  haveAll(): void
  haveNone(): void
  have(index: number): void
  on(event: string, listener: (...args: unknown[]) => void): unknown
  once(event: string, listener: (...args: unknown[]) => void): unknown
}

/** Asks webtorrent to schedule requests now (see piece-order.ts for why). */
export function nudgeRequests(torrent: unknown): void {
  ;(torrent as SelectableTorrent)._update?.()
}

/** The piece count of a torrent whose metadata is known. */
export function pieceCount(torrent: unknown): number {
  return (torrent as SelectableTorrent).pieces.length
}
