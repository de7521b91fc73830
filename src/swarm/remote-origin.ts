/**
 * The deploy's swarm on a seeder host inside the fleet (seeder-host), for a runner the hosts cannot
 * reach: the runner sends the objects once, over SSH, to an agent in the origin role there
 * (agent/origin.ts), which runs the tracker and the seeder. To the deploy it is a Swarm like the
 * local one (swarm.ts); `lost` says when the seeder host goes away before the deploy is over.
 */
import pRetry from 'p-retry'
import type { SshLinkOptions } from '../fleet/ssh-host-link.js'
import { SshHostLink } from '../fleet/ssh-host-link.js'
import { HostSetupError, type AgentListener } from '../fleet/host-link.js'
import { AGENT_STOP_GRACE_MS, SETUP_RETRY, type DeployPolicy } from '../policy.js'
import { PROTOCOL_VERSION, type AgentEvent, type OriginEvent, type OriginJob, type OriginObject } from '../protocol/events.js'
import type { ObjectReader } from '../pack/object-reader.js'
import type { HostTarget } from '../ssh/hosts.js'
import type { ObjectLayout } from './object-layout.js'
import { describeObjects, sendObjects } from './send-objects.js'
import type { Swarm } from './swarm.js'
import { makeTorrent } from './torrent.js'

export interface RemoteOriginSpec {
  target: HostTarget
  /** The zone it seeds (swarm/zones.ts), named in what it reports; undefined without zones. */
  zone?: string
  /** How to reach it: the fleet's credentials, agent bundle and Node, and when to give up connecting. */
  ssh: Omit<SshLinkOptions, 'afterJob'>
  /** The release's objects' bytes (pack/object-reader.ts). */
  reader: ObjectReader
  layout: ObjectLayout
  pieces: Buffer
  /** The address the fleet reaches the seeder host at (tracker-address, or the seeder host's own). */
  announceAddress: string
  trackerPort: number
  policy: DeployPolicy
  seederUploadLimit?: number
  /** The fleet's addresses and the seeder host's: the only ones its tracker and seeder deal with; undefined = any (NAT). */
  allowedPeers?: ReadonlySet<string>
  /** The hosts its swarm serves. */
  hostCount: number
  /** The hosts' releases directory: the origin works in `<destination>/.murder/origin/<pid>`. */
  destination: string
  signal: AbortSignal
  log: (message: string) => void
  notice: (message: string) => void
}

type Ready = Extract<OriginEvent, { type: 'ready' }>

/** What one origin has said so far. */
class OriginWatch {
  pid?: number
  received = 0
  uploaded = 0
  announces = 0
  lastError?: string
  private resolveReady!: (ready: Ready) => void
  readonly ready = new Promise<Ready>((resolve) => (this.resolveReady = resolve))

  take(event: AgentEvent): void {
    if (event.type === 'hello') this.pid = event.pid
    else if (event.type === 'ready') this.resolveReady(event)
    else if (event.type === 'origin-progress') {
      this.received = event.received
      this.uploaded = event.uploaded
      this.announces = event.announces
    } else if (event.type === 'error') this.lastError = `${event.code}: ${event.message}`
    else if (event.type === 'exit') this.uploaded = Math.max(this.uploaded, event.uploaded)
  }
}

/** Starts the origin on the seeder host, sends it the objects, and resolves once its tracker and seeder are up. */
export async function openRemoteOrigin(spec: RemoteOriginSpec): Promise<Swarm> {
  const { target } = spec
  const where = `seeder host ${target.label}${spec.zone !== undefined ? ` of zone ${spec.zone}` : ''}`
  const began = Date.now()
  const objects = await describeObjects(spec.reader, spec.layout.objects)
  const bytes = objects.reduce((sum, object) => sum + object.size, 0)
  const job = originJob(spec, objects)
  let link: SshHostLink | undefined
  let watch = new OriginWatch()
  const onAbort = (): void => void link?.stop(AGENT_STOP_GRACE_MS)
  spec.signal.addEventListener('abort', onAbort, { once: true })
  try {
    await pRetry(
      async () => {
        watch = new OriginWatch()
        const attemptWatch = watch
        const listener: AgentListener = {
          event: (event) => attemptWatch.take(event),
          log: (message) => spec.log(`${where}: ${message}`),
          notice: (message) => spec.notice(`${where}: ${message}`),
        }
        link = new SshHostLink(target, listener, { ...spec.ssh, afterJob: (channel, window) => sendObjects(channel, spec.reader, objects, window) })
        try {
          await link.start(job)
        } catch (error) {
          await link.stop(0)
          throw error
        }
      },
      {
        retries: SETUP_RETRY.attempts - 1,
        factor: 2,
        minTimeout: SETUP_RETRY.minDelayMs,
        maxTimeout: SETUP_RETRY.maxDelayMs,
        randomize: true,
        signal: spec.signal,
        shouldRetry: ({ error, attemptNumber }) => {
          const again = error instanceof HostSetupError && error.retry !== 'never' && spec.ssh.giveUpAt - Date.now() > SETUP_RETRY.minTimeLeftMs
          if (again) spec.notice(`${where}: ${error.message}; connecting again (attempt ${attemptNumber + 1} of ${SETUP_RETRY.attempts})`)
          return again
        },
      },
    )
    const started = link!
    const ready = await readyOrWhyNot(started, watch, spec)
    const seconds = (Date.now() - began) / 1000
    spec.notice(`${where}: origin (pid ${watch.pid ?? '?'}) ready after ${seconds.toFixed(1)} s, ${(bytes / 1e6).toFixed(1)} MB sent to it`)
    // The info hash does not depend on the tracker: ours and the origin's must agree, or it seeds something else.
    const torrent = makeTorrent({ name: 'objects', layout: spec.layout, pieces: spec.pieces, announceUrl: ready.trackerUrl })
    if (torrent.infoHash !== ready.infoHash) throw new Error(`${where}: its torrent has info hash ${ready.infoHash}, not ${torrent.infoHash}`)
    return originSwarm(started, watch, ready, torrent, where, target, spec.signal)
  } catch (error) {
    await link?.stop(AGENT_STOP_GRACE_MS)
    const message = (error as Error).message
    throw new Error(message.startsWith(where) ? message : `${where}: ${message}`)
  } finally {
    spec.signal.removeEventListener('abort', onAbort)
  }
}

