/**
 * `npm run bench`: murder-action vs parallel scp vs the physical limit, for fleets of N hosts on the
 * local test fleet, every link (hosts and runner) shaped to the same rate. See bench/README.md.
 *
 *   npm run bench -- --hosts 4,8,16,32 --size-mib 16 --rate 20mbit --rss-gib 1
 *   npm run bench -- --hosts 32 --no-scp --input compression-level=0 --label level0 --no-latest
 */
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { parseArgs } from 'node:util'
import { createFleet, parseRate, type Fleet } from '../test/lab/fleet.js'
import { makeSourceTree, NODE24, REPO } from '../test/e2e/harness.js'
import { lineChartSvg } from './chart.js'
import { agentProfilingSessionEnv, collectAgentProfiles, preinstallAgent, runMurder, type MurderResult } from './murder.js'
import { busyOver, round } from './sampler.js'
import { calibrate, runScp, type ScpResult } from './scp.js'

const { values: args } = parseArgs({
  options: {
    hosts: { type: 'string', default: process.env.BENCH_HOSTS ?? '4,8,16,32' },
    'size-mib': { type: 'string', default: process.env.BENCH_SIZE_MIB ?? '16' },
    rate: { type: 'string', default: process.env.BENCH_RATE ?? '20mbit' },
    'rss-gib': { type: 'string', default: process.env.BENCH_RSS_GIB ?? '1' },
    scp: { type: 'boolean', default: process.env.BENCH_SCP !== '0' },
    'no-scp': { type: 'boolean', default: false },
    calibrate: { type: 'boolean', default: true },
    'no-calibrate': { type: 'boolean', default: false },
    cold: { type: 'boolean', default: process.env.BENCH_COLD === '1' },
    repeat: { type: 'string', default: process.env.BENCH_REPEAT ?? '1' },
    input: { type: 'string', multiple: true, default: [] },
    label: { type: 'string', default: process.env.BENCH_LABEL ?? '' },
    out: { type: 'string', default: path.join(REPO, 'bench/results') },
    'no-latest': { type: 'boolean', default: false },
    'chart-only': { type: 'boolean', default: false },
    'profile-agents': { type: 'boolean', default: false },
    'profile-action': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
})

if (args.help) {
  console.log(`npm run bench -- [options]
  --hosts 4,8,16,32     fleet sizes (BENCH_HOSTS)
  --size-mib 16         artifact size S, MiB of incompressible data (BENCH_SIZE_MIB)
  --rate 20mbit         every link's rate B, hosts and runner (BENCH_RATE)
  --rss-gib 1           then a 1-host unshaped deploy of this many GiB for the agent's peak RSS; 0 = skip (BENCH_RSS_GIB)
  --no-scp              skip the scp baseline
  --no-calibrate        skip the single-link scp calibration
  --cold                do not pre-install the agent on the hosts (measure a first deploy: agent shipped over SSH)
  --repeat 1            murder runs per fleet size (the table shows the median)
  --input name=value    extra action input, e.g. --input compression-level=0 (repeatable)
  --label text          name for this run in the results file
  --out dir             results directory (default bench/results)
  --no-latest           do not overwrite latest.json / chart.svg (for experiments)
  --chart-only          only redraw <out>/chart.svg from <out>/latest.json
  --profile-agents      diagnostics: every agent runs under the V8 profiler (profiles moved to <out>/profiles-N/)
  --profile-action      diagnostics: run the action (the seeder's process) under the V8 profiler (<out>/profiles-N/action/)`)
  process.exit(0)
}

const hostCounts = args.hosts.split(',').map((text) => Number(text.trim()))
if (hostCounts.some((n) => !Number.isInteger(n) || n < 1 || n > 240)) throw new Error(`--hosts: ${args.hosts}`)
const sizeBytes = Math.round(Number(args['size-mib']) * 1024 * 1024)
if (!(sizeBytes > 0)) throw new Error(`--size-mib: ${args['size-mib']}`)
const rateBits = parseRate(args.rate)
const rssGiB = Number(args['rss-gib'])
const doScp = args.scp && !args['no-scp']
const doCalibrate = args.calibrate && !args['no-calibrate']
const repeat = Math.max(1, Math.min(5, Number(args.repeat) || 1))
const extraInputs: Record<string, string> = {}
for (const entry of args.input) {
  const at = entry.indexOf('=')
  if (at <= 0) throw new Error(`--input wants name=value, got ${entry}`)
  extraInputs[entry.slice(0, at)] = entry.slice(at + 1)
}

const limitSeconds = (sizeBytes * 8) / rateBits
const deadlineSeconds = Math.ceil(Math.max(120, 10 * limitSeconds + 60))

const loadavg = (): string => fs.readFileSync('/proc/loadavg', 'utf8').trim()
const log = (message: string): void => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`)

let hostsNode: string | undefined

async function probeHostsNode(fleet: Fleet): Promise<void> {
  if (hostsNode !== undefined) return
  const ssh = fleet.sshArgs(fleet.hosts[0]!).map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ')
  const result = await fleet.execInRunner(`ssh ${ssh} 'node --version'`, 15_000)
  hostsNode = result.code === 0 ? result.stdout.trim() : `unknown (${result.stderr.trim().slice(0, 100)})`
}

function machine(): Record<string, string | number> {
  const version = (command: string, argv: string[]): string => {
    try {
      return execFileSync(command, argv, { encoding: 'utf8' }).trim().split('\n')[0]!
    } catch {
      return 'unknown'
    }
  }
  return {
    nproc: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    kernel: os.release(),
    actionNode: version(NODE24, ['--version']),
    // The hosts' Node is what `node` is in an SSH session (sshd's default PATH), not the bench's own.
    hostsNode: hostsNode ?? 'unknown',
    openssh: version('sh', ['-c', 'ssh -V 2>&1']),
    loadavgAtEnd: loadavg(),
  }
}

interface Row {
  hosts: number
  limitSeconds: number
  murder: MurderResult
  murderRuns: MurderResult[]
  scp?: ScpResult
}

async function withFleet<T>(hosts: number, rate: string | undefined, body: (fleet: Fleet) => Promise<T>, sessionEnv?: Record<string, string>): Promise<T> {
  const fleet = await createFleet({ hosts, link: rate ? { rate } : {}, sessionEnv })
  try {
    return await body(fleet)
  } finally {
    await fleet.teardown()
  }
}

function median<T>(items: T[], key: (item: T) => number): T {
  return [...items].sort((a, b) => key(a) - key(b))[Math.floor((items.length - 1) / 2)]!
}

function estimateSeconds(): number {
  const perMurder = 2.5 * limitSeconds + 15
  const scp = doScp ? hostCounts.reduce((sum, n) => sum + 1.1 * n * limitSeconds + 5, 0) : 0
  const rss = rssGiB > 0 ? 60 * rssGiB + 30 : 0
  return hostCounts.length * (repeat * perMurder + 5) + scp + rss + (doCalibrate ? limitSeconds + 3 : 0)
}

async function main(): Promise<void> {
  const startedAt = new Date()
  const settings = {
    hosts: hostCounts,
    sizeMiB: sizeBytes / 2 ** 20,
    sizeBytes,
    rate: args.rate,
    rateBitsPerSecond: rateBits,
    limitSeconds: round(limitSeconds, 2),
    agent: args.cold ? 'cold (shipped over SSH by the deploy)' : 'warm (pre-installed, as after a first deploy of this version)',
    inputs: extraInputs,
    repeat,
    deadlineSeconds,
    rssGiB,
  }
  log(`S = ${settings.sizeMiB} MiB, B = ${args.rate} (S/B = ${limitSeconds.toFixed(1)} s), N = ${hostCounts.join(', ')}; ` +
    `agent ${args.cold ? 'cold' : 'warm'}; inputs ${JSON.stringify(extraInputs)}; estimated ${Math.round(estimateSeconds() / 60)} min`)
  // The load average lags by minutes (a previous run of ours still shows in it); the CPU share in
  // use right now by others is what makes numbers noisy. Each run also records its own busyBefore.
  const busyNow = await busyOver(3000)
  log(`load average ${loadavg()}; CPU busy now ${Math.round(busyNow * 100)} %${busyNow > 0.25 ? '  ← other work is running: numbers will be noisy' : ''}`)
  const source = makeSourceTree(sizeBytes)
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'murder-bench-'))
  const rows: Row[] = []
  let calibration: Awaited<ReturnType<typeof calibrate>> | undefined
  let rss: (MurderResult & { sizeGiB: number }) | undefined
  const loadSamples: string[] = [loadavg()]
  try {
    for (const hosts of hostCounts) {
      await withFleet(hosts, args.rate, async (fleet) => {
        log(`fleet ${fleet.id}: ${hosts} hosts`)
        await probeHostsNode(fleet)
        if (!args.cold) preinstallAgent(fleet)
        if (doCalibrate && calibration === undefined) {
          calibration = await calibrate(fleet, path.join(source, 'app/blob.bin'))
          log(`calibration: one scp of ${settings.sizeMiB} MiB over one ${args.rate} link: ${calibration.seconds} s = ${calibration.mbitPerSecond} Mbit/s of payload`)
        }
        const runs: MurderResult[] = []
        for (let i = 0; i < repeat; i++) {
          loadSamples.push(loadavg())
          const actionProfiles = path.join(args.out, `profiles-${hosts}`, 'action')
          const result = await runMurder(fleet, {
            source,
            tag: `bench-${hosts}-${i + 1}`,
            inputs: extraInputs,
            deadlineSeconds,
            timeoutMs: (deadlineSeconds + 120) * 1000,
            ...(args['profile-action'] && { env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${actionProfiles}` } }),
          })
          runs.push(result)
          if (args['profile-agents']) log(`${collectAgentProfiles(fleet, path.join(args.out, `profiles-${hosts}`))} agent-side profiles in ${path.join(args.out, `profiles-${hosts}`)}`)
          log(
            `N=${hosts} murder${repeat > 1 ? ` #${i + 1}` : ''}: ${result.seconds} s to the last host (setup ${result.setupSeconds} s incl. pack ${result.packSeconds} s, ` +
              `first byte +${result.firstByteSeconds} s, transfer ${result.transferSeconds} s; step ${result.stepSeconds} s); seeder ${result.seederUploadedRatio} × S, ` +
              `agent ${result.agentPeakRssMB} MB, action ${result.actionPeakRssMB} MB, CPU ${Math.round(result.machineBusy * 100)} % (before: ${Math.round(result.busyBefore * 100)} %)${result.ok ? '' : '  FAILED'}`,
          )
          if (!result.ok) log(result.error ?? '')
        }
        const row: Row = { hosts, limitSeconds: round(limitSeconds, 2), murder: median(runs, (run) => run.seconds), murderRuns: runs }
        if (doScp) {
          loadSamples.push(loadavg())
          row.scp = await runScp(fleet, { source, workdir, gzip: true, timeoutMs: Math.ceil((3 * hosts * limitSeconds + 120) * 1000) })
          log(`N=${hosts} scp: ${row.scp.seconds} s to the last host (tar ${row.scp.tarSeconds} s)${row.scp.ok ? '' : `  FAILED ${row.scp.failures.join('; ')}`}`)
        }
        rows.push(row)
      }, args['profile-agents'] ? agentProfilingSessionEnv() : undefined)
    }
    if (rssGiB > 0) {
      fs.rmSync(source, { recursive: true, force: true })
      log(`agent memory: 1 host, unshaped link, ${rssGiB} GiB artifact …`)
      const big = makeSourceTree(Math.round(rssGiB * 2 ** 30))
      try {
        await withFleet(1, undefined, async (fleet) => {
          if (!args.cold) preinstallAgent(fleet)
          loadSamples.push(loadavg())
          const result = await runMurder(fleet, { source: big, tag: 'bench-rss', inputs: extraInputs, deadlineSeconds: 900, timeoutMs: 1000_000 })
          rss = { ...result, sizeGiB: rssGiB }
          log(`agent peak RSS ${result.agentPeakRssMB} MB, action peak RSS ${result.actionPeakRssMB} MB on ${rssGiB} GiB (step ${result.stepSeconds} s, pack ${result.packSeconds} s)${result.ok ? '' : '  FAILED'}`)
        })
      } finally {
        fs.rmSync(big, { recursive: true, force: true })
      }
    }
  } finally {
    fs.rmSync(source, { recursive: true, force: true })
    fs.rmSync(workdir, { recursive: true, force: true })
  }
  loadSamples.push(loadavg())

  const table = renderTable(rows)
  console.log('\n' + table)
  const details = renderDetails(rows)
  console.log('\n' + details)
  const targets = checkTargets(rows, rss)
  console.log('\n' + targets.map((target) => `${target.met ? 'MET   ' : 'MISSED'} ${target.name}: ${target.value}`).join('\n'))

  const result = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    label: args.label,
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: machine(),
    loadavg: loadSamples,
    settings,
    calibration,
    rows,
    rss,
    targets,
    table,
  }
  fs.mkdirSync(args.out, { recursive: true })
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-')
  const file = path.join(args.out, `${stamp}${args.label ? `-${args.label.replace(/[^A-Za-z0-9_.-]/g, '_')}` : ''}.json`)
  fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n')
  log(`results: ${path.relative(REPO, file)}`)
  if (!args['no-latest']) {
    fs.writeFileSync(path.join(args.out, 'latest.json'), JSON.stringify(result, null, 2) + '\n')
    writeChart(result, args.out)
    log(`latest: bench/results/latest.json, chart: bench/results/chart.svg`)
  }
  const failed = rows.some((row) => !row.murder.ok || (row.scp && !row.scp.ok)) || (rss !== undefined && !rss.ok)
  process.exitCode = failed ? 1 : 0
}

