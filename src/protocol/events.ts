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

export const PROTOCOL_VERSION = 6

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
  /** Bytes/s the agent sends to its peers, in all; absent = no cap. */
  uploadLimit?: number
  /** Bytes/s the agent receives, in all; absent = no cap. */
  downloadLimit?: number
  /** How far the agent yields its host's CPU, as a nice value 0-19 (agent/cpu-share.ts); absent = 0. */
  nice?: number
  /** The addresses of the fleet's hosts and the runner: the only peers the agent deals with. Absent: any
   *  (swarm-allow-any-peer, for fleets behind NAT). */
  allowedPeers?: string[]
  /**
   * Present for transport `ssh`: the objects come on this session's stdin, not from a swarm (no
   * tracker, no seeder; `torrent` and `seederPeerId` are then empty). The agent answers the job with
   * a `need` event naming the objects its store lacks; the controller writes just those, one after
   * another in that order with no framing (their sizes say where each ends), then heartbeats. Each
   * object, arriving or held in the store, is checked against the manifest's sha256 of it.
   * How they come: 'sealed', as the swarm holds them (under their keys, content/object-key.ts);
   * 'encoded', as the manifest's sha256 is of them (SSH keeps them from outsiders on the way), and
   * the host seals them for its store, so that its store holds what it would from a swarm.
   */
  direct?: DirectForm
}

/** How transport ssh's objects come on the agent's stdin (AgentJob.direct). */
export type DirectForm = 'sealed' | 'encoded'

/**
 * A job for the agent's activation mode (agent/activation.ts), sent on stdin like AgentJob, with the
 * same heartbeats and the same meaning of a closed stdin. One job, one operation on one host:
 * 'activate' switches <destination>/current to <tag> and runs the command and the health check;
 * 'restore' puts back the release a host had before <tag>; 'prune' removes old releases.
 */
export interface ActivationJob {
  v: typeof PROTOCOL_VERSION
  mode: 'activate' | 'restore' | 'prune'
  destination: string
  /** The release being made live (restore: the one being left; prune: the live one). */
  tag: string
  /** restore: the release to go back to; null when there was none (the link is removed). */
  restoreTo?: string | null
  /** Paths inside the release linked to <destination>/shared/<path>. */
  sharedPaths: string[]
  activateCommand?: string
  healthCheck?: string
  /** The health check must pass within this long. */
  healthTimeoutMs: number
  /** One attempt of the health check is killed after this long (or when healthTimeoutMs is up). */
  healthAttemptMs: number
  /** activate-command is killed after this long. */
  commandTimeoutMs: number
  /** activate: put the previous release back when this host's own activation fails, or its controller goes. */
  restoreOnFailure: boolean
  /** prune: releases kept, the live one included (the one it replaced is kept as well). */
  keepReleases: number
  hardCapSeconds: number
  heartbeatTimeoutMs: number
}

/**
 * The job of an agent in the origin role, on the seeder host (seeder-host): receive the release's
 * objects once over its SSH session, then run the deploy's tracker and a seeder there until stopped.
 * Its stdin: this line, then the objects' bytes one after another in `objects` order (their sizes
 * say where each ends), then heartbeats; closing it means "stop", as for every agent. It carries no
 * object key: the origin serves ciphertext.
 */
export interface OriginJob {
  v: typeof PROTOCOL_VERSION
  role: 'origin'
  /** The objects in torrent order: id (their file name), stored size, sha256 of the stored bytes. */
  objects: OriginObject[]
  pieceLength: number
  /** SHA-1 of every piece, in order (the torrent's `pieces`), base64. */
  pieces: string
  /** The address the fleet reaches this host's tracker and seeder at. */
  announceAddress: string
  /** The tracker's port; 0 = a free one. */
  trackerPort: number
  trackerIntervalMs: number
  peersCacheLength: number
  /** Bytes/s the seeder sends in all; absent = no cap. */
  seederUploadLimit?: number
  /** The fleet's addresses and this host's: the only ones its tracker and seeder deal with; absent = any (swarm-allow-any-peer). */
  allowedPeers?: string[]
  /** The hosts its swarm serves: what the seeder's caps on incoming connections are sized by. */
  hostCount: number
  /** Absolute directory under which the origin makes its own work directory (<workRoot>/<pid>). */
  workRoot: string
  hardCapSeconds: number
  progressIntervalMs: number
  heartbeatTimeoutMs: number
}

