/**
 * `npm run bench:objects`: what the content-addressed payload (objects on piece boundaries, an
 * object store on every host) is worth, in three parts. Each prints a markdown table and writes
 * bench/results/objects-<part>.json.
 *
 *   hotfix  8 hosts, 1 Gbit/s links: deploy a 1 GiB tree of ~600 incompressible files, rewrite a
 *           256 KiB region in 20 of them (5 MiB), deploy again. What each host and the seeder
 *           move for the hotfix, against the changed files' size (goal ≤ 3× for both).
 *   big     1 GiB of incompressible data (one file; optionally 16 files of 64 MiB), compression-level 0,
 *           unshaped links: murder with transport ssh and with transport swarm vs `tar | ssh 'tar -x'`
 *           to 1 host (goal ≤ 2×) and to 4 hosts in parallel (goal ≤ 1×), alternating, every deploy cold.
 *   pieces  16 hosts, 100 Mbit/s links, a 256 MiB tree of 100 incompressible files, at several
 *           piece lengths (MURDER_PIECE_LENGTH, or the action's own choice): time, seeder upload,
 *           agents' CPU, pad overhead.
 *
 *   npm run bench:objects                          # all three: about half an hour on 2 cores
 *   npm run bench:objects -- --part pieces --piece-kib 64,256,1024
 *   npm run bench:objects -- --part big --size-mib 64
 *
 * Every tree is generated from a seed (AES-CTR keystream: incompressible, and the same bytes on
 * every run) in the OS temp directory, and removed at the end.
 */
