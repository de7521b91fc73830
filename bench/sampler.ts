/**
 * Reads what the kernel knows while a deploy runs, from the root namespace, without touching the
 * processes: /proc/<pid>/status (VmHWM = peak RSS), /proc/<pid>/stat (CPU time), /proc/<pid>/net/dev
 * of a process inside a namespace (that namespace's interface counters), /proc/stat (whole machine).
 * One timer, bounded by the caller's stop().
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { netnsPids, type Fleet } from '../test/lab/fleet.js'

const CLOCK_TICKS = 100 // USER_HZ on Linux x86-64

export function readStatusKiB(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) : undefined
  } catch {
    return undefined
  }
}

/** utime + stime of a process, seconds. */
export function cpuSeconds(pid: number): number | undefined {
  const times = cpuTimes(pid)
  return times === undefined ? undefined : times.user + times.system
}

/** utime and stime of a process (all its threads), seconds. */
export function cpuTimes(pid: number): { user: number; system: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return { user: Number(fields[11]) / CLOCK_TICKS, system: Number(fields[12]) / CLOCK_TICKS }
  } catch {
    return undefined
  }
}

/** eth0 byte counters of the network namespace `pid` lives in. */
export function eth0Bytes(pid: number): { rx: number; tx: number } | undefined {
  try {
    for (const line of fs.readFileSync(`/proc/${pid}/net/dev`, 'utf8').split('\n')) {
      const match = /^\s*eth0:\s*(.*)$/.exec(line)
      if (!match) continue
      const fields = match[1]!.trim().split(/\s+/).map(Number)
      return { rx: fields[0]!, tx: fields[8]! }
    }
  } catch {
    // process gone
  }
  return undefined
}

/** Busy and total jiffies of the whole machine. */
export function machineCpu(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!
  const values = line.trim().split(/\s+/).slice(1).map(Number)
  const total = values.reduce((a, b) => a + b, 0)
  const idle = values[3]! + (values[4] ?? 0)
  return { busy: total - idle, total }
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')
  } catch {
    return ''
  }
}

function payloadFiles(dir: string, prefix: string): string[] {
  const found: string[] = []
  let entries: fs.Dirent[]
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true })
  } catch {
    return found // not there yet, or already removed
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name)
    if (entry.isFile() && entry.name.startsWith(prefix)) found.push(full)
    else if (entry.isDirectory()) {
      try {
        for (const name of fs.readdirSync(full)) if (name.startsWith(prefix)) found.push(path.join(full, name))
      } catch {
        // gone
      }
    }
  }
  return found
}

export interface HostTrace {
  name: string
  /** ms after the sampler's start of the first sample where the host had received payload bytes. */
  firstPayloadMs?: number
  /** ms when the payload file on the host was complete (all its blocks written). */
  payloadCompleteMs?: number
  agentPeakRssKiB: number
  agentCpuSeconds: number
  /** The kernel's share of agentCpuSeconds (network and disk work done in the agent's name). */
  agentSystemSeconds: number
  rxBytes: number
  txBytes: number
  /** Payload bytes held on disk, one value per second (MB, 1 decimal). */
  heldPerSecond: number[]
  /** eth0 bytes received / sent in each second (MB, 2 decimals). */
  rxPerSecond: number[]
  txPerSecond: number[]
  /** The agent's VmRSS at the end of each second (MB). */
  rssPerSecond: number[]
}

export interface Trace {
  sampleEveryMs: number
  durationMs: number
  actionPeakRssKiB: number
  actionCpuSeconds: number
  runnerTxBytes: number
  runnerRxBytes: number
  /** Share of both cores busy over the sampled span (0..1; 1 = 2 cores flat out). */
  machineBusy: number
  /** Machine busy share per second, to see where the CPU saturates. */
  busyPerSecond: number[]
  /** Sum over hosts of payload bytes held on disk, one value per second. */
  fleetBytesPerSecond: number[]
  hosts: HostTrace[]
}

export interface SamplerOptions {
  fleet: Fleet
  actionPid: () => number | undefined
  /** Name of the payload file in <srv>/releases/.murder/incoming (only its prefix is known beforehand). */
  payloadPrefix: string
  payloadBytes: () => number | undefined
  destination?: string
  everyMs?: number
}

/**
 * Samples until stop(): per host the payload file's allocated bytes (fs-chunk-store writes verified
 * pieces in place, so a sparse file's blocks are what the host holds), eth0 counters, agent VmHWM;
 * the action's VmHWM and CPU; machine CPU.
 */