export interface OriginObject {
  id: string
  size: number
  sha256: string
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
  | 'NOT_PRESENT' // activation: <tag> is not on the host (or has no marker)
  | 'SWITCH_FAILED' // activation: the current link or a shared link could not be made
  | 'COMMAND_FAILED' // activation: activate-command failed or was killed
  | 'HEALTH_FAILED' // activation: the health check did not pass within its time
  | 'RESTORE_FAILED' // activation: the previous release could not be put back

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
  /** transport ssh: the objects (ids, in this order) the controller must send; the others are in the host's store, checked. */
  | { type: 'need'; objects: string[]; bytes: number }
  /**
   * Object bytes taken from stdin so far (written and checked as they came), by an agent of transport
   * ssh or an origin: the sender keeps only so much beyond it in flight (fleet/in-flight-window.ts),
   * so that the end of stdin (stop) never queues behind more than about half a second of objects.
   */
  | { type: 'ack'; bytes: number }
  | OriginEvent

/** What only an agent in the origin role sends (agent/origin.ts). */
export type OriginEvent =
  | {
      /** Every object arrived and checked; the tracker and the seeder are up. */
      type: 'ready'
      /** The announce URL the fleet's torrent must carry (the tracker's port on the announce address). */
      trackerUrl: string
      infoHash: string
      seederPeerId: string
      seederPort: number
    }
  | {
      type: 'origin-progress'
      /** Object bytes received over SSH so far, of `total`. */
      received: number
      total: number
      /** Bytes the origin's seeder has sent to the fleet, and announces its tracker answered. */
      uploaded: number
      announces: number
    }

/** What the agent's activation mode reports (one ActivationJob), on stdout like AgentEvent. */
export type ActivationEvent =
  | { type: 'hello'; v: number; pid: number; node: string }
  | { type: 'error'; code: AgentErrorCode; message: string }
  /** activation: <destination>/current now points to the job's tag; previousTag is what it pointed to. */
  | { type: 'switched'; previousTag: string | null }
  /** activation: switched, command run, health check passed. */
  | { type: 'activated'; previousTag: string | null; healthAttempts: number; seconds: number }
  /** activation: current is back on `tag` (null: removed, there was none before) and the command ran again. */
  | { type: 'restored'; tag: string | null; note?: string }
  /** prune: the releases removed, and the bytes freed in all (releases and objects). */
  | { type: 'pruned'; removed: string[]; freedBytes: number }

export type AgentEventType = AgentEvent['type']

export function encodeEvent(event: AgentEvent): string {
  return JSON.stringify(event) + '\n'
}

export function encodeJob(job: AgentJob | OriginJob): string {
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
  NOT_PRESENT: true,
  SWITCH_FAILED: true,
  COMMAND_FAILED: true,
  HEALTH_FAILED: true,
  RESTORE_FAILED: true,
}

/** The longest message kept from a host: enough for a stack trace, not enough to flood the log. */
export const MAX_HOST_TEXT = 4000

type Fields = Record<string, unknown>
/** An object's id: it becomes a file name (in the origin's work directory) and reaches the runner's log. */
const OBJECT_ID = /^[A-Za-z0-9_-]{8,128}$/
const count = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && value >= 0
const counts = (event: Fields, names: string[]): boolean => names.every((name) => count(event[name]))

/**
 * Each event's fields, checked against their types. Whatever prints on the agent's stdout is
 * untrusted (a host's owner controls it): a pid reaches a shell (`kill`), numbers reach the
 * report, strings the runner's log and the job summary.
 */
const validHello = (event: Fields): boolean =>
  typeof event.v === 'number' && Number.isSafeInteger(event.pid) && (event.pid as number) > 0 && typeof event.node === 'string' && /^v\d+\.\d+\.\d+[\w.+-]*$/.test(event.node)
const validError = (event: Fields): boolean => typeof event.code === 'string' && Object.hasOwn(ERROR_CODES, event.code) && typeof event.message === 'string'
const tagOrNull = (value: unknown): boolean => value === null || typeof value === 'string'

const VALID: Record<AgentEventType, (event: Fields) => boolean> = {
  hello: validHello,
  progress: (event) => counts(event, ['have', 'total', 'fromSeeder', 'fromPeers', 'uploaded', 'peers']),
  done: (event) => typeof event.alreadyPresent === 'boolean' && typeof event.seeding === 'boolean' && counts(event, ['fromSeeder', 'fromPeers', 'fromStore', 'seconds']),
  error: validError,
  notice: (event) => typeof event.message === 'string',
  exit: (event) => count(event.uploaded),
  // Which ids are the release's, each once, the controller checks against its own list (badNeed).
  ack: (event) => Number.isSafeInteger(event.bytes) && count(event.bytes),
  need: (event) => Array.isArray(event.objects) && event.objects.every((id) => typeof id === 'string' && OBJECT_ID.test(id)) && Number.isSafeInteger(event.bytes) && count(event.bytes),
  ready: (event) =>
    typeof event.trackerUrl === 'string' && typeof event.infoHash === 'string' && /^[0-9a-f]{40}$/.test(event.infoHash) && typeof event.seederPeerId === 'string' && count(event.seederPort),
  'origin-progress': (event) => counts(event, ['received', 'total', 'uploaded', 'announces']),
}

const ACTIVATION_VALID: Record<ActivationEvent['type'], (event: Fields) => boolean> = {
  hello: validHello,
  error: validError,
  switched: (event) => tagOrNull(event.previousTag),
  activated: (event) => tagOrNull(event.previousTag) && counts(event, ['healthAttempts', 'seconds']),
  restored: (event) => tagOrNull(event.tag) && (event.note === undefined || typeof event.note === 'string'),
  pruned: (event) => Array.isArray(event.removed) && event.removed.every((tag) => typeof tag === 'string') && count(event.freedBytes),
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
  return decodeLine(line, VALID) as AgentEvent | undefined
}

/** Parse one stdout line of the activation mode; undefined when the line is not one of its events. */
export function decodeActivationEvent(line: string): ActivationEvent | undefined {
  return decodeLine(line, ACTIVATION_VALID) as ActivationEvent | undefined
}

export function encodeActivationEvent(event: ActivationEvent): string {
  return JSON.stringify(event) + '\n'
}

function decodeLine(line: string, valid: Record<string, (event: Fields) => boolean>): unknown {
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
  if (typeof type !== 'string' || !Object.hasOwn(valid, type) || !valid[type]!(event)) return undefined
  if (type === 'error' || type === 'notice') return { ...event, message: hostText(event.message as string) }
  if (type === 'restored' && typeof event.note === 'string') return { ...event, note: hostText(event.note) }
  return event
}

/** A job line as an object of this protocol version; throws an Error saying what is wrong. */
function jobObject(line: string): Record<string, unknown> {
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
  return value
}

/** Parse and check the job line; throws an Error saying what is wrong. */
export function decodeJob(line: string): AgentJob {
  const value = jobObject(line)
  if (value.direct !== undefined) checkDirect(value.direct)
  // Without a swarm (direct) there is no torrent and no seeder.
  const strings = value.direct === undefined ? (['tag', 'destination', 'torrent', 'manifest', 'seederPeerId'] as const) : (['tag', 'destination', 'manifest'] as const)
  for (const name of strings) {
    if (typeof value[name] !== 'string' || value[name] === '') throw new Error(`job field ${name} is missing`)
  }
  for (const name of ['pieceLength', 'hardCapSeconds', 'progressIntervalMs', 'heartbeatTimeoutMs', 'maxConns'] as const) {
    if (typeof value[name] !== 'number' || !((value[name] as number) > 0)) throw new Error(`job field ${name} must be a positive number`)
  }
  if (typeof value.keepObjects !== 'boolean') throw new Error('job field keepObjects must be true or false')
  for (const name of ['uploadLimit', 'downloadLimit'] as const) {
    if (value[name] !== undefined && !(typeof value[name] === 'number' && (value[name] as number) >= 1)) {
      throw new Error(`job field ${name} must be a rate of at least 1 byte/s when present`)
    }
  }
  if (value.nice !== undefined && !(Number.isInteger(value.nice) && (value.nice as number) >= 0 && (value.nice as number) <= 19)) {
    throw new Error('job field nice must be a whole number from 0 to 19 when present')
  }
  checkAllowedPeers(value.allowedPeers)
  return value as unknown as AgentJob
}

function checkAllowedPeers(peers: unknown): void {
  if (peers !== undefined && !(Array.isArray(peers) && peers.every((peer) => typeof peer === 'string'))) {
    throw new Error('job field allowedPeers must be a list of addresses')
  }
}

function checkDirect(direct: unknown): void {
  if (direct !== 'sealed' && direct !== 'encoded') throw new Error('job field direct must be "sealed" or "encoded" when present (transport ssh)')
}

/** Checks a `need` event against the objects the controller has (ids of the release); returns why not, or undefined. */
export function badNeed(objects: unknown, known: { has(id: string): boolean }): string | undefined {
  if (!Array.isArray(objects)) return 'its need event lists no objects'
  const seen = new Set<string>()
  for (const id of objects) {
    if (typeof id !== 'string' || !known.has(id)) return `it asked for an object this release does not have: ${JSON.stringify(id).slice(0, 80)}`
    if (seen.has(id)) return `it asked for object ${id} twice`
    seen.add(id)
  }
  return undefined
}

export function encodeActivationJob(job: ActivationJob): string {
  return JSON.stringify(job) + '\n'
}

/** True when a job line is for the activation mode rather than a deploy. */
export function isActivationJob(value: unknown): boolean {
  const mode = (value as { mode?: unknown } | null)?.mode
  return mode === 'activate' || mode === 'restore' || mode === 'prune'
}

/** Parse and check an activation job line; throws an Error saying what is wrong. */
export function decodeActivationJob(line: string): ActivationJob {
  let value: Record<string, unknown>
  try {
    value = JSON.parse(line) as Record<string, unknown>
  } catch {
    throw new Error('the job line is not JSON')
  }
  if (value === null || typeof value !== 'object' || !isActivationJob(value)) throw new Error('the job line is not an activation job')
  if (value.v !== PROTOCOL_VERSION) {
    throw new Error(`protocol version ${String(value.v)} is not ${PROTOCOL_VERSION}: agent and action differ`)
  }
  for (const name of ['tag', 'destination'] as const) {
    if (typeof value[name] !== 'string' || value[name] === '') throw new Error(`job field ${name} is missing`)
  }
  for (const name of ['healthTimeoutMs', 'healthAttemptMs', 'commandTimeoutMs', 'keepReleases', 'hardCapSeconds', 'heartbeatTimeoutMs'] as const) {
    if (typeof value[name] !== 'number' || !((value[name] as number) > 0)) throw new Error(`job field ${name} must be a positive number`)
  }
  if (!Array.isArray(value.sharedPaths) || !value.sharedPaths.every((item) => typeof item === 'string')) throw new Error('job field sharedPaths must be a list of paths')
  if (typeof value.restoreOnFailure !== 'boolean') throw new Error('job field restoreOnFailure must be true or false')
  return value as unknown as ActivationJob
}

/** Which role a job line asks for; the line is decoded (and checked) by that role. */
export function jobRole(line: string): 'agent' | 'origin' {
  try {
    return (JSON.parse(line) as { role?: unknown })?.role === 'origin' ? 'origin' : 'agent'
  } catch {
    return 'agent'
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/

/** Parse and check an origin's job line; throws an Error saying what is wrong. */
export function decodeOriginJob(line: string): OriginJob {
  const value = jobObject(line)
  if (value.role !== 'origin') throw new Error('job field role must be "origin"')
  for (const name of ['pieces', 'announceAddress', 'workRoot'] as const) {
    if (typeof value[name] !== 'string' || value[name] === '') throw new Error(`job field ${name} is missing`)
  }
  if (!(value.workRoot as string).startsWith('/') || (value.workRoot as string).split('/').includes('..')) {
    throw new Error('job field workRoot must be an absolute path without ".."')
  }
  for (const name of ['pieceLength', 'trackerIntervalMs', 'peersCacheLength', 'hardCapSeconds', 'progressIntervalMs', 'heartbeatTimeoutMs', 'hostCount'] as const) {
    if (typeof value[name] !== 'number' || !((value[name] as number) > 0)) throw new Error(`job field ${name} must be a positive number`)
  }
  checkAllowedPeers(value.allowedPeers)
  const port = value.trackerPort
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error('job field trackerPort must be a port (0 = any)')
  if (value.seederUploadLimit !== undefined && !(typeof value.seederUploadLimit === 'number' && value.seederUploadLimit >= 1)) {
    throw new Error('job field seederUploadLimit must be a rate of at least 1 byte/s when present')
  }
  if (!Array.isArray(value.objects) || value.objects.length === 0) throw new Error('job field objects must list at least one object')
  const seen = new Set<string>()
  for (const object of value.objects as Record<string, unknown>[]) {
    // Ids become file names in the work directory: nothing that could name another place.
    if (typeof object?.id !== 'string' || !OBJECT_ID.test(object.id)) throw new Error(`job object id ${JSON.stringify(object?.id)} is not a valid object id`)
    if (seen.has(object.id)) throw new Error(`job object ${object.id} is listed twice`)
    seen.add(object.id)
    if (typeof object.size !== 'number' || !Number.isSafeInteger(object.size) || object.size <= 0) throw new Error(`job object ${object.id}: size must be a positive integer`)
    if (typeof object.sha256 !== 'string' || !SHA256_HEX.test(object.sha256)) throw new Error(`job object ${object.id}: sha256 must be 64 hex digits`)
  }
  return value as unknown as OriginJob
}
