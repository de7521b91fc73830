import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseHostList } from '../../../src/ssh/hosts.js'
import type { Swarm } from '../../../src/swarm/swarm.js'
import { closeZoneSwarms, swarmFacts } from '../../../src/swarm/zone-swarms.js'
import { planZones } from '../../../src/swarm/zones.js'

const hosts = (text: string) => parseHostList(text, { user: 'deploy', port: 22 })

function fakeSwarm(where: string, closed: string[], uploaded = 0): Swarm {
  return {
    announceUrl: `http://${where}:1/announce`,
    infoHash: 'ab'.repeat(20),
    pieceLength: 262_144,
    torrent: Buffer.alloc(0),
    seederPeerId: '00'.repeat(20),
    seederPort: 2,
    seederUploaded: () => uploaded,
    trackerAnnounces: () => 3,
    where,
    close: async () => void closed.push(where),
  }
}

const zones = planZones(hosts('web1 zone=dc1\nweb2 zone=dc2\nweb3 zone=dc2'), hosts('seed1 zone=dc1\nseed2 zone=dc2'))

describe('closeZoneSwarms', () => {
  test('closes every zone\'s swarm', async () => {
    const closed: string[] = []
    await closeZoneSwarms(zones.map((zone) => ({ zone, swarm: fakeSwarm(zone.seederHost!.label, closed) })))
    assert.deepEqual(closed.sort(), ['seed1', 'seed2'])
  })
})

describe('swarmFacts', () => {
  test('with zones: where each seeder ran, what they sent together, and per zone', async () => {
    const swarms = zones.map((zone, index) => ({ zone, swarm: fakeSwarm(zone.seederHost!.label, [], 100 * (index + 1)) }))
    const facts = swarmFacts(swarms)
    assert.equal(facts.where, 'seed1 (dc1), seed2 (dc2)')
    assert.equal(facts.seederUploaded, 300)
    assert.equal(facts.trackerAnnounces, 6)
    assert.deepEqual(facts.zones?.map((zone) => [zone.zone, zone.seederHost, zone.hosts, zone.seederUploaded]), [
      ['dc1', 'seed1', 1, 100],
      ['dc2', 'seed2', 2, 200],
    ])
  })
  test('without zones: as before, no zones field', () => {
    const [zone] = planZones(hosts('web1 web2'), [])
    const facts = swarmFacts([{ zone: zone!, swarm: fakeSwarm('runner', [], 7) }])
    assert.equal(facts.where, 'runner')
    assert.equal(facts.seederUploaded, 7)
    assert.equal('zones' in facts, false)
  })
})
