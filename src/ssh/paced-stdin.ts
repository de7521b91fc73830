import type { Client, ClientChannel } from 'ssh2'

/** The remote reader writes one byte to its stdout per this many bytes of stdin it has read. */
export const ACK_EVERY_BYTES = 8 * 1024
/**
 * The most bytes sent and not yet acknowledged: all that can queue ahead of an SSH keepalive.
 * 32 KB waits 8 s on a 32 kbit/s link (64 KB overflowed that link's queue, and the TCP
 * retransmission back-off that followed outlasted the keepalive window); it caps the upload at
 * 32 KB per round trip, so the 0.24 MB agent takes ~8 round trips on a fast link.
 */
export const WINDOW_BYTES = 32 * 1024
const CHUNK_BYTES = ACK_EVERY_BYTES

export interface CommandResult {
  /** null when the command gave no exit status (killed, or the connection went away). */
  code: number | null
  signal?: string
  stderr: string
}

/** The part of an ssh2 exec channel this needs (a fake in unit tests). */
export interface PacedChannel {
  write(data: Buffer): boolean
  end(): void
  on(event: 'data', listener: (chunk: Buffer) => void): unknown
  on(event: 'exit', listener: (code: number | null, signal?: string) => void): unknown
  on(event: 'close', listener: () => void): unknown
  stderr: { on(event: 'data', listener: (chunk: Buffer) => void): unknown }
}

export function openExecChannel(connection: Client, command: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => connection.exec(command, (error, channel) => (error ? reject(error) : resolve(channel))))
}

/**
 * Feeds `data` to a remote command's stdin, never more than WINDOW_BYTES ahead of what the command
 * says it has read (one byte on its stdout per ACK_EVERY_BYTES), and resolves with its exit status.
 *
 * Why pace at all: the keepalive that tells a dead host from a live one is a ping whose reply can
 * only come after everything queued ahead of it in the same TCP stream has crossed. Written all at
 * once, the 0.24 MB agent sat ahead of the pings for 60 s on a 4 KB/s link (or long on a lossy
 * one) and a live, merely slow host was dropped as dead. With the window, a ping waits behind 32 KB at most.
 */
export function writePaced(channel: PacedChannel, data: Buffer): Promise<CommandResult> {
  return new Promise((resolve) => {
    let sent = 0
    let acknowledged = 0
    let ended = false
    let code: number | null = null
    let signal: string | undefined
    let stderr = ''
    const pump = (): void => {
      if (ended) return
      while (sent < data.length && sent - acknowledged < WINDOW_BYTES) {
        const end = Math.min(data.length, sent + CHUNK_BYTES)
        channel.write(data.subarray(sent, end))
        sent = end
      }
      if (sent === data.length) {
        ended = true
        channel.end()
      }
    }
    channel.on('data', (chunk: Buffer) => {
      acknowledged += chunk.length * ACK_EVERY_BYTES
      pump()
    })
    channel.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4096)
    })
    channel.on('exit', (exitCode: number | null, exitSignal?: string) => {
      code = exitCode
      signal = exitSignal ?? undefined
    })
    channel.on('close', () => resolve({ code, signal, stderr }))
    pump()
  })
}
