/**
 * Transport ssh, on the runner: no tracker, no seeder; each host's objects go over its own SSH
 * session, on the agent's stdin right after its job — the way the seeder host receives them
 * (swarm/send-objects.ts, agent/object-receiver.ts). The agent first says which objects its store
 * lacks (a `need` event, agent/direct-receive.ts) and only those are sent, in its order; heartbeats
 * follow them, as they follow the origin's objects. Connecting, retries, the deadline, cancelling
 * and stopping the agent are the SSH link's and the fleet runner's, as for every agent: a stream
 * cut by a lost connection is a lost connection while setting the host up, tried again on a new one.
 */
import type { ClientChannel } from 'ssh2'
import { formatRate } from '../inputs/rate.js'
import { badNeed, type AgentEvent } from '../protocol/events.js'
import type { ObjectReader } from '../pack/object-reader.js'
import type { ObjectLayout } from '../swarm/object-layout.js'
import { sendObjects } from '../swarm/send-objects.js'
import type { Delivery } from './delivery.js'
import { HostSetupError, type AgentListener, type HostLinkFactory } from './host-link.js'
import { SshHostLink, type SshLinkOptions } from './ssh-host-link.js'
import { RatePacer, streamPace } from './stream-pace.js'

export interface DirectSpec {
  ssh: SshLinkOptions
  /** The release's objects (pack/release.ts): their bytes, and their ids and sizes. */
  reader: ObjectReader
  /** Whether the reader's bytes are sealed under the objects' keys, or the host must seal them (PackedRelease.sealed). */
  sealed: boolean
  layout: ObjectLayout
  /** Why this transport (for the log). */
  why: string
  /** download-limit: bytes/s each host's stream may take. */
  perHostRate?: number
  /** seeder-upload-limit: bytes/s all streams together may take (the runner plays the seeder's part). */
  totalRate?: number
}

export function directDelivery(spec: DirectSpec): Delivery {
  const ids = new Set(spec.layout.objects.map((object) => object.id))
  const total = spec.totalRate !== undefined ? new RatePacer(spec.totalRate) : undefined
  let sent = 0
  const links: HostLinkFactory = (target, listener) => {
    const asked = new NeedWatch()
    const tapped: AgentListener = {
      ...listener,
      event: (event) => {
        asked.take(event)
        listener.event(event)
      },
    }
    return new SshHostLink(target, tapped, {
      ...spec.ssh,
      afterJob: async (channel, window) => {
        const needed = await Promise.race([asked.objects, closeOf(channel)])
        if (needed === undefined) return
        const bad = badNeed(needed, ids)
        if (bad !== undefined) throw new HostSetupError(`the agent cannot be served: ${bad}`, 'never')
        if (needed.length > 0) listener.log(`sending ${needed.length} of ${ids.size} objects over SSH`)
        const pace = streamPace([spec.perHostRate !== undefined ? new RatePacer(spec.perHostRate) : undefined, total])
        const bytes = await sendObjects(channel, spec.reader, needed.map((id) => ({ id })), window, pace)
        sent += bytes
      },
    })
  }
  return {
    transport: 'ssh',
    describe:
      `Transport ssh (${spec.why}): each host's objects go over its own SSH session, only those its store lacks; no tracker, no seeder` +
      (spec.perHostRate !== undefined ? `; ${formatRate(spec.perHostRate)} per host` : '') +
      (spec.totalRate !== undefined ? `; ${formatRate(spec.totalRate)} in all` : ''),
    source: { torrent: '', seederPeerId: '', direct: spec.sealed ? 'sealed' : 'encoded' },
    links,
    facts: () => ({ transport: 'ssh', infoHash: '', seederRanOn: 'none', seederUploaded: 0, trackerUrl: '', trackerAnnounces: 0, sentOverSsh: sent }),
    close: async () => {},
  }
}

/** One agent's answer to its job: the objects it needs, or undefined when it needs none (already present) or ended. */
class NeedWatch {
  private answer!: (objects: string[] | undefined) => void
  readonly objects = new Promise<string[] | undefined>((resolve) => (this.answer = resolve))

  take(event: AgentEvent): void {
    if (event.type === 'need') this.answer(event.objects)
    else if (event.type === 'done' || event.type === 'error' || event.type === 'exit') this.answer(undefined)
  }
}

function closeOf(channel: ClientChannel): Promise<undefined> {
  return new Promise((resolve) => channel.once('close', () => resolve(undefined)))
}
