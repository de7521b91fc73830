/**
 * `npm run bench:ceiling`: what one host can take in, and what each byte costs it, on links that do
 * not limit (unshaped veths), side by side in one run:
 *
 *   murder  the action deploys a tree to hosts 2-4, then the same tag to hosts 1-4: hosts 2-4 hold
 *           it and seed from their stores, host 1 downloads from the seeder and those 3 peers.
 *           Host 1's agent: MB/s while bytes flow (the mean of the seconds in which it took in at
 *           least a tenth of its best second) and CPU ms per MB received (user + kernel, its whole
 *           life: start-up, download, verify, decode, install).
 *   aria2c  Debian's aria2 on host 1 downloads the same kind of release from the action's own
 *           tracker and seeder (src/swarm/swarm.ts) on the runner: one source, not four, and a
 *           super-seeder, which hands a lone downloader its pieces a few at a time — compare its
 *           CPU per MB, not its rate. MB/s over its whole run.
 *   tcp     plain Node TCP: the runner and hosts 2-4 each send a quarter of S to host 1.
 *
 *   npm run bench:ceiling                 # S = 512 MiB, 3 rounds
 *   npm run bench:ceiling -- --size-mib 256 --repeat 1
 *
 * Results: bench/results/ceiling.json and a table (bench/README.md, "Swarm efficiency").
 */
