/**
 * How a deploy's objects reach the hosts, behind one interface: through the deploy's swarm (a
 * tracker and a seeder on the runner or on the seeder host; the hosts trade pieces), or streamed
 * over each host's own SSH session (transport ssh, direct-links.ts). The deploy picks one and
 * drives the fleet through it the same way either way.
 */
import type { Transport } from '../inputs/transport.js'
import type { AgentJob } from '../protocol/events.js'
import type { Swarm } from '../swarm/swarm.js'
import type { HostLinkFactory } from './host-link.js'
import { sshHostLinks, type SshLinkOptions } from './ssh-host-link.js'

export interface Delivery {
  transport: Transport
  /** One line for the log: where the objects come from. */
  describe: string
  /** The job's fields that say where the objects come from. */
  source: Pick<AgentJob, 'torrent' | 'seederPeerId' | 'direct' | 'allowedPeers'>
  /** The fleet runner's links to the hosts. */
  links: HostLinkFactory
  /** Resolves, with why, if the delivery goes away before close() (a seeder host that died). */
  lost?: Promise<string>
  /** What the report says of the delivery; read once every agent has stopped. */
  facts(): DeliveryFacts
  close(): Promise<void>
}

export interface DeliveryFacts {
  transport: Transport
  /** Empty with transport ssh: there is no torrent. */
  infoHash: string
  /** Where the tracker and the seeder ran: 'runner', the seeder host, or 'none' (transport ssh). */
  seederRanOn: string
  seederUploaded: number
  trackerUrl: string
  trackerAnnounces: number
  /** Object bytes the runner streamed over the hosts' SSH sessions (transport ssh), all hosts together. */
  sentOverSsh: number
}

/**
 * The swarm's delivery: every host's agent joins it; the links only start agents. `allowedPeers`:
 * the only addresses the agents deal with (undefined: any, swarm-allow-any-peer).
 */
export function swarmDelivery(swarm: Swarm, ssh: SshLinkOptions, capped: string, allowedPeers: ReadonlySet<string> | undefined): Delivery {
  return {
    transport: 'swarm',
    describe:
      `Tracker ${swarm.announceUrl}, seeder on ${swarm.where} port ${swarm.seederPort}, info hash ${swarm.infoHash}, ` +
      `${swarm.pieceLength / 1024} KiB pieces${capped}`,
    source: { torrent: swarm.torrent.toString('base64'), seederPeerId: swarm.seederPeerId, ...(allowedPeers !== undefined && { allowedPeers: [...allowedPeers] }) },
    links: sshHostLinks(ssh),
    lost: swarm.lost,
    facts: () => ({
      transport: 'swarm',
      infoHash: swarm.infoHash,
      seederRanOn: swarm.where,
      seederUploaded: swarm.seederUploaded(),
      trackerUrl: swarm.announceUrl,
      trackerAnnounces: swarm.trackerAnnounces(),
      sentOverSsh: 0,
    }),
    close: () => swarm.close(),
  }
}
