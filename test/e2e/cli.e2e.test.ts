/**
 * The murder-action command on a real fleet, run as a user runs it: the bin file itself (its
 * shebang finds node on PATH) in the runner's namespace, flags for the inputs, the key from the
 * environment or a file, no GitHub variables at all. Its exit status is the verdict.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { Fleet, FleetHost } from '../lab/fleet.js'
import { leftoverProcesses, makeSourceTree, REPO } from './harness.js'
import { assertIdentical, createTestFleet, hostEntry, incoming, incomingBytes, label, releaseDir, sleep, waitFor, type ReportJson } from './faults.helpers.js'

const BIN = path.join(REPO, 'dist/cli/murder-action.mjs')

interface CliRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Runs `murder-action <args>` in the runner namespace, in `cwd`, with only PATH, HOME, TMPDIR and `env`. */
function startCli(fleet: Fleet, args: string[], options: { cwd: string; tmpdir: string; env?: NodeJS.ProcessEnv }): { child: ChildProcess; done: Promise<CliRun> } {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: options.tmpdir, ...options.env }
  const child = fleet.runInRunner(BIN, args, { env, cwd: options.cwd })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const done = new Promise<CliRun>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
  return { child, done }
}

const transcript = (run: CliRun): string => `exit ${run.code} (${run.signal ?? 'no signal'})\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`
const readJson = (file: string): ReportJson => JSON.parse(fs.readFileSync(file, 'utf8')) as ReportJson

