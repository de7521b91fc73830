/** The ephemeral tracker, for real on loopback: it serves this deploy's info hash and nothing else. */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import * as http from 'node:http'
import { startTracker, type EphemeralTracker } from '../../../src/swarm/tracker.js'

const OURS = 'aa'.repeat(20)
const FOREIGN = 'bb'.repeat(20)

function announce(port: number, infoHashHex: string, peerPort: number): Promise<string> {
  const escape = (hex: string): string => hex.replace(/../g, '%$&')
  const query = `info_hash=${escape(infoHashHex)}&peer_id=${escape('cc'.repeat(20))}&port=${peerPort}&uploaded=0&downloaded=0&left=100&compact=1&event=started`
  return new Promise((resolve, reject) => {
    http
      .get(`http://127.0.0.1:${port}/announce?${query}`, (response) => {
        let body = ''
        response.setEncoding('latin1')
        response.on('data', (chunk: string) => (body += chunk))
        response.on('end', () => resolve(body))
      })
      .on('error', reject)
  })
}

describe('the ephemeral tracker', () => {
  let tracker: EphemeralTracker
  before(async () => {
    tracker = await startTracker({ port: 0, intervalMs: 5000, peersCacheLength: 1000 })
    tracker.allow(OURS)
  })
  after(async () => tracker?.close())

  test('answers a foreign info hash with a failure and keeps no state for it', async () => {
    const body = await announce(tracker.port, FOREIGN, 6881)
    assert.match(body, /failure reason/)
    assert.match(body, /serves one deploy only/)
    assert.equal(tracker.swarmsKnown(), 0)
  })

  test('registers a peer of its own deploy and tells it the short interval', async () => {
    const body = await announce(tracker.port, OURS, 6882)
    assert.doesNotMatch(body, /failure reason/)
    assert.match(body, /8:intervali5e/)
    assert.equal(tracker.swarmCounts().incomplete, 1)
    assert.equal(tracker.swarmsKnown(), 1)
  })

  test('counts the announces it answered for its deploy, not the refused ones', async () => {
    const before = tracker.announces()
    await announce(tracker.port, OURS, 6883)
    await announce(tracker.port, FOREIGN, 6884)
    assert.equal(tracker.announces(), before + 1)
  })

  test('announce URLs bracket IPv6 addresses', () => {
    assert.equal(tracker.announceUrl('198.18.0.1'), `http://198.18.0.1:${tracker.port}/announce`)
    assert.equal(tracker.announceUrl('fd00::1'), `http://[fd00::1]:${tracker.port}/announce`)
  })
})
