import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { runFleet, type FleetRun } from '../../../src/fleet/fleet-runner.js'
import { HostSetupError } from '../../../src/fleet/host-link.js'
import { PROTOCOL_VERSION, type AgentJob } from '../../../src/protocol/events.js'
import { parseHostList } from '../../../src/ssh/hosts.js'
import { judge } from '../../../src/verdict/verdict.js'
import { ProgressLine } from '../../../src/report/progress.js'
import { agentError, done, fakeFleet, progress, type HostScript } from './fake-host-link.js'

const job: AgentJob = {
  v: PROTOCOL_VERSION,
  tag: 'v1',
  destination: '/srv/releases',
  torrent: 'dA==',
  pieceLength: 262_144,
  manifest: 'bQ==',
  keepObjects: true,
  seederPeerId: '00'.repeat(20),
  overwrite: false,
  hardCapSeconds: 60,
  progressIntervalMs: 1000,
  heartbeatTimeoutMs: 15_000,
  maxConns: 6,
}

function fleetOf(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `root@h${index + 1}`)
}

interface Run {
  labels: string[]
  scripts: Record<string, HostScript>
  options?: Partial<FleetRun>
}

async function run({ labels, scripts, options = {} }: Run) {
  const fake = fakeFleet(scripts)
  const logs: string[] = []
  const notices: string[] = []
  const started = Date.now()
  const fleet = runFleet({
    hosts: parseHostList(labels.join('\n'), { user: 'root', port: 22 }),
    connect: fake.connect,
    job,
    concurrency: 50,
    transferStart: started,
    deadlineMs: 5000,
    signal: new AbortController().signal,
    log: (message) => logs.push(message),
    notice: (message) => notices.push(message),
    retry: { attempts: 5, minDelayMs: 1, maxDelayMs: 5, minTimeLeftMs: 0 },
    stopGraceMs: 10,
    ...options,
  })
  await fleet.finished
  const byLabel = new Map(fleet.states.map((state) => [state.target.label, state]))
  return { fake, logs, notices, states: fleet.states, byLabel, settledAfterMs: fleet.settledAt() - started }
}