describe('the murder-action command', () => {
  let fleet: Fleet
  let source: string
  /** The operator's working directory: a key file, a known_hosts file, a hosts file. */
  let desk: string
  let tmpdir: string
  let healthy: FleetHost[]
  let down: FleetHost

  before(async () => {
    fleet = await createTestFleet({ hosts: [{}, {}, {}, { sshd: false }], link: { rate: '100mbit' } })
    healthy = fleet.hosts.slice(0, 3)
    down = fleet.hosts[3]!
    source = makeSourceTree(8 * 1024 * 1024)
    desk = fs.mkdtempSync(path.join(os.tmpdir(), 'murder-cli-desk-'))
    tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'murder-cli-tmp-'))
    fs.writeFileSync(path.join(desk, 'deploy_key'), fleet.clientKey, { mode: 0o600 })
    fs.writeFileSync(path.join(desk, 'known_hosts'), fleet.knownHosts)
    fs.writeFileSync(path.join(desk, 'fleet.txt'), `# the web tier\n${healthy.map(label).join('\n')}\n`)
  })
  after(async () => {
    await fleet?.teardown()
    for (const dir of [source, desk, tmpdir]) if (dir) fs.rmSync(dir, { recursive: true, force: true })
  })

  test('deploys to 3 hosts: the tree lands on each, exit 0, the Markdown summary on stdout, the report where asked', async () => {
    const reportFile = path.join(desk, 'reports/cli-1.json')
    const run = await startCli(
      fleet,
      ['deploy', '--path', path.relative(desk, source), '--hosts-file', 'fleet.txt', '--tag', 'cli-1', '--known-hosts-file', 'known_hosts', '--deadline', '120s', '--report-file', reportFile],
      { cwd: desk, tmpdir, env: { MURDER_SSH_KEY: fleet.clientKey } },
    ).done
    assert.equal(run.code, 0, transcript(run))
    assertIdentical(healthy, 'cli-1', source)
    assert.equal(fs.existsSync(releaseDir(down, 'cli-1')), false, 'the host not in fleet.txt got nothing')

    const report = readJson(reportFile)
    assert.equal(report.ok, true)
    assert.equal(report.tag, 'cli-1')
    // 3 hosts and no --transport: auto streams over each host's SSH session.
    assert.equal(report.transport, 'ssh')
    assert.equal(report.sentOverSsh, 3 * report.payloadBytes)
    assert.deepEqual(report.hosts.map((host) => [host.host, host.result]), healthy.map((host) => [label(host), 'done']))
    assert.match(run.stdout, /^## ✅ murder-action: `cli-1`$/m, 'the job summary\'s Markdown, stdout not being a terminal')
    for (const host of healthy) assert.ok(run.stdout.includes(`| ${label(host)} | ✅ done |`), `a summary row for ${host.name}\n${run.stdout}`)
    assert.doesNotMatch(run.stdout, /Packing|Tracker/, 'log lines are on stderr, not mixed into the summary')
    assert.match(run.stderr, /Packing .*\n/)
    assert.match(run.stderr, new RegExp(`3/3 hosts done: `), 'the hosts done are told as they finish')
    assert.ok(run.stderr.includes(`Report: ${reportFile}`), transcript(run))
    assert.doesNotMatch(run.stdout + run.stderr, /PRIVATE KEY|b3BlbnNzaC1rZXktdjE/, 'the key is never printed')

    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left on any host')
    assert.deepEqual(fs.readdirSync(tmpdir).filter((name) => name.startsWith('murder-action-')), [], 'the work directory is gone')
  })

  test('a host whose sshd is down: exit 1 naming it with its reason, the others deployed, the report at the default place', async () => {
    const run = await startCli(
      fleet,
      ['deploy', '--path', source, ...fleet.hosts.flatMap((host) => ['--hosts', label(host)]), '--tag', 'cli-2', '--ssh-key-file', 'deploy_key', '--known-hosts-file', 'known_hosts', '--deadline', '120s', '--summary', 'text'],
      { cwd: desk, tmpdir },
    ).done
    assert.equal(run.code, 1, transcript(run))
    assert.match(run.stderr, new RegExp(`^${label(down).replace(/\./g, '\\.')} FAILED: .*connection refused`, 'm'), transcript(run))
    assert.match(run.stderr, /^error: 1 of 4 hosts failed/m, transcript(run))
    assertIdentical(healthy, 'cli-2', source)

    // No --report-file and no RUNNER_TEMP: a new file in the temp directory, named after the tag and
    // something no one can guess, and the command says where.
    const reportFile = /^Report: (.+)$/m.exec(run.stderr)?.[1] ?? ''
    assert.equal(path.dirname(reportFile), tmpdir, transcript(run))
    assert.match(path.basename(reportFile), /^murder-action-report-cli-2-[0-9a-f]{16}\.json$/)
    const report = readJson(reportFile)
    assert.equal(report.ok, false)
    assert.equal(report.transport, 'swarm', '4 hosts: auto keeps the swarm')
    assert.match(report.infoHash, /^[0-9a-f]{40}$/)
    assert.deepEqual(report.failedHosts, [label(down)])
    assert.match(hostEntry(report, label(down)).error!, /connection refused/)
    for (const host of healthy) assert.equal(hostEntry(report, label(host)).result, 'done')
    assert.match(run.stdout, /^murder-action: cli-2 FAILED$/m, 'the text summary')
    assert.match(run.stdout, new RegExp(`^${label(down).replace(/\./g, '\\.')}\\s+FAILED\\s+`, 'm'), run.stdout)
    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left on any host')
  })

  // 4 Mbit/s into every host: an 8 MB transfer lasts ~17 s. Bytes no host holds yet: the hosts'
  // stores keep the objects of the releases above, so their tree would move nothing at all. Over
  // transport ssh the objects in flight to a host once queued ahead of the end of its stdin (the
  // stop signal), ~4 s of them at this rate: past the stop grace. The stream now keeps at most about
  // half a second of the link's rate unacknowledged (fleet/acked-stream.ts).
  for (const [transport, tag] of [['swarm', 'cli-3'], ['ssh', 'cli-4']] as const) {
    test(`SIGINT mid-transfer (transport ${transport}, 4 Mbit/s): every agent stopped, exit 1 within the grace the action has, nothing left`, async (t) => {
      for (const host of healthy) await fleet.shape(host, { rate: '4mbit' })
      const fresh = makeSourceTree(8 * 1024 * 1024)
      t.after(() => fs.rmSync(fresh, { recursive: true, force: true }))
      const cli = startCli(
        fleet,
        ['deploy', '--path', path.relative(desk, fresh), '--hosts-file', 'fleet.txt', '--tag', tag, '--ssh-key-file', 'deploy_key', '--known-hosts-file', 'known_hosts', '--compression-level', '0', '--transport', transport],
        { cwd: desk, tmpdir },
      )
      let exited = false
      void cli.done.then(() => (exited = true))
      await waitFor('a host to be downloading', 60_000, () => exited || healthy.some((host) => incomingBytes(host) > 1 << 20))
      assert.equal(exited, false, 'still running when interrupted')
      const interruptedAt = Date.now()
      cli.child.kill('SIGINT')
      // As for the action: gone by itself within 10 s of the first signal.
      const run = await Promise.race([cli.done, sleep(10_000).then(() => undefined)])
      assert.ok(run, 'the command exited within 10 s of SIGINT')
      t.diagnostic(`exited ${((Date.now() - interruptedAt) / 1000).toFixed(1)} s after SIGINT`)
      assert.equal(run.signal, null, transcript(run))
      assert.equal(run.code, 1, transcript(run))
      assert.match(run.stderr, /^warning: Received SIGINT: stopping every agent \(and the swarm, if one runs\)\.$/m)
      assert.match(run.stderr, /^error: The deploy was cancelled\.$/m)
      // Each agent went when its stdin closed: none had to be killed after the grace.
      assert.doesNotMatch(run.stderr, /did not exit after its stdin closed/, transcript(run))
      assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no agent alive on any host')
      for (const host of healthy) {
        assert.equal(fs.existsSync(releaseDir(host, tag)), false, `${host.name}: no ${tag}`)
        assert.deepEqual(incoming(host), [], `${host.name}: no partial download left`)
      }
      assert.deepEqual(fs.readdirSync(tmpdir).filter((name) => name.startsWith('murder-action-') && !name.endsWith('.json')), [], 'the work directory is gone')
    })
  }
})
