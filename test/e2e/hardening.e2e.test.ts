/**
 * Hardening, end to end on a small fleet: what a local user on a host, or a build step, could make
 * a deploy do, and what the action now does instead. Each test plants the attack the way a person
 * would (links under <destination>/.murder, a directory someone else owns) and checks that the
 * files it aimed at survive and the other hosts complete.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { createFleet, type Fleet, type FleetHost } from '../lab/fleet.js'
import { runAction, treeManifest } from './harness.js'
import { hostEntry, label, readReport, transcript } from './faults.helpers.js'

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