/** chart.svg from a results object (also: `--chart-only` redraws it from <out>/latest.json). */
function writeChart(result: { startedAt: string; settings: { sizeMiB: number; rate: string }; machine: Record<string, string | number>; rows: Row[] }, out: string): void {
  const { rows, settings } = result
  fs.writeFileSync(
    path.join(out, 'chart.svg'),
    lineChartSvg({
      title: `Time until every host holds the release (${settings.sizeMiB} MiB, every link ${settings.rate})`,
      subtitle: `murder-action vs parallel scp + untar; limit = S/B; ${result.machine.nproc} cores, local network namespaces; ${result.startedAt.slice(0, 10)}`,
      xLabel: 'hosts (N)',
      yLabel: 'seconds (log scale)',
      series: [
        { name: 'parallel scp', color: '#d62728', points: rows.filter((row) => row.scp).map((row) => ({ x: row.hosts, y: row.scp!.seconds })) },
        { name: 'murder-action', color: '#1f77b4', points: rows.map((row) => ({ x: row.hosts, y: row.murder.seconds })) },
        { name: 'limit S/B', color: '#2ca02c', dashed: true, points: rows.map((row) => ({ x: row.hosts, y: row.limitSeconds })) },
      ],
    }),
  )
}

function renderTable(rows: Row[]): string {
  const lines = [
    '| N | limit S/B (s) | murder (s) | scp (s) | murder ÷ limit | scp ÷ murder |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const row of rows) {
    lines.push(
      `| ${row.hosts} | ${row.limitSeconds.toFixed(1)} | ${row.murder.seconds.toFixed(1)}${row.murder.ok ? '' : ' (failed)'} | ` +
        `${row.scp ? row.scp.seconds.toFixed(1) + (row.scp.ok ? '' : ' (failed)') : '–'} | ${(row.murder.seconds / row.limitSeconds).toFixed(2)} | ` +
        `${row.scp ? (row.scp.seconds / row.murder.seconds).toFixed(1) : '–'} |`,
    )
  }
  return lines.join('\n')
}

