/**
 * Issue 4's faults that need no transfer in flight, each on a real fleet: bad input, hosts that
 * cannot be reached, a host key that does not match, a full disk, re-runs over an existing tag.
 * (Faults that act mid-transfer — a cut link, a killed agent, a lossy network, a straggler, a
 * cancelled runner — are in faults-transfer.e2e.test.ts.)
 *
 * In every case: the healthy hosts end byte-identical, the verdict is right, each failed host is
 * named with a reason a person can act on, and no process of the deploy is left on any host.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { Fleet } from '../lab/fleet.js'
import { leftoverProcesses, makeSourceTree, runAction, treeManifest } from './harness.js'
import { assertIdentical, assertLogNames, createTestFleet, hostEntry, incoming, label, readReport, releaseDir, transcript } from './faults.helpers.js'

describe('an invalid input', () => {
  let fleet: Fleet
  let source: string

  before(async () => {
    fleet = await createTestFleet({ hosts: 2, link: { rate: '100mbit' } })
    source = makeSourceTree(1024 * 1024)
  })
  after(async () => {
    await fleet?.teardown()
    if (source) fs.rmSync(source, { recursive: true, force: true })
  })

  test('tag "../x": the step fails naming the input, and no host is contacted', async () => {
    const logSizes = fleet.hosts.map((host) => fs.statSync(host.sshdLog).size)
    const run = await runAction(fleet, { path: source, tag: '../x', deadline: '60s' }, { timeoutMs: 60_000 })
    assert.equal(run.code, 1, transcript(run))
    assert.match(run.stdout, /::error::Input 'tag': "\.\.\/x" is not allowed/, transcript(run))
    assert.equal(run.outputs['failed-hosts'], undefined, 'no verdict: the deploy never started')
    for (const [index, host] of fleet.hosts.entries()) {
      assert.equal(fs.statSync(host.sshdLog).size, logSizes[index], `${host.name}: sshd saw no new connection:\n${fs.readFileSync(host.sshdLog, 'utf8')}`)
      assert.equal(fs.existsSync(path.join(host.rootDir, '.murder-action')), false, `${host.name}: no agent was shipped`)
      assert.equal(fs.existsSync(path.join(host.srvDir, 'releases')), false, `${host.name}: nothing was written`)
    }
    assert.equal(fs.readdirSync(run.runnerTemp).filter((name) => name.startsWith('murder-action-')).length, 0, 'nothing was packed')
  })

  test('a FIFO in the build output: the step fails naming path and the entry, and no host is contacted', async (t) => {
    const withFifo = makeSourceTree(64 * 1024)
    t.after(() => fs.rmSync(withFifo, { recursive: true, force: true }))
    execFileSync('mkfifo', [path.join(withFifo, 'app/control.fifo')])
    const logSizes = fleet.hosts.map((host) => fs.statSync(host.sshdLog).size)
    const run = await runAction(fleet, { path: withFifo, tag: 'fifo-1', deadline: '60s' }, { timeoutMs: 60_000 })
    assert.equal(run.code, 1, transcript(run))
    assert.match(run.stdout, /::error::Input 'path': holds entries that are neither files, directories nor symlinks .*: app\/control\.fifo\./, transcript(run))
    for (const [index, host] of fleet.hosts.entries()) {
      assert.equal(fs.statSync(host.sshdLog).size, logSizes[index], `${host.name}: sshd saw no new connection`)
    }
  })
})

describe('hosts that cannot be reached', () => {
  let fleet: Fleet
  let source: string

  before(async () => {
    fleet = await createTestFleet({ hosts: [{}, {}, { sshd: false }], link: { rate: '100mbit' } })
    source = makeSourceTree(4 * 1024 * 1024)
  })
  after(async () => {
    await fleet?.teardown()
    if (source) fs.rmSync(source, { recursive: true, force: true })
  })

  test('a host down from the start and a name that does not resolve both fail with their reasons; the others are deployed', async (t) => {
    const down = fleet.hosts[2]!
    const nowhere = 'root@no-such-host.invalid'
    const run = await runAction(fleet, {
      path: source,
      tag: 'unreachable-1',
      deadline: '120s',
      hosts: `${fleet.hostsInput}\n${nowhere}`,
    })
    assert.equal(run.code, 1, transcript(run))
    assert.deepEqual(JSON.parse(run.outputs['failed-hosts']!), [label(down), nowhere], transcript(run))
    assert.equal(run.outputs['hosts-total'], '4')
    assert.equal(run.outputs['hosts-succeeded'], '2')
    assert.equal(run.outputs['hosts-failed'], '2')

    const report = readReport(run)
    for (const host of report.hosts) if (host.error) t.diagnostic(`${host.host}: ${host.error}`)
    assert.match(hostEntry(report, label(down)).error!, /nothing accepts SSH on 198\.18\.0\.13:22 \(connection refused\); is sshd running/)
    assert.match(hostEntry(report, nowhere).error!, /the name no-such-host\.invalid does not resolve/)
    assertLogNames(run, label(down), 'connection refused')
    assertLogNames(run, nowhere, 'does not resolve')
    assert.match(run.stdout, /::error::2 of 4 hosts failed \(max-failed-hosts is 0\)/, transcript(run))

    assertIdentical(fleet.hosts.slice(0, 2), 'unreachable-1', source)
    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left on any host')
  })
})

describe('a host whose key does not match known-hosts', () => {
  let fleet: Fleet
  let source: string
  let otherKeyDir: string

  before(async () => {
    fleet = await createTestFleet({ hosts: 3, link: { rate: '100mbit' } })
    source = makeSourceTree(4 * 1024 * 1024)
    otherKeyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'murder-otherkey-'))
  })
  after(async () => {
    await fleet?.teardown()
    for (const dir of [source, otherKeyDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true })
  })

  test('is refused before any command runs on it; the others are deployed', async (t) => {
    const impostor = fleet.hosts[1]!
    // known-hosts holds a different key for that host: what a man in the middle (or a reinstall) looks like.
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(otherKeyDir, 'key')])
    const [type, blob] = fs.readFileSync(path.join(otherKeyDir, 'key.pub'), 'utf8').trim().split(/\s+/)
    const knownHosts = fleet.knownHosts
      .split('\n')
      .map((line) => (line.startsWith(`${impostor.address} `) ? `${impostor.address} ${type} ${blob}` : line))
      .join('\n')
    assert.notEqual(knownHosts, fleet.knownHosts)

    const run = await runAction(fleet, { path: source, tag: 'hostkey-1', deadline: '120s', 'known-hosts': knownHosts })
    assert.equal(run.code, 1, transcript(run))
    assert.deepEqual(JSON.parse(run.outputs['failed-hosts']!), [label(impostor)])
    const error = hostEntry(readReport(run), label(impostor)).error!
    t.diagnostic(error)
    assert.match(error, /HOST KEY MISMATCH/)
    assert.match(error, /check before updating known-hosts/)
    assertLogNames(run, label(impostor), 'HOST KEY MISMATCH')

    assert.equal(fs.existsSync(path.join(impostor.rootDir, '.murder-action')), false, 'no agent was shipped to it')
    assert.equal(fs.existsSync(path.join(impostor.srvDir, 'releases')), false, 'nothing was written on it')
    assert.doesNotMatch(fs.readFileSync(impostor.sshdLog, 'utf8'), /Accepted publickey/, 'it never even authenticated')
    assertIdentical([fleet.hosts[0]!, fleet.hosts[2]!], 'hostkey-1', source)
    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left on any host')
  })
})

describe('a host whose destination disk is full', () => {
  let fleet: Fleet
  let source: string
  const SRV_MIB = 24

  before(async () => {
    // srvSizeMiB applies to every host: give each a 24 MiB /srv (room for the 8 MB payload and its
    // unpacked tree) and fill the two victims' disks up to what the test needs.
    fleet = await createTestFleet({ hosts: 4, link: { rate: '100mbit' }, srvSizeMiB: SRV_MIB })
    source = makeSourceTree(8 * 1024 * 1024)
  })
  after(async () => {
    await fleet?.teardown()
    if (source) fs.rmSync(source, { recursive: true, force: true })
  })

  /** Leaves `freeMiB` free on a host's /srv with a filler file outside the destination. */
  function fillDisk(hostIndex: number, freeMiB: number): void {
    const host = fleet.hosts[hostIndex]!
    const stat = fs.statfsSync(host.srvDir)
    const free = stat.bavail * stat.bsize
    const filler = fs.openSync(path.join(host.srvDir, 'filler'), 'w')
    const block = Buffer.alloc(1 << 20, 1)
    for (let left = free - freeMiB * (1 << 20); left > 0; left -= block.length) fs.writeSync(filler, block, 0, Math.min(block.length, left))
    fs.closeSync(filler)
  }

  test('DISK_FULL while downloading and while unpacking: clear errors, nothing half-written left; the others are deployed', async (t) => {
    const fullEarly = fleet.hosts[1]! // 4 MiB free: the 8 MB download cannot land
    const fullLate = fleet.hosts[2]! // 12 MiB free: the download lands, unpacking beside it cannot
    fillDisk(1, 4)
    fillDisk(2, 12)
    const run = await runAction(fleet, { path: source, tag: 'disk-1', deadline: '120s', 'compression-level': '0' })
    assert.equal(run.code, 1, transcript(run))
    assert.deepEqual(JSON.parse(run.outputs['failed-hosts']!), [label(fullEarly), label(fullLate)], transcript(run))
    const report = readReport(run)
    for (const host of [fullEarly, fullLate]) {
      const error = hostEntry(report, label(host)).error!
      t.diagnostic(`${host.name}: ${error}`)
      assert.match(error, /^DISK_FULL: /, `${host.name}: ${error}`)
      assert.match(error, /ENOSPC|no space left/i, `${host.name}: ${error}`)
      assert.match(error, /\/srv\/releases has [\d.]+ MB free; this release needs up to [\d.]+ MB there/, `${host.name}: says how much to free`)
      assertLogNames(run, label(host), 'DISK_FULL')
      const releases = path.join(host.srvDir, 'releases')
      assert.deepEqual(fs.readdirSync(releases).sort(), ['.murder'], `${host.name}: no disk-1 and no disk-1.partial in /srv/releases`)
      assert.deepEqual(incoming(host), [], `${host.name}: the partial download is removed`)
      assert.deepEqual(fs.readdirSync(path.join(releases, '.murder')).filter((name) => name.endsWith('.json')), [], `${host.name}: no marker for a release it does not hold`)
      assert.deepEqual(fs.readdirSync(path.join(releases, '.murder/objects')), [], `${host.name}: no unverified object reaches the store`)
    }
    assertIdentical([fleet.hosts[0]!, fleet.hosts[3]!], 'disk-1', source)
    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left on any host')
  })
})

