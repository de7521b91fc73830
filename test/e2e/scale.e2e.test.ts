/**
 * The largest fleet that fits CI's time on a 2-core machine, with every link — the runner's too —
 * slow enough that the seeder's own upload saturates the runner's link: the conditions under which
 * a deploy once killed itself (heartbeats queued behind its own pieces: CONTROLLER_LOST) and left
 * hosts at 0 % while the others seeded.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import { after, before, describe, test } from 'node:test'
import type { Fleet } from '../lab/fleet.js'
import { leftoverProcesses, makeSourceTree, runAction } from './harness.js'
import { assertIdentical, createTestFleet, readReport, transcript } from './faults.helpers.js'

const HOSTS = 48

describe(`a deploy to ${HOSTS} hosts whose runner link the seeder saturates`, () => {
  let fleet: Fleet
  let source: string

  before(async () => {
    fleet = await createTestFleet({ hosts: HOSTS, link: { rate: '8mbit' } })
    source = makeSourceTree(6 * 1024 * 1024)
  })
  after(async () => {
    await fleet?.teardown()
    if (source) fs.rmSync(source, { recursive: true, force: true })
  })

  test('every host gets the release; no host is lost to the congestion the deploy makes itself', async (t) => {
    const run = await runAction(fleet, { path: source, tag: 'scale-1', deadline: '240s', 'compression-level': '0' }, { timeoutMs: 400_000 })
    const report = readReport(run)
    const failed = report.hosts.filter((host) => host.result === 'failed')
    t.diagnostic(`${report.hostsSucceeded}/${report.hostsTotal} in ${report.transferSeconds.toFixed(1)} s, seeder ${(report.seederUploaded / report.payloadBytes).toFixed(2)} × S`)
    assert.deepEqual(failed.map((host) => `${host.host}: ${host.error}`), [], transcript(run))
    assert.equal(run.code, 0, transcript(run))
    assert.equal(report.hostsSucceeded, HOSTS)
    assert.ok(report.hosts.every((host) => host.bytesReceived >= report.payloadBytes), 'every host received the whole payload')
    assertIdentical(fleet.hosts, 'scale-1', source)
    assert.deepEqual(await leftoverProcesses(fleet, 20_000), {}, 'no agent is left on any host')
  })
})
