/**
 * Pins the ssh2 internal that src/ssh/ssh2-internals.ts uses (`Client._resetKA`), against a real
 * ssh2 server on loopback whose answers to keepalive pings are held back: with the internal in place, calling it
 * keeps the connection up past its keepalive window; without it, ssh2 drops the connection.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import * as net from 'node:net'
import ssh2 from 'ssh2'
import { countAsKeepaliveAnswer } from '../../../src/ssh/ssh2-internals.js'
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
