/**
 * Issue 4's faults that strike while the payload is moving, each on a real fleet: a link cut and an
 * agent killed mid-transfer, a lossy slow network, a straggler that cannot meet the deadline, and
 * the runner cancelling the step. Links are shaped so the transfer to the victims lasts long enough
 * to act mid-way; the tests act once the victims' downloads have really started (bytes on their disk).
 *
 * In every case: the healthy hosts end byte-identical, the verdict is right, each failed host is
 * named with a reason a person can act on, and no process of the deploy is left on any host.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { deployPolicy } from '../../src/policy.js'
import type { Fleet } from '../lab/fleet.js'
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
  sleep,
  transcript,
  waitFor,
  workdirsLeft,
} from './faults.helpers.js'

describe('a link cut and an agent killed mid-transfer', () => {
  let fleet: Fleet
  let source: string

  before(async () => {
    // The two victims download over 4 Mbit/s (~17 s for the 8 MB payload): time to act mid-way.
    fleet = await createTestFleet({ hosts: [{}, {}, { rate: '4mbit' }, { rate: '4mbit' }], link: { rate: '100mbit' } })
    source = makeSourceTree(8 * 1024 * 1024)
  })
  after(async () => {
    await fleet?.teardown()
    if (source) fs.rmSync(source, { recursive: true, force: true })
  })

  test('both fail with their reasons, the others complete, the cut-off agent exits by itself', async (t) => {
    const [, , severed, killed] = fleet.hosts as [never, never, (typeof fleet.hosts)[0], (typeof fleet.hosts)[0]]
    const action = startAction(fleet, { path: source, tag: 'midway-1', deadline: '120s', 'compression-level': '0' })
    let exited = false
    void action.done.then(() => (exited = true))
    await waitFor('both victims to be downloading', 60_000, () => exited || (incomingBytes(severed) > 1 << 20 && incomingBytes(killed) > 1 << 20))
    assert.equal(exited, false, 'the action is still running')

    const victimPid = await waitFor('the agent pid on the victim', 5_000, () => agentPids(fleet, killed)[0])
    const cutAt = Date.now()
    await fleet.cut(severed)
    const kill = await fleet.execOnHost(killed, `kill -9 ${victimPid}`)
    assert.equal(kill.code, 0, kill.stderr)

    // Cut off, the agent hears nothing from the controller: it must stop by itself (policy.ts: 30 s)
    // — well before anyone could reach it.
    const silence = deployPolicy(4, 120_000).agent.heartbeatTimeoutMs
    await waitFor('the cut-off agent to exit by itself', silence + 10_000, () => agentPids(fleet, severed).length === 0, 250)
    t.diagnostic(`the cut-off agent exited ${((Date.now() - cutAt) / 1000).toFixed(1)} s after the cut`)

    const run = await action.done
    t.diagnostic(`verdict ${((Date.now() - cutAt) / 1000).toFixed(1)} s after the cut`)
    const lingering = fleet.hostPids(severed).map(commandLine)
    t.diagnostic(`on the cut host at the verdict: ${JSON.stringify(lingering)}`)
    await fleet.restore(severed) // only now: the controller has given up on it
    assert.equal(run.code, 1, transcript(run))
    assert.deepEqual(JSON.parse(run.outputs['failed-hosts']!), [label(severed), label(killed)], transcript(run))
    assert.equal(run.outputs['hosts-succeeded'], '2')
    const report = readReport(run)
    const severedError = hostEntry(report, label(severed)).error!
    const killedError = hostEntry(report, label(killed)).error!
    t.diagnostic(`cut: ${severedError}`)
    t.diagnostic(`killed: ${killedError}`)
    assert.match(severedError, /lost the SSH connection/, severedError)
    assert.match(severedError, /network|unreachable/, severedError)
    assert.match(killedError, /the agent was killed by SIGKILL/, killedError)
    assertLogNames(run, label(severed), 'lost the SSH connection')
    assertLogNames(run, label(killed), 'killed by SIGKILL')

    assertIdentical(fleet.hosts.slice(0, 2), 'midway-1', source)
    for (const host of [severed, killed]) assert.equal(fs.existsSync(releaseDir(host, 'midway-1')), false, `${host.name}: no release under the final name`)
    assert.deepEqual(incoming(severed), [], 'the cut-off agent removed its partial download before exiting')
    // The cut host's sshd session only learns its client is gone when its retransmissions reach the
    // runner again (and meet a reset): after the restore, within its TCP retransmission back-off.
    const restoredAt = Date.now()
    assert.deepEqual(await leftoverProcesses(fleet, 60_000), {}, 'no process of the deploy is left on any host')
    t.diagnostic(`hosts clear ${((Date.now() - restoredAt) / 1000).toFixed(1)} s after the restore; left on the killed host: ${JSON.stringify(incoming(killed))}`)
  })
})

describe('5 % loss and 50 ms delay on every link', () => {
  let fleet: Fleet
  let source: string

  before(async () => {
    fleet = await createTestFleet({ hosts: 4, link: { rate: '100mbit', delay: '50ms', loss: '5%' } })
    source = makeSourceTree(2 * 1024 * 1024)
  })
  after(async () => {
    await fleet?.teardown()
    if (source) fs.rmSync(source, { recursive: true, force: true })
  })

  test('the deploy still completes within its deadline', async (t) => {
    t.diagnostic(`delay backend: ${fleet.delayBackend}`)
    const run = await runAction(fleet, { path: source, tag: 'lossy-1', deadline: '180s' }, { timeoutMs: 240_000 })
    assert.equal(run.code, 0, transcript(run))
    assert.equal(run.outputs['hosts-succeeded'], '4')
    t.diagnostic(`deployed in ${run.outputs['duration-seconds']} s`)
    assertIdentical(fleet.hosts, 'lossy-1', source)
    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left on any host')
  })
})

describe('a host whose first agent install outlasts the SSH keepalive window', () => {
  let fleet: Fleet
  let source: string

  before(async () => {
    // 32 kbit/s (4 KB/s): the 0.24 MB agent takes ~60 s to cross. Written in one go, it sat ahead of
    // the SSH keepalives, whose replies then came too late (30 s) and the live host was dropped as dead.
    fleet = await createTestFleet({ hosts: [{}, { rate: '32kbit' }], link: { rate: '100mbit' } })
    source = makeSourceTree(16 * 1024)
  })
  after(async () => {
    await fleet?.teardown()
    if (source) fs.rmSync(source, { recursive: true, force: true })
  })

  test('is slow, not dead: the agent installs and the host is deployed', async (t) => {
    const slow = fleet.hosts[1]!
    const run = await runAction(fleet, { path: source, tag: 'slow-link-1', deadline: '180s' }, { timeoutMs: 240_000 })
    assert.equal(run.code, 0, transcript(run))
    assert.equal(run.outputs['hosts-succeeded'], '2')
    const seconds = hostEntry(readReport(run), label(slow)).seconds!
    t.diagnostic(`the host on 32 kbit/s was done after ${seconds} s`)
    assert.ok(seconds > 40, `the install really outlasted the keepalive window (${seconds} s)`)
    assertIdentical(fleet.hosts, 'slow-link-1', source)
    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left on any host')
  })
})

describe('the SSH connection drops while the agent is being sent', () => {
  let fleet: Fleet
  let source: string

  before(async () => {
    // 256 kbit/s: the 0.24 MB agent takes ~8 s to cross, time to cut its connection mid-way.
    fleet = await createTestFleet({ hosts: [{}, { rate: '256kbit' }], link: { rate: '100mbit' } })
    source = makeSourceTree(16 * 1024)
  })
  after(async () => {
    await fleet?.teardown()
    if (source) fs.rmSync(source, { recursive: true, force: true })
  })

  test('a new connection sends it again, and the host is deployed', async (t) => {
    const slow = fleet.hosts[1]!
    const action = startAction(fleet, { path: source, tag: 'redial-1', deadline: '120s' })
    let exited = false
    void action.done.then(() => (exited = true))
    // The installing node on the host (its argv holds the expanded <agent>.tmp.<pid>; the shell's holds
    // "$$"), under the shell, under the sshd process serving the connection.
    const installer = await waitFor('the agent install to be under way', 30_000, () => {
      if (exited) return undefined
      return fleet.hostPids(slow).find((pid) => /\.mjs\.tmp\.\d+/.test(commandLine(pid)))
    })
    const sshd = parentOf(parentOf(installer))
    assert.match(commandLine(sshd), /^sshd/, `the installer's grandparent is its sshd session: ${commandLine(sshd)}`)
    process.kill(sshd, 'SIGKILL')

    const run = await action.done
    assert.equal(run.code, 0, transcript(run))
    assert.equal(run.outputs['hosts-succeeded'], '2')
    // Said in the log as it happens (not a debug line): the host succeeded, but its link dropped once.
    const redial = run.stdout.split('\n').find((line) => line.startsWith(`${label(slow)}: `) && line.includes('connecting again'))
    t.diagnostic(redial ?? '(no line)')
    // sshd's end comes as a close or a reset, whichever the kernel sends for unread data.
    assert.match(redial ?? '', /lost the SSH connection while sending the agent \((sshd closed it|read ECONNRESET)\).*; connecting again \(attempt 2 of 5\)$/, transcript(run))
    assertIdentical(fleet.hosts, 'redial-1', source)
    const agentDir = path.join(slow.rootDir, '.murder-action')
    assert.deepEqual(fs.readdirSync(agentDir).filter((name) => name.includes('.tmp.')), [], 'no half-sent agent left')
    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left on any host')
  })
})

describe('a straggler on a 1 Mbit/s link', () => {
  let fleet: Fleet
  let source: string

  before(async () => {
    fleet = await createTestFleet({ hosts: [{}, {}, {}, { rate: '1mbit' }], link: { rate: '100mbit' } })
    // 4 MB (+ the 0.8 MB agent): 40+ s at 1 Mbit/s, against a 30 s deadline; a few seconds on 100 Mbit/s.
    source = makeSourceTree(4 * 1024 * 1024)
  })
  after(async () => {
    await fleet?.teardown()
    if (source) fs.rmSync(source, { recursive: true, force: true })
  })

  test('misses the deadline: the step fails naming it', async (t) => {
    const straggler = fleet.hosts[3]!
    const run = await runAction(fleet, { path: source, tag: 'straggler-1', deadline: '30s', 'compression-level': '0' })
    assert.equal(run.code, 1, transcript(run))
    assert.deepEqual(JSON.parse(run.outputs['failed-hosts']!), [label(straggler)])
    const error = hostEntry(readReport(run), label(straggler)).error!
    t.diagnostic(error)
    assert.match(error, /missed the 30 s deadline \(had \d+ % of the payload\)/)
    assertLogNames(run, label(straggler), 'missed the 30 s deadline')
    assertIdentical(fleet.hosts.slice(0, 3), 'straggler-1', source)
    assert.equal(fs.existsSync(releaseDir(straggler, 'straggler-1')), false)
    assert.deepEqual(incoming(straggler), [], 'the stopped agent removed its partial download')
    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left on any host')
  })

  test('with max-failed-hosts: 1 the step passes, with a warning naming it', async () => {
    const straggler = fleet.hosts[3]!
    const run = await runAction(fleet, { path: source, tag: 'straggler-2', deadline: '30s', 'compression-level': '0', 'max-failed-hosts': '1' })
    assert.equal(run.code, 0, transcript(run))
    assert.deepEqual(JSON.parse(run.outputs['failed-hosts']!), [label(straggler)])
    assert.equal(run.outputs['hosts-failed'], '1')
    const warning = run.stdout.split('\n').find((line) => line.startsWith('::warning::') && line.includes(label(straggler)))
    assert.ok(warning, `a ::warning:: line names ${label(straggler)}\n${transcript(run)}`)
    assert.match(warning, /within max-failed-hosts \(1\)/)
    assert.match(warning, /missed the 30 s deadline/)
    assert.doesNotMatch(run.stdout, /^::error::/m, 'no error: the step passed')
    assertIdentical(fleet.hosts.slice(0, 3), 'straggler-2', source)
    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left on any host')
  })
})

describe('the runner cancels the step mid-transfer', () => {
  let fleet: Fleet
  let source: string

  before(async () => {
    // Every host downloads over 4 Mbit/s: the 8 MB transfer lasts ~17 s.
    fleet = await createTestFleet({ hosts: 3, link: { rate: '4mbit' }, runnerLink: { rate: '100mbit' } })
    source = makeSourceTree(8 * 1024 * 1024)
  })
  after(async () => {
    await fleet?.teardown()
    if (source) fs.rmSync(source, { recursive: true, force: true })
  })

  test('SIGINT, then SIGTERM 7.5 s later: it exits in time, stops every agent, and the post step leaves nothing', async (t) => {
    const action = startAction(fleet, { path: source, tag: 'cancel-1', deadline: '120s', 'compression-level': '0' })
    // `ip netns exec` execs the command in place (no fork): the child IS node, signals reach it directly.
    assert.match(fs.readFileSync(`/proc/${action.child.pid}/cmdline`, 'utf8'), /node/)
    let exitedAt = 0
    void action.done.then(() => (exitedAt = Date.now()))
    await waitFor('a host to be downloading', 60_000, () => exitedAt > 0 || fleet.hosts.some((host) => incomingBytes(host) > 1 << 20))
    assert.equal(exitedAt, 0, 'still running when cancelled')

    const interruptedAt = Date.now()
    action.child.kill('SIGINT')
    await Promise.race([action.done, sleep(7_500)])
    if (exitedAt === 0) action.child.kill('SIGTERM')
    // The runner kills 2.5 s after SIGTERM: the process must be gone by then, by itself.
    const run = await Promise.race([action.done, sleep(2_500).then(() => undefined)])
    assert.ok(run, 'the action exited before the runner would kill it (10 s after SIGINT)')
    t.diagnostic(`exited ${((exitedAt - interruptedAt) / 1000).toFixed(1)} s after SIGINT`)
    assert.equal(run.signal, null, transcript(run))
    assert.equal(run.code, 1, transcript(run))
    assert.match(run.stdout, /::warning::Received SIGINT/)
    assert.match(run.stdout, /::error::The deploy was cancelled/)

    const left = await leftoverProcesses(fleet, 15_000)
    assert.deepEqual(left, {}, 'no agent (no process of the deploy) alive on any host 15 s later')
    for (const host of fleet.hosts) {
      assert.equal(fs.existsSync(releaseDir(host, 'cancel-1')), false, `${host.name}: no cancel-1 under its final name`)
      assert.deepEqual(incoming(host), [], `${host.name}: no partial download left`)
    }

    const post = await startAction(fleet, {}, { entry: 'dist/post/index.js', stateFrom: run, timeoutMs: 30_000 }).done
    assert.equal(post.code, 0, transcript(post))
    assert.deepEqual(workdirsLeft(post), [], 'no murder-action-* work directory in RUNNER_TEMP')
  })

  test('killed outright (the runner\'s last resort): the agents stop by themselves and the post step removes the work directory', async (t) => {
    const action = startAction(fleet, { path: source, tag: 'cancel-2', deadline: '120s', 'compression-level': '0' })
    let exited = false
    void action.done.then(() => (exited = true))
    await waitFor('a host to be downloading', 60_000, () => exited || fleet.hosts.some((host) => incomingBytes(host) > 1 << 20))
    assert.equal(exited, false, 'still running when killed')
    const killedAt = Date.now()
    action.child.kill('SIGKILL')
    const run = await action.done
    assert.equal(run.signal, 'SIGKILL')
    assert.ok(run.state.workdir, 'the main step saved its work directory for the post step')
    assert.equal(fs.existsSync(run.state.workdir!), true, 'killed, the main step could not remove its work directory')

    const left = await leftoverProcesses(fleet, 20_000)
    t.diagnostic(`hosts clear ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`)
    assert.deepEqual(left, {}, 'no process of the deploy left on any host')
    for (const host of fleet.hosts) assert.deepEqual(incoming(host), [], `${host.name}: no partial download left`)

    const post = await startAction(fleet, {}, { entry: 'dist/post/index.js', stateFrom: run, timeoutMs: 30_000 }).done
    assert.equal(post.code, 0, transcript(post))
    assert.match(post.stdout, /Removed .*murder-action-.*, left by the main step/)
    assert.deepEqual(workdirsLeft(post), [], 'no murder-action-* work directory in RUNNER_TEMP')
    assert.equal(fs.existsSync(path.join(run.runnerTemp, path.basename(run.state.workdir!))), false)
  })
})