describe('runFleet against fake host links', () => {
  test('every host done: each is settled with its seconds, every agent stopped, the verdict ok', async () => {
    const labels = fleetOf(4)
    const scripts = Object.fromEntries(labels.map((label) => [label, { events: [[5, progress(50, 100)], [5, done(30)]] } as HostScript]))
    const { states, fake } = await run({ labels, scripts })
    assert.deepEqual(states.map((state) => state.phase), ['done', 'done', 'done', 'done'])
    for (const state of states) {
      assert.ok(state.seconds !== undefined && state.seconds > 0, `${state.target.label}: ${state.seconds}`)
      assert.equal(state.fromPeers, 30)
      assert.equal(state.have, 100)
      assert.equal(state.agentExited, true)
    }
    assert.deepEqual([...fake.stopped].sort(), [...labels].sort())
    assert.equal(fake.jobsSeen.length, 4)
    assert.ok(fake.jobsSeen.every((seen) => seen === job))
    assert.equal(judge(states, 0).ok, true)
  })

  test('no more than `concurrency` hosts are set up at once', async () => {
    const labels = fleetOf(12)
    const scripts = Object.fromEntries(labels.map((label) => [label, { startMs: 20, events: [[1, done()]] } as HostScript]))
    const { fake, states } = await run({ labels, scripts, options: { concurrency: 3 } })
    assert.equal(fake.maxInFlight(), 3)
    assert.ok(states.every((state) => state.phase === 'done'))
  })

  test('a dropped handshake is tried again quietly; a connection lost mid-way, loudly', async () => {
    const labels = ['root@quiet', 'root@loud']
    const scripts: Record<string, HostScript> = {
      'root@quiet': { attempts: [new HostSetupError('no SSH answer', 'quietly'), new HostSetupError('no SSH answer', 'quietly')], events: [[1, done()]] },
      'root@loud': { attempts: [new HostSetupError('lost the SSH connection while sending the agent', 'loudly')], events: [[1, done()]] },
    }
    const { fake, byLabel, logs, notices } = await run({ labels, scripts })
    assert.equal(byLabel.get('root@quiet')!.phase, 'done')
    assert.equal(byLabel.get('root@loud')!.phase, 'done')
    assert.equal(fake.linksMade.get('root@quiet'), 3)
    assert.equal(fake.linksMade.get('root@loud'), 2)
    assert.deepEqual(notices, ['root@loud: lost the SSH connection while sending the agent; connecting again (attempt 2 of 5)'])
    assert.ok(logs.includes('root@quiet: no SSH answer; connecting again (attempt 3 of 5)'), logs.join('\n'))
  })

  test('a failure no retry can mend fails the host at once, with its message', async () => {
    const scripts = { 'root@old': { attempts: [new HostSetupError('Node v18.0.0 on the host is too old', 'never')] } }
    const { fake, byLabel } = await run({ labels: ['root@old'], scripts })
    assert.equal(fake.linksMade.get('root@old'), 1)
    assert.equal(byLabel.get('root@old')!.phase, 'failed')
    assert.equal(byLabel.get('root@old')!.error, 'Node v18.0.0 on the host is too old')
    assert.equal(byLabel.get('root@old')!.agentExited, true)
  })

  test('retries are bounded: the host fails after `attempts` links with the last reason', async () => {
    const down = new HostSetupError('nothing accepts SSH on down:22 (connection refused)', 'quietly')
    const { fake, byLabel } = await run({ labels: ['root@down'], scripts: { 'root@down': { attempts: [down, down, down, down, down, down] } } })
    assert.equal(fake.linksMade.get('root@down'), 5)
    assert.equal(byLabel.get('root@down')!.error, down.message)
  })

  test('no retry starts when too little of the deadline is left', async () => {
    const down = new HostSetupError('no SSH answer', 'quietly')
    const { fake, byLabel } = await run({
      labels: ['root@late'],
      scripts: { 'root@late': { attempts: [down, down] } },
      options: { retry: { attempts: 5, minDelayMs: 1, maxDelayMs: 5, minTimeLeftMs: 10_000 } },
    })
    assert.equal(fake.linksMade.get('root@late'), 1)
    assert.equal(byLabel.get('root@late')!.phase, 'failed')
  })

  test('the deadline fails every unsettled host with how far it got; a host that finished stays done', async () => {
    const scripts: Record<string, HostScript> = {
      'root@fast': { events: [[1, done()]] },
      'root@slow': { events: [[1, progress(40, 100)]] },
      'root@stuck': { startMs: 2000 },
    }
    const { byLabel, settledAfterMs, fake } = await run({ labels: Object.keys(scripts), scripts, options: { deadlineMs: 300 } })
    assert.equal(byLabel.get('root@fast')!.phase, 'done')
    assert.equal(byLabel.get('root@slow')!.error, 'missed the 0.3 s deadline (had 40 % of the payload)')
    assert.equal(byLabel.get('root@stuck')!.error, 'missed the 0.3 s deadline (was still being connected)')
    assert.ok(settledAfterMs >= 290 && settledAfterMs < 1500, `settled after ${settledAfterMs} ms`)
    assert.ok(fake.stopped.has('root@slow'))
    assert.equal(judge([...byLabel.values()], 1).ok, false)
    assert.equal(judge([...byLabel.values()], 2).ok, true)
  })

  test('cancelling fails every unsettled host as cancelled and stops the agents', async () => {
    const cancel = new AbortController()
    setTimeout(() => cancel.abort(), 50)
    const labels = fleetOf(3)
    const scripts = Object.fromEntries(labels.map((label) => [label, { events: [[1, progress(10, 100)]] } as HostScript]))
    const { states, fake } = await run({ labels, scripts, options: { signal: cancel.signal } })
    assert.deepEqual(
      states.map((state) => state.error),
      labels.map(() => 'the deploy was cancelled'),
    )
    assert.equal(fake.stopped.size, 3)
  })

  test('an abort with a reason (the seeder host went away) fails every unsettled host with that reason, and stops the agents', async () => {
    const lost = new AbortController()
    const why = 'the seeder host root@web1 (tracker and seeder) went away before the deploy was over: the agent was killed by SIGKILL'
    setTimeout(() => lost.abort(why), 50)
    const labels = fleetOf(3)
    const scripts = Object.fromEntries(labels.map((label) => [label, { events: [[1, progress(10, 100)]] } as HostScript]))
    const { states, fake } = await run({ labels, scripts, options: { signal: lost.signal } })
    assert.deepEqual(
      states.map((state) => state.error),
      labels.map(() => why),
    )
    assert.equal(fake.stopped.size, 3)
  })

  test('an agent whose channel closes before it finished fails the host with the link\'s reason', async () => {
    const scripts = { 'root@killed': { events: [[1, progress(10, 100)]] as HostScript['events'], closeAfterMs: 20, closeReason: 'the agent was killed by SIGKILL on the host before finishing' } }
    const { byLabel } = await run({ labels: ['root@killed'], scripts })
    assert.equal(byLabel.get('root@killed')!.error, 'the agent was killed by SIGKILL on the host before finishing')
    assert.equal(byLabel.get('root@killed')!.agentExited, true)
  })

  test('an agent error fails its host with code and message; one after the release was in place is only logged', async () => {
    const scripts: Record<string, HostScript> = {
      'root@full': { events: [[1, agentError('DISK_FULL', '/srv has 1.0 MB free')]] },
      'root@late': { events: [[1, done()], [1, agentError('VERIFY_FAILED', 'seeding the kept payload failed')]] },
      'root@other': { events: [[30, done()]] },
    }
    const { byLabel, logs } = await run({ labels: Object.keys(scripts), scripts })
    assert.equal(byLabel.get('root@full')!.error, 'DISK_FULL: /srv has 1.0 MB free')
    assert.equal(byLabel.get('root@late')!.phase, 'done')
    assert.ok(logs.includes('root@late: after its release was in place: seeding the kept payload failed'), logs.join('\n'))
    const verdict = judge([...byLabel.values()], 0)
    assert.equal(verdict.ok, false)
    assert.deepEqual(verdict.details, ['root@full: DISK_FULL: /srv has 1.0 MB free'])
  })

  test('the first bytes of each host are logged once', async () => {
    const scripts = { 'root@h1': { events: [[1, progress(0, 100)], [1, progress(10, 100)], [1, progress(20, 100)], [1, done()]] } as HostScript }
    const { logs } = await run({ labels: ['root@h1'], scripts })
    assert.equal(logs.filter((line) => /^root@h1: first pieces [\d.]+ s into the transfer$/.test(line)).length, 1)
  })

  test('one progress line for the whole fleet names the slowest host', async () => {
    const labels = fleetOf(3)
    const scripts: Record<string, HostScript> = {
      'root@h1': { events: [[1, done()]] },
      'root@h2': { events: [[1, progress(25, 100)]] },
      'root@h3': { events: [[1, progress(75, 100)]] },
    }
    const cancel = new AbortController()
    const line = new ProgressLine(Date.now())
    let rendered = ''
    setTimeout(() => {
      rendered = line.render(fleet.states)
      cancel.abort()
    }, 60)
    const fake = fakeFleet(scripts)
    const fleet = runFleet({
      hosts: parseHostList(labels.join('\n'), { user: 'root', port: 22 }),
      connect: fake.connect,
      job,
      concurrency: 50,
      transferStart: Date.now(),
      deadlineMs: 5000,
      signal: cancel.signal,
      log: () => {},
      notice: () => {},
      stopGraceMs: 10,
    })
    await fleet.finished
    assert.match(rendered, /^\[ +0 s\] 1\/3 done · [\d.]+ MB\/s into the fleet · slowest: root@h2 25 %$/)
  })
})

