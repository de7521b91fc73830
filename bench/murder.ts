/**
 * One deploy by the action, driven as the GitHub runner drives it (test/e2e/harness.ts), with the
 * sampler running beside it. Times come from three clocks that agree: the bench's own (spawn →
 * each log line's arrival), the action's JSON report (per host seconds from the transfer start,
 * packSeconds, transferSeconds), and the sampler's (/proc).
 */
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Fleet } from '../test/lab/fleet.js'
import { REPO, startAction } from '../test/e2e/harness.js'
import type { DeployReport } from '../src/report/report.js'
import { busyOver, cpuSeconds, round, startSampler, type Trace } from './sampler.js'

export interface MurderResult {
  ok: boolean
  exitCode: number | null
  /** Step start (spawn) → the last host holds the verified, unpacked release. */
  seconds: number
  /** Whole step, spawn → exit (includes stopping every agent and closing the swarm). */
  stepSeconds: number
  /** Step start → the transfer starts (tree digest, pack, tracker, torrent, seeder). */
  setupSeconds: number
  packSeconds: number
  /** From the report: transfer start → last host settled. */
  transferSeconds: number
  /** Transfer start → first payload byte on any host's disk (sampled every 200 ms). */
  firstByteSeconds: number | null
  /** Per host, seconds from the transfer start to its release (the report's `seconds`), sorted. */
  hostSeconds: number[]
  payloadBytes: number
  seederUploadedRatio: number
  /** Mean share of each host's bytes that came from other hosts, not the seeder. */
  fromPeersShare: number
  agentPeakRssMB: number
  actionPeakRssMB: number
  actionCpuSeconds: number
  agentCpuSecondsTotal: number
  /**
   * CPU of the whole swarm per MB it delivered: every agent's (user + kernel, start-up to exit) and
   * the action's from the transfer start on (seeder, tracker, SSH; not the pack), ÷ the bytes the
   * hosts received. At N = 1 this is one pair, seeder and agent.
   */
  swarmCpuMsPerMB: number
  /** Share of the 2 cores busy during the step. */
  machineBusy: number
  runnerTxMB: number
  loadavgBefore: string
  /** Share of the CPU busy in the 2 s before the run: anything but 0 is someone else's work. */
  busyBefore: number
  trace: Trace
  progressLines: string[]
  /** The action's JSON report as it wrote it. */
  report: DeployReport
  error?: string
}

/** Installs the agent where a previous deploy of this action version would have left it. */
export function preinstallAgent(fleet: Fleet, bundle = path.join(REPO, 'dist/agent/murder-agent.mjs')): void {
  const source = fs.readFileSync(bundle, 'utf8')
  const sha = createHash('sha256').update(source).digest('hex')
  for (const host of fleet.hosts) {
    const dir = path.join(host.rootDir, '.murder-action')
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
    fs.writeFileSync(path.join(dir, `agent-${sha.slice(0, 16)}.mjs`), source, { mode: 0o600 })
  }
}

/**
 * Diagnostics only (--profile-agents): every Node process an SSH session starts on a host — the
 * agent, and the small checks before it — runs under the V8 profiler (bench/agent-profiler.cjs,
 * preloaded through sshd's environment) and writes a .cpuprofile into the host's /tmp when it exits.
 * The agent that runs is byte for byte the one the action ships (its integrity check refuses
 * anything else).
 */
export function agentProfilingSessionEnv(samplingIntervalUs = 1000): Record<string, string> {
  return { NODE_OPTIONS: `--require=${path.join(REPO, 'bench/agent-profiler.cjs')}`, MURDER_BENCH_PROFILE_INTERVAL_US: String(samplingIntervalUs) }
}

/** Moves the hosts' .cpuprofile files to dir as <host>-<name>; returns how many. */
export function collectAgentProfiles(fleet: Fleet, dir: string): number {
  fs.mkdirSync(dir, { recursive: true })
  let count = 0
  for (const host of fleet.hosts) {
    for (const name of fs.readdirSync(host.tmpDir).filter((file) => file.endsWith('.cpuprofile'))) {
      fs.copyFileSync(path.join(host.tmpDir, name), path.join(dir, `${host.name}-${name}`))
      fs.rmSync(path.join(host.tmpDir, name))
      count++
    }
  }
  return count
}

