/**
 * Hardening, end to end on a small fleet: what a local user on a host, or a build step, could make
 * a deploy do, and what the action now does instead. Each test plants the attack the way a person
 * would (links under <destination>/.murder, a directory someone else owns) and checks that the
 * files it aimed at survive and the other hosts complete.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { createFleet, type Fleet, type FleetHost } from '../lab/fleet.js'
import { setTimeout as sleep } from 'node:timers/promises'
import { NODE24, REPO, runAction, startAction, treeManifest } from './harness.js'
import { hostEntry, label, readReport, transcript } from './faults.helpers.js'
import type { PeerOutcome } from './intruder.js'

/** Files a deploy must never touch: a victim directory with a few files, and one file on its own. */
function plantVictims(host: FleetHost): void {
  for (const dir of ['victim', 'victim2', 'victim3']) {
    fs.mkdirSync(path.join(host.srvDir, dir), { recursive: true })
    fs.writeFileSync(path.join(host.srvDir, dir, 'precious.txt'), `${dir} of ${host.name}\n`)
    fs.writeFileSync(path.join(host.srvDir, dir, '12345'), 'looks like a pid\n')
  }
  fs.writeFileSync(path.join(host.srvDir, 'victim.conf'), `victim.conf of ${host.name}\n`)
}

function assertVictimsIntact(host: FleetHost): void {
  for (const dir of ['victim', 'victim2', 'victim3']) {
    assert.deepEqual(fs.readdirSync(path.join(host.srvDir, dir)).sort(), ['12345', 'precious.txt'], `${host.name}: /srv/${dir} keeps its files`)
    assert.equal(fs.readFileSync(path.join(host.srvDir, dir, 'precious.txt'), 'utf8'), `${dir} of ${host.name}\n`)
  }
  assert.equal(fs.readFileSync(path.join(host.srvDir, 'victim.conf'), 'utf8'), `victim.conf of ${host.name}\n`, `${host.name}: /srv/victim.conf unchanged`)
}

function smallTree(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'murder-src-'))
  fs.mkdirSync(path.join(root, 'bin'))
  fs.writeFileSync(path.join(root, 'bin/app'), '#!/bin/sh\necho app\n')
  fs.chmodSync(path.join(root, 'bin/app'), 0o755)
  fs.writeFileSync(path.join(root, 'data.txt'), 'data\n'.repeat(5000))
  return root
}

describe('finding 1: links planted under <destination>/.murder', () => {
  let fleet: Fleet
  let source: string

  before(async () => {
    fleet = await createFleet({ hosts: 3, link: { rate: '100mbit' } })
    source = smallTree()
  })
  after(async () => {
    await fleet?.teardown()
    if (source) fs.rmSync(source, { recursive: true, force: true })
  })

  test('the victims survive, a destination someone else owns is refused with what to fix, the other hosts complete', async () => {
    const [owned, planted, clean] = fleet.hosts as [FleetHost, FleetHost, FleetHost]
    const destination = '/srv/app'
    const at = (host: FleetHost, relative = ''): string => path.join(host.srvDir, 'app', relative)

    // The object ids of this build (the same build and key give the same ids): a first deploy to the clean host.
    const first = await runAction(fleet, { path: source, tag: 'probe', destination, hosts: label(clean), deadline: '60s' })
    assert.equal(first.code, 0, transcript(first))
    const ids = (JSON.parse(fs.readFileSync(at(clean, '.murder/probe.json'), 'utf8')) as { objects: string[] }).objects
    assert.ok(ids.length > 0)

    for (const host of [owned, planted]) plantVictims(host)
    // `owned`: an app directory another user (uid 65534) owns, as www-data owns a web root; that
    // user planted links where the agent keeps its work.
    fs.mkdirSync(at(owned, '.murder'), { recursive: true })
    fs.symlinkSync('/srv/victim', at(owned, '.murder/incoming'))
    fs.symlinkSync('/srv/victim2', at(owned, '.murder/payloads'))
    fs.symlinkSync('/srv/victim3', at(owned, '.murder/objects'))
    fs.chownSync(at(owned, '.murder'), 65534, 65534)
    fs.chownSync(at(owned), 65534, 65534)
    // `planted`: a root-owned destination where links were left all the same (an earlier, looser
    // setup): a leftover "download" of a dead agent that is a link to a file, a dead agent's
    // directory that is a link, and the legacy payloads directory as a link.
    fs.mkdirSync(at(planted, '.murder/incoming/999999/objects'), { recursive: true, mode: 0o700 })
    for (const id of ids) fs.symlinkSync('/srv/victim.conf', at(planted, `.murder/incoming/999999/objects/${id}`))
    fs.symlinkSync('/srv/victim3', at(planted, '.murder/incoming/999998'))
    fs.symlinkSync('/srv/victim2', at(planted, '.murder/payloads'))

    const run = await runAction(fleet, { path: source, tag: 'v1', destination, deadline: '60s', 'max-failed-hosts': '1' })
    for (const host of [owned, planted]) assertVictimsIntact(host)
    assert.equal(run.code, 0, transcript(run))
    assert.deepEqual(JSON.parse(run.outputs['failed-hosts']!), [label(owned)], transcript(run))
    const refused = hostEntry(readReport(run), label(owned)).error ?? ''
    assert.match(refused, /^UNSAFE_DESTINATION: /, refused)
    assert.match(refused, /\/srv\/app is owned by uid 65534/, refused)
    assert.match(refused, /chown/, 'the error says what to fix')
    for (const host of [planted, clean]) assert.deepEqual(treeManifest(at(host, 'v1')), treeManifest(source), `${host.name} holds the release`)
    assert.equal(fs.lstatSync(at(planted, '.murder/payloads'), { throwIfNoEntry: false }), undefined, 'the legacy payloads link is gone, not followed')
    assert.deepEqual(fs.readdirSync(at(planted, '.murder/incoming')), [], 'the planted leftovers are gone')
  })
})

