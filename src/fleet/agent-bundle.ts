import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

/** The agent bundle, named by its content so an unchanged agent is never sent twice. */
export interface AgentBundle {
  /** sha256 of the agent's source: its name on the hosts (agent-<first 16>.mjs). */
  sha256: string
  /** What crosses the wire on a first deploy: 0.82 MB of JavaScript is 0.24 MB gzipped, and the
   *  runner's uplink carries one copy per host. */
  gzipped: Buffer
}

export function makeAgentBundle(source: string): AgentBundle {
  return { sha256: createHash('sha256').update(source).digest('hex'), gzipped: gzipSync(source, { level: 9 }) }
}

/**
 * Where the agent bundle is: beside the action's own bundle (dist/main → dist/agent), or, when the
 * action runs from source (tests, `local-action`), in the checkout's dist/.
 */
const BUNDLE_PLACES = [new URL('../agent/murder-agent.mjs', import.meta.url), new URL('../../dist/agent/murder-agent.mjs', import.meta.url)]

export function loadAgentBundle(places: URL[] = BUNDLE_PLACES): AgentBundle {
  for (const place of places) {
    if (fs.existsSync(place)) return makeAgentBundle(fs.readFileSync(place, 'utf8'))
  }
  throw new Error(`The agent bundle is missing (looked for ${places.map((place) => fileURLToPath(place)).join(', ')}): run \`npm run build\`.`)
}
