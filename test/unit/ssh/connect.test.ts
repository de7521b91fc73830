/**
 * connectOnce against a real ssh2 server on loopback. A host with several host keys offers the one
 * the client prefers; the client must ask for the types known-hosts holds for that host, as
 * OpenSSH does, or a host known by its RSA key that also has an ed25519 key is refused as a
 * "mismatch" — a false alarm that pushes people to turn host-key checking off.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import * as net from 'node:net'
import ssh2 from 'ssh2'
import { connectOnce } from '../../../src/ssh/connect.js'
import { hostKeyAlgorithmsFor, parseKnownHosts } from '../../../src/ssh/known-hosts.js'
import { generateKey, removeTemporaryDirs, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

describe('host-key algorithms asked for', () => {
  const entries = parseKnownHosts(
    [
      '[10.0.0.1]:2222 ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ==',
      '10.0.0.2 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==',
      '10.0.0.2 ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY=',
      '@revoked 10.0.0.3 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==',
    ].join('\n'),
  )
  test('an RSA key: the RSA signature algorithms, strongest first', () => {
    assert.deepEqual(hostKeyAlgorithmsFor(entries, '10.0.0.1', 2222), ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'])
  })
  test('several types: each, in the order known-hosts lists them', () => {
    assert.deepEqual(hostKeyAlgorithmsFor(entries, '10.0.0.2', 22), ['ssh-ed25519', 'ecdsa-sha2-nistp256'])
  })
  test('a host known-hosts does not trust: no limit (it is refused with the reason "not in known-hosts")', () => {
    assert.equal(hostKeyAlgorithmsFor(entries, '10.0.0.3', 22), undefined)
    assert.equal(hostKeyAlgorithmsFor(entries, '10.0.0.9', 22), undefined)
  })
})

describe('connectOnce to a host with an ed25519 and an RSA key', () => {
  test('known-hosts holding only its RSA key: connected, no false mismatch', async () => {
    const ed25519 = generateKey(temporaryDir(), 'host-ed25519')
    const rsa = generateKey(temporaryDir(), 'host-rsa', 'rsa')
    const server = new ssh2.Server({ hostKeys: [ed25519.privateKey, rsa.privateKey] }, (client) => {
      client.on('authentication', (context) => context.accept())
      client.on('error', () => {})
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    const port = (server.address() as net.AddressInfo).port
    const client = generateKey(temporaryDir(), 'client')
    try {
      const knownHosts = parseKnownHosts(`[127.0.0.1]:${port} ${rsa.publicLine}`)
      const ssh = await connectOnce({ host: '127.0.0.1', port, user: 'u', label: 'u@127.0.0.1' }, { privateKey: client.privateKey, knownHosts }, 10_000)
      assert.ok(ssh.isConnected())
      ssh.dispose()
      // The control: known-hosts with another RSA key is still a mismatch.
      const other = generateKey(temporaryDir(), 'other-rsa', 'rsa')
      await assert.rejects(
        connectOnce({ host: '127.0.0.1', port, user: 'u', label: 'u@127.0.0.1' }, { privateKey: client.privateKey, knownHosts: parseKnownHosts(`[127.0.0.1]:${port} ${other.publicLine}`) }, 10_000),
        /HOST KEY MISMATCH/,
      )
    } finally {
      server.close()
    }
  })
})
