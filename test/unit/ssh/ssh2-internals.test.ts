/**
 * Pins the ssh2 internals that src/ssh/ssh2-internals.ts uses, against a real ssh2 server on
 * loopback. `Client._resetKA`: with the server's answers to keepalive pings held back, calling it
 * keeps the connection up past its keepalive window; without it, ssh2 drops the connection.
 * `Client._sock`: with each tick's writes corked on it, a stream reaches the server whole, in batched socket writes.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import * as net from 'node:net'
import ssh2 from 'ssh2'
import { createHash, randomBytes } from 'node:crypto'
import { batchSocketWrites, countAsKeepaliveAnswer, socketOf } from '../../../src/ssh/ssh2-internals.js'
import { generateKey, removeTemporaryDirs, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

/** A server that accepts any key, behind a proxy that can stop passing the server's bytes on. */
async function muteableServer(): Promise<{ port: number; mute(): void; close(): void }> {
  const hostKey = generateKey(temporaryDir(), 'host')
  const server = new ssh2.Server({ hostKeys: [hostKey.privateKey] }, (client) => {
    client.on('authentication', (context) => context.accept())
    client.on('error', () => {})
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  let muted = false
  const sockets: net.Socket[] = []
  const proxy = net.createServer((inbound) => {
    const outbound = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1')
    sockets.push(inbound, outbound)
    inbound.on('data', (chunk) => outbound.write(chunk))
    outbound.on('data', (chunk) => muted || inbound.write(chunk))
    for (const socket of [inbound, outbound]) socket.on('error', () => {})
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()))
  return {
    port: (proxy.address() as net.AddressInfo).port,
    mute: () => (muted = true),
    close: () => {
      for (const socket of sockets) socket.destroy()
      proxy.close()
      server.close()
    },
  }
}

describe('ssh2 Client internals', () => {
  test('Client._resetKA exists once connected, and resetting it keeps a silent connection alive', async () => {
    const server = await muteableServer()
    const key = generateKey(temporaryDir(), 'client')
    const client = new ssh2.Client()
    let keepaliveError: Error | undefined
    client.on('error', (error: Error) => (keepaliveError = error))
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve())
      client.once('error', reject)
      client.connect({ host: '127.0.0.1', port: server.port, username: 'u', privateKey: key.privateKey, keepaliveInterval: 100, keepaliveCountMax: 2 })
    })
    try {
      assert.equal(typeof (client as unknown as { _resetKA?: unknown })._resetKA, 'function', 'ssh2 Client._resetKA is gone')
      // From now on the pings' answers never arrive.
      server.mute()
      const resetting = setInterval(() => countAsKeepaliveAnswer(client), 50)
      await new Promise((resolve) => setTimeout(resolve, 800))
      clearInterval(resetting)
      assert.equal(keepaliveError, undefined, 'reset every 50 ms, a 300 ms keepalive window never closes')
      await new Promise((resolve) => setTimeout(resolve, 800))
      assert.match(String(keepaliveError), /Keepalive timeout/, 'left alone, the unanswered pings close the connection (the server really is silent)')
    } finally {
      client.end()
      server.close()
    }
  })
})

describe('ssh2 Client._sock', () => {
  test('the connection\'s socket is reachable; with its writes batched per tick, a stream arrives whole, in batched socket writes', async () => {
    const hostKey = generateKey(temporaryDir(), 'host')
    const received = createHash('sha256')
    let receivedBytes = 0
    const server = new ssh2.Server({ hostKeys: [hostKey.privateKey] }, (connection) => {
      connection.on('authentication', (context) => context.accept())
      connection.on('error', () => {})
      connection.on('session', (accept) => {
        accept().on('exec', (acceptExec) => {
          const stream = acceptExec()
          stream.on('data', (chunk: Buffer) => {
            received.update(chunk)
            receivedBytes += chunk.length
          })
          stream.on('end', () => {
            stream.exit(0)
            stream.end()
          })
        })
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    const client = new ssh2.Client()
    try {
      await new Promise<void>((resolve, reject) => {
        client.once('ready', () => resolve())
        client.once('error', reject)
        client.connect({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port, username: 'u', privateKey: generateKey(temporaryDir(), 'client').privateKey })
      })
      batchSocketWrites(client)
      const channel = await new Promise<ssh2.ClientChannel>((resolve, reject) => client.exec('cat > /dev/null', (error, stream) => (error ? reject(error) : resolve(stream))))
      channel.resume()
      const socket = socketOf(client)
      assert.ok(socket instanceof net.Socket, 'ssh2 Client._sock is gone')
      let batches = 0
      const writev = (socket as unknown as { _writev: (...args: unknown[]) => unknown })._writev
      ;(socket as unknown as { _writev: (...args: unknown[]) => unknown })._writev = function (this: unknown, ...args: unknown[]) {
        batches++
        return writev.apply(this, args)
      }
      const payload = randomBytes(2 << 20)
      let callbacks = 0
      for (let at = 0; at < payload.length; at += 256 << 10) {
        if (!channel.write(payload.subarray(at, at + (256 << 10)), () => callbacks++)) await new Promise((resolve) => channel.once('drain', resolve))
      }
      channel.end()
      await new Promise((resolve) => channel.once('close', resolve))
      assert.equal(receivedBytes, payload.length)
      assert.equal(received.digest('hex'), createHash('sha256').update(payload).digest('hex'))
      assert.equal(callbacks, 8, 'every write\'s callback ran')
      assert.ok(batches >= 1, 'each tick\'s packets went to the socket in batches (writev)')
    } finally {
      client.end()
      server.close()
    }
  })
})