describe('runs sharing one concurrency limit (one run per zone)', () => {
  test('together they set up no more hosts at once than the limit, and a run that settles first leaves the others\' queue alone', async () => {
    const { default: pLimit } = await import('p-limit')
    const limit = pLimit(2)
    const quick = fleetOf(2)
    const slow = Array.from({ length: 6 }, (_, index) => `root@z${index + 1}`)
    const scripts: Record<string, HostScript> = {
      ...Object.fromEntries(quick.map((label) => [label, { startMs: 5, events: [[1, done(1)]] } as HostScript])),
      ...Object.fromEntries(slow.map((label) => [label, { startMs: 20, events: [[5, done(1)]] } as HostScript])),
    }
    const fake = fakeFleet(scripts)
    const common = {
      connect: fake.connect,
      job,
      concurrency: 2,
      limit,
      transferStart: Date.now(),
      deadlineMs: 5000,
      signal: new AbortController().signal,
      log: () => {},
      notice: () => {},
      stopGraceMs: 10,
    }
    const runs = [
      runFleet({ ...common, hosts: parseHostList(quick.join('\n'), { user: 'root', port: 22 }) }),
      runFleet({ ...common, hosts: parseHostList(slow.join('\n'), { user: 'root', port: 22 }) }),
    ]
    await Promise.all(runs.map((fleetRun) => fleetRun.finished))
    assert.deepEqual(runs.flatMap((fleetRun) => fleetRun.states.map((state) => state.phase)), Array(8).fill('done'))
    assert.ok(fake.maxInFlight() <= 2, `at most 2 set up at once, saw ${fake.maxInFlight()}`)
  })
})

describe('states made by the caller', () => {
  test('a run drives the states it is given (the deploy shows every zone\'s hosts before they start)', async () => {
    const { newHostState } = await import('../../../src/fleet/host-state.js')
    const hosts = parseHostList(fleetOf(2).join('\n'), { user: 'root', port: 22 })
    const states = hosts.map(newHostState)
    const scripts = Object.fromEntries(fleetOf(2).map((label) => [label, { events: [[1, done(1)]] } as HostScript]))
    const { states: driven } = await run({ labels: fleetOf(2), scripts, options: { hosts, states } })
    assert.equal(driven, states, 'the same array')
    assert.deepEqual(states.map((state) => state.phase), ['done', 'done'])
  })
})
