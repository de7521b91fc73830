/**
 * How the objects reach the hosts (the `transport` input): through the deploy's BitTorrent swarm,
 * or streamed over each host's own SSH session.
 */
export type TransportInput = 'auto' | 'swarm' | 'ssh'
export type Transport = 'swarm' | 'ssh'

export const TRANSPORT_INPUTS: readonly TransportInput[] = ['auto', 'swarm', 'ssh']

/**
 * `auto` streams over SSH up to this many hosts. Over SSH the runner's link carries the release
 * once per host (N·S/B); the swarm carries it about once but pays a CPU cost per byte on every
 * host that a plain SSH stream does not. Measured (bench/README.md, "Objects" → "Big artifact on
 * fast links", 1 GiB, unshaped links): SSH was 2.2× faster than the swarm to 1 host and 1.4× to
 * 4 hosts with half the agents' CPU; the swarm moved 1 GiB to one host at 17 MB/s on that loaded
 * machine, 43 MB/s in an earlier, quieter run. On a real fleet, one CPU per host, the runner's link
 * is the limit instead: at 1 Gbit/s (125 MB/s) N copies over it take longer than one swarm delivery
 * at ~43 MB/s per host once N passes about 3. Keep `auto` at or below that.
 */
export const DIRECT_MAX_HOSTS = 3

/**
 * The inputs that configure only a swarm's tracker and seeder, as given. With `transport: ssh`
 * there is neither, so setting one is a contradiction, refused before any host is contacted; with
 * `auto` they apply when it picks the swarm (a seeder host makes it pick the swarm).
 */
export interface SwarmOnlyInputs {
  seederHost: boolean
  trackerAddress: boolean
  /** Anything but 0 (any port). */
  trackerPort: boolean
  swarmAllowAnyPeer: boolean
}

/** Why `transport: ssh` cannot go with what else was given, saying what to write instead; undefined when it can. */
export function sshConflict(given: SwarmOnlyInputs): string | undefined {
  const set = (
    [
      ['seeder-host', given.seederHost],
      ['tracker-address', given.trackerAddress],
      ['tracker-port', given.trackerPort],
      ['swarm-allow-any-peer', given.swarmAllowAnyPeer],
    ] as const
  )
    .filter(([, isSet]) => isSet)
    .map(([name]) => name)
  if (set.length === 0) return undefined
  return (
    `ssh streams each host's objects over its own SSH session and runs no tracker and no seeder, so ${set.join(', ')} ` +
    `${set.length === 1 ? 'has' : 'have'} nothing to apply to. Remove ${set.length === 1 ? 'it' : 'them'}, or set transport to swarm` +
    (given.seederHost ? ' (or to auto, which keeps the swarm when seeder-host is set)' : '')
  )
}

export function parseTransport(text: string): TransportInput {
  if ((TRANSPORT_INPUTS as readonly string[]).includes(text)) return text as TransportInput
  throw new Error(`"${text}" is not one of ${TRANSPORT_INPUTS.join(', ')}`)
}

/**
 * The transport a deploy uses, and why (for the log). A seeder host says the runner's own link is
 * the one to spare (it is sent the release once): `auto` then keeps the swarm.
 */
export function chooseTransport(input: TransportInput, hostCount: number, seederHost: boolean): { transport: Transport; why: string } {
  if (input === 'swarm') return { transport: 'swarm', why: 'transport: swarm' }
  if (input === 'ssh') return { transport: 'ssh', why: 'transport: ssh' }
  if (seederHost) return { transport: 'swarm', why: 'transport: auto with a seeder host' }
  return hostCount <= DIRECT_MAX_HOSTS
    ? { transport: 'ssh', why: `transport: auto, ${hostCount} host${hostCount === 1 ? '' : 's'} ≤ ${DIRECT_MAX_HOSTS}` }
    : { transport: 'swarm', why: `transport: auto, ${hostCount} hosts > ${DIRECT_MAX_HOSTS}` }
}
