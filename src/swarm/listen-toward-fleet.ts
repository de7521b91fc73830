/**
 * Starts the tracker (and through `listenAddress`, the seeder) on the address the fleet reaches this
 * machine at, so that nothing of the deploy listens on its other interfaces. An address that is not
 * this machine's own (a NAT's, a load balancer's: EADDRNOTAVAIL) cannot be listened on: then every
 * interface, said in a warning — the peer guard still takes only the fleet's addresses.
 */
export async function listenTowardFleet<T>(
  address: string,
  start: (host: string | undefined) => Promise<T>,
  warn: (message: string) => void,
): Promise<{ started: T; listenAddress: string | undefined }> {
  try {
    return { started: await start(address), listenAddress: address }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRNOTAVAIL') throw error
    warn(`${address} is not an address of this machine (a NAT's?): the tracker and the seeder listen on every interface`)
    return { started: await start(undefined), listenAddress: undefined }
  }
}
