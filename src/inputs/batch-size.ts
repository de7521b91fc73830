/** How many hosts are switched at once: a count, or a share of the hosts (rounded up, at least one). */
export type BatchSize = { hosts: number } | { percent: number }

/** Parses `batch-size` as operators write it: `2` (hosts) or `25%` (of the hosts). */
export function parseBatchSize(text: string): BatchSize {
  const value = text.trim()
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(value)
  if (percent) {
    const share = Number(percent[1])
    if (!(share > 0 && share <= 100)) throw new Error(`"${value}" must be a percentage above 0 and at most 100 %, e.g. 25%`)
    return { percent: share }
  }
  if (/^\d+$/.test(value)) {
    const hosts = Number(value)
    if (hosts < 1) throw new Error(`"${value}" must be at least 1 host`)
    return { hosts }
  }
  throw new Error(`"${value}" is not a number of hosts (2) or a percentage of them (25%)`)
}

/** Hosts per batch for a fleet of `total`: a percentage is rounded up, so 25% makes at most four batches. */
export function hostsPerBatch(size: BatchSize, total: number): number {
  const count = 'hosts' in size ? size.hosts : Math.ceil((total * size.percent) / 100)
  return Math.max(1, Math.min(total, count))
}
