/** Target piece count of swarmPieceLength, and the largest piece. */
export const SWARM_PIECES = 256
export const SWARM_MAX_PIECE = 1024 * 1024
const SWARM_MIN_PIECE = 32 * 1024

/**
 * The piece length deploys use: about SWARM_PIECES pieces, a power of two between 32 KiB and 1 MiB.
 * Fewer pieces trade less, more pieces cost webtorrent more work per `have` for every peer, and the
 * cap bounds what an agent holds in memory; measured in bench/README.md ("Where the time went").
 */
export function swarmPieceLength(bytes: number): number {
  const target = bytes / SWARM_PIECES
  let length = SWARM_MIN_PIECE
  while (length < target && length < SWARM_MAX_PIECE) length *= 2
  return length
}
