/**
 * The tracker against outsiders, for real on loopback (127.0.0.0/8: several source addresses on
 * one machine). It listens on the address the fleet uses only, answers no scrape (a bare /scrape
 * listed every swarm's info hash), and takes announces only from the fleet's addresses.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { EphemeralTracker } from '../../../src/swarm/tracker.js'
import { settled, TRACKER_KINDS } from './tracker-kinds.js'
import { announce } from '../../e2e/intruder.js'
import { connects, get } from '../net-probes.js'

const OURS = Buffer.from('aa'.repeat(20), 'hex')

for (const kind of TRACKER_KINDS) describe(`the tracker against outsiders, ${kind.name}`, () => {
  let tracker: EphemeralTracker
  before(async () => {
    tracker = await kind.start({ port: 0, intervalMs: 5000, peersCacheLength: 1000, host: '127.0.0.1', allowedPeers: ['127.0.0.1'] })
    await tracker.allow(OURS.toString('hex'))
  })
  after(async () => tracker?.close())

  test('it listens on the fleet\'s address only', async () => {
    assert.equal(await connects('127.0.0.1', tracker.port), true)
    assert.equal(await connects('127.0.0.2', tracker.port), false)
  })
  test('a scrape is refused, bare or for our info hash', async () => {
    for (const query of ['', `?info_hash=${'%aa'.repeat(20)}`]) {
      const answer = await get(`http://127.0.0.1:${tracker.port}/scrape${query}`)
      assert.equal(answer.status, 404, query)
      assert.doesNotMatch(answer.body, /aaaa|files/, query)
    }
  })
  test('an announce from an address outside the fleet is refused and not listed to the others', async () => {
    const query = `info_hash=${'%aa'.repeat(20)}&peer_id=${'%cc'.repeat(20)}&port=7001&uploaded=0&downloaded=0&left=0&compact=1&event=started`
    const outsider = await get(`http://127.0.0.1:${tracker.port}/announce?${query}`, '127.0.0.3')
    assert.match(outsider.body, /failure reason/)
    assert.match(outsider.body, /not a host of this deploy/)
    const fleet = await announce(`http://127.0.0.1:${tracker.port}/announce`, OURS, 7002)
    assert.doesNotMatch(fleet.body, /failure reason/)
    assert.equal(await settled(() => tracker.swarmCounts().complete, 1), 1, 'only the fleet\'s announce counts')
  })
})
