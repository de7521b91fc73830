import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Delivery } from '../../../src/fleet/delivery.js'
import { closeZoneDeliveries, zoneDeliveryFacts } from '../../../src/fleet/zone-deliveries.js'
import { parseHostList } from '../../../src/ssh/hosts.js'
import { planZones } from '../../../src/swarm/zones.js'

const hosts = (text: string) => parseHostList(text, { user: 'deploy', port: 22 })

/** A swarm delivery as far as closing and the report go. */
function fakeDelivery(where: string, closed: string[], uploaded = 0): Delivery {
  return {
    transport: 'swarm',
    describe: where,
    source: { torrent: '', seederPeerId: '00'.repeat(20) },
    links: () => {
      throw new Error('not driven here')
    },
    facts: () => ({
      transport: 'swarm',
      infoHash: 'ab'.repeat(20),
      seederRanOn: where,
      seederUploaded: uploaded,
      trackerUrl: `http://${where}:1/announce`,
      trackerAnnounces: 3,
      sentOverSsh: 0,
    }),
    close: async () => void closed.push(where),
  }
}

const zones = planZones(hosts('web1 zone=dc1\nweb2 zone=dc2\nweb3 zone=dc2'), hosts('seed1 zone=dc1\nseed2 zone=dc2'))

describe('closeZoneDeliveries', () => {
  test("closes every zone's delivery", async () => {
    const closed: string[] = []
    await closeZoneDeliveries(zones.map((zone) => ({ zone, delivery: fakeDelivery(zone.seederHost!.label, closed) })))
    assert.deepEqual(closed.sort(), ['seed1', 'seed2'])
  })
})

describe('zoneDeliveryFacts', () => {
  test('with zones: where each seeder ran, what they sent together, and per zone', () => {
    const facts = zoneDeliveryFacts(zones.map((zone, index) => ({ zone, delivery: fakeDelivery(zone.seederHost!.label, [], 100 * (index + 1)) })))
    assert.equal(facts.seederRanOn, 'seed1 (dc1), seed2 (dc2)')
    assert.equal(facts.seederUploaded, 300)
    assert.equal(facts.trackerAnnounces, 6)
    assert.deepEqual(facts.zones?.map((zone) => [zone.zone, zone.seederHost, zone.hosts, zone.seederUploaded]), [
      ['dc1', 'seed1', 1, 100],
      ['dc2', 'seed2', 2, 200],
    ])
  })
  test('without zones: the one delivery as it is, no zones field', () => {
    const [zone] = planZones(hosts('web1 web2'), [])
    const facts = zoneDeliveryFacts([{ zone: zone!, delivery: fakeDelivery('runner', [], 7) }])
    assert.equal(facts.seederRanOn, 'runner')
    assert.equal(facts.seederUploaded, 7)
    assert.equal('zones' in facts, false)
  })
})
