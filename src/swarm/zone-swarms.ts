/**
 * The deploy's swarms, one per zone (swarm/zones.ts): each opened on its own (deploy.ts), closed
 * together, and described together in the report.
 */
import type { Swarm } from './swarm.js'
import type { Zone } from './zones.js'

export interface ZoneSwarm {
  zone: Zone
  swarm: Swarm
  /** The addresses its tracker and peers deal with: its hosts' and its seeder's; undefined = any (NAT). */
  allowedPeers?: Set<string>
}

export async function closeZoneSwarms(swarms: ZoneSwarm[]): Promise<void> {
  await Promise.all(swarms.map(({ swarm }) => swarm.close()))
}

/** What the report says of the swarms: where they ran and what their seeders and trackers did, in all and per zone. */
export function swarmFacts(swarms: ZoneSwarm[]): {
  infoHash: string
  where: string
  seederUploaded: number
  trackerUrl: string
  trackerAnnounces: number
  zones?: ZoneFacts[]
} {
  const [first] = swarms
  if (first === undefined) throw new Error('no swarm')
  const zones = swarms.map(({ zone, swarm }) => ({
    zone: zone.name ?? '',
    seederHost: swarm.where,
    hosts: zone.hosts.length,
    trackerUrl: swarm.announceUrl,
    seederUploaded: swarm.seederUploaded(),
    trackerAnnounces: swarm.trackerAnnounces(),
  }))
  return {
    infoHash: first.swarm.infoHash,
    where: first.zone.name === undefined ? first.swarm.where : zones.map((zone) => `${zone.seederHost} (${zone.zone})`).join(', '),
    seederUploaded: zones.reduce((sum, zone) => sum + zone.seederUploaded, 0),
    trackerUrl: first.swarm.announceUrl,
    trackerAnnounces: zones.reduce((sum, zone) => sum + zone.trackerAnnounces, 0),
    ...(first.zone.name !== undefined && { zones }),
  }
}

/** One zone's swarm in the report. */
export interface ZoneFacts {
  zone: string
  seederHost: string
  hosts: number
  trackerUrl: string
  seederUploaded: number
  trackerAnnounces: number
}