import { createCipheriv, createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { parseArgs } from 'node:util'
import { createFleet, type Fleet } from '../test/lab/fleet.js'
import { REPO } from '../test/e2e/harness.js'
import { preinstallAgent, runMurder, type MurderResult } from './murder.js'
import { busyOver, cpuSeconds, machineCpu, round } from './sampler.js'

const PARTS = ['hotfix', 'big', 'pieces'] as const
type Part = (typeof PARTS)[number]

const { values: args } = parseArgs({
  options: {
    part: { type: 'string', multiple: true, default: [] },
    'size-mib': { type: 'string', default: '1024' },
    repeat: { type: 'string', default: '3' },
    variants: { type: 'string', default: 'one' },
    'big-hosts': { type: 'string', default: '1,4' },
    'piece-kib': { type: 'string', default: '256,1024' },
    seed: { type: 'string', default: 'murder-objects-1' },
    out: { type: 'string', default: path.join(REPO, 'bench/results') },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
})

if (args.help) {
  console.log(`npm run bench:objects -- [options]
  --part hotfix|big|pieces   run only this part (repeatable); default all three
  --size-mib 1024            tree size of hotfix and big; pieces uses a quarter of it (default 256 MiB)
  --repeat 3                 big: alternations of murder and tar|ssh per setting (medians reported)
  --variants one            big: one file (one) and/or 16 files of size/16 (sixteen), e.g. one,sixteen
  --big-hosts 1,4            big: the fleet sizes (1 host: goal ≤ 2 × tar|ssh; more: ≤ 1 ×)
  --piece-kib 256,1024       pieces: the piece lengths compared (KiB, powers of two; auto = the action's own choice)
  --seed text                seed of the trees' content and of the hotfix's choices
  --out dir                  results directory (default bench/results)`)
  process.exit(0)
}

const parts: Part[] = args.part.length === 0 ? [...PARTS] : args.part.map((name) => {
  if (!(PARTS as readonly string[]).includes(name)) throw new Error(`--part: ${name} is not one of ${PARTS.join(', ')}`)
  return name as Part
})
const MiB = 1024 * 1024
const sizeBytes = Math.round(Number(args['size-mib']) * MiB)
if (!(sizeBytes >= 16 * MiB)) throw new Error(`--size-mib: ${args['size-mib']} (16 at least)`)
const repeat = Number(args.repeat)
if (!(Number.isInteger(repeat) && repeat >= 1 && repeat <= 5)) throw new Error(`--repeat: ${args.repeat} (1 … 5)`)
const bigHosts = args['big-hosts'].split(',').map((text) => Number(text.trim()))
if (bigHosts.some((count) => !(Number.isInteger(count) && count >= 1 && count <= 16))) throw new Error(`--big-hosts: ${args['big-hosts']} (1 … 16)`)
const variants = args.variants.split(',').map((name) => name.trim())
if (variants.some((name) => name !== 'one' && name !== 'sixteen')) throw new Error(`--variants: ${args.variants}`)
/** undefined = the action's own choice (no override). */
const pieceLengths = args['piece-kib'].split(',').map((text) => (text.trim() === 'auto' ? undefined : Number(text.trim()) * 1024))
if (pieceLengths.some((length) => length !== undefined && !(length >= 16 * 1024 && length <= 16 * MiB && (length & (length - 1)) === 0))) {
  throw new Error(`--piece-kib: ${args['piece-kib']} (powers of two, 16 … 16384)`)
}

const log = (message: string): void => console.log(`[objects ${new Date().toISOString().slice(11, 19)}] ${message}`)
const loadavg = (): string => fs.readFileSync('/proc/loadavg', 'utf8').trim()
const shq = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`
const MB = (bytes: number): string => (bytes / 1e6).toFixed(1)
const pct = (share: number): string => `${Math.round(share * 100)} %`
const DESTINATION = '/srv/releases'

/**
 * Directories of ours in the OS temp directory, removed however the bench ends: an interrupted run
 * (Ctrl-C, SIGTERM) says so and leaves nothing behind; the fleet's own handlers tear the fleet down.
 */
const temporary = new Set<string>()
process.on('exit', () => {
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true })
})
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    log(`${signal} received: stopping`)
    setImmediate(() => process.exit(1))
  })
}

function temporaryDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  temporary.add(dir)
  return dir
}

function removeTemporary(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true })
  temporary.delete(dir)
}
/** The tar | ssh baseline's target directory on each host. */
const TAR_DESTINATION = '/srv/tarssh'

// ---- trees ----------------------------------------------------------------------------------

/** mulberry32: a small seeded PRNG, so the hotfix picks the same files and regions on every run. */
function rng(seedText: string): () => number {
  let state = createHash('sha256').update(seedText).digest().readUInt32LE(0)
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const ZEROS = Buffer.alloc(MiB)

/** Writes `size` bytes of the AES-CTR keystream of `keyText` at `offset` of `file`: incompressible and reproducible. */
function writeKeystream(file: string, offset: number, size: number, keyText: string, flags: string): void {
  const key = createHash('sha256').update(keyText).digest()
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16))
  const fd = fs.openSync(file, flags)
  try {
    for (let done = 0; done < size; done += MiB) {
      const length = Math.min(MiB, size - done)
      fs.writeSync(fd, cipher.update(ZEROS.subarray(0, length)), 0, length, offset + done)
    }
  } finally {
    fs.closeSync(fd)
  }
}

interface TreeFile {
  relative: string
  size: number
}

/**
 * `count` files whose sizes are drawn uniformly from [minBytes, maxBytes] and then scaled so that
 * they add up to exactly `total`, spread over `dirs`.
 */
function makeTree(prefix: string, options: { total: number; count: number; minBytes: number; maxBytes: number; dirs: string[]; seed: string }): { root: string; files: TreeFile[] } {
  const root = temporaryDir(`murder-objects-${prefix}-`)
  const random = rng(`${options.seed}:sizes`)
  const weights = Array.from({ length: options.count }, () => options.minBytes + random() * (options.maxBytes - options.minBytes))
  const sum = weights.reduce((a, b) => a + b, 0)
  const sizes = weights.map((weight) => Math.floor((weight / sum) * options.total))
  sizes[sizes.length - 1]! += options.total - sizes.reduce((a, b) => a + b, 0)
  for (const dir of options.dirs) fs.mkdirSync(path.join(root, dir), { recursive: true })
  const files = sizes.map((size, index) => ({ relative: path.join(options.dirs[Math.floor(random() * options.dirs.length)]!, `f${String(index).padStart(4, '0')}.bin`), size }))
  for (const file of files) writeKeystream(path.join(root, file.relative), 0, file.size, `${options.seed}:${file.relative}`, 'w')
  return { root, files }
}

// ---- fleets and runs ------------------------------------------------------------------------

async function withFleet<T>(hosts: number, rate: string | undefined, body: (fleet: Fleet) => Promise<T>): Promise<T> {
  const fleet = await createFleet({ hosts, link: rate ? { rate } : {} })
  try {
    log(`fleet ${fleet.id}: ${hosts} hosts, links ${rate ?? 'unshaped'}`)
    preinstallAgent(fleet, AGENT)
    return await body(fleet)
  } finally {
    await fleet.teardown()
  }
}

/** Removes a release and the whole .murder directory (object store included) from every host: the next deploy is cold. */
function coldHosts(fleet: Fleet, tag: string): void {
  for (const host of fleet.hosts) {
    const releases = path.join(host.srvDir, DESTINATION.replace(/^\/srv\/?/, ''))
    fs.rmSync(path.join(releases, tag), { recursive: true, force: true })
    fs.rmSync(path.join(releases, '.murder'), { recursive: true, force: true })
    fs.rmSync(path.join(host.srvDir, TAR_DESTINATION.replace(/^\/srv\/?/, '')), { recursive: true, force: true })
  }
}

/**
 * The action as built when the bench started, copied aside: every deploy of the run uses the same
 * build even if dist/ is rebuilt meanwhile (another `npm run build` on this machine).
 */
const snapshot = temporaryDir('murder-objects-dist-')
fs.cpSync(path.join(REPO, 'dist'), path.join(snapshot, 'dist'), { recursive: true })
const ENTRY = path.relative(REPO, path.join(snapshot, 'dist/main/index.js'))
const AGENT = path.join(snapshot, 'dist/agent/murder-agent.mjs')
const BUILD = createHash('sha256').update(fs.readFileSync(path.join(snapshot, 'dist/main/index.js'))).update(fs.readFileSync(AGENT)).digest('hex').slice(0, 16)

/**
 * CPU seconds used meanwhile by processes in network namespaces that are neither the root one nor
 * this fleet's: other fleets' actions, agents and sshds (someone else's tests on this machine).
 * Sampled once a second; what a process used before the first sample is not counted.
 */
function watchOthers(fleet: Fleet): { stop(): number } {
  const inode = (file: string): number | undefined => {
    try {
      return fs.statSync(file).ino
    } catch {
      return undefined
    }
  }
  const mine = new Set([inode('/proc/1/ns/net'), ...[fleet.runnerNetns, fleet.bridgeNetns, ...fleet.hosts.map((host) => host.netns)].map((name) => inode(`/run/netns/${name}`))])
  const usage = new Map<number, { first: number; last: number }>()
  let firstPass = true
  const sample = (): void => {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue
      const ns = inode(`/proc/${entry}/ns/net`)
      if (ns === undefined || mine.has(ns)) continue
      const cpu = cpuSeconds(Number(entry))
      if (cpu === undefined) continue
      const seen = usage.get(Number(entry))
      if (seen) seen.last = cpu
      else usage.set(Number(entry), { first: firstPass ? cpu : 0, last: cpu })
    }
    firstPass = false
  }
  sample()
  const timer = setInterval(sample, 1000)
  return {
    stop(): number {
      clearInterval(timer)
      sample()
      return round([...usage.values()].reduce((sum, { first, last }) => sum + Math.max(0, last - first), 0), 1)
    },
  }
}

type Deployed = MurderResult & { othersCpuSeconds: number }

async function deploy(fleet: Fleet, source: string, tag: string, inputs: Record<string, string>, env?: NodeJS.ProcessEnv): Promise<Deployed> {
  const others = watchOthers(fleet)
  const run = await runMurder(fleet, { source, tag, inputs, deadlineSeconds: 600, timeoutMs: 720_000, env, entry: ENTRY })
  const result: Deployed = { ...run, othersCpuSeconds: others.stop() }
  const pieceKiB = pieceKiBOf(result)
  log(
    `${tag}: step ${result.stepSeconds} s, last host ${result.seconds} s (pack ${round(result.packSeconds, 2)} s, transfer ${result.transferSeconds} s), ` +
      `${MB(result.payloadBytes)} MB in ${result.report.objects} objects, ${Number.isNaN(pieceKiB) ? 'no torrent' : `${pieceKiB} KiB pieces`}, seeder ${MB(result.report.seederUploaded)} MB, ` +
      `agents CPU ${result.agentCpuSecondsTotal} s, CPU ${pct(result.machineBusy)} (before ${pct(result.busyBefore)}), others' CPU ${result.othersCpuSeconds} s${result.ok ? '' : '  FAILED'}`,
  )
  if (!result.ok) log(result.error ?? result.report.headline)
  return result
}

