/** Where the tracker and the seeder listen: the fleet's address when it is this machine's, else every interface. */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { listenTowardFleet } from '../../../src/swarm/listen-toward-fleet.js'
import { startTracker } from '../../../src/swarm/tracker.js'
import { connects } from '../net-probes.js'

const options = { port: 0, intervalMs: 5000, peersCacheLength: 1000 }

describe('listenTowardFleet', () => {
  test('an address of this machine: listened on alone, no warning', async () => {
    const warnings: string[] = []
    const { started, listenAddress } = await listenTowardFleet('127.0.0.1', (host) => startTracker({ ...options, host }), (message) => warnings.push(message))
    try {
      assert.equal(listenAddress, '127.0.0.1')
      assert.equal(await connects('127.0.0.1', started.port), true)
      assert.equal(await connects('127.0.0.2', started.port), false)
      assert.deepEqual(warnings, [])
    } finally {
      await started.close()
    }
  })

  test('an address that is not this machine\'s (a NAT\'s): every interface, and a warning that says so', async () => {
    const warnings: string[] = []
    // TEST-NET-1 (RFC 5737): on no interface here; a bind sends nothing.
    const { started, listenAddress } = await listenTowardFleet('192.0.2.1', (host) => startTracker({ ...options, host }), (message) => warnings.push(message))
    try {
      assert.equal(listenAddress, undefined)
      assert.equal(await connects('127.0.0.2', started.port), true, 'it listens on every interface')
      assert.equal(warnings.length, 1)
      assert.match(warnings[0]!, /192\.0\.2\.1 is not an address of this machine .*every interface/)
    } finally {
      await started.close()
    }
  })

  test('any other failure is not hidden', async () => {
    const first = await startTracker({ ...options, host: '127.0.0.1' })
    try {
      await assert.rejects(listenTowardFleet('127.0.0.1', (host) => startTracker({ ...options, port: first.port, host }), () => {}), { code: 'EADDRINUSE' })
    } finally {
      await first.close()
    }
  })
})