export function startSampler(options: SamplerOptions): { stop(): Trace } {
  const everyMs = options.everyMs ?? 200
  const started = Date.now()
  const { fleet } = options
  const incoming = fleet.hosts.map((host) => path.join(host.srvDir, (options.destination ?? '/srv/releases').replace(/^\/srv\/?/, ''), '.murder/incoming'))
  const hosts: HostTrace[] = fleet.hosts.map((host) => ({ name: host.name, agentPeakRssKiB: 0, agentCpuSeconds: 0, agentSystemSeconds: 0, rxBytes: 0, txBytes: 0, heldPerSecond: [], rxPerSecond: [], txPerSecond: [], rssPerSecond: [] }))
  const rssNow = fleet.hosts.map(() => 0)
  const lastNet = fleet.hosts.map(() => ({ rx: 0, tx: 0 }))
  const baseline = fleet.hosts.map((host) => eth0Bytes(host.anchorPid) ?? { rx: 0, tx: 0 })
  const held = fleet.hosts.map(() => 0)
  const agentCpu = new Map<number, { host: number; cpu: number; system: number }>()
  let actionPeak = 0
  let actionCpu = 0
  let runnerStart: { rx: number; tx: number } | undefined
  let runnerLast: { rx: number; tx: number } | undefined
  const cpuStart = machineCpu()
  let cpuLast = cpuStart
  const busyPerSecond: number[] = []
  const fleetBytesPerSecond: number[] = []
  let lastSecond = 0
  let tick = 0
  const netnsNames = fleet.hosts.map((host) => host.netns)

  const sample = (): void => {
    const now = Date.now() - started
    const actionPid = options.actionPid()
    if (actionPid !== undefined) {
      actionPeak = Math.max(actionPeak, readStatusKiB(actionPid, 'VmHWM') ?? 0)
      actionCpu = cpuSeconds(actionPid) ?? actionCpu
      const bytes = eth0Bytes(actionPid)
      if (bytes) {
        runnerStart ??= bytes
        runnerLast = bytes
      }
    }
    const total = options.payloadBytes()
    fleet.hosts.forEach((host, index) => {
      const trace = hosts[index]!
      const bytes = eth0Bytes(host.anchorPid)
      if (bytes) {
        trace.rxBytes = bytes.rx - baseline[index]!.rx
        trace.txBytes = bytes.tx - baseline[index]!.tx
      }
      // incoming/<payload> or incoming/<agent pid>/<payload>, depending on the agent's version.
      for (const file of payloadFiles(incoming[index]!, options.payloadPrefix)) {
        try {
          const stat = fs.statSync(file)
          held[index] = Math.max(held[index]!, Math.min(stat.size, stat.blocks * 512))
        } catch {
          // removed meanwhile
        }
      }
      if (held[index]! > 0 && trace.firstPayloadMs === undefined) trace.firstPayloadMs = now
      if (total !== undefined && held[index]! >= total && trace.payloadCompleteMs === undefined) trace.payloadCompleteMs = now
    })
    // Agents: every 2nd sample, one /proc scan for all hosts.
    if (tick++ % 2 === 0) {
      const byNetns = netnsPids(netnsNames)
      netnsNames.forEach((name, index) => {
        for (const pid of byNetns.get(name) ?? []) {
          if (!cmdline(pid).includes('.murder-action/agent-')) continue
          hosts[index]!.agentPeakRssKiB = Math.max(hosts[index]!.agentPeakRssKiB, readStatusKiB(pid, 'VmHWM') ?? 0)
          rssNow[index] = readStatusKiB(pid, 'VmRSS') ?? rssNow[index]!
          const times = cpuTimes(pid)
          if (times !== undefined) agentCpu.set(pid, { host: index, cpu: times.user + times.system, system: times.system })
        }
      })
    }
    const second = Math.floor(now / 1000)
    if (second > lastSecond) {
      const cpu = machineCpu()
      busyPerSecond.push(round((cpu.busy - cpuLast.busy) / Math.max(1, cpu.total - cpuLast.total), 2))
      cpuLast = cpu
      fleetBytesPerSecond.push(held.reduce((a, b) => a + b, 0))
      hosts.forEach((trace, index) => {
        trace.heldPerSecond.push(round(held[index]! / 1e6, 1))
        trace.rssPerSecond.push(round(rssNow[index]! / 1024, 0))
        trace.rxPerSecond.push(round((trace.rxBytes - lastNet[index]!.rx) / 1e6, 2))
        trace.txPerSecond.push(round((trace.txBytes - lastNet[index]!.tx) / 1e6, 2))
        lastNet[index] = { rx: trace.rxBytes, tx: trace.txBytes }
      })
      lastSecond = second
    }
  }
  const timer = setInterval(sample, everyMs)
  sample()
  return {
    stop(): Trace {
      clearInterval(timer)
      sample()
      for (const { host, cpu, system } of agentCpu.values()) {
        hosts[host]!.agentCpuSeconds += cpu
        hosts[host]!.agentSystemSeconds += system
      }
      const cpuEnd = machineCpu()
      return {
        sampleEveryMs: everyMs,
        durationMs: Date.now() - started,
        actionPeakRssKiB: actionPeak,
        actionCpuSeconds: actionCpu,
        runnerTxBytes: runnerLast && runnerStart ? runnerLast.tx - runnerStart.tx : 0,
        runnerRxBytes: runnerLast && runnerStart ? runnerLast.rx - runnerStart.rx : 0,
        machineBusy: round((cpuEnd.busy - cpuStart.busy) / Math.max(1, cpuEnd.total - cpuStart.total), 3),
        busyPerSecond,
        fleetBytesPerSecond,
        hosts: hosts.map((host) => ({ ...host, agentCpuSeconds: round(host.agentCpuSeconds, 2), agentSystemSeconds: round(host.agentSystemSeconds, 2) })),
      }
    },
  }
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

/** Share of the machine's CPU busy over the next `ms` (others' work, when measured before a run). */
export async function busyOver(ms: number): Promise<number> {
  const before = machineCpu()
  await new Promise((resolve) => setTimeout(resolve, ms))
  const after = machineCpu()
  return round((after.busy - before.busy) / Math.max(1, after.total - before.total), 2)
}