describe('finding 3: setuid and world-writable entries in the build', () => {
  let fleet: Fleet
  let source: string

  before(async () => {
    fleet = await createFleet({ hosts: 2, link: { rate: '100mbit' } })
    source = smallTree()
    fs.writeFileSync(path.join(source, 'bin/escalate'), '#!/bin/sh\nid\n')
    fs.chmodSync(path.join(source, 'bin/escalate'), 0o4755)
    fs.writeFileSync(path.join(source, 'open.conf'), 'anyone may edit me\n')
    fs.chmodSync(path.join(source, 'open.conf'), 0o666)
    fs.mkdirSync(path.join(source, 'spool'))
    fs.chmodSync(path.join(source, 'spool'), 0o777)
  })
  after(async () => {
    await fleet?.teardown()
    if (source) fs.rmSync(source, { recursive: true, force: true })
  })

  const modeOn = (host: FleetHost, tag: string, relative: string): number => fs.lstatSync(path.join(host.srvDir, 'releases', tag, relative)).mode & 0o7777

  test('by default they land without setuid and without write for others, and the log names them', async () => {
    const run = await runAction(fleet, { path: source, tag: 'modes-1', deadline: '60s' })
    assert.equal(run.code, 0, transcript(run))
    for (const host of fleet.hosts) {
      assert.equal(modeOn(host, 'modes-1', 'bin/escalate'), 0o755, `${host.name}: no setuid`)
      assert.equal(modeOn(host, 'modes-1', 'open.conf'), 0o664, `${host.name}: not writable by others`)
      assert.equal(modeOn(host, 'modes-1', 'spool'), 0o775, `${host.name}: not writable by others`)
      assert.equal(modeOn(host, 'modes-1', 'bin/app'), 0o755, `${host.name}: ordinary modes kept`)
    }
    assert.match(run.stdout, /::warning::3 entries had setuid, setgid or write-for-others bits; they were removed: bin\/escalate \(4755 → 755\), open\.conf \(666 → 664\), spool \(777 → 775\)\./, transcript(run))
  })

  test('preserve-special-modes: true keeps them exactly', async () => {
    const run = await runAction(fleet, { path: source, tag: 'modes-2', deadline: '60s', 'preserve-special-modes': 'true' })
    assert.equal(run.code, 0, transcript(run))
    for (const host of fleet.hosts) {
      assert.equal(modeOn(host, 'modes-2', 'bin/escalate'), 0o4755, host.name)
      assert.equal(modeOn(host, 'modes-2', 'open.conf'), 0o666, host.name)
      assert.equal(modeOn(host, 'modes-2', 'spool'), 0o777, host.name)
    }
    assert.doesNotMatch(run.stdout, /setuid, setgid or write-for-others/)
  })
})

