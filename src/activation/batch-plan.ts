import { hostsPerBatch, type BatchSize } from '../inputs/batch-size.js'

/** The hosts cut into batches of `size`, in the order given (the order of the hosts input). */
export function planBatches<T>(hosts: readonly T[], size: BatchSize): T[][] {
  if (hosts.length === 0) return []
  const per = hostsPerBatch(size, hosts.length)
  const batches: T[][] = []
  for (let start = 0; start < hosts.length; start += per) batches.push(hosts.slice(start, start + per))
  return batches
}
