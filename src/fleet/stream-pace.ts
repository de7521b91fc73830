import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Holds a byte stream to a rate, for transport ssh, where the runner's own writes are the only
 * bytes a host receives: download-limit paces each host's stream, seeder-upload-limit all of
 * them together (one pacer shared by every link). Each write reserves its slot in time and waits
 * for it; time left unused is not saved up, so a stream that paused does not burst after.
 */
export class RatePacer {
  /** Epoch ms from which the next bytes may go. */
  private free = 0

  constructor(
    /** Bytes per second. */
    readonly rate: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Waits until `bytes` more may go at this rate. */
  async take(bytes: number): Promise<void> {
    const now = this.now()
    const start = Math.max(this.free, now)
    this.free = start + (bytes / this.rate) * 1000
    if (start > now) await sleep(start - now)
  }
}

/** What sendObjects waits on before each write, and the size it cuts its writes to so the pace is even. */
export interface StreamPace {
  slice: number
  take(bytes: number): Promise<void>
}

/**
 * The pace of one host's stream under every pacer given (none: undefined, as fast as the SSH
 * channel goes). Writes are cut to about a tenth of a second at the slowest rate: the agent takes
 * the stream itself as the sign its controller is there (no heartbeat can go between objects), so
 * gaps stay short even at a low rate.
 */
export function streamPace(pacers: readonly (RatePacer | undefined)[]): StreamPace | undefined {
  const active = pacers.filter((pacer): pacer is RatePacer => pacer !== undefined)
  if (active.length === 0) return undefined
  const slowest = Math.min(...active.map((pacer) => pacer.rate))
  return {
    slice: Math.max(1024, Math.min(256 << 10, Math.floor(slowest / 10))),
    take: async (bytes) => {
      for (const pacer of active) await pacer.take(bytes)
    },
  }
}
