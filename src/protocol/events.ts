/**
 * The one protocol spoken between the controller (the action) and the agent on each host.
 *
 * Controller → agent: exactly one JSON line on the agent's stdin (the AgentJob), then a HEARTBEAT
 * line every HEARTBEAT_INTERVAL_MS. Closing stdin means "stop": the agent stops seeding, cleans up
 * and exits. Tying the agent's life to its stdin is what guarantees no orphan: when the SSH session
 * ends, sshd closes the pipe and the agent goes away; when the network between them is cut (no
 * FIN ever arrives, sshd does not notice), the missing heartbeats tell the agent instead.
 *
 * Agent → controller: one JSON line per event on stdout. Anything else on stdout is not an event and
 * is kept only for diagnostics. The job carries secrets (the payload key), so it never travels on a
 * command line, where `ps` would show it.
 */

export const PROTOCOL_VERSION = 3

/** What the controller writes to a running agent's stdin to say "still here" (how often: policy.ts). */
export const HEARTBEAT = '\n'

export interface AgentJob {
  v: typeof PROTOCOL_VERSION
  /** Release name; the release lands in `<destination>/<tag>`. */
  tag: string
  /** Absolute directory that holds the releases on the host. */
  destination: string
  /** The .torrent of the release's objects (swarm/object-layout.ts), base64. */
  torrent: string
  /** Its piece length: with the manifest's objects, where each object lies in the torrent. */
  pieceLength: number
  /** The manifest (content/manifest.ts): the tree, the objects and their keys. Secret. */
  manifest: string
  /** Keep the release's objects in the host's store after the deploy, so that later deploys (a
   *  re-run, a hotfix, new hosts) download only what changed and are seeded by the hosts. */
  keepObjects: boolean
  /** Peer id (hex) of the controller's seeder, so the agent can count what came from it. */
  seederPeerId: string
  /** Replace an existing `<destination>/<tag>` that holds something else. */
  overwrite: boolean
  /** The agent exits by itself after this long, whatever happens: the last line of defence against orphans. */
  hardCapSeconds: number
  /** How often to send progress events. */
  progressIntervalMs: number
  /** The agent stops when its stdin has been silent this long (no heartbeat: the controller is unreachable). */
  heartbeatTimeoutMs: number
  /** Outgoing peer connections of the agent's BitTorrent client (webtorrent's maxConns). */
  maxConns: number
  /** The addresses of the fleet's hosts and the runner: the only peers the agent deals with. Absent: any
   *  (swarm-allow-any-peer, for fleets behind NAT). */
  allowedPeers?: string[]
}

export type AgentErrorCode =
  | 'BAD_JOB' // the job line could not be read or is not valid
  | 'TAG_EXISTS' // <tag> already holds a different release and overwrite is off
  | 'DISK_FULL' // ENOSPC while downloading or unpacking
  | 'NO_PERMISSION' // EACCES / EPERM on the destination
  | 'UNSAFE_DESTINATION' // <destination> or .murder is someone else's, writable by others, or holds links where the agent's own directories go
  | 'VERIFY_FAILED' // an object's sha256 differs from the manifest's
  | 'UNPACK_FAILED' // the release could not be written from its objects
  | 'TORRENT_FAILED' // the BitTorrent client reported an error
  | 'STOPPED' // the controller stopped the agent before the release was complete
  | 'HARD_CAP' // the agent's own time limit passed
  | 'CONTROLLER_LOST' // no heartbeat from the controller: the network to the runner is gone
  | 'INTERNAL'

export type AgentEvent =
  | { type: 'hello'; v: number; pid: number; node: string }
  | {
      type: 'progress'
      /** Torrent bytes held (verified pieces, those already in the host's store included). */
      have: number
      total: number
      /** Payload bytes received from the seeder and from other hosts. */
      fromSeeder: number
      fromPeers: number
      uploaded: number
      peers: number
    }
  | {
      type: 'done'
      /** True when the release was already in place: nothing was downloaded. */
      alreadyPresent: boolean
      /** True when the agent now seeds the release's objects for the others (always after a
       *  download; after "already present" when its store still holds every object). */
      seeding: boolean
      fromSeeder: number
      fromPeers: number
      /** Stored bytes the host already held (objects of earlier releases): not downloaded. */
      fromStore: number
      /** Seconds from the agent's start to the verified, unpacked release. */
      seconds: number
    }
  | { type: 'error'; code: AgentErrorCode; message: string }
  /** Worth an operator's eye although the host goes on (a peer dropped for sending bad data). */
  | { type: 'notice'; message: string }
  | { type: 'exit'; uploaded: number }

export type AgentEventType = AgentEvent['type']

export function encodeEvent(event: AgentEvent): string {
  return JSON.stringify(event) + '\n'
}

