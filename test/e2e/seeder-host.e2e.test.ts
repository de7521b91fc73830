/**
 * seeder-host, end to end: the tracker and the seeder run on a host inside the fleet, so a runner
 * that accepts no inbound connection (a GitHub-hosted one) can deploy; a seeder host that dies
 * mid-deploy fails the step, naming it; and a cancelled deploy stops the origin too. Either way
 * nothing is left running on any host.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Fleet, FleetHost } from '../lab/fleet.js'
import { leftoverProcesses, makeSourceTree, runAction, startAction } from './harness.js'
import { assertIdentical, createTestFleet, incomingBytes, label, readReport, transcript, waitFor } from './faults.helpers.js'

/** The origin works in <destination>/.murder/origin/<pid>: its pid, while it runs. */
function originPids(host: FleetHost): number[] {
  const dir = path.join(host.srvDir, 'releases/.murder/origin')
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => /^\d+$/.test(name)).map(Number) : []
}

describe('seeder-host with a runner the fleet cannot reach', () => {
  let fleet: Fleet
  let source: string

  before(async () => {
    fleet = await createTestFleet({ hosts: 4, link: { rate: '100mbit' } })
    source = makeSourceTree(4 * 1024 * 1024)
    // The runner's namespace accepts no new inbound TCP connection, as a GitHub-hosted runner's;
    // its own outbound SSH sessions are unaffected (their replies are not SYNs).
    const drop = await fleet.execInRunner('iptables -A INPUT -p tcp --syn -j DROP')
    assert.equal(drop.code, 0, drop.stderr)
  })
  after(async () => {
    await fleet?.teardown()
    if (source) fs.rmSync(source, { recursive: true, force: true })
  })

  test('the hosts cannot connect to the runner, yet every host gets the release from the seeder host', async (t) => {
    const [seederHost, other] = fleet.hosts as [FleetHost, FleetHost]
    // Nothing listens on the runner's port 9: refused when reachable, unanswered when dropped (the timeout's 124).
    const probe = await fleet.execOnHost(other, `timeout 3 bash -c 'exec 3<>/dev/tcp/${fleet.runnerAddress}/9'; echo "status $?"`, 10_000)
    assert.match(probe.stdout, /status 124/, `a host's connection to the runner must go unanswered: ${probe.stdout} ${probe.stderr}`)

    const run = await runAction(fleet, { path: source, tag: 'reach-1', deadline: '120s', 'seeder-host': label(seederHost) })
    assert.equal(run.code, 0, transcript(run))
    assert.equal(run.outputs['hosts-succeeded'], '4', transcript(run))
    assertIdentical(fleet.hosts, 'reach-1', source)
    const report = readReport(run)
    assert.equal(report.seederRanOn, label(seederHost))
    assert.match(report.trackerUrl, new RegExp(`^http://${seederHost.address.replace(/\./g, '\\.')}:\\d+/announce$`))
    assert.ok(report.seederUploaded > 0, `the origin's seeder sent pieces (${report.seederUploaded} bytes)`)
    assert.ok(report.trackerAnnounces >= 4, `the origin's tracker answered the fleet (${report.trackerAnnounces} announces)`)
    t.diagnostic(`transfer ${report.transferSeconds.toFixed(1)} s; the seeder host's seeder sent ${(report.seederUploaded / report.payloadBytes).toFixed(2)} × the payload`)
    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left on any host')
    assert.deepEqual(originPids(seederHost), [], 'the origin removed its work directory')
  })
})

describe('a seeder host on slow links: killed mid-deploy, or the deploy cancelled', () => {
  let fleet: Fleet
  let source: string

  before(async () => {
    // 4 Mbit/s from the seeder host (~16 s for 8 MB): time to kill it mid-way. The runner's link is fast.
    fleet = await createTestFleet({ hosts: 4, link: { rate: '4mbit' }, runnerLink: { rate: '100mbit' } })
    source = makeSourceTree(8 * 1024 * 1024)
  })
  after(async () => {
    await fleet?.teardown()
    if (source) fs.rmSync(source, { recursive: true, force: true })
  })

  test('the step fails naming the seeder host, and no process of the deploy is left on any host', async (t) => {
    const [seederHost, ...others] = fleet.hosts as [FleetHost, ...FleetHost[]]
    const action = startAction(fleet, { path: source, tag: 'reach-2', deadline: '120s', 'seeder-host': label(seederHost), 'compression-level': '0' })
    let exited = false
    void action.done.then(() => (exited = true))
    await waitFor('a host to be downloading from the seeder host', 60_000, () => exited || others.some((host) => incomingBytes(host) > 1 << 20))
    assert.equal(exited, false, 'the action is still running')
    const [originPid] = originPids(seederHost)
    assert.ok(originPid !== undefined, 'the origin runs on the seeder host')
    const kill = await fleet.execOnHost(seederHost, `kill -9 ${originPid}`)
    assert.equal(kill.code, 0, kill.stderr)
    const killedAt = Date.now()

    const run = await action.done
    t.diagnostic(`verdict ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`)
    assert.equal(run.code, 1, transcript(run))
    const failed = JSON.parse(run.outputs['failed-hosts']!) as string[]
    assert.ok(failed.length > 0, transcript(run))
    assert.match(run.stdout, new RegExp(`::error::.*the seeder host ${label(seederHost).replace(/\./g, '\\.')} \\(tracker and seeder\\) went away`), transcript(run))
    const report = readReport(run)
    for (const host of report.hosts.filter((entry) => entry.result === 'failed')) {
      assert.match(host.error ?? '', /seeder host .* went away.*killed by SIGKILL/, `${host.host}: ${host.error}`)
    }
    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left on any host')
  })

  test('cancelled (SIGINT): the origin is stopped with the agents, its work directory removed, nothing left running', async (t) => {
    const [seederHost, ...others] = fleet.hosts as [FleetHost, ...FleetHost[]]
    const action = startAction(fleet, { path: source, tag: 'reach-3', deadline: '120s', 'seeder-host': label(seederHost), 'compression-level': '0', 'keep-payload': 'false' })
    let exitedAt = 0
    void action.done.then(() => (exitedAt = Date.now()))
    await waitFor('a host to be downloading from the seeder host', 60_000, () => exitedAt > 0 || others.some((host) => incomingBytes(host) > 1 << 20))
    assert.equal(exitedAt, 0, 'still running when cancelled')
    assert.equal(originPids(seederHost).length, 1, 'the origin runs on the seeder host')
    const interruptedAt = Date.now()
    action.child.kill('SIGINT')
    const run = await action.done
    t.diagnostic(`exited ${((exitedAt - interruptedAt) / 1000).toFixed(1)} s after SIGINT`)
    assert.equal(run.signal, null, transcript(run))
    assert.equal(run.code, 1, transcript(run))
    assert.match(run.stdout, /::error::The deploy was cancelled/)
    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left on any host')
    assert.deepEqual(originPids(seederHost), [], 'the origin removed its work directory')
  })
})