function pieceKiBOf(result: MurderResult): number {
  const line = result.progressLines.find((text) => / KiB pieces/.test(text))
  return Number(/(\d+) KiB pieces/.exec(line ?? '')?.[1] ?? NaN)
}

/**
 * Seconds from the step's start to the last second in which a host's link still received payload
 * (more than 1 MB): where the download ended, so that the rest of a host's time is writing the release.
 */
function receiveEndSeconds(result: MurderResult): number {
  let end = 0
  for (const host of result.trace.hosts) {
    const last = host.rxPerSecond.findLastIndex((mb) => mb > 1)
    if (last >= 0) end = Math.max(end, last + 1)
  }
  return end
}

interface TarSshResult {
  ok: boolean
  othersCpuSeconds: number
  /** Start → the last host's tar -x ended. */
  seconds: number
  hostSeconds: number[]
  machineBusy: number
  busyBefore: number
  failures: string[]
}

/** `tar -cf - -C src . | ssh host 'mkdir -p D && tar -xf - -C D'`, to every host of the fleet at once, from the runner. */
async function runTarSsh(fleet: Fleet, source: string, timeoutMs: number): Promise<TarSshResult> {
  const busyBefore = await busyOver(2000)
  const lines = ['set -u', 'now() { date +%s.%N; }', 't0=$(now)']
  const remote = `mkdir -p ${TAR_DESTINATION} && tar -xf - -C ${TAR_DESTINATION}`
  fleet.hosts.forEach((host, index) => {
    const ssh = fleet.sshArgs(host).map(shq).join(' ')
    lines.push(`( tar -cf - -C ${shq(source)} . | ssh ${ssh} ${shq(remote)}; echo "host ${index} $? $(now)" ) &`)
  })
  lines.push('wait', 'echo "start $t0"')
  const cpuStart = machineCpu()
  const others = watchOthers(fleet)
  const result = await fleet.execInRunner(lines.join('\n'), timeoutMs)
  const othersCpuSeconds = others.stop()
  const cpuEnd = machineCpu()
  const start = Number(/^start (\S+)$/m.exec(result.stdout)?.[1])
  const hosts = [...result.stdout.matchAll(/^host (\d+) (\d+) (\S+)$/gm)].map((match) => ({ index: Number(match[1]), code: Number(match[2]), at: Number(match[3]) - start }))
  const failures = fleet.hosts
    .map((host, index) => ({ host, done: hosts.find((entry) => entry.index === index) }))
    .filter(({ done }) => done === undefined || done.code !== 0)
    .map(({ host, done }) => `${host.name}: ${done === undefined ? 'no result (timed out?)' : `exit ${done.code}`}`)
  if (failures.length > 0 && result.stderr) failures.push(result.stderr.slice(-1000))
  const hostSeconds = hosts.map((entry) => round(entry.at, 2)).sort((a, b) => a - b)
  const out: TarSshResult = {
    ok: failures.length === 0 && !result.timedOut,
    othersCpuSeconds,
    seconds: round(Math.max(...hostSeconds), 2),
    hostSeconds,
    machineBusy: round((cpuEnd.busy - cpuStart.busy) / Math.max(1, cpuEnd.total - cpuStart.total), 3),
    busyBefore,
    failures,
  }
  log(`tar|ssh to ${fleet.hosts.length} host(s): ${out.seconds} s, CPU ${pct(out.machineBusy)} (before ${pct(busyBefore)}), others' CPU ${othersCpuSeconds} s${out.ok ? '' : `  FAILED ${failures.join('; ')}`}`)
  return out
}

