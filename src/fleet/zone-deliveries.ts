/**
 * The deploy's deliveries, one per zone (swarm/zones.ts; one for the whole fleet without zones):
 * each opened on its own (deploy.ts), closed together, and described together in the report.
 */
import type { Zone } from '../swarm/zones.js'
import type { Delivery, DeliveryFacts } from './delivery.js'

export interface ZoneDelivery {
  zone: Zone
  delivery: Delivery
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

export async function closeZoneDeliveries(deliveries: ZoneDelivery[]): Promise<void> {
  await Promise.all(deliveries.map(({ delivery }) => delivery.close()))
}

/** What the report says of the deliveries: where they ran and what their seeders and trackers did, in all and per zone. */
export function zoneDeliveryFacts(deliveries: ZoneDelivery[]): DeliveryFacts & { zones?: ZoneFacts[] } {
  const [first] = deliveries
  if (first === undefined) throw new Error('no delivery')
  const firstFacts = first.delivery.facts()
  if (first.zone.name === undefined) return firstFacts
  const zones = deliveries.map(({ zone, delivery }) => {
    const facts = delivery.facts()
    return {
      zone: zone.name ?? '',
      seederHost: facts.seederRanOn,
      hosts: zone.hosts.length,
      trackerUrl: facts.trackerUrl,
      seederUploaded: facts.seederUploaded,
      trackerAnnounces: facts.trackerAnnounces,
    }
  })
  return {
    ...firstFacts,
    seederRanOn: zones.map((zone) => `${zone.seederHost} (${zone.zone})`).join(', '),
    seederUploaded: zones.reduce((sum, zone) => sum + zone.seederUploaded, 0),
    trackerAnnounces: zones.reduce((sum, zone) => sum + zone.trackerAnnounces, 0),
    zones,
  }
}
