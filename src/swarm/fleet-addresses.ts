import { lookup } from 'node:dns/promises'
import pLimit from 'p-limit'
import { plainAddress } from './peer-filter.js'

/**
 * Every address the fleet's host names resolve to: whom the tracker takes announces from and the
 * peers accept connections from (with the runner's own address). A name that does not resolve
 * adds nothing (that host cannot be reached over SSH either).
 */
export async function resolveFleetAddresses(hosts: { host: string }[]): Promise<Set<string>> {
  const addresses = new Set<string>()
  const limit = pLimit(16)
  await Promise.all(
    [...new Set(hosts.map((target) => target.host))].map((host) =>
      limit(async () => {
        try {
          for (const { address } of await lookup(host, { all: true })) addresses.add(plainAddress(address))
        } catch {
          // reported by the SSH connection to that host
        }
      }),
    ),
  )
  return addresses
}
