import type { Socket } from 'node:net'
import type { Client } from 'ssh2'

/**
 * The one place that reaches into ssh2's internals (ssh2 1.x); test/unit/ssh/ssh2-internals.test.ts
 * fails when an upgrade removes one.
 *
 * ssh2 counts a host as silent until it answers a keepalive ping, even while the host's channel
 * data keeps arriving; behind a saturated link the ping's answer can queue for long after the data
 * proves the connection alive. `_resetKA` is what ssh2 itself calls on a ping's answer.
 */
export function countAsKeepaliveAnswer(client: Client | undefined): void {
  ;(client as unknown as { _resetKA?: () => void } | undefined)?._resetKA?.()
}

/**
 * Corks a connection's socket for the rest of each tick in which ssh2 writes to it, so that what it
 * writes in one go reaches the kernel in one writev: with its JavaScript AES-GCM each packet is three
 * writes (length, ciphertext, tag), and a 256 KiB chunk of an object stream is eight packets, each
 * write a send of its own. Those sends were the runner's biggest cost while it streamed objects
 * (bench/README.md, "Big artifact on fast links"). Nothing waits: the tick's writes go out as it
 * ends, before any I/O is polled. The socket is ssh2's `Client._sock`.
 */
export function batchSocketWrites(client: Client): void {
  const socket = socketOf(client)
  if (socket === undefined) return
  const write = socket.write
  let corked = false
  socket.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    if (!corked) {
      corked = true
      socket.cork()
      process.nextTick(() => {
        corked = false
        socket.uncork()
      })
    }
    return write.apply(this, args)
  } as Socket['write']
}

export function socketOf(client: Client): Socket | undefined {
  return (client as unknown as { _sock?: Socket })._sock
}
