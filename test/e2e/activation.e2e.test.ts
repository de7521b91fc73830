/**
 * Activation end to end on a real fleet: the release distributed through the swarm, then made live
 * in batches over SSH by the agent's activation mode — health checks, a host that fails, rollback,
 * kept releases, shared paths, a rollback by re-deploying an older tag, a hanging check, and a lost
 * connection. Six hosts, batches of two, payloads of a few KB: the whole file runs in a few minutes.
 * Each test builds on the hosts' state the one before left (as successive deploys of an app would).
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { createFleet, type Fleet, type FleetHost } from '../lab/fleet.js'
import { leftoverProcesses, runAction, startAction, type ActionRun } from './harness.js'
import { assertLogNames, label, readReport, transcript } from './faults.helpers.js'

const HEALTH_CHECK = 'test "$(cat "$MURDER_RELEASE_DIR/version")" = "$MURDER_TAG" && test ! -e /srv/unhealthy && { test ! -e /srv/hang || { touch /srv/checking; sleep 600; }; }'
const ACTIVATE_COMMAND = 'echo "$MURDER_TAG from=$MURDER_PREVIOUS_TAG rollback=${MURDER_ROLLBACK:-no}" >> /srv/activations.log'

describe('activation on 6 hosts in batches of 2', () => {
  let fleet: Fleet
  const builds = new Map<string, string>()

  /** A tiny build whose `version` file names its tag (the health check reads it). */
  function build(tag: string): string {
    const existing = builds.get(tag)
    if (existing !== undefined) return existing
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `murder-activation-${tag}-`))
    fs.writeFileSync(path.join(dir, 'version'), tag)
    fs.mkdirSync(path.join(dir, 'config'))
    fs.writeFileSync(path.join(dir, 'config/defaults.conf'), `built as ${tag}\n`)
    fs.writeFileSync(path.join(dir, 'blob.bin'), randomBytes(48 * 1024))
    builds.set(tag, dir)
    return dir
  }

  function deploy(tag: string, inputs: Record<string, string> = {}): Promise<ActionRun> {
    return runAction(fleet, {
      path: build(tag),
      tag,
      deadline: '60s',
      activate: 'true',
      'batch-size': '2',
      'activate-command': ACTIVATE_COMMAND,
      'health-check': HEALTH_CHECK,
      'health-timeout': '4s',
      'shared-paths': 'config/app.conf',
      ...inputs,
    })
  }

  const releases = (host: FleetHost): string => path.join(host.srvDir, 'releases')
  const live = (host: FleetHost): string | null => {
    const link = path.join(releases(host), 'current')
    return fs.lstatSync(link, { throwIfNoEntry: false }) ? path.basename(fs.readlinkSync(link)) : null
  }
  const activations = (host: FleetHost): string[] => {
    const log = path.join(host.srvDir, 'activations.log')
    return fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []
  }
  const clearLogs = (): void => {
    for (const host of fleet.hosts) fs.rmSync(path.join(host.srvDir, 'activations.log'), { force: true })
  }

  before(async () => {
    fleet = await createFleet({ hosts: 6, link: { rate: '200mbit' } })
    // Configuration that lives on the hosts, outside every artifact: different on each host.
    for (const host of fleet.hosts) {
      fs.mkdirSync(path.join(releases(host), 'shared/config'), { recursive: true })
      fs.writeFileSync(path.join(releases(host), 'shared/config/app.conf'), `secret of ${host.name}\n`)
    }
  })
  after(async () => {
    await fleet?.teardown()
    for (const dir of builds.values()) fs.rmSync(dir, { recursive: true, force: true })
  })

  test('v1 then v2 go live batch by batch after a passing health check; shared paths are linked', async () => {
    const first = await deploy('v1')
    assert.equal(first.code, 0, transcript(first))
    assert.equal(first.outputs['hosts-activated'], '6')
    assert.equal(first.outputs['rolled-back'], 'false')
    assert.equal(first.outputs['previous-tag'], '')
    const second = await deploy('v2')
    assert.equal(second.code, 0, transcript(second))
    assert.equal(second.outputs['hosts-activated'], '6')
    assert.equal(second.outputs['previous-tag'], 'v1')
    for (const host of fleet.hosts) {
      assert.equal(live(host), 'v2', host.name)
      assert.deepEqual(activations(host), ['v1 from= rollback=no', 'v2 from=v1 rollback=no'], host.name)
      const linked = path.join(releases(host), 'v2/config/app.conf')
      assert.equal(fs.readlinkSync(linked), '/srv/releases/shared/config/app.conf')
      assert.equal(fs.readFileSync(path.join(releases(host), 'shared/config/app.conf'), 'utf8'), `secret of ${host.name}\n`)
    }
    // One summary row per batch: hosts, seconds, result.
    for (const [index, pair] of [[1, 2], [3, 4], [5, 6]].entries()) {
      const hosts = pair.map((n) => label(fleet.hosts[n - 1]!)).join(', ')
      assert.match(second.summary, new RegExp(`\\| ${index + 1} \\| ${hosts.replace(/\./g, '\\.')} \\| [\\d.]+ \\| ✅ live \\|`), second.summary)
    }
    // Batches follow the host order: no host of batch 2 was switched before every host of batch 1 was healthy.
    const report = readReport(second)
    assert.deepEqual(report.activation!.batches.map((batch) => batch.result), ['activated', 'activated', 'activated'])
  })

  test('a host unhealthy in batch 2 of 3: the step fails naming it, batches 1-2 are back on v2, batch 3 never switched', async () => {
    clearLogs()
    const [, , third] = fleet.hosts
    fs.writeFileSync(path.join(third!.srvDir, 'unhealthy'), '')
    try {
      const run = await deploy('v3')
      assert.equal(run.code, 1, transcript(run))
      assertLogNames(run, label(third!), /activation failed: HEALTH_FAILED: the health check did not pass within 4 s/)
      assert.deepEqual(JSON.parse(run.outputs['failed-hosts']!), [label(third!)])
      assert.equal(run.outputs['rolled-back'], 'true')
      assert.equal(run.outputs['hosts-activated'], '0')
      assert.equal(run.outputs['previous-tag'], 'v2')
      for (const host of fleet.hosts) assert.equal(live(host), 'v2', `${host.name} is on v2`)
      for (const host of fleet.hosts.slice(0, 4)) assert.deepEqual(activations(host), ['v3 from=v2 rollback=no', 'v2 from=v3 rollback=true'], host.name)
      for (const host of fleet.hosts.slice(4)) assert.deepEqual(activations(host), [], `${host.name} (batch 3) was never switched`)
      assert.ok(fs.existsSync(path.join(releases(fleet.hosts[5]!), 'v3/version')), 'v3 was distributed to every host all the same')
      assert.deepEqual(readReport(run).activation!.batches.map((batch) => batch.result), ['rolled back', 'rolled back', 'not run'])
      assert.match(run.summary, /\| 3 \| [^|]+ \| – \| ⏸️ not switched \|/)
    } finally {
      fs.rmSync(path.join(third!.srvDir, 'unhealthy'), { force: true })
    }
  })

  test('keep-releases 2: v4 goes live, v2 (the one it replaced) stays, v1 and v3 go with the objects only they used', async () => {
    const run = await deploy('v4', { 'keep-releases': '2' })
    assert.equal(run.code, 0, transcript(run))
    for (const host of fleet.hosts) {
      assert.equal(live(host), 'v4')
      assert.deepEqual(fs.readdirSync(releases(host)).sort(), ['.murder', 'current', 'shared', 'v2', 'v4'], host.name)
      const kept = ['v2', 'v4'].flatMap((tag) => JSON.parse(fs.readFileSync(path.join(releases(host), `.murder/${tag}.json`), 'utf8')).objects as string[])
      assert.deepEqual(fs.readdirSync(path.join(releases(host), '.murder/objects')).sort(), [...new Set(kept)].sort(), `${host.name}: the store holds exactly the kept releases' objects`)
      // The link is absolute on the host (/srv/…): read it from outside through the host's own /srv.
      assert.equal(fs.readlinkSync(path.join(releases(host), 'v4/config/app.conf')), '/srv/releases/shared/config/app.conf')
      assert.equal(fs.readFileSync(path.join(releases(host), 'shared/config/app.conf'), 'utf8'), `secret of ${host.name}\n`, 'the shared file survived the deploys')
    }
  })

  test('a re-run of v4: the shared links are not taken for an edit, nothing is transferred', async () => {
    const run = await deploy('v4', { 'keep-releases': '2' })
    assert.equal(run.code, 0, transcript(run))
    assert.ok(readReport(run).hosts.every((host) => host.result === 'already present'), JSON.stringify(readReport(run).hosts))
  })

  test('re-deploying v2 is the rollback: no transfer, every host switched back in batches', async () => {
    clearLogs()
    const run = await deploy('v2', { 'keep-releases': '2' })
    assert.equal(run.code, 0, transcript(run))
    const report = readReport(run)
    assert.ok(report.hosts.every((host) => host.result === 'already present' && host.bytesReceived === 0), JSON.stringify(report.hosts))
    assert.equal(run.outputs['previous-tag'], 'v4')
    assert.equal(run.outputs['hosts-activated'], '6')
    for (const host of fleet.hosts) {
      assert.equal(live(host), 'v2')
      assert.deepEqual(activations(host), ['v2 from=v4 rollback=no'])
      assert.ok(fs.existsSync(path.join(releases(host), 'v4')), 'v4, the release it replaced, is kept')
    }
  })

  test('a hanging health check is cut at health-timeout and leaves no process behind', async () => {
    const [first] = fleet.hosts
    fs.writeFileSync(path.join(first!.srvDir, 'hang'), '')
    try {
      const run = await deploy('v4', { 'keep-releases': '2' })
      assert.equal(run.code, 1, transcript(run))
      assertLogNames(run, label(first!), /HEALTH_FAILED: the health check did not pass within 4 s \(1 attempt; the last: killed after 4 s\)/)
      for (const host of fleet.hosts) assert.equal(live(host), 'v2', host.name)
      assert.deepEqual(await leftoverProcesses(fleet, 10_000), {}, 'the check and its sleep are gone')
    } finally {
      fs.rmSync(path.join(first!.srvDir, 'hang'), { force: true })
      fs.rmSync(path.join(first!.srvDir, 'checking'), { force: true })
    }
  })

  test('a connection lost during activation: the step names the host, which puts its previous release back itself', async () => {
    const [, second] = fleet.hosts
    fs.writeFileSync(path.join(second!.srvDir, 'hang'), '')
    try {
      const action = startAction(fleet, {
        path: build('v4'),
        tag: 'v4',
        deadline: '60s',
        activate: 'true',
        'batch-size': '2',
        'activate-command': ACTIVATE_COMMAND,
        'health-check': HEALTH_CHECK,
        'health-timeout': '60s',
        'shared-paths': 'config/app.conf',
      })
      // The check hangs on the second host: then its sshd goes, and the sessions with it.
      const checking = path.join(second!.srvDir, 'checking')
      for (let i = 0; i < 240 && !fs.existsSync(checking); i++) await new Promise((resolve) => setTimeout(resolve, 250))
      assert.ok(fs.existsSync(checking), 'the health check started on the second host')
      await fleet.killSshd(second!)
      for (const pid of fleet.hostPids(second!)) {
        if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sshd') process.kill(pid, 'SIGKILL')
      }
      const run = await action.done
      assert.equal(run.code, 1, transcript(run))
      assertLogNames(run, label(second!), /activation failed: lost the SSH connection during activation/)
      assert.equal(run.outputs['rolled-back'], 'true')
      for (const host of fleet.hosts) assert.equal(live(host), 'v2', `${host.name} is back on v2`)
      assert.deepEqual(await leftoverProcesses(fleet, 10_000), {}, 'the hanging check went with its session')
    } finally {
      fs.rmSync(path.join(second!.srvDir, 'hang'), { force: true })
      fs.rmSync(path.join(second!.srvDir, 'checking'), { force: true })
      await fleet.startSshd(second!)
    }
  })
})
