/**
 * Zones, end to end: two zones of three hosts, each with a seeder host of its own, joined by a slow
 * trunk; the runner sits in the first zone and accepts no inbound connection. Each zone's hosts take
 * their pieces from their own zone, so about one copy crosses the trunk — where the same deploy
 * without zones sends more across it. A zone whose seeder host dies fails its own hosts, naming it,
 * while the other zone's deploy goes on; cancelled, every origin stops. Nothing is left running.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Fleet, FleetHost } from '../lab/fleet.js'
import { leftoverProcesses, makeSourceTree, runAction, startAction, type ActionProcess, type ActionRun } from './harness.js'
import { assertIdentical, createTestFleet, incomingBytes, label, readReport, transcript, waitFor } from './faults.helpers.js'

const PAYLOAD = 8 * 1024 * 1024
/** Generous: the machine's 2 cores may be shared; what is asserted is bytes and outcomes, not speed. */
const DEADLINE = '300s'
const RUN_TIMEOUT_MS = 420_000

/** The origin works in <destination>/.murder/origin/<pid>: its pid, while it runs. */
function originPids(host: FleetHost): number[] {
  const dir = path.join(host.srvDir, 'releases/.murder/origin')
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => /^\d+$/.test(name)).map(Number) : []
}

/** waitFor, but a deploy that never gets there is stopped, and its log shown. */
async function waitWhileRunning(action: ActionProcess, what: string, timeoutMs: number, probe: () => boolean): Promise<void> {
  try {
    await waitFor(what, timeoutMs, probe)
  } catch (error) {
    action.child.kill('SIGINT')
    throw new Error(`${(error as Error).message}\n${transcript(await action.done)}`)
  }
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

describe('zones: two zones joined by a slow trunk, one seeder host each', () => {
  let fleet: Fleet
  let seeders: FleetHost[]
  let dc1: FleetHost[]
  let dc2: FleetHost[]
  const sources: string[] = []
  const source = (): string => {
    const dir = makeSourceTree(PAYLOAD)
    sources.push(dir)
    return dir
  }
  /** The six hosts, each with its zone on its line. */
  const zonedHosts = (): string => [...dc1, ...dc2].map((host) => `${label(host)} zone=${host.zone}`).join('\n')
  const plainHosts = (): string => [...dc1, ...dc2].map(label).join('\n')
  const zonedSeeders = (): string => seeders.map((host) => `${label(host)} zone=${host.zone}`).join('\n')
  /** Bytes across the trunk, both ways, while `deploy` runs. */
  async function acrossTrunk(deploy: () => Promise<ActionRun>): Promise<{ run: ActionRun; bytes: number }> {
    const before = await fleet.trunkBytes('dc2')
    const run = await deploy()
    const after = await fleet.trunkBytes('dc2')
    return { run, bytes: after.into - before.into + (after.outOf - before.outOf) }
  }

  before(async () => {
    // Per zone: its seeder host, then three hosts. The trunk is 20 Mbit/s, every host's link 1 Gbit/s.
    fleet = await createTestFleet({
      hosts: 8,
      link: { rate: '1gbit' },
      zones: [
        { name: 'dc1', hosts: 4 },
        { name: 'dc2', hosts: 4 },
      ],
      trunk: { rate: '20mbit' },
    })
    const [seed1, ...rest1] = fleet.hosts.filter((host) => host.zone === 'dc1') as [FleetHost, ...FleetHost[]]
    const [seed2, ...rest2] = fleet.hosts.filter((host) => host.zone === 'dc2') as [FleetHost, ...FleetHost[]]
    seeders = [seed1, seed2]
    dc1 = rest1
    dc2 = rest2
    // The runner accepts no new inbound TCP connection, as a GitHub-hosted runner's.
    const drop = await fleet.execInRunner('iptables -A INPUT -p tcp --syn -j DROP')
    assert.equal(drop.code, 0, drop.stderr)
  })
  after(async () => {
    await fleet?.teardown()
    for (const dir of sources) fs.rmSync(dir, { recursive: true, force: true })
  })

  test('zone labels without a seeder host per zone fail before any host is contacted, saying what to write', async () => {
    const run = await runAction(fleet, { path: source(), tag: 'zones-0', hosts: zonedHosts() })
    assert.equal(run.code, 1, transcript(run))
    assert.match(run.stdout, /::error::Input 'hosts': .* is in zone dc1, but zones need a seeder host each: set seeder-host, one line per zone \("seed1 zone=dc1", "seed2 zone=dc2"\)/, transcript(run))
    assert.deepEqual(originPids(seeders[0]!), [])
    for (const host of fleet.hosts) assert.equal(fs.existsSync(path.join(host.srvDir, 'releases/zones-0')), false)
  })

  test('with zones every host gets the exact tree, and about one copy crosses the trunk', async (t) => {
    const tree = source()
    const { run, bytes } = await acrossTrunk(() =>
      runAction(fleet, { path: tree, tag: 'zones-1', deadline: DEADLINE, hosts: zonedHosts(), 'seeder-host': zonedSeeders(), 'compression-level': '0' }, { timeoutMs: RUN_TIMEOUT_MS }),
    )
    assert.equal(run.code, 0, transcript(run))
    assert.equal(run.outputs['hosts-succeeded'], '6', transcript(run))
    assertIdentical([...dc1, ...dc2], 'zones-1', tree)
    const report = readReport(run)
    assert.deepEqual(
      report.hosts.map((host) => [host.host, host.zone]),
      [...dc1, ...dc2].map((host) => [label(host), host.zone]),
    )
    assert.deepEqual(report.zones?.map((zone) => [zone.zone, zone.seederHost, zone.hosts]), [
      ['dc1', label(seeders[0]!), 3],
      ['dc2', label(seeders[1]!), 3],
    ])
    // Each zone announced to its own seeder host.
    for (const [index, zone] of (report.zones ?? []).entries()) {
      assert.match(zone.trackerUrl, new RegExp(`^http://${escape(seeders[index]!.address)}:\\d+/announce$`))
      assert.ok(zone.trackerAnnounces >= 3, `${zone.zone}: ${zone.trackerAnnounces} announces`)
    }
    assert.match(run.summary, /\| Host \| Zone \| Result \|/)
    assert.match(run.summary, new RegExp(`\\| ${escape(label(dc2[0]!))} \\| dc2 \\| ✅ done \\|`))
    const copies = bytes / report.payloadBytes
    t.diagnostic(`with zones: ${(bytes / 1e6).toFixed(1)} MB across the trunk = ${copies.toFixed(2)} × the payload; transfer ${report.transferSeconds.toFixed(1)} s`)
    assert.ok(copies >= 1, `a copy reached dc2's seeder host across the trunk (${copies.toFixed(2)})`)
    assert.ok(copies < 1.5, `about one copy crosses the trunk with zones, not ${copies.toFixed(2)}`)
    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left on any host')
    for (const seeder of seeders) assert.deepEqual(originPids(seeder), [], `${seeder.name}: the origin removed its work directory`)
  })

  test('control: the same deploy without zones sends well over 1.5 copies across the trunk', async (t) => {
    const tree = source()
    const { run, bytes } = await acrossTrunk(() =>
      runAction(fleet, { path: tree, tag: 'zones-2', deadline: DEADLINE, hosts: plainHosts(), 'seeder-host': label(seeders[0]!), 'compression-level': '0' }, { timeoutMs: RUN_TIMEOUT_MS }),
    )
    assert.equal(run.code, 0, transcript(run))
    assertIdentical([...dc1, ...dc2], 'zones-2', tree)
    const report = readReport(run)
    assert.equal(report.zones, undefined)
    assert.ok(report.hosts.every((host) => host.zone === undefined))
    assert.doesNotMatch(run.summary, /\| Zone \|/)
    const copies = bytes / report.payloadBytes
    t.diagnostic(`without zones: ${(bytes / 1e6).toFixed(1)} MB across the trunk = ${copies.toFixed(2)} × the payload; transfer ${report.transferSeconds.toFixed(1)} s`)
    assert.ok(copies > 1.5, `without zones more than 1.5 copies cross (the zones test's bound could fail): ${copies.toFixed(2)}`)
    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left on any host')
  })

  test("a zone's seeder host that cannot be reached fails that zone's hosts, naming it; the other zone is deployed", async () => {
    await fleet.killSshd(seeders[1]!)
    try {
      const tree = source()
      const run = await runAction(fleet, { path: tree, tag: 'zones-5', deadline: DEADLINE, hosts: zonedHosts(), 'seeder-host': zonedSeeders() }, { timeoutMs: RUN_TIMEOUT_MS })
      assert.equal(run.code, 1, transcript(run))
      assert.deepEqual((JSON.parse(run.outputs['failed-hosts']!) as string[]).sort(), dc2.map(label).sort(), "exactly dc2's hosts failed")
      const report = readReport(run)
      for (const host of report.hosts.filter((entry) => entry.zone === 'dc2')) {
        assert.match(host.error ?? '', new RegExp(`seeder host ${escape(label(seeders[1]!))} of zone dc2: .*nothing accepts SSH`), `${host.host}: ${host.error}`)
        assert.equal(host.agentStartedSeconds, null, `${host.host}: never started`)
      }
      assert.deepEqual(report.zones?.map((zone) => zone.zone), ['dc1'], 'only dc1 had a swarm')
      assertIdentical(dc1, 'zones-5', tree)
      for (const host of dc2) assert.equal(fs.existsSync(path.join(host.srvDir, 'releases/zones-5')), false, `${host.name} holds nothing of it`)
      assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left on any host')
    } finally {
      await fleet.startSshd(seeders[1]!)
    }
  })

  test("a zone's seeder host killed mid-deploy fails that zone's hosts, naming it; the other zone is deployed; nothing is left running", async (t) => {
    // dc2's seeder host on 4 Mbit/s: its hosts are still downloading when it is killed.
    await fleet.shape(seeders[1]!, { rate: '4mbit' })
    try {
      const tree = source()
      const action = startAction(fleet, { path: tree, tag: 'zones-3', deadline: DEADLINE, hosts: zonedHosts(), 'seeder-host': zonedSeeders(), 'compression-level': '0' }, { timeoutMs: RUN_TIMEOUT_MS })
      let exited = false
      void action.done.then(() => (exited = true))
      await waitWhileRunning(action, "a dc2 host to be downloading from its zone's seeder host", 240_000, () => exited || dc2.some((host) => incomingBytes(host) > 1 << 20))
      assert.equal(exited, false, 'the action is still running')
      const [originPid] = originPids(seeders[1]!)
      assert.ok(originPid !== undefined, "the origin runs on dc2's seeder host")
      const kill = await fleet.execOnHost(seeders[1]!, `kill -9 ${originPid}`)
      assert.equal(kill.code, 0, kill.stderr)
      const killedAt = Date.now()

      const run = await action.done
      t.diagnostic(`verdict ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`)
      assert.equal(run.code, 1, transcript(run))
      const failed = JSON.parse(run.outputs['failed-hosts']!) as string[]
      assert.deepEqual(failed.sort(), dc2.map(label).sort(), "exactly dc2's hosts failed")
      const named = `the seeder host ${escape(label(seeders[1]!))} of zone dc2 \\(tracker and seeder\\) went away`
      assert.match(run.stdout, new RegExp(`::error::.*${named}`), transcript(run))
      const report = readReport(run)
      for (const host of report.hosts.filter((entry) => entry.zone === 'dc2')) {
        assert.equal(host.result, 'failed', host.host)
        assert.match(host.error ?? '', new RegExp(`${named}.*killed by SIGKILL`), `${host.host}: ${host.error}`)
      }
      assert.ok(report.hosts.filter((entry) => entry.zone === 'dc1').every((entry) => entry.result === 'done'), JSON.stringify(report.hosts))
      assertIdentical(dc1, 'zones-3', tree)
      assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left on any host')
      for (const seeder of seeders) assert.deepEqual(originPids(seeder).filter((pid) => pid !== originPid), [], `${seeder.name}: no origin left`)
    } finally {
      await fleet.shape(seeders[1]!, { rate: '1gbit' })
    }
  })

  test('cancelled (SIGINT) mid-deploy: both origins stop with the agents, nothing is left running', async (t) => {
    await fleet.shape(seeders[1]!, { rate: '4mbit' })
    try {
      const action = startAction(fleet, { path: source(), tag: 'zones-4', deadline: DEADLINE, hosts: zonedHosts(), 'seeder-host': zonedSeeders(), 'compression-level': '0', 'keep-payload': 'false' }, { timeoutMs: RUN_TIMEOUT_MS })
      let exitedAt = 0
      void action.done.then(() => (exitedAt = Date.now()))
      await waitWhileRunning(action, 'a dc2 host to be downloading', 240_000, () => exitedAt > 0 || dc2.some((host) => incomingBytes(host) > 1 << 20))
      assert.equal(exitedAt, 0, 'still running when cancelled')
      for (const seeder of seeders) assert.equal(originPids(seeder).length, 1, `${seeder.name}: its origin runs`)
      const interruptedAt = Date.now()
      action.child.kill('SIGINT')
      const run = await action.done
      t.diagnostic(`exited ${((exitedAt - interruptedAt) / 1000).toFixed(1)} s after SIGINT`)
      assert.equal(run.code, 1, transcript(run))
      assert.match(run.stdout, /::error::The deploy was cancelled/)
      assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left on any host')
      for (const seeder of seeders) assert.deepEqual(originPids(seeder), [], `${seeder.name}: the origin removed its work directory`)
    } finally {
      await fleet.shape(seeders[1]!, { rate: '1gbit' })
    }
  })
})