import { createCipheriv, createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { parseArgs } from 'node:util'
import { createFleet, type Fleet, type FleetHost } from '../test/lab/fleet.js'
import { NODE24, REPO } from '../test/e2e/harness.js'
import { preinstallAgent, runMurder } from './murder.js'
import { round } from './sampler.js'

const { values: args } = parseArgs({
  options: {
    'size-mib': { type: 'string', default: '512' },
    repeat: { type: 'string', default: '3' },
    out: { type: 'string', default: path.join(REPO, 'bench/results') },
  },
})
const MiB = 1024 * 1024
const SIZE = Math.round(Number(args['size-mib']) * MiB)
const REPEAT = Math.max(1, Math.min(5, Number(args.repeat) || 1))
const TSX = path.join(REPO, 'node_modules/tsx/dist/esm/index.mjs')
const log = (line: string): void => console.log(`[ceiling ${new Date().toISOString().slice(11, 19)}] ${line}`)
const shq = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`

interface Row {
  way: string
  mbPerSecond: number
  cpuMsPerMB: number
  systemShare: number
}

/** `files` incompressible files adding up to `size`, from an AES-CTR keystream (the same bytes every run). */
function makeTree(size: number, files: number): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'murder-ceiling-'))
  const zeros = Buffer.alloc(MiB)
  for (let index = 0; index < files; index++) {
    const cipher = createCipheriv('aes-256-ctr', createHash('sha256').update(`ceiling:${index}`).digest(), Buffer.alloc(16))
    const fd = fs.openSync(path.join(root, `part-${index}.bin`), 'w')
    const share = Math.floor(size / files) + (index === files - 1 ? size % files : 0)
    for (let done = 0; done < share; done += MiB) fs.writeSync(fd, cipher.update(zeros.subarray(0, Math.min(MiB, share - done))))
    fs.closeSync(fd)
  }
  return root
}

/** Parses `/usr/bin/time -f '%e %U %S'` output (its last line). */
function times(stderr: string): { wall: number; user: number; system: number } {
  const [wall, user, system] = stderr.trim().split('\n').pop()!.trim().split(/\s+/).map(Number)
  return { wall: wall!, user: user!, system: system! }
}

async function murder(fleet: Fleet, source: string, round: number): Promise<Row> {
  const [receiver, ...holders] = fleet.hosts as [FleetHost, ...FleetHost[]]
  const label = (host: FleetHost): string => `root@${host.address}`
  const tag = `ceiling-${round}`
  const inputs = { 'compression-level': '0' }
  const seeded = await runMurder(fleet, { source, tag, inputs: { ...inputs, hosts: holders.map(label).join('\n') }, timeoutMs: 600_000, deadlineSeconds: 500 })
  if (!seeded.ok) throw new Error(`seeding hosts 2-4 failed: ${seeded.error ?? seeded.exitCode}`)
  const result = await runMurder(fleet, { source, tag, inputs: { ...inputs, hosts: fleet.hosts.map(label).join('\n') }, timeoutMs: 600_000, deadlineSeconds: 500 })
  if (!result.ok) throw new Error(`the deploy to host 1 failed: ${result.error ?? result.exitCode}`)
  const host = result.report.hosts.find((entry) => entry.host === label(receiver))!
  const trace = result.trace.hosts[0]!
  const mb = host.bytesReceived / 1e6
  // The rate while bytes flow: seconds in which host 1 took in at least a tenth of its best second
  // (its start-up, and hosts 2-4 verifying their stores before they serve, are not the link's).
  const perSecond = trace.rxPerSecond
  const best = Math.max(...perSecond)
  const flowing = perSecond.filter((value) => value >= best / 10)
  const rate = flowing.reduce((sum, value) => sum + value, 0) / Math.max(1, flowing.length)
  await fleet.execOnHost(receiver, `rm -rf /srv/releases`, 60_000)
  for (const holder of holders) await fleet.execOnHost(holder, `rm -rf /srv/releases`, 60_000)
  return { way: 'murder (seeder + 3 peers)', mbPerSecond: rate, cpuMsPerMB: (trace.agentCpuSeconds * 1000) / mb, systemShare: trace.agentSystemSeconds / trace.agentCpuSeconds }
}

async function aria2c(fleet: Fleet, source: string): Promise<Row> {
  const receiver = fleet.hosts[0]!
  const work = fs.mkdtempSync(path.join(fleet.workdir, 'ceiling-seeder-'))
  const torrent = path.join(work, 'release.torrent')
  const seeder = fleet.runInRunner(NODE24, ['--import', TSX, path.join(REPO, 'bench/ceiling-seeder.ts'), source, work, fleet.runnerAddress, torrent], { cwd: REPO })
  try {
    const ready = await new Promise<number>((resolve, reject) => {
      let out = ''
      seeder.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        const match = /ready (\d+)/.exec(out)
        if (match) resolve(Number(match[1]))
      })
      seeder.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk))
      seeder.once('exit', (code) => reject(new Error(`the seeder exited (${code})`)))
      setTimeout(() => reject(new Error('the seeder was not ready in 300 s')), 300_000).unref()
    })
    const run = await fleet.execOnHost(
      receiver,
      `rm -rf /tmp/aria && /usr/bin/time -f '%e %U %S' aria2c --dir=/tmp/aria --seed-time=0 --enable-dht=false --enable-dht6=false ` +
        `--bt-enable-lpd=false --enable-peer-exchange=false --file-allocation=none --summary-interval=0 --console-log-level=warn ` +
        `--quiet=true ${shq(torrent)} ; rm -rf /tmp/aria`,
      600_000,
    )
    if (run.code !== 0) throw new Error(`aria2c failed: ${run.stderr}`)
    const t = times(run.stderr)
    const mb = ready / 1e6
    return { way: 'aria2c (the seeder alone)', mbPerSecond: mb / t.wall, cpuMsPerMB: ((t.user + t.system) * 1000) / mb, systemShare: t.system / (t.user + t.system) }
  } finally {
    seeder.stdin!.end()
    await new Promise((resolve) => setTimeout(resolve, 500))
    if (seeder.exitCode === null) seeder.kill('SIGKILL')
    fs.rmSync(work, { recursive: true, force: true })
  }
}

const RECEIVE = `
const net = require('node:net'); const total = Number(process.argv[1]); const senders = Number(process.argv[2])
let got = 0, open = 0, t0
const server = net.createServer((socket) => {
  t0 ??= process.hrtime.bigint(); open++
  socket.on('data', (chunk) => { got += chunk.length })
  socket.on('close', () => { if (--open === 0 && got >= total) { const s = Number(process.hrtime.bigint() - t0) / 1e9; const c = process.cpuUsage(); console.log(JSON.stringify({ seconds: s, user: c.user / 1e6, system: c.system / 1e6, bytes: got })); server.close() } })
})
server.listen(7790, () => console.log('listening'))`
const SEND = `
const net = require('node:net'); const [address, bytes] = [process.argv[1], Number(process.argv[2])]
const block = require('node:crypto').randomBytes(1 << 20); let sent = 0
const socket = net.connect(7790, address, () => { const pump = () => { while (sent < bytes) { const n = Math.min(block.length, bytes - sent); sent += n; if (!socket.write(block.subarray(0, n))) return void socket.once('drain', pump) } socket.end() }; pump() })`

async function tcp(fleet: Fleet): Promise<Row> {
  const [receiver, ...others] = fleet.hosts as [FleetHost, ...FleetHost[]]
  const share = Math.floor(SIZE / 4)
  const receiving = fleet.execOnHost(receiver, `${shq(NODE24)} -e ${shq(RECEIVE)} ${SIZE - (SIZE % 4)} 4`, 300_000)
  await new Promise((resolve) => setTimeout(resolve, 1500))
  const send = `${shq(NODE24)} -e ${shq(SEND)} ${receiver.address} ${share}`
  await Promise.all([fleet.execInRunner(send, 300_000), ...others.map((host) => fleet.execOnHost(host, send, 300_000))])
  const result = JSON.parse((await receiving).stdout.trim().split('\n').pop()!) as { seconds: number; user: number; system: number; bytes: number }
  const mb = result.bytes / 1e6
  return { way: 'plain TCP (4 senders)', mbPerSecond: mb / result.seconds, cpuMsPerMB: ((result.user + result.system) * 1000) / mb, systemShare: result.system / (result.user + result.system) }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

const source = makeTree(SIZE, 8)
const fleet = await createFleet({ hosts: 4 })
const rounds: Row[][] = []
try {
  preinstallAgent(fleet)
  log(`fleet ${fleet.id}: 4 hosts, unshaped links; S = ${SIZE / MiB} MiB; ${REPEAT} rounds`)
  for (let index = 0; index < REPEAT; index++) {
    const rows = [await murder(fleet, source, index), await aria2c(fleet, source), await tcp(fleet)]
    for (const row of rows) log(`round ${index + 1}: ${row.way}: ${row.mbPerSecond.toFixed(0)} MB/s, ${row.cpuMsPerMB.toFixed(1)} ms/MB`)
    rounds.push(rows)
  }
} finally {
  await fleet.teardown()
  fs.rmSync(source, { recursive: true, force: true })
}
const table = [
  `One host receiving S = ${SIZE / MiB} MiB over unshaped veths (medians of ${REPEAT} rounds; CPU is user + kernel):`,
  '',
  '| way | MB/s | CPU ms per MB received | kernel share |',
  '| --- | ---: | ---: | ---: |',
  ...rounds[0]!.map((row, index) => {
    const of = (pick: (r: Row) => number): number => median(rounds.map((r) => pick(r[index]!)))
    return `| ${row.way} | ${of((r) => r.mbPerSecond).toFixed(0)} | ${of((r) => r.cpuMsPerMB).toFixed(1)} | ${(of((r) => r.systemShare) * 100).toFixed(0)} % |`
  }),
  '',
  'Goal (issue "Swarm efficiency"): murder ≥ 300 MB/s at ≤ 5 ms/MB.',
].join('\n')
console.log(`\n${table}`)
fs.mkdirSync(args.out, { recursive: true })
fs.writeFileSync(
  path.join(args.out, 'ceiling.json'),
  JSON.stringify({ finishedAt: new Date().toISOString(), sizeBytes: SIZE, loadavg: os.loadavg().map((value) => round(value, 2)), rounds, table }, null, 2) + '\n',
)
