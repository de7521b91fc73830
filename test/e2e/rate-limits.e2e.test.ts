/**
 * The bandwidth caps a production fleet sets so that a deploy leaves room for its traffic:
 * `upload-limit` and `download-limit` per host, `seeder-upload-limit` for the seeder. Each is made
 * the binding constraint of one deploy on fast links, and each must hold: what went through the cap
 * over the whole deploy is at most 10 % above cap × time. (A slow machine only makes a deploy
 * longer, so these bounds cannot fail for lack of CPU.)
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import type { Fleet } from '../lab/fleet.js'
import { makeSourceTree, runAction } from './harness.js'
import { assertIdentical, createTestFleet, readReport, transcript } from './faults.helpers.js'

const MB = 1e6
const PAYLOAD = 12 * 1024 * 1024
const TOLERANCE = 1.1

describe('bandwidth caps on a 1 Gbit/s fleet of 2 hosts', () => {
  let fleet: Fleet
  let source: string

  before(async () => {
    fleet = await createTestFleet({ hosts: 2, link: { rate: '1gbit' } })
    source = makeSourceTree(PAYLOAD)
  })
  after(async () => {
    await fleet?.teardown()
    if (source) fs.rmSync(source, { recursive: true, force: true })
  })

  test('download-limit: no host receives faster than its cap', async (t) => {
    const cap = 3 * MB
    const run = await runAction(fleet, { path: source, tag: 'down', deadline: '120s', 'download-limit': '3MB/s' }, { timeoutMs: 180_000 })
    assert.equal(run.code, 0, transcript(run))
    assertIdentical(fleet.hosts, 'down', source)
    const report = readReport(run)
    for (const host of report.hosts) {
      assert.ok(host.bytesReceived >= report.payloadBytes, `${host.host} received the payload`)
      const rate = host.bytesReceived / host.seconds!
      t.diagnostic(`${host.host} received at ${(rate / MB).toFixed(2)} MB/s (cap 3)`)
      assert.ok(rate <= cap * TOLERANCE, `${host.host}: ${(rate / MB).toFixed(2)} MB/s over ${host.seconds} s, cap 3 MB/s`)
    }
  })

  test('upload-limit: no host sends faster than its cap, and seeder-upload-limit holds for the seeder', async (t) => {
    const hostCap = 1 * MB
    const seederCap = 2 * MB
    // Other bytes than the first test's: the hosts' stores hold none of them.
    const other = makeSourceTree(PAYLOAD)
    t.after(() => fs.rmSync(other, { recursive: true, force: true }))
    const run = await runAction(
      fleet,
      { path: other, tag: 'up', deadline: '120s', 'upload-limit': '1MB/s', 'seeder-upload-limit': '2MB/s' },
      { timeoutMs: 180_000 },
    )
    assert.equal(run.code, 0, transcript(run))
    assertIdentical(fleet.hosts, 'up', other)
    const report = readReport(run)
    // Hosts and seeder send only while some host is still downloading: until the last host is done.
    const window = Math.max(...report.hosts.map((host) => host.seconds!))
    for (const host of report.hosts) {
      const rate = host.bytesSent / window
      t.diagnostic(`${host.host} sent at ${(rate / MB).toFixed(2)} MB/s (cap 1)`)
      assert.ok(rate <= hostCap * TOLERANCE, `${host.host}: sent ${(host.bytesSent / MB).toFixed(1)} MB in ${window} s, cap 1 MB/s`)
    }
    const seederRate = report.seederUploaded / window
    t.diagnostic(`seeder sent at ${(seederRate / MB).toFixed(2)} MB/s (cap 2)`)
    assert.ok(seederRate <= seederCap * TOLERANCE, `seeder: ${(report.seederUploaded / MB).toFixed(1)} MB in ${window} s, cap 2 MB/s`)
    // The caps were binding: together they bound the fleet's intake, so the deploy took at least this long.
    const fleetIntake = report.hosts.reduce((sum, host) => sum + host.bytesReceived, 0)
    for (const host of report.hosts) assert.ok(host.bytesReceived + host.bytesFromStore >= report.payloadBytes, `${host.host} holds every object`)
    assert.ok(fleetIntake >= PAYLOAD, 'the new bytes crossed the caps')
    assert.ok(window >= (fleetIntake / (seederCap + 2 * hostCap)) / TOLERANCE, `the caps bound the deploy (${window} s)`)
  })
})
