// Small process helpers: the lab drives ip, tc, nsenter, sshd and friends as child processes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import type { ExecResult } from './types.js'

export interface ExecOptions {
  input?: string | Buffer
  timeoutMs?: number
  env?: NodeJS.ProcessEnv
  cwd?: string
}

const DEFAULT_TIMEOUT_MS = 30_000
const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }

/** Runs a command to its end and collects its output; a timeout kills it and says so in stderr. */
export function run(cmd: string, args: string[], options: ExecOptions = {}): Promise<ExecResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: options.env ?? process.env, cwd: options.cwd ?? '/', stdio: ['pipe', 'pipe', 'pipe'] })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeoutMs)
    child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk))
    child.stdin!.on('error', () => {
      // EPIPE if the child does not read its stdin
    })
    child.stdin!.end(options.input ?? '')
    child.on('error', (error) => stderr.push(Buffer.from(String(error))))
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({
        code: code ?? (signal ? 128 + (SIGNAL_NUMBERS[signal] ?? 0) : -1),
        stdout: Buffer.concat(stdout).toString(),
        stderr: Buffer.concat(stderr).toString() + (timedOut ? `\n[fleet] timed out after ${timeoutMs} ms` : ''),
        ...(timedOut ? { timedOut } : {}),
      })
    })
  })
}

/** run(), and a failure is an error that quotes the command and what it said. */
export async function must(cmd: string, args: string[], options: ExecOptions = {}): Promise<string> {
  const result = await run(cmd, args, options)
  if (result.code !== 0) {
    throw new Error(`[fleet] ${cmd} ${args.join(' ')} failed (${result.code}): ${result.stderr.trim() || result.stdout.trim()}`)
  }
  return result.stdout
}

/** Synchronous, for teardown from exit handlers, where nothing asynchronous runs any more. */
export function runSync(cmd: string, args: string[], input?: string): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(cmd, args, { input, encoding: 'utf8', timeout: 20_000, cwd: '/' })
  return { code: result.status ?? -1, stdout: result.stdout ?? '', stderr: result.stderr ?? '' }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

/** fn over items, `width` at a time; every item is tried, then the first error (if any) is thrown. */
export async function inPool<T>(items: T[], width: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0
  const errors: unknown[] = []
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      try {
        await fn(items[index]!, index)
      } catch (error) {
        errors.push(error)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker))
  if (errors.length) throw errors[0]
}

/** One argument for sh, single-quoted. */
export const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`

/** Resolves when the child prints `want` as a whole line (its readiness signal); rejects if it exits or is too slow. */
export function waitForLine(child: ChildProcess, want: string, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let printed = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`[fleet] ${what}: no "${want}" within ${timeoutMs} ms: ${printed}`))
    }, timeoutMs)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`[fleet] ${what} exited (${code}) before "${want}": ${printed}`))
    })
    child.stdout!.on('data', (chunk: Buffer) => {
      printed += chunk.toString()
      if (printed.split('\n').includes(want)) {
        clearTimeout(timer)
        child.removeAllListeners('exit')
        child.stdout!.destroy()
        resolve()
      }
    })
  })
}