describe('finding 2: outsiders on the fleet\'s network', () => {
  let fleet: Fleet
  let source: string

  before(async () => {
    // host1, host2: the fleet, on slow links so the swarm lives a few seconds; host3: the outsider.
    fleet = await createFleet({ hosts: [{ rate: '8mbit' }, { rate: '8mbit' }, { rate: '100mbit' }], link: { rate: '100mbit' } })
    source = smallTree()
    fs.writeFileSync(path.join(source, 'blob.bin'), randomBytes(3 * 1024 * 1024))
  })
  after(async () => {
    await fleet?.teardown()
    if (source) fs.rmSync(source, { recursive: true, force: true })
  })

  /** Starts a deploy to host1 and host2; once the log names the swarm, runs the intruder on host3 with `args`. */
  async function deployWithIntruder(tag: string, inputs: Record<string, string>, intruder: (swarm: { announce: string; infoHash: string; seederPort: string }) => string[]) {
    const [first, second, outsider] = fleet.hosts as [FleetHost, FleetHost, FleetHost]
    const action = startAction(fleet, { path: source, tag, hosts: `${label(first)}\n${label(second)}`, deadline: '90s', 'compression-level': '0', ...inputs })
    let stdout = ''
    action.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    const until = Date.now() + 60_000
    let match: RegExpExecArray | null = null
    while (Date.now() < until && !(match = /Tracker (\S+), seeder on \S+ port (\d+), info hash ([0-9a-f]{40})/.exec(stdout))) await sleep(100)
    assert.ok(match, `the action announced its swarm:\n${stdout}`)
    const [, announce, seederPort, infoHash] = match
    const spy = await new Promise<string>((resolve) => {
      const child = spawn('ip', ['netns', 'exec', outsider.netns, NODE24, '--import', 'tsx', path.join(REPO, 'test/e2e/intruder.ts'), ...intruder({ announce: announce!, infoHash: infoHash!, seederPort: seederPort! })], {
        cwd: REPO,
        timeout: 90_000,
      })
      let out = ''
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()))
      child.on('close', () => resolve(out))
    })
    const run = await action.done
    assert.equal(run.code, 0, transcript(run))
    for (const host of [first, second]) assert.deepEqual(treeManifest(path.join(host.srvDir, 'releases', tag)), treeManifest(source), `${host.name} holds the release`)
    const line = spy.trim().split('\n').pop() ?? '{}'
    let result: Record<string, unknown>
    try {
      result = JSON.parse(line) as Record<string, unknown>
    } catch {
      assert.fail(`the intruder printed no result:\n${spy}`)
    }
    return { run, result, addresses: [first.address, second.address], outsider: outsider.address }
  }

  test('an outsider can neither scrape the tracker, announce to it, nor reach the seeder', async () => {
    const { result } = await deployWithIntruder('outsider-1', {}, ({ announce, infoHash, seederPort }) => ['probe', announce, infoHash, new URL(announce).hostname, seederPort])
    assert.equal(result.scrape, 404, JSON.stringify(result))
    assert.equal(result.scrapeOurs, 404, JSON.stringify(result))
    assert.match(String(result.announce), /failure reason.*not a host of this deploy/, JSON.stringify(result))
    assert.deepEqual(result.peers, [], 'the tracker told it of no peer')
    assert.equal(result.seeder, 'refused', 'the seeder closed its connection before any handshake')
  })

  test('with a seeder host, an outsider can neither scrape nor announce to its tracker, nor reach its seeder', async () => {
    const seederHost = fleet.hosts[0]!
    // New bytes, so that the swarm lives while the intruder probes (the hosts' stores hold the last test's objects).
    fs.writeFileSync(path.join(source, 'blob.bin'), randomBytes(6 * 1024 * 1024))
    const { run, result } = await deployWithIntruder('outsider-origin', { 'seeder-host': label(seederHost) }, ({ announce, infoHash, seederPort }) => [
      'probe',
      announce,
      infoHash,
      new URL(announce).hostname,
      seederPort,
    ])
    assert.match(run.stdout, new RegExp(`Tracker http://${seederHost.address.replace(/\./g, '\\.')}:\\d+/announce, seeder on ${label(seederHost)} `), 'the tracker and the seeder ran on the seeder host')
    assert.equal(result.scrape, 404, JSON.stringify(result))
    assert.match(String(result.announce), /failure reason.*not a host of this deploy/, JSON.stringify(result))
    assert.deepEqual(result.peers, [], 'the seeder host\'s tracker told it of no peer')
    assert.equal(result.seeder, 'refused', 'the seeder host\'s seeder closed its connection before any handshake')
  })

  test('with swarm-allow-any-peer, a peer sending garbage is dropped and not let back in; the deploy completes', async () => {
    // New bytes: the hosts' stores hold the last test's objects, and a host with nothing to download asks the poisoner for nothing.
    fs.writeFileSync(path.join(source, 'blob.bin'), randomBytes(3 * 1024 * 1024))
    const { run, result, addresses, outsider } = await deployWithIntruder('outsider-2', { 'swarm-allow-any-peer': 'true' }, ({ announce, infoHash }) => ['poison', announce, infoHash, '25', '10'])
    assert.match(run.stdout, /::warning::swarm-allow-any-peer is on/, transcript(run))
    const byPeer = result.byPeer as Record<string, PeerOutcome>
    const attacked = Object.entries(byPeer).filter(([peer, outcome]) => addresses.some((address) => peer.startsWith(`${address}:`)) && outcome.blocksSent > 0)
    assert.ok(attacked.length > 0, `the poisoner did send garbage to a host: ${JSON.stringify(byPeer)}`)
    for (const [peer, outcome] of attacked) {
      assert.ok(outcome.refused > 0, `${peer} refused the poisoner once it had dropped it: ${JSON.stringify(outcome)}`)
      assert.equal(outcome.letBackIn, 0, `${peer} never let it back in: ${JSON.stringify(outcome)}`)
    }
    assert.ok(run.stdout.includes(`dropped peer ${outsider} for good: it sent piece`), `the hosts said whom they dropped\n${transcript(run)}`)
    const droppedOthers = run.stdout.split('\n').filter((line) => /dropped peer/.test(line) && !line.includes(`dropped peer ${outsider} `))
    assert.deepEqual(droppedOthers, [], 'no honest peer (a host, the seeder) was dropped')
    console.log(`poisoned deploy: ${run.seconds.toFixed(1)} s; the poisoner: ${JSON.stringify(byPeer)}`)
  })
})
