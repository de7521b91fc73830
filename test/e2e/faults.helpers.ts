/**
 * Small helpers shared by the fault tests (faults*.e2e.test.ts). Everything here reads the fleet from
 * outside (host.srvDir, host.rootDir, /proc) or through the fleet API; nothing changes the fleet.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { createFleet, type Fleet, type FleetHost, type FleetOptions } from '../lab/fleet.js'
import { treeManifest, type ActionRun } from './harness.js'
import type { DeployReport, HostReport } from '../../src/report/report.js'

/** The JSON report as the action writes it: the same types the action builds it from. */
export type HostReportJson = HostReport
export type ReportJson = DeployReport

/** How a fleet host is named in the inputs, the report and `failed-hosts`. */
export const label = (host: FleetHost): string => `root@${host.address}`

export function readReport(run: ActionRun): ReportJson {
  assert.ok(run.outputs.report, `no report output:\n${run.stdout}\n${run.stderr}`)
  return JSON.parse(fs.readFileSync(run.outputs.report, 'utf8')) as ReportJson
}

export function hostEntry(report: ReportJson, hostLabel: string): HostReportJson {
  const entry = report.hosts.find((host) => host.host === hostLabel)
  assert.ok(entry, `${hostLabel} is not in the report: ${JSON.stringify(report.hosts)}`)
  return entry
}

/** Everything a person needs to see when an assertion fails. */
export const transcript = (run: ActionRun): string => `exit ${run.code} (${run.signal ?? 'no signal'})\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * The step's log names the failed host with its reason: `<label>: … <reason fragment>` on one
 * logical line (the runner's `::error::` command escapes newlines as %0A, so no line spans them).
 */
export function assertLogNames(run: ActionRun, hostLabel: string, reason: RegExp | string): void {
  const fragment = typeof reason === 'string' ? escape(reason) : reason.source
  const pattern = new RegExp(`${escape(hostLabel)}: (?:(?!%0A)[^\\n])*${fragment}`)
  assert.match(run.stdout, pattern, `the log names ${hostLabel} with its reason\n${transcript(run)}`)
}

export function releaseDir(host: FleetHost, tag: string): string {
  return path.join(host.srvDir, 'releases', tag)
}

/** The healthy hosts hold exactly the source tree, and nothing half-done beside it. */
export function assertIdentical(hosts: FleetHost[], tag: string, source: string): void {
  const expected = treeManifest(source)
  for (const host of hosts) {
    assert.deepEqual(treeManifest(releaseDir(host, tag)), expected, `${host.name} holds a different tree`)
    assert.deepEqual(incoming(host), [], `${host.name}: nothing half-done left in its incoming directory`)
  }
}

/** Names under /srv/releases/.murder/incoming (the agent's downloads); [] when it does not exist. */
/** Files under a host's incoming directory (each agent downloads into incoming/<pid>/). */
export function incoming(host: FleetHost): string[] {
  const dir = path.join(host.srvDir, 'releases/.murder/incoming')
  return fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).filter((name) => fs.statSync(path.join(dir, name), { throwIfNoEntry: false })?.isFile()) : []
}

/** Bytes really written (allocated) under a host's incoming directory: the transfer is in flight. */
export function incomingBytes(host: FleetHost): number {
  const dir = path.join(host.srvDir, 'releases/.murder/incoming')
  let bytes = 0
  for (const name of incoming(host)) {
    try {
      bytes += fs.statSync(path.join(dir, name)).blocks * 512
    } catch {
      // removed meanwhile
    }
  }
  return bytes
}

/** Pids of the agent (node running ~/.murder-action/agent-*.mjs) on a host. */
export function agentPids(fleet: Fleet, host: FleetHost): number[] {
  return fleet.hostPids(host).filter((pid) => commandLine(pid).includes('.murder-action/agent-'))
}

/** A process's command line, arguments joined by spaces; '' once it is gone. */
export function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()
  } catch {
    return ''
  }
}

export function parentOf(pid: number): number {
  // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after its ')'.
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
}

export async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined | false | Promise<T | undefined | false>, everyMs = 200): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined && value !== false) return value
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(everyMs)
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** murder-action-* work directories (not the JSON report) left in a run's RUNNER_TEMP. */
export function workdirsLeft(run: ActionRun): string[] {
  return fs.readdirSync(run.runnerTemp).filter((name) => name.startsWith('murder-action-') && !name.endsWith('.json'))
}

/**
 * createFleet, tried twice: the fleet waits a fixed 10 s for every sshd to answer, which a machine
 * loaded by other work (benchmarks on the same 2 cores) sometimes misses. A fleet that fails to
 * come up tears itself down, so a second attempt starts clean.
 */
export async function createTestFleet(options: FleetOptions): Promise<Fleet> {
  try {
    return await createFleet(options)
  } catch (error) {
    console.error(`createFleet failed, trying once more: ${(error as Error).message.split('\n')[0]}`)
    await sleep(2_000)
    return await createFleet(options)
  }
}

