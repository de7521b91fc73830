/**
 * The tracker's answer time while the controller's thread is busy, `npm run bench:tracker`: the
 * tracker in the controller's event loop (as it was, and as the seeder host's origin still runs
 * it) beside the tracker in a thread of its own (the action's, src/swarm/tracker-thread.ts), in
 * one run. Another process announces at the rate of 10,000 hosts (policy.ts: one announce per
 * host every N × 20 ms ≤ 60 s, i.e. ~167/s), each a new TCP connection to loopback, while this
 * thread spins in slices the way a wave of SSH handshakes or a burst of hosts' events keeps it.
 *
 *   npm run bench:tracker [-- --rate 167 --seconds 8]
 *
 * Prints a table and writes bench/results/tracker-<time>.json.
 */
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import { startTracker, type EphemeralTracker } from '../src/swarm/tracker.js'
import { startTrackerThread } from '../src/swarm/tracker-thread.js'

const { values: args } = parseArgs({ options: { rate: { type: 'string', default: '167' }, seconds: { type: 'string', default: '8' } } })
const rate = Number(args.rate)
const seconds = Number(args.seconds)
const INFO_HASH = 'ab'.repeat(20)

const KINDS: { name: string; start: () => Promise<EphemeralTracker> }[] = [
  { name: 'in the controller\'s loop', start: () => startTracker({ port: 0, intervalMs: 60_000, peersCacheLength: 20_000, host: '127.0.0.1' }) },
  { name: 'in a thread of its own', start: () => startTrackerThread({ port: 0, intervalMs: 60_000, peersCacheLength: 20_000, host: '127.0.0.1' }) },
]
/** How busy the controller's thread is: `share` of the time, in slices of `sliceMs`. */
const LOADS = [
  { name: 'idle', share: 0, sliceMs: 0 },
  { name: '50 % busy, 20 ms slices', share: 0.5, sliceMs: 20 },
  { name: '90 % busy, 100 ms slices', share: 0.9, sliceMs: 100 },
  // The turns measured in the action at N = 100 while 100 agents took the CPU (bench/README.md, "Scale").
  { name: '95 % busy, 1 s turns', share: 0.95, sliceMs: 1000 },
]

/** The announcer: `rate` announces a second for `seconds`, each on a new connection; prints their answer times. */
const ANNOUNCER = `
const http = require('node:http')
const [url, rate, seconds] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])]
const times = []; let failed = 0; let sent = 0; const total = Math.round(rate * seconds); const started = Date.now()
const escape = (hex) => hex.replace(/../g, '%$&')
function one(index) {
  const peer = (index.toString(16).padStart(8, '0') + 'cd'.repeat(16)).slice(0, 40)
  const at = process.hrtime.bigint()
  const request = http.get(url + '&peer_id=' + escape(peer) + '&port=' + (10000 + (index % 50000)), { agent: false, timeout: 15000 }, (response) => {
    response.resume()
    response.on('end', () => { times.push(Number(process.hrtime.bigint() - at) / 1e6); done() })
  })
  request.on('timeout', () => request.destroy(new Error('timeout')))
  request.on('error', () => { failed++; done() })
}
function done() { if (times.length + failed === total) { console.log(JSON.stringify({ times, failed })); process.exit(0) } }
const tick = setInterval(() => {
  const due = Math.min(total, Math.round(((Date.now() - started) / 1000) * rate))
  while (sent < due) one(sent++)
  if (sent === total) clearInterval(tick)
}, 5)
`

function quantile(sorted: number[], q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}

/** Keeps this thread busy as `load` says until `until` (ms since the epoch). */
async function spin(load: (typeof LOADS)[number], until: number): Promise<void> {
  if (load.share === 0) return sleep(Math.max(0, until - Date.now())).then(() => undefined)
  const idleMs = (load.sliceMs * (1 - load.share)) / load.share
  while (Date.now() < until) {
    const sliceEnd = Math.min(until, Date.now() + load.sliceMs)
    while (Date.now() < sliceEnd) {
      // busy, as a handshake's cryptography or a parse of events keeps it
    }
    await sleep(idleMs)
  }
}

const rows: Record<string, unknown>[] = []
for (const load of LOADS) {
  for (const kind of KINDS) {
    const tracker = await kind.start()
    await tracker.allow(INFO_HASH)
    const url = `http://127.0.0.1:${tracker.port}/announce?info_hash=${INFO_HASH.replace(/../g, '%$&')}&uploaded=0&downloaded=0&left=100&compact=1&event=started`
    const child = spawn(process.execPath, ['-e', ANNOUNCER, url, String(rate), String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk))
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
    const cpu = process.cpuUsage()
    try {
      await spin(load, Date.now() + seconds * 1000)
      // Answers still owed come in once the loop is free; the announcer gives up on each at 15 s.
      await Promise.race([exited, sleep(30_000)])
    } finally {
      child.kill()
      await tracker.close()
    }
    const { times, failed } = JSON.parse(output || '{"times":[],"failed":-1}') as { times: number[]; failed: number }
    const sorted = times.sort((a, b) => a - b)
    const used = process.cpuUsage(cpu)
    rows.push({ load: load.name, tracker: kind.name, announces: times.length, failed, p50Ms: quantile(sorted, 0.5), p99Ms: quantile(sorted, 0.99), maxMs: sorted.at(-1) ?? NaN, thisProcessCpuSeconds: (used.user + used.system) / 1e6 })
  }
}

const ms = (value: unknown): string => (Number.isNaN(value) ? '–' : (value as number).toFixed(1))
console.log(`${rate} announces/s for ${seconds} s per row, each a new connection; ${os.cpus().length} cores, ${process.version}`)
console.log('| controller thread | tracker | answered | failed | p50 (ms) | p99 (ms) | max (ms) |')
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |')
for (const row of rows) console.log(`| ${row.load} | ${row.tracker} | ${row.announces} | ${row.failed} | ${ms(row.p50Ms)} | ${ms(row.p99Ms)} | ${ms(row.maxMs)} |`)
const out = new URL(`./results/tracker-${new Date().toISOString().replace(/[:.]/g, '-')}.json`, import.meta.url)
fs.writeFileSync(out, JSON.stringify({ command: `npm run bench:tracker -- --rate ${rate} --seconds ${seconds}`, node: process.version, cores: os.cpus().length, rows }, null, 1))
console.log(`written: bench/results/${out.pathname.split('/').pop()}`)