// ---- statistics and output ------------------------------------------------------------------

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

const minMedMax = (values: number[], format: (value: number) => string): string =>
  `${format(Math.min(...values))} / ${format(median(values))} / ${format(Math.max(...values))}`

/** The run without the sampler's per-host payload curve (it follows the tar payload of old, empty now). */
function slim<T extends MurderResult>(result: T): T & { agentCpuSecondsByHost: number[] } {
  const hosts = result.trace.hosts.map(({ heldPerSecond: _held, ...host }) => ({ ...host, heldPerSecond: [] }))
  return { ...result, trace: { ...result.trace, fleetBytesPerSecond: [], hosts }, agentCpuSecondsByHost: result.trace.hosts.map((host) => host.agentCpuSeconds) }
}

function machine(): Record<string, string | number> {
  return { nproc: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memoryGiB: round(os.totalmem() / 2 ** 30, 1), kernel: os.release(), loadavg: loadavg() }
}

interface Goal {
  name: string
  met: boolean
  value: string
}

function writeResult(part: Part, startedAt: Date, data: Record<string, unknown>, table: string, goals: Goal[]): void {
  console.log('\n' + table + '\n')
  if (goals.length > 0) console.log(goals.map((goal) => `${goal.met ? 'MET   ' : 'MISSED'} ${goal.name}: ${goal.value}`).join('\n') + '\n')
  fs.mkdirSync(args.out, { recursive: true })
  const file = path.join(args.out, `objects-${part}.json`)
  const result = {
    part,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    command: `npm run bench:objects -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: machine(),
    build: BUILD,
    ...data,
    goals,
    table,
  }
  fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n')
  log(`results: ${path.relative(REPO, file)}`)
}

// ---- part 1: hotfix -------------------------------------------------------------------------

const HOTFIX = { hosts: 8, rate: '1gbit', changedFiles: 20, region: 256 * 1024, minFile: MiB / 2, maxFile: 3 * MiB }

async function hotfix(): Promise<boolean> {
  const startedAt = new Date()
  const count = Math.max(HOTFIX.changedFiles + 1, Math.round(sizeBytes / ((HOTFIX.minFile + HOTFIX.maxFile) / 2)))
  log(`hotfix: ${MB(sizeBytes)} MB in ${count} files, ${HOTFIX.hosts} hosts on ${HOTFIX.rate} links`)
  const tree = makeTree('hotfix', {
    total: sizeBytes,
    count,
    minBytes: HOTFIX.minFile,
    maxBytes: HOTFIX.maxFile,
    dirs: ['assets/images', 'assets/fonts', 'lib', 'bin', 'data'],
    seed: `${args.seed}:hotfix`,
  })
  try {
    return await withFleet(HOTFIX.hosts, HOTFIX.rate, async (fleet) => {
      const first = await deploy(fleet, tree.root, 'hot-1', {})
      // The hotfix: a 256 KiB region rewritten in each of 20 files chosen by the seed.
      const random = rng(`${args.seed}:hotfix:choice`)
      const candidates = tree.files.filter((file) => file.size >= HOTFIX.region)
      for (let i = candidates.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1))
        ;[candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!]
      }
      const changed: Array<TreeFile & { offset: number }> = []
      for (const file of candidates.slice(0, HOTFIX.changedFiles)) {
        const offset = Math.floor(random() * (file.size - HOTFIX.region + 1))
        writeKeystream(path.join(tree.root, file.relative), offset, HOTFIX.region, `${args.seed}:hotfix:${file.relative}`, 'r+')
        changed.push({ ...file, offset })
      }
      const changedBytes = changed.reduce((sum, file) => sum + file.size, 0)
      const regionBytes = changed.length * HOTFIX.region
      log(`hotfix: rewrote ${MB(regionBytes)} MB in ${changed.length} files of ${MB(changedBytes)} MB`)
      const second = await deploy(fleet, tree.root, 'hot-2', {})
      const rows = [
        { deploy: 'hot-1', run: first, newBytes: first.payloadBytes, what: 'whole tree' },
        { deploy: 'hot-2', run: second, newBytes: changedBytes, what: `${changed.length} changed files` },
      ]
      const lines = [
        `Hotfix: ${HOTFIX.hosts} hosts, every link ${HOTFIX.rate}; ${MB(sizeBytes)} MB in ${count} incompressible files; hot-2 rewrites ${MB(regionBytes)} MB (256 KiB in each of ${changed.length} files of ${MB(changedBytes)} MB in all).`,
        '"new" = what a host lacks: the whole tree for hot-1, the changed files (incompressible: compressed size = size) for hot-2.',
        '',
        '| deploy | step wall (s) | last host (s) | pack (s) | transfer (s) | new (MB) | received per host min / median / max (MB) | from store per host (MB) | seeder uploaded (MB) | max host received ÷ new | seeder ÷ new | pieces (KiB) | pad (MB) | agents CPU (s) | CPU busy (before) | CPU of others (s) |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ]
      for (const { deploy: name, run, newBytes } of rows) {
        const received = run.report.hosts.map((host) => host.bytesReceived)
        const fromStore = run.report.hosts.map((host) => host.bytesFromStore)
        lines.push(
          `| ${name}${run.ok ? '' : ' (failed)'} | ${run.stepSeconds.toFixed(1)} | ${run.seconds.toFixed(1)} | ${run.packSeconds.toFixed(1)} | ${run.transferSeconds.toFixed(1)} | ${MB(newBytes)} | ` +
            `${minMedMax(received, MB)} | ${minMedMax(fromStore, MB)} | ${MB(run.report.seederUploaded)} | ${(Math.max(...received) / newBytes).toFixed(2)} | ` +
            `${(run.report.seederUploaded / newBytes).toFixed(2)} | ${pieceKiBOf(run)} | ${MB(run.report.padBytes)} | ${run.agentCpuSecondsTotal.toFixed(1)} | ${pct(run.machineBusy)} (${pct(run.busyBefore)}) | ${run.othersCpuSeconds} |`,
        )
      }
      const received2 = second.report.hosts.map((host) => host.bytesReceived)
      const goals: Goal[] = [
        { name: 'hot-2: every host received ≤ 3 × the changed files', met: Math.max(...received2) <= 3 * changedBytes, value: `${(Math.max(...received2) / changedBytes).toFixed(2)} ×` },
        { name: 'hot-2: seeder uploaded ≤ 3 × the changed files', met: second.report.seederUploaded <= 3 * changedBytes, value: `${(second.report.seederUploaded / changedBytes).toFixed(2)} ×` },
        { name: 'hot-2: every host done (not "already present", not failed)', met: second.report.hosts.every((host) => host.result === 'done'), value: second.report.hosts.map((host) => host.result).join(', ') },
      ]
      writeResult(
        'hotfix',
        startedAt,
        {
          settings: { ...HOTFIX, sizeBytes, files: count, seed: args.seed },
          changed: changed.map(({ relative, size, offset }) => ({ relative, size, offset })),
          changedBytes,
          regionBytes,
          runs: rows.map(({ deploy: name, run, newBytes, what }) => ({ deploy: name, newBytes, what, ...slim(run) })),
        },
        lines.join('\n'),
        goals,
      )
      return first.ok && second.ok
    })
  } finally {
    removeTemporary(tree.root)
  }
}

// ---- part 2: big ----------------------------------------------------------------------------

/** The transports the big part compares, each beside tar | ssh in the same run. */
const BIG_TRANSPORTS = ['ssh', 'swarm'] as const
type BigTransport = (typeof BIG_TRANSPORTS)[number]

interface BigSetting {
  variant: string
  hosts: number
  murder: Record<BigTransport, Deployed[]>
  tar: TarSshResult[]
}

async function big(): Promise<boolean> {
  const startedAt = new Date()
  const settings: BigSetting[] = []
  const trees: Record<string, string> = {}
  try {
    for (const variant of variants) {
      const count = variant === 'one' ? 1 : 16
      trees[variant] = makeTree(`big-${variant}`, { total: sizeBytes, count, minBytes: 1, maxBytes: 1, dirs: ['big'], seed: `${args.seed}:big-${variant}` }).root
    }
    log(`big: ${MB(sizeBytes)} MB as ${variants.join(' and ')} file(s), compression-level 0, unshaped links, ${repeat} alternations`)
    for (const hosts of bigHosts) {
      await withFleet(hosts, undefined, async (fleet) => {
        for (const variant of variants) {
          const setting: BigSetting = { variant, hosts, murder: { ssh: [], swarm: [] }, tar: [] }
          settings.push(setting)
          for (let i = 1; i <= repeat; i++) {
            for (const transport of BIG_TRANSPORTS) {
              const tag = `big-${variant}-${hosts}-${transport}-${i}`
              setting.murder[transport].push(await deploy(fleet, trees[variant]!, tag, { 'compression-level': '0', transport }))
              coldHosts(fleet, tag)
            }
            setting.tar.push(await runTarSsh(fleet, trees[variant]!, 600_000))
            coldHosts(fleet, 'none')
          }
        }
      })
    }
  } finally {
    for (const root of Object.values(trees)) removeTemporary(root)
  }
  const lines = [
    `Big: ${MB(sizeBytes)} MB of incompressible data ("one": one file; "sixteen": 16 files), compression-level 0, unshaped links, every deploy cold; ` +
      `medians of ${repeat} alternating runs (murder transport ssh, murder transport swarm, tar|ssh, …). murder = the action's step wall time; tar|ssh = \`tar -cf - | ssh host 'tar -xf -'\`, one per host in parallel.`,
    '"receive end" = the last second any host\'s link received > 1 MB/s, from the step start; after it the hosts write the release.',
    '',
    '| variant | hosts | transport | murder step (s) | tar\\|ssh (s) | murder ÷ tar\\|ssh | goal | pack (s) | transfer (s) | receive end (s) | last host done (s) | pieces (KiB) | agents CPU (s) | action CPU (s) | CPU busy murder / tar\\|ssh (before) | CPU of others, max of a run (s) | runs murder · tar\\|ssh (s) |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ]
  const goals: Goal[] = []
  for (const setting of settings) for (const transport of BIG_TRANSPORTS) {
    const m = setting.murder[transport]
    const murder = median(m.map((run) => run.stepSeconds))
    const tar = median(setting.tar.map((run) => run.seconds))
    const goal = setting.hosts === 1 ? 2 : 1
    lines.push(
      `| ${setting.variant} | ${setting.hosts} | ${transport} | ${murder.toFixed(1)}${m.every((run) => run.ok) ? '' : ' (failed)'} | ${tar.toFixed(1)}${setting.tar.every((run) => run.ok) ? '' : ' (failed)'} | ` +
        `${(murder / tar).toFixed(2)} | ≤ ${goal} | ${median(m.map((run) => run.packSeconds)).toFixed(1)} | ${median(m.map((run) => run.transferSeconds)).toFixed(1)} | ` +
        `${median(m.map(receiveEndSeconds)).toFixed(0)} | ${median(m.map((run) => run.seconds)).toFixed(1)} | ${pieceKiBOf(m[0]!) || "–"} | ${median(m.map((run) => run.agentCpuSecondsTotal)).toFixed(1)} | ` +
        `${median(m.map((run) => run.actionCpuSeconds)).toFixed(1)} | ${pct(median(m.map((run) => run.machineBusy)))} / ${pct(median(setting.tar.map((run) => run.machineBusy)))} ` +
        `(${pct(Math.max(...m.map((run) => run.busyBefore), ...setting.tar.map((run) => run.busyBefore)))}) | ` +
        `${Math.max(...m.map((run) => run.othersCpuSeconds), ...setting.tar.map((run) => run.othersCpuSeconds))} | ` +
        `${m.map((run) => run.stepSeconds.toFixed(1)).join(', ')} · ${setting.tar.map((run) => run.seconds.toFixed(1)).join(', ')} |`,
    )
    goals.push({ name: `${setting.variant}, ${setting.hosts} host(s), transport ${transport}: murder ≤ ${goal} × tar|ssh`, met: murder <= goal * tar, value: `${(murder / tar).toFixed(2)} ×` })
  }
  writeResult(
    'big',
    startedAt,
    {
      settings: { sizeBytes, variants, repeat, hosts: bigHosts, transports: BIG_TRANSPORTS, inputs: { 'compression-level': '0' }, links: 'unshaped' },
      runs: settings.map((setting) => ({
        variant: setting.variant,
        hosts: setting.hosts,
        murder: Object.fromEntries(BIG_TRANSPORTS.map((transport) => [transport, setting.murder[transport].map(slim)])),
        tarSsh: setting.tar,
      })),
    },
    lines.join('\n'),
    goals,
  )
  return settings.every((setting) => BIG_TRANSPORTS.every((transport) => setting.murder[transport].every((run) => run.ok)) && setting.tar.every((run) => run.ok))
}

// ---- part 3: piece length -------------------------------------------------------------------

const PIECES = { hosts: 16, rate: '100mbit', files: 100, minFile: MiB, maxFile: 4 * MiB }

async function pieces(): Promise<boolean> {
  const startedAt = new Date()
  const total = Math.round(sizeBytes / 4)
  log(`pieces: ${MB(total)} MB in ${PIECES.files} files, ${PIECES.hosts} hosts on ${PIECES.rate} links, pieces of ${pieceLengths.map((length) => (length === undefined ? 'auto' : length / 1024)).join(', ')} KiB`)
  const tree = makeTree('pieces', { total, count: PIECES.files, minBytes: PIECES.minFile, maxBytes: PIECES.maxFile, dirs: ['assets', 'lib', 'data'], seed: `${args.seed}:pieces` })
  const runs: Array<{ pieceLength: number; auto: boolean; run: Deployed }> = []
  try {
    await withFleet(PIECES.hosts, PIECES.rate, async (fleet) => {
      for (const chosen of pieceLengths) {
        const tag = `pieces-${chosen === undefined ? 'auto' : `${chosen / 1024}k`}`
        const run = await deploy(fleet, tree.root, tag, { 'compression-level': '0' }, chosen === undefined ? undefined : { MURDER_PIECE_LENGTH: String(chosen) })
        runs.push({ pieceLength: chosen ?? pieceKiBOf(run) * 1024, auto: chosen === undefined, run })
        coldHosts(fleet, tag)
      }
    })
  } finally {
    removeTemporary(tree.root)
  }
  const limit = (total * 8) / 100e6
  const lines = [
    `Piece length: ${PIECES.hosts} hosts, every link ${PIECES.rate}; ${MB(total)} MB in ${PIECES.files} incompressible files (${MB(PIECES.minFile)}–${MB(PIECES.maxFile)} MB before scaling), ` +
      `compression-level 0, every deploy cold; S/B = ${limit.toFixed(1)} s. S = the objects' stored bytes (without pads); delivered = S × hosts.`,
    '',
    '| piece (KiB) | pieces | pad (MB) | pad ÷ S | step wall (s) | last host (s) | transfer (s) | seeder ÷ S | mean host received ÷ S | agents CPU (s) | agents CPU ms per delivered MB | agent RSS (MB) | CPU busy (before) | CPU of others (s) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const { pieceLength, auto, run } of runs) {
    const S = run.payloadBytes
    const received = run.report.hosts.map((host) => host.bytesReceived)
    const pieceCount = Math.round((S + run.report.padBytes) / pieceLength)
    const delivered = (S * run.report.hosts.length) / 1e6
    lines.push(
      `| ${pieceLength / 1024}${auto ? ' (auto)' : ''}${run.ok ? '' : ' (failed)'} | ${pieceCount} | ${MB(run.report.padBytes)} | ${pct(run.report.padBytes / S)} | ${run.stepSeconds.toFixed(1)} | ${run.seconds.toFixed(1)} | ` +
        `${run.transferSeconds.toFixed(1)} | ${(run.report.seederUploaded / S).toFixed(2)} | ${(received.reduce((a, b) => a + b, 0) / received.length / S).toFixed(2)} | ` +
        `${run.agentCpuSecondsTotal.toFixed(1)} | ${((run.agentCpuSecondsTotal * 1000) / delivered).toFixed(1)} | ${run.agentPeakRssMB} | ${pct(run.machineBusy)} (${pct(run.busyBefore)}) | ${run.othersCpuSeconds} |`,
    )
  }
  writeResult(
    'pieces',
    startedAt,
    {
      settings: { ...PIECES, sizeBytes: total, pieceLengths: pieceLengths.map((length) => length ?? 'auto'), inputs: { 'compression-level': '0' }, limitSeconds: round(limit, 2), seed: args.seed },
      runs: runs.map(({ pieceLength, auto, run }) => ({ pieceLength, auto, ...slim(run) })),
    },
    lines.join('\n'),
    [],
  )
  return runs.every(({ run }) => run.ok)
}

// ---- main -----------------------------------------------------------------------------------

const busyNow = await busyOver(3000)
log(`parts ${parts.join(', ')}; size ${args['size-mib']} MiB; build ${BUILD}; load average ${loadavg()}; CPU busy now ${pct(busyNow)}${busyNow > 0.25 ? '  ← other work is running: numbers will be noisy' : ''}`)
let ok = true
try {
  for (const part of parts) {
    const started = Date.now()
    ok = (part === 'hotfix' ? await hotfix() : part === 'big' ? await big() : await pieces()) && ok
    log(`${part}: ${Math.round((Date.now() - started) / 1000)} s`)
  }
} finally {
  removeTemporary(snapshot)
}
process.exitCode = ok ? 0 : 1
