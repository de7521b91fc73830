/**
 * The core promise, end to end on a real fleet: real sshd per host, real tracker and webtorrent
 * peers, the action run as the runner runs it (Node 24) while the agents run on the hosts' Node 20.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { createFleet, type Fleet } from '../fleet/fleet.js'
import { leftoverProcesses, makeSourceTree, runAction, treeManifest } from './harness.js'

describe('a deploy to 8 hosts on 100 Mbit/s links', () => {
  let fleet: Fleet
  let source: string

  before(async () => {
    fleet = await createFleet({ hosts: 8, link: { rate: '100mbit' } })
    source = makeSourceTree(50 * 1024 * 1024)
  })
  after(async () => {
    await fleet?.teardown()
    if (source) fs.rmSync(source, { recursive: true, force: true })
  })

  test('every host ends with a byte-identical tree, outputs and summary are right, nothing is left running', async () => {
    const run = await runAction(fleet, { path: source, tag: 'release-1', deadline: '120s' })
    assert.equal(run.code, 0, `the step failed:\n${run.stdout}\n${run.stderr}`)

    const expected = treeManifest(source)
    assert.ok(expected.some((line) => line.startsWith('link app/config.json')), 'the source has its symlink')
    for (const host of fleet.hosts) {
      const release = path.join(host.srvDir, 'releases/release-1')
      assert.deepEqual(treeManifest(release), expected, `${host.name} holds a different tree`)
      assert.equal(fs.existsSync(path.join(host.srvDir, 'releases/release-1.partial')), false)
      assert.deepEqual(
        fs.readdirSync(path.join(host.srvDir, 'releases/.murder/incoming')),
        [],
        `${host.name}: the downloaded payload is removed once the agent exits`,
      )
    }

    assert.equal(run.outputs.tag, 'release-1')
    assert.match(run.outputs['info-hash']!, /^[0-9a-f]{40}$/)
    assert.equal(run.outputs['hosts-total'], '8')
    assert.equal(run.outputs['hosts-succeeded'], '8')
    assert.equal(run.outputs['hosts-failed'], '0')
    assert.deepEqual(JSON.parse(run.outputs['failed-hosts']!), [])
    assert.ok(Number(run.outputs['duration-seconds']) > 0)
    const report = JSON.parse(fs.readFileSync(run.outputs.report!, 'utf8'))
    assert.equal(report.hosts.length, 8)
    assert.ok(report.hosts.every((host: { result: string }) => host.result === 'done'))
    const received = report.hosts.reduce((sum: number, host: { bytesReceived: number }) => sum + host.bytesReceived, 0)
    assert.ok(received >= 8 * report.payloadBytes, 'every host received the whole payload')

    assert.match(run.summary, /murder-action: `release-1`/)
    for (const host of fleet.hosts) assert.ok(run.summary.includes(`| root@${host.address} | ✅ done |`), `summary row for ${host.name}`)
    // The runner consumes ::add-mask:: commands (that is how it learns what to hide); anything else is logged.
    const logged = (run.stdout + run.stderr).split('\n').filter((line) => !line.startsWith('::add-mask::')).join('\n')
    assert.doesNotMatch(logged, /PRIVATE KEY|b3BlbnNzaC1rZXktdjE/, 'the key is never logged')

    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left on any host')
    assert.deepEqual(fs.readdirSync(run.runnerTemp).filter((name) => name.startsWith('murder-action-') && !name.endsWith('.json')), [], 'the work directory is gone')
  })

  test('a re-run of the same release downloads nothing and counts every host as already present', async () => {
    const run = await runAction(fleet, { path: source, tag: 'release-1', deadline: '60s' })
    assert.equal(run.code, 0, run.stdout)
    const report = JSON.parse(fs.readFileSync(run.outputs.report!, 'utf8'))
    assert.deepEqual(
      report.hosts.map((host: { result: string }) => host.result),
      Array(8).fill('already present'),
    )
    assert.ok(report.seederUploaded < 64 * 1024, `the seeder sent no piece (${report.seederUploaded} bytes of protocol at most)`)
    assert.equal(report.hosts.reduce((sum: number, host: { bytesReceived: number }) => sum + host.bytesReceived, 0), 0)
  })
})

describe('the deadline', () => {
  let fleet: Fleet
  let source: string

  before(async () => {
    fleet = await createFleet({
      hosts: [{ rate: '100mbit' }, { rate: '100mbit' }, { rate: '100mbit' }, { rate: '100mbit' }, { rate: '200kbit' }],
      link: { rate: '100mbit' },
    })
    source = makeSourceTree(8 * 1024 * 1024)
  })
  after(async () => {
    await fleet?.teardown()
    if (source) fs.rmSync(source, { recursive: true, force: true })
  })

  test('a host on a 200 kbit/s link misses a 25 s deadline: the step fails naming it alone', async () => {
    const run = await runAction(fleet, { path: source, tag: 'slow-1', deadline: '25s' })
    const slow = fleet.hosts[4]!
    assert.equal(run.code, 1, run.stdout)
    assert.deepEqual(JSON.parse(run.outputs['failed-hosts']!), [`root@${slow.address}`])
    assert.equal(run.outputs['hosts-succeeded'], '4')
    assert.match(run.stdout, new RegExp(`root@${slow.address.replace(/\./g, '\\.')}: missed the 25 s deadline`))
    const expected = treeManifest(source)
    for (const host of fleet.hosts.slice(0, 4)) {
      assert.deepEqual(treeManifest(path.join(host.srvDir, 'releases/slow-1')), expected, `${host.name} is complete`)
    }
    assert.equal(fs.existsSync(path.join(slow.srvDir, 'releases/slow-1')), false, 'the slow host has no release under the final name')
    assert.equal(fs.existsSync(path.join(slow.srvDir, 'releases/slow-1.partial')), false)
    assert.ok(run.seconds < 60, `the step ends promptly after the deadline (took ${run.seconds} s)`)
    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no agent is left on any host, the slow one included')
  })
})
