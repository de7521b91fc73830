/**
 * transport ssh, end to end on a small fleet: each host's objects go over its own SSH session (no
 * tracker, no seeder, no peer traffic); what the hosts store of it seeds a later swarm deploy; a
 * hotfix sends each host only the objects that changed; the
 * release goes live with activate; download-limit and seeder-upload-limit pace the streams; a
 * build output rewritten mid-stream fails every host by the file's name; and a host whose sshd dies
 * mid-stream fails with a clear reason and leaves nothing running.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Fleet, FleetHost } from '../lab/fleet.js'
import { leftoverProcesses, makeSourceTree, runAction, startAction } from './harness.js'
import {
  agentPids,
  assertIdentical,
  assertLogNames,
  commandLine,
  createTestFleet,
  hostEntry,
  incoming,
  incomingBytes,
  label,
  parentOf,
  readReport,
  releaseDir,
  transcript,
  waitFor,
} from './faults.helpers.js'

const BLOB = 8 * 1024 * 1024

describe('transport ssh on a fleet of 3 hosts', () => {
  let fleet: Fleet
  let source: string

  before(async () => {
    fleet = await createTestFleet({ hosts: 3, link: { rate: '100mbit' } })
    source = makeSourceTree(BLOB)
  })
  after(async () => {
    await fleet?.teardown()
    if (source) fs.rmSync(source, { recursive: true, force: true })
  })

  test('every host gets a byte-identical tree over its SSH session, with no tracker, no seeder and nothing from peers', async () => {
    const accepted = (host: (typeof fleet.hosts)[number]): number => (fs.readFileSync(host.sshdLog, 'utf8').match(/Accepted publickey/g) ?? []).length
    const connectionsBefore = fleet.hosts.map(accepted)
    const run = await runAction(fleet, { path: source, tag: 'direct-1', deadline: '120s', transport: 'ssh' })
    assert.equal(run.code, 0, transcript(run))
    // Each host's session was opened while the pack ran, and is the one its agent ran on.
    assert.equal((run.stdout.match(/: opened while packing \(connected after/g) ?? []).length, 3, transcript(run))
    fleet.hosts.forEach((host, index) => assert.equal(accepted(host) - connectionsBefore[index]!, 1, `${host.name}: one SSH connection for the deploy`))
    assert.equal(run.outputs['hosts-succeeded'], '3', transcript(run))
    assertIdentical(fleet.hosts, 'direct-1', source)
    const report = readReport(run)
    assert.equal(report.transport, 'ssh')
    assert.equal(report.seederRanOn, 'none')
    assert.equal(report.seederUploaded, 0)
    assert.equal(report.trackerAnnounces, 0)
    assert.equal(report.trackerUrl, '')
    for (const host of report.hosts) {
      assert.equal(host.result, 'done', JSON.stringify(host))
      assert.equal(host.bytesReceived, report.payloadBytes, `${host.host} received the whole release once: ${JSON.stringify(host)}`)
      assert.equal(host.fromPeersShare, 0, `${host.host}: nothing came from peers`)
      assert.equal(host.bytesSent, 0, `${host.host} sent nothing to anyone`)
    }
    assert.equal(report.sentOverSsh, 3 * report.payloadBytes)
    assert.match(run.stdout, /Transport ssh \(transport: ssh\): each host's objects go over its own SSH session/)
    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left on any host')
  })

  test('no Node at node-path: every host fails at once with what to set, found on the session opened while packing', async () => {
    const run = await runAction(fleet, { path: source, tag: 'no-node-1', deadline: '60s', transport: 'ssh', 'node-path': '/opt/absent/bin/node' })
    assert.equal(run.code, 1, transcript(run))
    assert.equal(run.outputs['hosts-failed'], '3', transcript(run))
    for (const host of readReport(run).hosts) {
      assert.equal(host.result, 'failed', JSON.stringify(host))
      assert.match(host.error ?? '', /no Node\.js at node-path "\/opt\/absent\/bin\/node" on the host; install Node ≥ \d+ or set node-path/, JSON.stringify(host))
    }
    assert.doesNotMatch(run.stdout, /connecting again/, 'trying again cannot help: not retried')
    for (const host of fleet.hosts) assert.equal(fs.existsSync(path.join(host.srvDir, 'releases/no-node-1')), false, `${host.name}: nothing installed`)
  })

  test('what came over SSH, sealed by each host for its store, seeds a swarm: the same tree under a new tag moves nothing', async () => {
    const run = await runAction(fleet, { path: source, tag: 'direct-swarm', deadline: '120s', transport: 'swarm' })
    assert.equal(run.code, 0, transcript(run))
    assertIdentical(fleet.hosts, 'direct-swarm', source)
    const report = readReport(run)
    assert.equal(report.transport, 'swarm')
    for (const host of report.hosts) {
      assert.equal(host.result, 'done', JSON.stringify(host))
      assert.equal(host.bytesFromStore, report.payloadBytes, `${host.host}: its store lent every object: ${JSON.stringify(host)}`)
      // webtorrent checks each lent piece against the torrent's SHA-1s, which are of sealed bytes: an unsealed store fails them and downloads.
      assert.equal(host.bytesReceived, 0, `${host.host} received nothing: ${JSON.stringify(host)}`)
    }
    assert.equal(report.seederUploaded, 0, 'the runner sent nothing')
  })

  test('a hotfix sends each host only the objects that changed (transport auto: ssh for 3 hosts)', async (t) => {
    fs.writeFileSync(path.join(source, 'app/lib/deep/config.json'), '{"answer": 43}\n')
    const run = await runAction(fleet, { path: source, tag: 'direct-2', deadline: '120s', transport: 'auto' })
    assert.equal(run.code, 0, transcript(run))
    assert.match(run.stdout, /Transport ssh \(transport: auto, 3 hosts ≤ 3\)/, transcript(run))
    assertIdentical(fleet.hosts, 'direct-2', source)
    const report = readReport(run)
    t.diagnostic(`release ${report.payloadBytes} bytes; received ${report.hosts.map((host) => host.bytesReceived).join(', ')}`)
    for (const host of report.hosts) {
      assert.ok(host.bytesReceived > 0, `${host.host} received the changed object: ${JSON.stringify(host)}`)
      assert.ok(host.bytesReceived < BLOB, `${host.host} received less than the unchanged blob alone: ${JSON.stringify(host)}`)
      assert.ok(host.bytesReceived + host.bytesFromStore === report.payloadBytes, `${host.host}: the rest came from its store: ${JSON.stringify(host)}`)
    }
    assert.ok(report.sentOverSsh < report.payloadBytes, `the runner sent less than one copy of the tree in all (${report.sentOverSsh} bytes)`)
  })

  test('activate: the release goes live on every host after it came over SSH', async () => {
    fs.writeFileSync(path.join(source, 'app/lib/deep/config.json'), '{"answer": 44}\n')
    const run = await runAction(fleet, { path: source, tag: 'direct-live', deadline: '120s', transport: 'ssh', activate: 'true', 'batch-size': '1' })
    assert.equal(run.code, 0, transcript(run))
    assert.equal(run.outputs['hosts-activated'], '3', transcript(run))
    assert.equal(run.outputs['info-hash'], '', 'no torrent, no info hash')
    assertIdentical(fleet.hosts, 'direct-live', source)
    for (const host of fleet.hosts) {
      assert.equal(path.basename(fs.readlinkSync(path.join(path.dirname(releaseDir(host, 'direct-live')), 'current'))), 'direct-live', `${host.name}: current`)
    }
    const report = readReport(run)
    assert.equal(report.transport, 'ssh')
    assert.equal(report.activation?.hostsActivated, 3)
    assert.deepEqual(report.activation?.batches.map((batch) => batch.result), ['activated', 'activated', 'activated'])
  })

  test('download-limit paces each host\'s stream, seeder-upload-limit all of them together', async (t) => {
    const MB = 1e6
    // New bytes each time, so every host needs the blob again: ~8.4 MB per host.
    fs.writeFileSync(path.join(source, 'app/blob.bin'), randomBytes(BLOB))
    const perHost = await runAction(fleet, { path: source, tag: 'direct-paced-1', deadline: '120s', transport: 'ssh', 'compression-level': '0', 'download-limit': '3MB/s' })
    assert.equal(perHost.code, 0, transcript(perHost))
    assertIdentical(fleet.hosts, 'direct-paced-1', source)
    assert.match(perHost.stdout, /Transport ssh .*; 3\.0 MB\/s per host/, transcript(perHost))
    for (const host of readReport(perHost).hosts) {
      const rate = host.bytesReceived / host.seconds!
      t.diagnostic(`${host.host}: ${(rate / MB).toFixed(2)} MB/s (download-limit 3)`)
      assert.ok(host.bytesReceived >= BLOB, `${host.host} received the new blob: ${JSON.stringify(host)}`)
      // Unpaced, a host takes it at its link's 12.5 MB/s.
      assert.ok(rate <= 3 * MB * 1.1, `${host.host}: ${(rate / MB).toFixed(2)} MB/s over ${host.seconds} s, cap 3 MB/s`)
    }

    fs.writeFileSync(path.join(source, 'app/blob.bin'), randomBytes(BLOB))
    const total = await runAction(fleet, { path: source, tag: 'direct-paced-2', deadline: '120s', transport: 'ssh', 'compression-level': '0', 'seeder-upload-limit': '4MB/s' })
    assert.equal(total.code, 0, transcript(total))
    assertIdentical(fleet.hosts, 'direct-paced-2', source)
    const report = readReport(total)
    const rate = report.sentOverSsh / report.transferSeconds
    t.diagnostic(`the runner streamed ${(report.sentOverSsh / MB).toFixed(1)} MB in ${report.transferSeconds.toFixed(1)} s: ${(rate / MB).toFixed(2)} MB/s (seeder-upload-limit 4)`)
    assert.ok(report.sentOverSsh >= 3 * BLOB, `every host was sent the new blob (${report.sentOverSsh} bytes)`)
    // Unpaced, three hosts at 12.5 MB/s each take it several times faster.
    assert.ok(rate <= 4 * MB * 1.1, `${(rate / MB).toFixed(2)} MB/s in all, cap 4 MB/s`)
  })

  test('the build output changed while it streams: every host fails naming the file, none holds the release, nothing is left running', async (t) => {
    // The runner sends objects it did not write to disk from the tree itself (pack/object-reader.ts):
    // a file rewritten mid-deploy must fail the deploy, not reach a host as the packed release.
    const blob = path.join(source, 'app/blob.bin')
    fs.writeFileSync(blob, randomBytes(BLOB))
    const action = startAction(fleet, { path: source, tag: 'direct-changed', deadline: '120s', transport: 'ssh', 'compression-level': '0', 'download-limit': '2MB/s' })
    let exited = false
    void action.done.then(() => (exited = true))
    await waitFor('a host to be receiving', 60_000, () => exited || fleet.hosts.some((host) => incomingBytes(host) > 1 << 20))
    assert.equal(exited, false, 'still running')
    fs.writeFileSync(blob, randomBytes(BLOB))

    const run = await action.done
    assert.equal(run.code, 1, transcript(run))
    assert.deepEqual(JSON.parse(run.outputs['failed-hosts']!).sort(), fleet.hosts.map(label).sort(), transcript(run))
    for (const host of fleet.hosts) {
      const error = hostEntry(readReport(run), label(host)).error!
      t.diagnostic(`${label(host)}: ${error}`)
      assert.match(error, /app\/blob\.bin changed after it was packed/)
      assert.equal(fs.existsSync(releaseDir(host, 'direct-changed')), false, `${label(host)}: no release under the final name`)
    }
    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left on any host')
    for (const host of fleet.hosts) assert.deepEqual(incoming(host), [], `${label(host)}: the stopped agent removed what it had received`)
  })

  test('a host whose sshd dies mid-stream fails with a clear reason, and nothing is left running', async (t) => {
    const victim = fleet.hosts[2] as FleetHost
    // 4 Mbit/s: a new 8 MiB blob takes ~17 s to reach the victim, time to kill its sshd mid-way.
    await fleet.shape(victim, { rate: '4mbit' })
    fs.writeFileSync(path.join(source, 'app/blob.bin'), randomBytes(BLOB))
    const action = startAction(fleet, { path: source, tag: 'direct-3', deadline: '120s', transport: 'ssh', 'compression-level': '0' })
    let exited = false
    void action.done.then(() => (exited = true))
    await waitFor('the victim to be receiving', 60_000, () => exited || incomingBytes(victim) > 1 << 20)
    assert.equal(exited, false, 'still running')
    const agent = await waitFor('the agent pid on the victim', 5_000, () => agentPids(fleet, victim)[0])
    let session = parentOf(agent)
    while (session > 1 && !/^sshd/.test(commandLine(session))) session = parentOf(session)
    assert.match(commandLine(session), /^sshd/, 'the agent runs under its sshd session')
    // The whole sshd goes: the listener (no new connection can be made) and the session serving the stream.
    await fleet.killSshd(victim)
    process.kill(session, 'SIGKILL')

    const run = await action.done
    assert.equal(run.code, 1, transcript(run))
    assert.deepEqual(JSON.parse(run.outputs['failed-hosts']!), [label(victim)], transcript(run))
    const error = hostEntry(readReport(run), label(victim)).error!
    t.diagnostic(error)
    assert.match(run.stdout, /lost the SSH connection while sending the objects/, transcript(run))
    assert.match(error, /connection refused.*is sshd running/)
    assertLogNames(run, label(victim), 'connection refused')
    assertIdentical(fleet.hosts.slice(0, 2), 'direct-3', source)
    assert.equal(fs.existsSync(releaseDir(victim, 'direct-3')), false, 'no release under the final name')
    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left on any host')
    assert.deepEqual(incoming(victim), [], 'the stopped agent removed what it had received')
  })
})