export function encodeJob(job: AgentJob): string {
  return JSON.stringify(job) + '\n'
}

/** Every error code, as a record so that the compiler notices one missing. */
const ERROR_CODES: Readonly<Record<AgentErrorCode, true>> = {
  BAD_JOB: true,
  TAG_EXISTS: true,
  DISK_FULL: true,
  NO_PERMISSION: true,
  UNSAFE_DESTINATION: true,
  VERIFY_FAILED: true,
  UNPACK_FAILED: true,
  TORRENT_FAILED: true,
  STOPPED: true,
  HARD_CAP: true,
  CONTROLLER_LOST: true,
  INTERNAL: true,
}

/** The longest message kept from a host: enough for a stack trace, not enough to flood the log. */
export const MAX_HOST_TEXT = 4000

type Fields = Record<string, unknown>
const count = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && value >= 0
const counts = (event: Fields, names: string[]): boolean => names.every((name) => count(event[name]))

/**
 * Each event's fields, checked against their types. Whatever prints on the agent's stdout is
 * untrusted (a host's owner controls it): a pid reaches a shell (`kill`), numbers reach the
 * report, strings the runner's log and the job summary.
 */
const VALID: Record<AgentEventType, (event: Fields) => boolean> = {
  hello: (event) => typeof event.v === 'number' && Number.isSafeInteger(event.pid) && (event.pid as number) > 0 && typeof event.node === 'string' && /^v\d+\.\d+\.\d+[\w.+-]*$/.test(event.node),
  progress: (event) => counts(event, ['have', 'total', 'fromSeeder', 'fromPeers', 'uploaded', 'peers']),
  done: (event) => typeof event.alreadyPresent === 'boolean' && typeof event.seeding === 'boolean' && counts(event, ['fromSeeder', 'fromPeers', 'fromStore', 'seconds']),
  error: (event) => typeof event.code === 'string' && Object.hasOwn(ERROR_CODES, event.code) && typeof event.message === 'string',
  notice: (event) => typeof event.message === 'string',
  exit: (event) => count(event.uploaded),
}

/**
 * Text from a host made safe for the runner's log and the summary: no control characters (terminal
 * escapes), no line that starts a workflow command (`::warning::`, `::add-mask::`, … are only
 * commands at the start of a line, so "::" there becomes ": :"), and bounded.
 */
export function hostText(text: string, max = MAX_HOST_TEXT): string {
  const bounded = text.length > max ? text.slice(0, max) + '…' : text
  // eslint-disable-next-line no-control-regex
  return bounded.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, ' ').replace(/^(\s*)::/gm, '$1: :')
}

/** Parse one stdout line; undefined when the line is not an event of the protocol (stray output, or fields of the wrong type). */
export function decodeEvent(line: string): AgentEvent | undefined {
  const text = line.trim()
  if (!text.startsWith('{')) return undefined
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const event = value as Fields
  const type = event.type
  if (typeof type !== 'string' || !Object.hasOwn(VALID, type) || !VALID[type as AgentEventType](event)) return undefined
  if (type === 'error' || type === 'notice') return { ...(event as AgentEvent & { type: 'error' | 'notice' }), message: hostText(event.message as string) } as AgentEvent
  return event as unknown as AgentEvent
}

/** Parse and check the job line; throws an Error saying what is wrong. */
export function decodeJob(line: string): AgentJob {
  let value: Record<string, unknown>
  try {
    value = JSON.parse(line) as Record<string, unknown>
  } catch {
    throw new Error('the job line is not JSON')
  }
  if (value === null || typeof value !== 'object') throw new Error('the job line is not an object')
  if (value.v !== PROTOCOL_VERSION) {
    throw new Error(`protocol version ${String(value.v)} is not ${PROTOCOL_VERSION}: agent and action differ`)
  }
  const strings = ['tag', 'destination', 'torrent', 'manifest', 'seederPeerId'] as const
  for (const name of strings) {
    if (typeof value[name] !== 'string' || value[name] === '') throw new Error(`job field ${name} is missing`)
  }
  for (const name of ['pieceLength', 'hardCapSeconds', 'progressIntervalMs', 'heartbeatTimeoutMs', 'maxConns'] as const) {
    if (typeof value[name] !== 'number' || !((value[name] as number) > 0)) throw new Error(`job field ${name} must be a positive number`)
  }
  if (typeof value.keepObjects !== 'boolean') throw new Error('job field keepObjects must be true or false')
  if (value.allowedPeers !== undefined && !(Array.isArray(value.allowedPeers) && value.allowedPeers.every((peer) => typeof peer === 'string'))) {
    throw new Error('job field allowedPeers must be a list of addresses')
  }
  return value as unknown as AgentJob
}
