import type { Socket } from 'node:net'
import { onPeerSocket } from './webtorrent-internals.js'

/**
 * How long a peer socket that has been read dry waits before it is read again. On a link that is
 * not idle, bytes arrive a few packets at a time; read as they come, each wakeup (a read, the
 * stream stages, the wire's parser, the event loop's turn) cost more CPU than the bytes it carried.
 * Waiting this long lets the kernel gather them, so one wakeup reads what a whole burst brought.
 * The price is at most this much latency per message, which webtorrent's request pipeline (a
 * second's worth of blocks in flight) absorbs. Measured: bench/README.md, "Swarm efficiency".
 */
export const READ_COALESCE_MS = 10

/** A read shorter than this emptied the socket's receive queue (Node reads 64 KiB at a time). */
const FULL_READ = 64 * 1024

/**
 * Above this rate a socket is never parked: its reads are full already, and a pause would hold
 * more than the kernel's receive window (the sender would stall, and the rate with it).
 */
const PARK_BELOW_BYTES_PER_SECOND = 20e6
/** The window the rate is measured over. */
const RATE_WINDOW_MS = 200

interface Flow {
  windowStart: number
  windowBytes: number
  /** Bytes/s over the last whole window. */
  rate: number
}

/** Node's handle under a net.Socket: `reading` is what Node believes; readStop/readStart act on libuv. */
interface StreamHandle {
  reading: boolean
  readStop(): number
  readStart(): number
}

/**
 * Parks each peer socket of a torrent after a read that emptied it (unless it runs faster than
 * PARK_BELOW_BYTES_PER_SECOND), and reads every parked one
 * again when one shared timer fires (set only while some socket is parked). The
 * handle's `reading` flag is left set while parked, so Node does not restart it on its own; Node's
 * own flow control (a full stream buffer) clears the flag, and a socket so paused is left to it.
 */
export class ReadCoalescer {
  private readonly parked = new Set<Socket>()
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly intervalMs = READ_COALESCE_MS) {}

  /** Coalesces the reads of every peer connection the torrent makes or accepts from now on. */
  coalesceTorrent(torrent: unknown): void {
    onPeerSocket(torrent, (socket) => this.attach(socket))
  }

  attach(socket: Socket): void {
    if (this.intervalMs <= 0) return
    const flow: Flow = { windowStart: performance.now(), windowBytes: 0, rate: 0 }
    socket.on('data', (chunk: Buffer) => {
      flow.windowBytes += chunk.length
      const now = performance.now()
      if (now - flow.windowStart >= RATE_WINDOW_MS) {
        flow.rate = (flow.windowBytes * 1000) / (now - flow.windowStart)
        flow.windowStart = now
        flow.windowBytes = 0
      }
      if (!parks(chunk.length, flow.rate) || this.parked.has(socket)) return
      const handle = handleOf(socket)
      if (handle === undefined || !handle.reading) return
      handle.readStop()
      this.parked.add(socket)
      this.timer ??= setTimeout(() => this.resumeAll(), this.intervalMs).unref()
    })
    socket.once('close', () => this.parked.delete(socket))
  }

  close(): void {
    clearTimeout(this.timer)
    this.resumeAll()
  }

  /** Reads every parked socket again. The timer is set only while something is parked: an idle agent has no wakeups of its own. */
  private resumeAll(): void {
    this.timer = undefined
    for (const socket of this.parked) {
      const handle = handleOf(socket)
      if (handle !== undefined && handle.reading && !socket.destroyed) handle.readStart()
    }
    this.parked.clear()
  }
}

/** A read that emptied the socket, on a flow slow enough that waiting gathers bytes rather than stalling the sender. */
export function parks(readLength: number, bytesPerSecond: number): boolean {
  return readLength < FULL_READ && bytesPerSecond < PARK_BELOW_BYTES_PER_SECOND
}

function handleOf(socket: Socket): StreamHandle | undefined {
  const handle = (socket as unknown as { _handle?: Partial<StreamHandle> | null })._handle
  return handle && typeof handle.readStop === 'function' && typeof handle.readStart === 'function' ? (handle as StreamHandle) : undefined
}
