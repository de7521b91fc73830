// Where a fleet lives: namespace names, addresses, directories. Several fleets coexist, each under its own id.
import type { LinkShape } from './types.js'

export const FLEET_PREFIX = 'mf'
export const STATE_DIR = process.env.MURDER_FLEET_STATE_DIR ?? '/run/murder-fleet'
/**
 * NOT below /tmp: every host bind-mounts its own directory over /tmp, which would hide the
 * fleet's files (sshd config, host key, authorized_keys) from the host itself.
 */
export const WORK_BASE = process.env.MURDER_FLEET_WORK_BASE ?? '/var/tmp/murder-fleet'
export const SUBNET_PREFIX = '198.18.0'
export const RUNNER_ADDRESS = `${SUBNET_PREFIX}.1`
export const MAX_HOSTS = 240

/** Host i (from 1) is 198.18.0.(10+i): the runner keeps .1, and every fleet reuses the same addresses. */
export function hostAddress(index: number): string {
  return `${SUBNET_PREFIX}.${10 + index}`
}

/**
 * mf<id>br, mf<id>r, mf<id>h<i>, and mf<id>b<k> for the bridge of zone k ≥ 2: the id is 4 hex digits,
 * so a namespace name tells which fleet it belongs to.
 */
const FLEET_NETNS_NAME = /^mf([0-9a-f]{4})(br|r|h\d{1,3}|b\d{1,2})$/

/** The most zones a fleet has (each beyond the first is one bridge namespace and one trunk). */
export const MAX_ZONES = 16

/** The fleet id in a namespace name, or undefined for a namespace that is not a fleet's. */
export function fleetIdOfNetns(name: string): string | undefined {
  return FLEET_NETNS_NAME.exec(name)?.[1]
}

export const isFleetId = (name: string) => /^[0-9a-f]{4}$/.test(name)

/** One namespace on the fleet's bridge (the runner or a host) and its link to the bridge. */
export interface Leaf {
  /** 'runner' or the host name */
  key: string
  netns: string
  address: string
  /** the bridge namespace it hangs off: the fleet's, or its zone's */
  bridgeNetns: string
  /** the veth end in the bridge namespace; the leaf's own end is its eth0 */
  bridgePort: string
  shape: LinkShape
}

/**
 * A link joining zone k's bridge to the first zone's (a star: no loop, so no STP): a veth named
 * `port` at both ends, one in each bridge namespace, shaped like any leaf's link.
 */
export interface Trunk {
  zone: string
  /** the first zone's bridge namespace (the runner's) */
  hubNetns: string
  /** zone k's bridge namespace */
  zoneNetns: string
  port: string
  shape: LinkShape
}