export async function runMurder(
  fleet: Fleet,
  options: { source: string; tag: string; inputs: Record<string, string>; timeoutMs: number; deadlineSeconds: number; env?: NodeJS.ProcessEnv; entry?: string },
): Promise<MurderResult> {
  const busyBefore = await busyOver(2000)
  const loadavgBefore = fs.readFileSync('/proc/loadavg', 'utf8').trim()
  const started = Date.now()
  const action = startAction(fleet, { path: options.source, tag: options.tag, deadline: `${options.deadlineSeconds}s`, ...options.inputs }, { timeoutMs: options.timeoutMs, env: options.env, entry: options.entry })
  const stamps: Array<{ at: number; line: string }> = []
  let partial = ''
  /** The action's CPU when the transfer started: what it spent after is the swarm's (seeder, tracker, SSH). */
  let actionCpuAtTransfer: number | undefined
  action.child.stdout?.on('data', (chunk: Buffer) => {
    const at = Date.now() - started
    partial += chunk.toString()
    const lines = partial.split('\n')
    partial = lines.pop()!
    for (const line of lines) {
      stamps.push({ at, line })
      if (actionCpuAtTransfer === undefined && / deploying to \d+ hosts/.test(line) && action.child.pid !== undefined) actionCpuAtTransfer = cpuSeconds(action.child.pid)
    }
  })
  let payloadBytes: number | undefined
  const sampler = startSampler({
    fleet,
    actionPid: () => action.child.pid,
    payloadPrefix: `${options.tag}.tar`,
    payloadBytes: () => payloadBytes,
  })
  // The payload size is in the "Packed … MB" line only to 0.1 MB; the report has it exactly, but only
  // at the end. The sampler needs it for "complete": take it from the runner's work dir file instead.
  const sizeWatch = setInterval(() => {
    if (payloadBytes !== undefined) return
    const packed = stamps.find((stamp) => /^(Tracker|Zone \S+: tracker) /.test(stamp.line))
    if (!packed) return
    try {
      const temp = fs.readdirSync(runnerTempOf(action)).find((name) => name.startsWith('murder-action-'))
      if (!temp) return
      const dir = path.join(runnerTempOf(action), temp)
      const file = fs.readdirSync(dir).find((name) => name.startsWith(options.tag))
      if (file) payloadBytes = fs.statSync(path.join(dir, file)).size
    } catch {
      // not yet
    }
  }, 100)
  const run = await action.done
  clearInterval(sizeWatch)
  const trace = sampler.stop()
  // The transfer starts when the objects start for the seeder host (seeder-host), else with the fleet.
  const transferLine = stamps.find((stamp) => /^Sending .* to the seeder host /.test(stamp.line)) ?? stamps.find((stamp) => / deploying to \d+ hosts/.test(stamp.line))
  let report: DeployReport
  try {
    report = JSON.parse(fs.readFileSync(run.outputs.report!, 'utf8'))
  } catch {
    throw new Error(`the action left no report (exit ${run.code}):\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`)
  }
  const setupSeconds = transferLine ? transferLine.at / 1000 : NaN
  const hostSeconds = report.hosts.map((host) => host.seconds ?? NaN).sort((a, b) => a - b)
  const last = Math.max(...hostSeconds)
  const transferStartMs = transferLine?.at ?? 0
  const firstPayload = Math.min(...trace.hosts.map((host) => host.firstPayloadMs ?? Infinity))
  const shares = report.hosts.map((host) => host.fromPeersShare ?? 0)
  fs.rmSync(run.runnerTemp, { recursive: true, force: true })
  return {
    ok: run.code === 0 && report.ok,
    exitCode: run.code,
    seconds: round(setupSeconds + last, 2),
    stepSeconds: round(run.seconds, 2),
    setupSeconds: round(setupSeconds, 2),
    packSeconds: report.packSeconds,
    transferSeconds: round(report.transferSeconds, 2),
    firstByteSeconds: Number.isFinite(firstPayload) ? round((firstPayload - transferStartMs) / 1000, 2) : null,
    hostSeconds,
    payloadBytes: report.payloadBytes,
    seederUploadedRatio: round(report.seederUploaded / report.payloadBytes, 2),
    fromPeersShare: round(shares.reduce((a, b) => a + b, 0) / Math.max(1, shares.length), 3),
    agentPeakRssMB: round(Math.max(...trace.hosts.map((host) => host.agentPeakRssKiB)) / 1024, 1),
    actionPeakRssMB: round(trace.actionPeakRssKiB / 1024, 1),
    actionCpuSeconds: round(trace.actionCpuSeconds, 2),
    agentCpuSecondsTotal: round(trace.hosts.reduce((sum, host) => sum + host.agentCpuSeconds, 0), 2),
    swarmCpuMsPerMB: round(
      ((trace.hosts.reduce((sum, host) => sum + host.agentCpuSeconds, 0) + trace.actionCpuSeconds - (actionCpuAtTransfer ?? 0)) * 1000) /
        (report.hosts.reduce((sum, host) => sum + host.bytesReceived, 0) / 1e6),
      1,
    ),
    machineBusy: trace.machineBusy,
    runnerTxMB: round(trace.runnerTxBytes / 1e6, 1),
    loadavgBefore,
    busyBefore,
    trace,
    report,
    progressLines: stamps.filter((stamp) => !stamp.line.startsWith('::add-mask::')).map((stamp) => `${(stamp.at / 1000).toFixed(2).padStart(7)} ${stamp.line}`),
    error: run.code === 0 ? undefined : `${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`,
  }
}

/** startAction puts RUNNER_TEMP in the child's environment; read it from there while it runs. */
function runnerTempOf(action: ReturnType<typeof startAction>): string {
  const environ = fs.readFileSync(`/proc/${action.child.pid}/environ`, 'utf8').split('\0')
  const entry = environ.find((line) => line.startsWith('RUNNER_TEMP='))
  if (!entry) throw new Error('no RUNNER_TEMP')
  return entry.slice('RUNNER_TEMP='.length)
}
