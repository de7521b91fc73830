import { randomBytes } from 'node:crypto'

/** Azureus-style peer id prefix, so a wire from our seeder is recognisable in the agents' counts. */
const PEER_ID_PREFIX = '-MA0100-'

export function newPeerId(): string {
  return Buffer.concat([Buffer.from(PEER_ID_PREFIX), randomBytes(12)]).toString('hex')
}
