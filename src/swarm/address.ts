import * as dgram from 'node:dgram'
import { lookup } from 'node:dns/promises'

/**
 * The runner's address as the hosts will see it: the source address the kernel picks for the
 * route to the first host. Connecting a UDP socket only consults the routing table; no packet
 * is sent.
 */
export async function detectAddressToward(host: string, port: number): Promise<string> {
  const { address, family } = await lookup(host)
  const socket = dgram.createSocket(family === 6 ? 'udp6' : 'udp4')
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.connect(port, address, () => resolve())
    })
    return socket.address().address
  } finally {
    socket.close()
  }
}

/** The runner's address toward the fleet, from the first few hosts whose names resolve. */
export async function detectAddressTowardFleet(hosts: { label: string; host: string; port: number }[]): Promise<string> {
  const problems: string[] = []
  for (const host of hosts.slice(0, 10)) {
    try {
      return await detectAddressToward(host.host, host.port)
    } catch (error) {
      problems.push(`${host.label}: ${(error as Error).message}`)
    }
  }
  throw new Error(`Could not detect the address the hosts reach the runner at (${problems.join('; ')}); set tracker-address.`)
}
