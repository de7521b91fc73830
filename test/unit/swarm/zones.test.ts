import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { InputError } from '../../../src/inputs/errors.js'
import { parseHostList } from '../../../src/ssh/hosts.js'
import { planZones } from '../../../src/swarm/zones.js'

const hosts = (text: string) => parseHostList(text, { user: 'deploy', port: 22 })
const plan = (hostText: string, seederText: string) => planZones(hosts(hostText), hosts(seederText))

function refused(hostText: string, seederText: string, input: string, pattern: RegExp): void {
  assert.throws(
    () => plan(hostText, seederText),
    (error: unknown) => {
      assert.ok(error instanceof InputError, String(error))
      assert.equal(error.input, input, error.message)
      assert.match(error.problem, pattern)
      return true
    },
  )
}

const TWO_ZONES = 'web1 zone=dc1\nweb2 zone=dc1\nweb3 zone=dc2\nweb4 zone=dc2'

describe('planZones', () => {
  test('no zones, no seeder host: one swarm on the runner', () => {
    const fleet = hosts('web1 web2')
    assert.deepEqual(planZones(fleet, []), [{ hosts: fleet }])
  })

  test('one seeder host without a zone: one swarm there, as before zones', () => {
    const fleet = hosts('web1 web2')
    const [seeder] = hosts('seed1')
    const zones = planZones(fleet, [seeder!])
    assert.deepEqual(zones, [{ seederHost: seeder, hosts: fleet }])
  })

  test('one swarm per zone, with its seeder host and its hosts in the order given', () => {
    const zones = plan('web1 zone=dc1\nweb3 zone=dc2\nweb2 zone=dc1\nweb4 zone=dc2', 'seed2 zone=dc2\nseed1 zone=dc1')
    assert.deepEqual(
      zones.map((zone) => [zone.name, zone.seederHost?.label, zone.hosts.map((host) => host.label)]),
      [
        ['dc2', 'seed2', ['web3', 'web4']],
        ['dc1', 'seed1', ['web1', 'web2']],
      ],
    )
  })

  test('the zones hold the very host objects given, so each state finds its place in hosts', () => {
    const fleet = hosts(TWO_ZONES)
    const zones = planZones(fleet, hosts('seed1 zone=dc1, seed2 zone=dc2'))
    assert.ok(zones.flatMap((zone) => zone.hosts).every((host) => fleet.includes(host)))
  })

  test('a seeder host that is one of hosts takes its zone from its line there', () => {
    const zones = plan(TWO_ZONES, 'web1, web3')
    assert.deepEqual(zones.map((zone) => [zone.name, zone.seederHost?.label]), [['dc1', 'web1'], ['dc2', 'web3']])
  })

  test('a seeder host in two zones at once is refused', () => {
    refused(TWO_ZONES, 'web1 zone=dc2\nweb3 zone=dc1', 'seeder-host', /web1 is in zone dc2 here but in zone dc1 in hosts; give it one zone/)
  })

  test('zones with no seeder-host: says what to write', () => {
    refused(TWO_ZONES, '', 'hosts', /web1 is in zone dc1, but zones need a seeder host each: set seeder-host, one line per zone \("seed1 zone=dc1", "seed2 zone=dc2"\), or drop the zone labels/)
  })

  test('one unlabelled seeder host for zoned hosts: says to write one per zone', () => {
    refused(TWO_ZONES, 'seed1', 'seeder-host', /seed1 has no zone, but the hosts have zones \(dc1, dc2\): write one seeder host per zone, e.g. "seed1 zone=dc1"/)
  })

  test('several seeder hosts without zones: each needs one', () => {
    refused('web1 web2', 'seed1 seed2', 'seeder-host', /seed1 has no zone: with several seeder hosts, write one line per zone, e.g. "seed1 zone=dc1".*seed2 has no zone/)
  })

  test('a zone without a seeder host is named with its hosts', () => {
    refused(TWO_ZONES, 'seed1 zone=dc1', 'seeder-host', /zone dc2 \(web3, web4\) has no seeder host: add a line "<host> zone=dc2" to seeder-host/)
  })

  test('two seeder hosts for one zone', () => {
    refused(TWO_ZONES, 'seed1 zone=dc1\nseed2 zone=dc2\nseed3 zone=dc1', 'seeder-host', /zone dc1 has two seeder hosts \(seed1, seed3\); give each zone one/)
  })

  test('hosts without a zone beside zoned ones', () => {
    refused(`${TWO_ZONES}\nweb5\nweb6\nweb7\nweb8`, 'seed1 zone=dc1\nseed2 zone=dc2', 'hosts', /web5, web6, web7 and 1 more have no zone: with zones, give every host one \(e\.g\. "web5 zone=dc1"\)/)
  })

  test('a seeder host for a zone no host is in (a typo)', () => {
    refused(TWO_ZONES, 'seed1 zone=dc1\nseed2 zone=dc2\nseed3 zone=dcc2', 'seeder-host', /no host is in zone dcc2 \(seeder host seed3\)/)
  })

  test('a single zone with its seeder host is a plan too', () => {
    assert.deepEqual(plan('web1 zone=dc1 web2 zone=dc1', 'seed1 zone=dc1').map((zone) => zone.name), ['dc1'])
  })
})
