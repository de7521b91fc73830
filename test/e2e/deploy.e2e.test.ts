/**
 * The core promise, end to end on a real fleet: real sshd per host, real tracker and webtorrent
 * peers, the action run as the runner runs it (Node 24) while the agents run on the hosts' Node 20.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { createFleet, type Fleet } from '../lab/fleet.js'
import { leftoverProcesses, makeSourceTree, mtimeManifest, REPO, runAction, treeManifest } from './harness.js'
import { incoming } from './faults.helpers.js'

describe('a deploy to 8 hosts on 100 Mbit/s links', () => {
  let fleet: Fleet
  let source: string
  let firstInfoHash: string

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
    const marker = JSON.parse(fs.readFileSync(path.join(fleet.hosts[0]!.srvDir, 'releases/.murder/release-1.json'), 'utf8'))
    const storedObjects: string[] = marker.objects
    assert.ok(storedObjects.length >= 2, `the release is made of objects: ${JSON.stringify(marker)}`)

    const expected = treeManifest(source)
    const expectedTimes = mtimeManifest(source)
    assert.ok(expected.some((line) => line.startsWith('link app/config.json')), 'the source has its symlink')
    for (const host of fleet.hosts) {
      const release = path.join(host.srvDir, 'releases/release-1')
      assert.deepEqual(treeManifest(release), expected, `${host.name} holds a different tree`)
      assert.deepEqual(mtimeManifest(release), expectedTimes, `${host.name}: every entry has the source's mtime`)
      assert.deepEqual(
        fs.readdirSync(path.join(host.srvDir, 'releases/.murder/incoming')),
        [],
        `${host.name}: nothing is left in the download directory once the agent exits`,
      )
      assert.deepEqual(
        fs.readdirSync(path.join(host.srvDir, 'releases/.murder/objects')).sort(),
        [...storedObjects].sort(),
        `${host.name}: its store holds exactly the release's objects (keep-payload)`,
      )
    }
    firstInfoHash = run.outputs['info-hash']!

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

  test('hosts that already hold the release seed it to new hosts, even when the tree was rebuilt (new mtimes)', async (t) => {
    // A rebuild: the same content, every entry with another mtime, new inodes.
    const rebuilt = fs.mkdtempSync(path.join(path.dirname(source), 'murder-rebuilt-'))
    t.after(() => fs.rmSync(rebuilt, { recursive: true, force: true }))
    fs.cpSync(source, rebuilt, { recursive: true, verbatimSymlinks: true })
    const later = new Date(Date.now() + 3_600_000)
    for (const file of fs.readdirSync(rebuilt, { recursive: true }) as string[]) fs.lutimesSync(path.join(rebuilt, file), later, later)
    assert.notDeepEqual(mtimeManifest(rebuilt), mtimeManifest(source))

    // Two hosts are new to the fleet: nothing of release-1 on them.
    const fresh = fleet.hosts.slice(6)
    const holders = fleet.hosts.slice(0, 6)
    for (const host of fresh) {
      const releases = path.join(host.srvDir, 'releases')
      for (const name of ['release-1', '.murder']) fs.rmSync(path.join(releases, name), { recursive: true, force: true })
    }
    // The runner's own uplink is slow: at 5 Mbit/s it alone would need ~85 s for the two new hosts.
    await fleet.shape('runner', { rate: '5mbit' })
    t.after(() => fleet.shape('runner', { rate: '100mbit' }))

    const run = await runAction(fleet, { path: rebuilt, tag: 'release-1', deadline: '120s' })
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`)
    assert.equal(run.outputs['info-hash'], firstInfoHash, 'the rebuilt tree packs to the same objects and torrent as the first deploy')
    const report = JSON.parse(fs.readFileSync(run.outputs.report!, 'utf8'))
    const byHost = new Map(report.hosts.map((entry: { host: string }) => [entry.host, entry]))
    type Row = { result: string; seeding: boolean; bytesSent: number; bytesReceived: number; fromPeersShare: number }
    let sentByHolders = 0
    for (const host of holders) {
      const row = byHost.get(`root@${host.address}`) as Row
      assert.equal(row.result, 'already present', `${host.name}: ${JSON.stringify(row)}`)
      assert.equal(row.seeding, true, `${host.name} seeds the release from its object store`)
      assert.equal(row.bytesReceived, 0)
      sentByHolders += row.bytesSent
    }
    for (const host of fresh) {
      const row = byHost.get(`root@${host.address}`) as Row
      assert.equal(row.result, 'done', `${host.name}: ${JSON.stringify(row)}`)
      assert.ok(row.fromPeersShare >= 0.8, `${host.name} got ${row.fromPeersShare} of its bytes from the other hosts`)
      const release = path.join(host.srvDir, 'releases/release-1')
      assert.deepEqual(treeManifest(release), treeManifest(source), `${host.name} holds the release`)
      assert.deepEqual(mtimeManifest(release), mtimeManifest(rebuilt), `${host.name} has the rebuilt tree's mtimes`)
    }
    t.diagnostic(
      `payload ${(report.payloadBytes / 1e6).toFixed(1)} MB; holders sent ${(sentByHolders / 1e6).toFixed(1)} MB, ` +
        `the runner ${(report.seederUploaded / 1e6).toFixed(1)} MB; transfer ${report.transferSeconds.toFixed(1)} s`,
    )
    assert.ok(sentByHolders >= report.payloadBytes, `the holders sent ${sentByHolders} bytes (payload ${report.payloadBytes})`)
    assert.ok(report.seederUploaded < 0.5 * report.payloadBytes, `the runner sent ${report.seederUploaded} bytes of ${report.payloadBytes}`)
    assert.match(run.stdout, /6 hosts already held release-1; 6 of them seeded it from their object store/)
    for (const host of holders) {
      assert.deepEqual(mtimeManifest(path.join(host.srvDir, 'releases/release-1')), mtimeManifest(source), `${host.name}: its release was not touched`)
    }
    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left on any host')
  })

  test('a hotfix moves only the objects that changed; the store keeps what releases on disk use', async (t) => {
    // A build of 40 files of 256 KiB beside the big blob; the hotfix changes 2 of them.
    const build = fs.mkdtempSync(path.join(path.dirname(source), 'murder-hotfix-'))
    t.after(() => fs.rmSync(build, { recursive: true, force: true }))
    fs.cpSync(source, build, { recursive: true, verbatimSymlinks: true })
    fs.mkdirSync(path.join(build, 'app/assets'))
    for (let index = 0; index < 40; index++) fs.writeFileSync(path.join(build, `app/assets/${index}.bin`), randomBytes(256 * 1024))
    const first = await runAction(fleet, { path: build, tag: 'hotfix-1', deadline: '120s' })
    assert.equal(first.code, 0, first.stdout)

    const changed = ['app/assets/7.bin', 'app/assets/31.bin']
    for (const name of changed) fs.writeFileSync(path.join(build, name), randomBytes(256 * 1024))
    const run = await runAction(fleet, { path: build, tag: 'hotfix-2', deadline: '120s' })
    assert.equal(run.code, 0, run.stdout)
    const report = JSON.parse(fs.readFileSync(run.outputs.report!, 'utf8'))
    const changedBytes = changed.length * 256 * 1024
    for (const host of fleet.hosts) {
      const row = report.hosts.find((entry: { host: string }) => entry.host === `root@${host.address}`)
      assert.equal(row.result, 'done', JSON.stringify(row))
      assert.ok(row.bytesReceived >= changedBytes && row.bytesReceived <= 3 * changedBytes, `${host.name} received ${row.bytesReceived} bytes for ${changedBytes} changed`)
      assert.ok(row.bytesFromStore >= report.payloadBytes - 3 * changedBytes, `${host.name} reused ${row.bytesFromStore} of ${report.payloadBytes} bytes`)
      assert.deepEqual(treeManifest(path.join(host.srvDir, 'releases/hotfix-2')), treeManifest(build), `${host.name} holds the hotfix`)
    }
    assert.ok(report.seederUploaded <= 3 * changedBytes, `the runner uploaded ${report.seederUploaded} bytes for ${changedBytes} changed`)
    t.diagnostic(`hotfix: ${changedBytes} bytes changed of ${report.payloadBytes}; runner uploaded ${report.seederUploaded}`)

    // Releases removed by an operator: the next deploy's agent drops the objects only they used.
    for (const host of fleet.hosts) {
      for (const tag of ['release-1', 'hotfix-1']) fs.rmSync(path.join(host.srvDir, 'releases', tag), { recursive: true, force: true })
    }
    fs.writeFileSync(path.join(build, 'app/assets/0.bin'), randomBytes(256 * 1024))
    const third = await runAction(fleet, { path: build, tag: 'hotfix-3', deadline: '120s' })
    assert.equal(third.code, 0, third.stdout)
    for (const host of fleet.hosts) {
      const state = path.join(host.srvDir, 'releases/.murder')
      const used = new Set<string>()
      for (const tag of ['hotfix-2', 'hotfix-3']) for (const id of JSON.parse(fs.readFileSync(path.join(state, `${tag}.json`), 'utf8')).objects) used.add(id)
      assert.deepEqual(fs.readdirSync(path.join(state, 'objects')).sort(), [...used].sort(), `${host.name}: the store holds the objects of hotfix-2 and hotfix-3, no others`)
    }
  })

  test('the action runs from source under @github/local-action, as a developer debugs it', async () => {
    const small = makeSourceTree(1024 * 1024)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'murder-local-action-'))
    try {
      // local-action reads the inputs from a dotenv file; double quotes keep the keys' newlines as \n.
      const quoted = (text: string): string => `"${text.trim().replace(/\n/g, '\\n')}"`
      const hosts = fleet.hosts.slice(0, 2)
      const dotenv = [
        `INPUT_PATH=${small}`,
        'INPUT_TAG=from-source-1',
        `INPUT_HOSTS=${hosts.map((host) => `root@${host.address}`).join(',')}`,
        `INPUT_SSH-KEY=${quoted(fleet.clientKey)}`,
        `INPUT_KNOWN-HOSTS=${quoted(fleet.knownHosts)}`,
        'INPUT_DEADLINE=60s',
        `RUNNER_TEMP=${dir}`,
      ]
      fs.writeFileSync(path.join(dir, '.env'), dotenv.join('\n') + '\n', { mode: 0o600 })
      const bin = path.join(REPO, 'node_modules/@github/local-action/bin/local-action.js')
      const child = fleet.runInRunner(process.execPath, [bin, 'run', REPO, 'src/action/run.ts', path.join(dir, '.env')], {
        cwd: REPO,
        timeoutMs: 120_000,
      })
      let stdout = ''
      child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
      child.stderr?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
      assert.match(stdout, /Deployed to all 2 hosts\./, `exit ${code}\n${stdout}`)
      for (const host of hosts) {
        assert.deepEqual(treeManifest(path.join(host.srvDir, 'releases/from-source-1')), treeManifest(small), `${host.name} holds the tree`)
      }
    } finally {
      fs.rmSync(small, { recursive: true, force: true })
      fs.rmSync(dir, { recursive: true, force: true })
    }
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
    assert.deepEqual(incoming(slow), [], 'the slow host keeps neither its partial download nor a half-unpacked tree')
    assert.ok(run.seconds < 60, `the step ends promptly after the deadline (took ${run.seconds} s)`)
    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no agent is left on any host, the slow one included')
  })
})