function renderDetails(rows: Row[]): string {
  const lines = [
    '| N | step wall (s) | setup (s) | pack (s) | first byte (s) | first / median / last host (s) | seeder ÷ S | from peers | agent RSS (MB) | action RSS (MB) | CPU busy | swarm CPU ms per delivered MB |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const row of rows) {
    const m = row.murder
    const hs = m.hostSeconds
    lines.push(
      `| ${row.hosts} | ${m.stepSeconds.toFixed(1)} | ${m.setupSeconds.toFixed(2)} | ${m.packSeconds.toFixed(2)} | ${m.firstByteSeconds?.toFixed(1) ?? '–'} | ` +
        `${hs[0]?.toFixed(1)} / ${hs[Math.floor(hs.length / 2)]?.toFixed(1)} / ${hs[hs.length - 1]?.toFixed(1)} | ${m.seederUploadedRatio.toFixed(2)} | ` +
        `${Math.round(m.fromPeersShare * 100)} % | ${m.agentPeakRssMB} | ${m.actionPeakRssMB} | ${Math.round(m.machineBusy * 100)} % | ${m.swarmCpuMsPerMB} |`,
    )
  }
  return lines.join('\n')
}

function checkTargets(rows: Row[], rss: MurderResult | undefined): Array<{ name: string; met: boolean; value: string }> {
  const targets: Array<{ name: string; met: boolean; value: string }> = []
  const largest = rows.reduce<Row | undefined>((a, b) => (a === undefined || b.hosts > a.hosts ? b : a), undefined)
  const smallest = rows.reduce<Row | undefined>((a, b) => (a === undefined || b.hosts < a.hosts ? b : a), undefined)
  if (largest) {
    const bound = 1.3 * largest.limitSeconds + 3
    targets.push({ name: `N=${largest.hosts}: murder ≤ 1.3 × S/B + 3 s`, met: largest.murder.seconds <= bound, value: `${largest.murder.seconds} s vs ${bound.toFixed(1)} s` })
    if (smallest && smallest !== largest && smallest.hosts === 1) {
      // At N = 1 the swarm is one pair (seeder → agent): what a delivered byte costs without a swarm.
      const ratio = largest.murder.swarmCpuMsPerMB / smallest.murder.swarmCpuMsPerMB
      targets.push({ name: `swarm CPU per delivered MB at N=${largest.hosts} ≤ 1.5 × a pair's (N=1)`, met: ratio <= 1.5, value: `${largest.murder.swarmCpuMsPerMB} vs ${smallest.murder.swarmCpuMsPerMB} ms/MB: ${ratio.toFixed(2)}×` })
    }
    if (smallest && smallest !== largest) {
      const growth = largest.murder.seconds / smallest.murder.seconds
      targets.push({ name: `nearly flat from N=${smallest.hosts} to ${largest.hosts} (≤ 1.25×)`, met: growth <= 1.25, value: `${growth.toFixed(2)}×` })
    }
    if (largest.scp) {
      const speedup = largest.scp.seconds / largest.murder.seconds
      targets.push({ name: `N=${largest.hosts}: murder ≥ 10× faster than parallel scp`, met: speedup >= 10, value: `${speedup.toFixed(1)}×` })
    }
    targets.push({ name: `N=${largest.hosts}: seeder upload ≤ 3 × S`, met: largest.murder.seederUploadedRatio <= 3, value: `${largest.murder.seederUploadedRatio} × S` })
  }
  if (rss) targets.push({ name: 'agent peak RSS ≤ 150 MB on the RSS run', met: rss.agentPeakRssMB <= 150, value: `${rss.agentPeakRssMB} MB` })
  return targets
}

if (args['chart-only']) writeChart(JSON.parse(fs.readFileSync(path.join(args.out, 'latest.json'), 'utf8')), args.out)
else await main()
