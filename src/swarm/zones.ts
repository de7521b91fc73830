/**
 * Zones: which hosts form which swarm. A host line may name its zone (`web1 zone=dc1`); with one
 * seeder host per zone (`seeder-host: seed1 zone=dc1` …), each zone is a swarm of its own — its
 * hosts announce to their zone's seeder host and trade pieces only with each other — so the payload
 * crosses into a zone once, over SSH to its seeder host, rather than once for each of its hosts
 * across the slow links between zones. Without zones the whole fleet is one swarm, its tracker and
 * seeder on the runner or on the one seeder host. Pure logic: the inputs are checked here, before
 * any host is contacted.
 */
import { InputError } from '../inputs/errors.js'
import type { HostTarget } from '../ssh/hosts.js'

/** One swarm of the deploy. */
export interface Zone {
  /** The zone's name; undefined when the fleet has no zones. */
  name?: string
  /** Where its tracker and seeder run; undefined: on the runner. */
  seederHost?: HostTarget
  /** Its hosts, in the order of `hosts`. */
  hosts: HostTarget[]
}

const sameHost = (a: HostTarget, b: HostTarget): boolean => a.user === b.user && a.host.toLowerCase() === b.host.toLowerCase() && a.port === b.port

/**
 * The deploy's swarms. Throws an InputError naming the input to change when hosts have zones but
 * the zones have no seeder host each, or seeder hosts are given in a way that fits no zone plan.
 */
export function planZones(hosts: HostTarget[], seederHosts: HostTarget[]): Zone[] {
  const zoned = hosts.filter((host) => host.zone !== undefined)
  if (seederHosts.length === 0) {
    if (zoned.length > 0) {
      const names = zoneNames(zoned)
      throw new InputError(
        'hosts',
        `${zoned[0]!.label} is in zone ${zoned[0]!.zone}, but zones need a seeder host each: set seeder-host, one line per zone ` +
          `(${names.map((name, index) => `"seed${index + 1} zone=${name}"`).join(', ')}), or drop the zone labels`,
      )
    }
    return [{ hosts }]
  }
  if (seederHosts.length === 1 && seederHosts[0]!.zone === undefined && zoned.length === 0) return [{ seederHost: seederHosts[0]!, hosts }]
  return planNamedZones(hosts, seederHosts)
}

function planNamedZones(hosts: HostTarget[], givenSeeders: HostTarget[]): Zone[] {
  const problems: { input: string; message: string }[] = []
  // A seeder host that is one of hosts may leave its zone to its line there.
  const seeders = givenSeeders.map((seeder) => {
    const listed = hosts.find((host) => sameHost(host, seeder))
    if (seeder.zone !== undefined && listed?.zone !== undefined && listed.zone !== seeder.zone) {
      problems.push({ input: 'seeder-host', message: `${seeder.label} is in zone ${seeder.zone} here but in zone ${listed.zone} in hosts; give it one zone` })
    }
    return { ...seeder, zone: seeder.zone ?? listed?.zone }
  })
  const zones = new Map<string, Zone>()
  for (const seeder of seeders) {
    if (seeder.zone === undefined) {
      problems.push({
        input: 'seeder-host',
        message:
          seeders.length > 1
            ? `${seeder.label} has no zone: with several seeder hosts, write one line per zone, e.g. "${seeder.label} zone=dc1"`
            : `${seeder.label} has no zone, but the hosts have zones (${zoneNames(hosts).join(', ')}): write one seeder host per zone, e.g. "${seeder.label} zone=${zoneNames(hosts)[0]}"`,
      })
      continue
    }
    const earlier = zones.get(seeder.zone)
    if (earlier !== undefined) {
      problems.push({ input: 'seeder-host', message: `zone ${seeder.zone} has two seeder hosts (${earlier.seederHost!.label}, ${seeder.label}); give each zone one` })
      continue
    }
    zones.set(seeder.zone, { name: seeder.zone, seederHost: seeder, hosts: [] })
  }
  const unzoned: string[] = []
  const orphans = new Map<string, string[]>()
  for (const host of hosts) {
    if (host.zone === undefined) unzoned.push(host.label)
    else if (zones.has(host.zone)) zones.get(host.zone)!.hosts.push(host)
    else orphans.set(host.zone, [...(orphans.get(host.zone) ?? []), host.label])
  }
  if (unzoned.length > 0 && zones.size > 0) {
    problems.push({ input: 'hosts', message: `${listed(unzoned)} ${unzoned.length === 1 ? 'has' : 'have'} no zone: with zones, give every host one (e.g. "${unzoned[0]} zone=${[...zones.keys()][0]}")` })
  }
  for (const [zone, labels] of orphans) {
    problems.push({ input: 'seeder-host', message: `zone ${zone} (${listed(labels)}) has no seeder host: add a line "<host> zone=${zone}" to seeder-host` })
  }
  for (const zone of zones.values()) {
    if (zone.hosts.length === 0) problems.push({ input: 'seeder-host', message: `no host is in zone ${zone.name} (seeder host ${zone.seederHost!.label}): check the zone names, or drop that line` })
  }
  if (problems.length > 0) {
    const input = problems.some((problem) => problem.input === 'seeder-host') ? 'seeder-host' : 'hosts'
    throw new InputError(input, problems.map((problem) => problem.message).join('; '))
  }
  return [...zones.values()]
}

/** The zone names, in the order they first appear. */
function zoneNames(hosts: HostTarget[]): string[] {
  return [...new Set(hosts.flatMap((host) => (host.zone === undefined ? [] : [host.zone])))]
}

/** At most a few labels, then how many more. */
function listed(labels: string[]): string {
  return labels.length <= 3 ? labels.join(', ') : `${labels.slice(0, 3).join(', ')} and ${labels.length - 3} more`
}
