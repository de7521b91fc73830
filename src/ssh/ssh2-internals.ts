import type { Socket } from 'node:net'
import type { Client, ClientChannel } from 'ssh2'

/**
 * The one place that reaches into ssh2's internals (ssh2 1.x); test/unit/ssh/ssh2-internals.test.ts
 * fails when an upgrade removes one.
 *
 * ssh2 counts a host as silent until
 * it answers a keepalive ping, even while the host's channel data keeps arriving; behind a saturated
 * link the ping's answer can queue for long after the data proves the connection alive. `_resetKA`
 * is what ssh2 itself calls on a ping's answer.
 */
export function countAsKeepaliveAnswer(client: Client | undefined): void {
  ;(client as unknown as { _resetKA?: () => void } | undefined)?._resetKA?.()
}

/**
 * Writes `chunk` to a channel with its connection's socket corked, so that the packets ssh2 makes of
 * it (three socket writes each with its JavaScript AES-GCM: length, ciphertext, tag) reach the kernel
 * in one writev instead of three sends per 32 KiB packet: those sends were the runner's biggest cost
 * while it streamed objects (bench/README.md, "Big artifact on fast links"). The socket is ssh2's
 * `Channel._client._sock`. Returns what channel.write returns; `written` runs as its callback.
 */
export function writeCorked(channel: ClientChannel, chunk: Buffer, written: () => void): boolean {
  const socket = socketOf(channel)
  socket?.cork()
  try {
    return channel.write(chunk, written)
  } finally {
    socket?.uncork()
  }
}

export function socketOf(channel: ClientChannel): Socket | undefined {
  return (channel as unknown as { _client?: { _sock?: Socket } })._client?._sock
}
