/**
 * How far the runner's object stream to one host (transport ssh, or the origin's upload) may run
 * ahead of what the host's agent says it has taken (its `ack` events, agent/receive-acks.ts).
 *
 * Why: closing the agent's stdin is how the runner stops it, and the end of stdin reaches the agent
 * only behind every byte written before it. Unbounded, that was the SSH channel's window and the
 * socket's buffer — ~2 MiB, 4 s at 4 Mbit/s — past the stop grace, so cancelled agents had to be
 * killed. The window follows the rate the host takes bytes at, measured from its acks: it holds
 * about TARGET_MS of that, never less than MIN_BYTES (a slow link still moves) nor more than
 * MAX_BYTES (what the runner buffers per host). A fast link's rate is measured while the window
 * limits it, so each measure lets it grow by TARGET_MS ÷ the round trip until MAX_BYTES.
 */
export const TARGET_MS = 500
export const MIN_BYTES = 256 << 10
export const MAX_BYTES = 8 << 20
export const FIRST_BYTES = 1 << 20
/** The shortest time a rate is measured over. */
const SAMPLE_MS = 200

export class InFlightWindow {
  private sentBytes = 0
  private acknowledged = 0
  private windowBytes = FIRST_BYTES
  private sample: { at: number; bytes: number } | undefined
  private waiting: (() => void)[] = []
  private closed = false

  constructor(private readonly now: () => number = Date.now) {}

  get window(): number {
    return this.windowBytes
  }

  get inFlight(): number {
    return this.sentBytes - this.acknowledged
  }

  /** `bytes` more were written to the stream. */
  sent(bytes: number): void {
    this.sentBytes += bytes
    this.sample ??= { at: this.now(), bytes: this.acknowledged }
  }

  /** The agent has taken `bytes` in all (an ack event: the host's word, so held to what was sent). */
  ack(bytes: number): void {
    const taken = Math.min(bytes, this.sentBytes)
    if (taken <= this.acknowledged) return
    this.acknowledged = taken
    const now = this.now()
    if (this.sample !== undefined && now - this.sample.at >= SAMPLE_MS) {
      const rate = (taken - this.sample.bytes) / (now - this.sample.at)
      this.windowBytes = Math.max(MIN_BYTES, Math.min(MAX_BYTES, Math.round(rate * TARGET_MS)))
      this.sample = { at: now, bytes: taken }
    }
    this.wake()
  }

  /** Resolves when the stream may write again: less than a window in flight, or the stream closed. */
  room(): Promise<void> {
    if (this.closed || this.inFlight < this.windowBytes) return Promise.resolve()
    return new Promise((resolve) => this.waiting.push(resolve))
  }

  /** The stream is over (the channel closed, or the link stopped): nothing waits any more. */
  close(): void {
    this.closed = true
    this.wake()
  }

  private wake(): void {
    if (!this.closed && this.inFlight >= this.windowBytes) return
    const waiting = this.waiting
    this.waiting = []
    for (const resolve of waiting) resolve()
  }
}
