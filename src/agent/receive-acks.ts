/**
 * How often an agent receiving objects on stdin (transport ssh, or the origin) says how far it has
 * got (`ack` events): at once when ACK_BYTES more have been taken, otherwise ACK_DELAY_MS after the
 * first bytes not yet acknowledged. The sender keeps at most its window beyond the last ack in
 * flight (fleet/in-flight-window.ts): once it has sent a window's worth, the delay is the longest
 * it waits for word. The delay also bounds the events a host sends, to 1 per ACK_DELAY_MS plus one
 * per ACK_BYTES.
 */
export const ACK_BYTES = 1 << 20
export const ACK_DELAY_MS = 20

export class ReceiveAcks {
  private acknowledged = 0
  private latest = 0
  private timer?: NodeJS.Timeout

  constructor(
    /** Emits an `ack` event with the bytes taken so far. */
    private readonly emit: (bytes: number) => void,
    private readonly everyBytes = ACK_BYTES,
    private readonly delayMs = ACK_DELAY_MS,
  ) {}

  /** The receiver has now taken `received` bytes in all. */
  taken(received: number): void {
    if (received <= this.latest) return
    this.latest = received
    if (received - this.acknowledged >= this.everyBytes) this.flush()
    else this.timer ??= setTimeout(() => this.flush(), this.delayMs)
  }

  /** Acknowledges what was taken, now (the last object is in: no reason to wait). */
  flush(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    if (this.latest === this.acknowledged) return
    this.acknowledged = this.latest
    this.emit(this.latest)
  }

  /** No more acks (the agent is exiting). */
  stop(): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }
}