describe('re-runs over an existing tag', () => {
  let fleet: Fleet
  let source: string

  before(async () => {
    fleet = await createTestFleet({ hosts: 3, link: { rate: '100mbit' } })
    source = makeSourceTree(4 * 1024 * 1024)
  })
  after(async () => {
    await fleet?.teardown()
    if (source) fs.rmSync(source, { recursive: true, force: true })
  })

  test('same content: already present; other content: TAG_EXISTS and untouched, unless overwrite replaces it exactly', async (t) => {
    const first = await runAction(fleet, { path: source, tag: 'rerun-1', deadline: '120s' })
    assert.equal(first.code, 0, transcript(first))
    assertIdentical(fleet.hosts, 'rerun-1', source)

    // Someone changed the release on host2 after it was deployed: it no longer holds what rerun-1 is.
    const changed = fleet.hosts[1]!
    fs.writeFileSync(path.join(releaseDir(changed, 'rerun-1'), 'app/lib/deep/config.json'), '{"answer": 43}\n')
    fs.writeFileSync(path.join(releaseDir(changed, 'rerun-1'), 'hotfix.txt'), 'edited by hand\n')
    const changedTree = treeManifest(releaseDir(changed, 'rerun-1'))

    const second = await runAction(fleet, { path: source, tag: 'rerun-1', deadline: '120s' })
    assert.equal(second.code, 1, transcript(second))
    assert.deepEqual(JSON.parse(second.outputs['failed-hosts']!), [label(changed)], transcript(second))
    const report = readReport(second)
    for (const host of [fleet.hosts[0]!, fleet.hosts[2]!]) {
      const entry = hostEntry(report, label(host))
      assert.equal(entry.result, 'already present', `${host.name}: ${JSON.stringify(entry)}`)
      assert.equal(entry.bytesReceived, 0, `${host.name} downloaded nothing`)
    }
    const error = hostEntry(report, label(changed)).error!
    t.diagnostic(error)
    assert.match(error, /^TAG_EXISTS: /, error)
    assert.match(error, /\/srv\/releases\/rerun-1/, error)
    assert.match(error, /overwrite: true/, error)
    assertLogNames(second, label(changed), 'TAG_EXISTS')
    assert.deepEqual(treeManifest(releaseDir(changed, 'rerun-1')), changedTree, 'the changed release is left untouched')
    assertIdentical([fleet.hosts[0]!, fleet.hosts[2]!], 'rerun-1', source)
    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left after the second run')

    const third = await runAction(fleet, { path: source, tag: 'rerun-1', deadline: '120s', overwrite: 'true' })
    assert.equal(third.code, 0, transcript(third))
    const results = readReport(third).hosts.map((host) => `${host.host} ${host.result}`)
    assert.deepEqual(results, [`${label(fleet.hosts[0]!)} already present`, `${label(changed)} done`, `${label(fleet.hosts[2]!)} already present`])
    assertIdentical(fleet.hosts, 'rerun-1', source)
    for (const host of fleet.hosts) {
      const names = fs.readdirSync(path.join(host.srvDir, 'releases')).sort()
      assert.deepEqual(names, ['.murder', 'rerun-1'], `${host.name}: no rerun-1.partial, no rerun-1.old-* left`)
      assert.deepEqual(incoming(host), [], `${host.name}: no download left`)
    }
    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left after the third run')
  })

  test('two deploys of one tag at the same time: each host ends with one of them whole; the other names it TAG_EXISTS', async (t) => {
    const other = makeSourceTree(4 * 1024 * 1024)
    t.after(() => fs.rmSync(other, { recursive: true, force: true }))
    // Two workflow runs with different builds under one tag, started together.
    const runs = await Promise.all([
      runAction(fleet, { path: source, tag: 'race-1', deadline: '120s' }),
      runAction(fleet, { path: other, tag: 'race-1', deadline: '120s' }),
    ])
    const reports = runs.map(readReport)
    const sources = [source, other]
    for (const host of fleet.hosts) {
      const tree = treeManifest(releaseDir(host, 'race-1'))
      const winner = sources.findIndex((dir) => JSON.stringify(treeManifest(dir)) === JSON.stringify(tree))
      assert.ok(winner >= 0, `${host.name}: race-1 is exactly one of the two builds, whole`)
      const won = hostEntry(reports[winner]!, label(host))
      const lost = hostEntry(reports[1 - winner]!, label(host))
      assert.equal(won.result, 'done', `${host.name}: ${JSON.stringify(won)}`)
      assert.equal(lost.result, 'failed', `${host.name}: ${JSON.stringify(lost)}`)
      assert.match(lost.error!, /^TAG_EXISTS: /, lost.error!)
      t.diagnostic(`${host.name}: run ${winner + 1} won; the other: ${lost.error}`)
      assert.deepEqual(fs.readdirSync(path.join(host.srvDir, 'releases')).sort(), ['.murder', 'race-1', 'rerun-1'], `${host.name}: nothing half-written`)
      assert.deepEqual(incoming(host), [], `${host.name}: no work directory left`)
    }

    // The same build twice at once (or one host listed under two names): both runs succeed.
    // With keep-payload off, none of its objects stays in any host's store; race-1's stay.
    const third = makeSourceTree(2 * 1024 * 1024)
    t.after(() => fs.rmSync(third, { recursive: true, force: true }))
    const twins = await Promise.all([
      runAction(fleet, { path: third, tag: 'race-2', deadline: '120s', 'keep-payload': 'false' }),
      runAction(fleet, { path: third, tag: 'race-2', deadline: '120s', 'keep-payload': 'false' }),
    ])
    for (const run of twins) assert.equal(run.code, 0, transcript(run))
    assertIdentical(fleet.hosts, 'race-2', third)
    for (const host of fleet.hosts) {
      assert.deepEqual(incoming(host), [], `${host.name}: no work directory left`)
      const state = path.join(host.srvDir, 'releases/.murder')
      const objectsOf = (tag: string): string[] => JSON.parse(fs.readFileSync(path.join(state, `${tag}.json`), 'utf8')).objects
      const stored = fs.readdirSync(path.join(state, 'objects'))
      // The small files every test tree shares make one object that the kept releases use too.
      const keptByOthers = new Set([...objectsOf('race-1'), ...objectsOf('rerun-1')])
      const onlyRace2 = objectsOf('race-2').filter((id) => !keptByOthers.has(id))
      assert.ok(onlyRace2.length > 0)
      assert.deepEqual(stored.filter((id) => onlyRace2.includes(id)), [], `${host.name}: keep-payload: false keeps none of race-2's own objects`)
      assert.deepEqual(objectsOf('race-1').filter((id) => !stored.includes(id)), [], `${host.name}: the default kept race-1's`)
    }
    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of either deploy is left')
  })
})