function originJob(spec: RemoteOriginSpec, objects: OriginObject[]): OriginJob {
  return {
    v: PROTOCOL_VERSION,
    role: 'origin',
    objects,
    pieceLength: spec.layout.pieceLength,
    pieces: spec.pieces.toString('base64'),
    announceAddress: spec.announceAddress,
    trackerPort: spec.trackerPort,
    trackerIntervalMs: spec.policy.tracker.intervalMs,
    peersCacheLength: spec.policy.tracker.peersCacheLength,
    ...(spec.seederUploadLimit !== undefined && { seederUploadLimit: spec.seederUploadLimit }),
    ...(spec.allowedPeers !== undefined && { allowedPeers: [...spec.allowedPeers] }),
    hostCount: spec.hostCount,
    workRoot: `${spec.destination}/.murder/origin`,
    hardCapSeconds: spec.policy.agent.hardCapSeconds,
    progressIntervalMs: spec.policy.agent.progressIntervalMs,
    heartbeatTimeoutMs: spec.policy.agent.heartbeatTimeoutMs,
  }
}

/** The origin's `ready`, or an error saying why it will not come (it exited, the deploy was cancelled, time ran out). */
async function readyOrWhyNot(link: SshHostLink, watch: OriginWatch, spec: RemoteOriginSpec): Promise<Ready> {
  let timer: NodeJS.Timeout | undefined
  let onAbort: (() => void) | undefined
  try {
    return await Promise.race([
      watch.ready,
      link.closed().then((why) => {
        throw new Error(`the origin stopped before its tracker and seeder were up: ${watch.lastError ?? why}`)
      }),
      new Promise<never>((_resolve, reject) => {
        onAbort = () => reject(new Error('the deploy was cancelled'))
        if (spec.signal.aborted) onAbort()
        else spec.signal.addEventListener('abort', onAbort, { once: true })
      }),
      new Promise<never>((_resolve, reject) => {
        const left = Math.max(0, spec.ssh.giveUpAt - Date.now())
        timer = setTimeout(() => reject(new Error(`the origin was not ready within the deadline (${watch.received} bytes of the objects received)`)), left)
      }),
    ])
  } finally {
    clearTimeout(timer)
    if (onAbort !== undefined) spec.signal.removeEventListener('abort', onAbort)
  }
}

function originSwarm(
  link: SshHostLink,
  watch: OriginWatch,
  ready: Ready,
  torrent: { torrent: Buffer; infoHash: string; pieceLength: number },
  where: string,
  target: HostTarget,
  signal: AbortSignal,
): Swarm {
  let closing = false
  const close = async (): Promise<void> => {
    closing = true
    signal.removeEventListener('abort', onAbort)
    await link.stop(AGENT_STOP_GRACE_MS)
  }
  // Cancelled: the origin is stopped at once, beside the fleet's agents, not after them.
  const onAbort = (): void => void close()
  signal.addEventListener('abort', onAbort, { once: true })
  return {
    announceUrl: ready.trackerUrl,
    infoHash: ready.infoHash,
    pieceLength: torrent.pieceLength,
    torrent: torrent.torrent,
    seederPeerId: ready.seederPeerId,
    seederPort: ready.seederPort,
    where: target.label,
    seederUploaded: () => watch.uploaded,
    trackerAnnounces: () => watch.announces,
    lost: link.closed().then((why) =>
      closing
        ? new Promise<string>(() => {})
        : `the ${where} (tracker and seeder) went away before the deploy was over: ${watch.lastError ?? why}`,
    ),
    close,
  }
}
