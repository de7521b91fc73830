/** The transport input: which way the objects reach the hosts, and why (said in the log). */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { chooseTransport, DIRECT_MAX_HOSTS, parseTransport, sshConflict } from '../../../src/inputs/transport.js'

describe('transport', () => {
  test('parses auto, swarm and ssh, and nothing else', () => {
    for (const value of ['auto', 'swarm', 'ssh'] as const) assert.equal(parseTransport(value), value)
    for (const bad of ['', 'SSH', 'rsync', 'direct']) assert.throws(() => parseTransport(bad), /is not one of auto, swarm, ssh/)
  })
  test('swarm and ssh are taken as given, whatever the fleet', () => {
    assert.equal(chooseTransport('swarm', 1, false).transport, 'swarm')
    assert.equal(chooseTransport('ssh', 500, false).transport, 'ssh')
  })
  test(`auto: ssh up to ${DIRECT_MAX_HOSTS} hosts, the swarm above`, () => {
    assert.deepEqual(chooseTransport('auto', 1, false), { transport: 'ssh', why: `transport: auto, 1 host ≤ ${DIRECT_MAX_HOSTS}` })
    assert.equal(chooseTransport('auto', DIRECT_MAX_HOSTS, false).transport, 'ssh')
    assert.deepEqual(chooseTransport('auto', DIRECT_MAX_HOSTS + 1, false), { transport: 'swarm', why: `transport: auto, ${DIRECT_MAX_HOSTS + 1} hosts > ${DIRECT_MAX_HOSTS}` })
  })
  test('auto with a seeder host keeps the swarm: the runner\'s link is the one to spare', () => {
    assert.equal(chooseTransport('auto', 1, true).transport, 'swarm')
  })
  test('ssh refuses the tracker\'s and the seeder\'s inputs, naming each and what to write', () => {
    const none = { seederHost: false, trackerAddress: false, trackerPort: false, swarmAllowAnyPeer: false }
    assert.equal(sshConflict(none), undefined)
    assert.equal(
      sshConflict({ ...none, trackerPort: true }),
      'ssh streams each host\'s objects over its own SSH session and runs no tracker and no seeder, so tracker-port has nothing to apply to. Remove it, or set transport to swarm',
    )
    assert.match(sshConflict({ ...none, seederHost: true, swarmAllowAnyPeer: true })!, /so seeder-host, swarm-allow-any-peer have nothing to apply to\. Remove them, or set transport to swarm \(or to auto, which keeps the swarm when seeder-host is set\)$/)
  })
})
