/**
 * `npm run bench:scale`: the deploy at fleet sizes past what the main benchmark runs, in the two
 * profiles that once broke it (issue "Scale"): every link 8 Mbit/s with an 8 MiB payload (the
 * seeder saturates the runner's link), and every link 1 Gbit/s with a 4 MiB payload (the seeder's
 * CPU and the swarm's connectivity are what is left). Writes bench/results/scale-<time>.json and
 * prints one row per run. See bench/README.md ("Scale").
 *
 *   npm run bench:scale                                 # both profiles at N = 100
 *   npm run bench:scale -- --hosts 100,200 --profile fast --repeat 2
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { parseArgs } from 'node:util'
import { createFleet } from '../test/lab/fleet.js'
import type { SessionEnv } from '../test/lab/types.js'
import { makeSourceTree, REPO } from '../test/e2e/harness.js'
import { agentProfilingSessionEnv, collectAgentProfiles, preinstallAgent, runMurder, type MurderResult } from './murder.js'
import { busyOver, round } from './sampler.js'

const PROFILES = {
  saturated: { rate: '8mbit', sizeMiB: 8, deadlineSeconds: 240 },
  fast: { rate: '1gbit', sizeMiB: 4, deadlineSeconds: 300 },
} as const
type ProfileName = keyof typeof PROFILES

const { values: args } = parseArgs({
  options: {
    hosts: { type: 'string', default: process.env.BENCH_HOSTS ?? '100' },
    profile: { type: 'string', multiple: true, default: ['saturated', 'fast'] },
    repeat: { type: 'string', default: '1' },
    input: { type: 'string', multiple: true, default: [] },
    label: { type: 'string', default: '' },
    'piece-kib': { type: 'string', default: '' },
    'size-mib': { type: 'string', default: '' },
    'warm-stores': { type: 'boolean', default: false },
    'action-env': { type: 'string', multiple: true, default: [] },
    'agent-env': { type: 'string', multiple: true, default: [] },
    'vs-dist': { type: 'string', default: '' },
    'profile-agents': { type: 'boolean', default: false },
    'profiled-hosts': { type: 'string', default: '10' },
    out: { type: 'string', default: path.join(REPO, 'bench/results') },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
})

if (args.help) {
  console.log(`npm run bench:scale -- [options]
  --hosts 100           fleet sizes, comma-separated (BENCH_HOSTS); 240 at most
  --profile NAME        saturated (8mbit links, 8 MiB) and/or fast (1gbit links, 4 MiB); repeatable; default both
  --repeat 1            runs per profile and size
  --input name=value    extra action input, e.g. --input seeder-upload-limit=6mbit (repeatable)
  --label text          name for this run in the results file
  --action-env N=v      diagnostics: extra environment for the action (repeatable), e.g. NODE_OPTIONS=--require=…
  --vs-dist DIR         a second build (a copy of another commit's dist/): every run is made with this build and then
                        with DIR/main/index.js, alternating, so the two are compared side by side (rows: build head / vs)
  --agent-env N=v       diagnostics: extra environment for every agent, through sshd (repeatable), e.g. NODE_OPTIONS=--max-semi-space-size=32
  --size-mib 4          the payload, in place of the profile's (e.g. 0.25: what a host costs with almost nothing to move)
  --warm-stores         keep the hosts' object stores between runs (with --repeat 2, the second run moves nothing:
                        what a deploy costs beside the transfer)
  --piece-kib 32,256    piece lengths to compare side by side (MURDER_PIECE_LENGTH; default: the action's own choice)
  --profile-agents      diagnostics: agents run under the V8 profiler (profiles moved to <out>/profiles-scale-<profile>-N/;
                        summarize with bench/profile-summary.ts)
  --profiled-hosts 10   how many hosts' agents --profile-agents profiles: 100 profilers at once starve the machine
  --out dir             results directory (default bench/results)`)
  process.exit(0)
}

const hostCounts = args.hosts.split(',').map((text) => Number(text.trim()))
if (hostCounts.some((n) => !Number.isInteger(n) || n < 1 || n > 240)) throw new Error(`--hosts: ${args.hosts}`)
const profiles = args.profile.map((name) => {
  if (!(name in PROFILES)) throw new Error(`--profile: ${name} is not one of ${Object.keys(PROFILES).join(', ')}`)
  return name as ProfileName
})
const pieceKiBs: (number | undefined)[] = args['piece-kib'] ? args['piece-kib'].split(',').map((text) => Number(text.trim())) : [undefined]
if (pieceKiBs.some((kib) => kib !== undefined && !(Number.isInteger(Math.log2(kib)) && kib >= 16 && kib <= 16384))) throw new Error(`--piece-kib: ${args['piece-kib']} (powers of two, 16 to 16384)`)
if (args['size-mib'] && !(Number(args['size-mib']) > 0)) throw new Error(`--size-mib: ${args['size-mib']} is not a positive number`)
const pairs = (entries: string[], option: string): Record<string, string> =>
  Object.fromEntries(
    entries.map((entry) => {
      const at = entry.indexOf('=')
      if (at <= 0) throw new Error(`${option} wants name=value, got ${entry}`)
      return [entry.slice(0, at), entry.slice(at + 1)]
    }),
  )
const inputs = pairs(args.input, '--input')
const actionEnv = pairs(args['action-env'], '--action-env')
const agentEnv = pairs(args['agent-env'], '--agent-env')
const vsDist = args['vs-dist'] ? path.resolve(args['vs-dist']) : undefined
if (vsDist !== undefined && !fs.existsSync(path.join(vsDist, 'main/index.js'))) throw new Error(`--vs-dist: no main/index.js in ${vsDist}`)
/** The builds each run is made with: this checkout's dist/, then --vs-dist's. */
const builds: Array<{ name: string; entry?: string }> = [{ name: 'head' }, ...(vsDist !== undefined ? [{ name: 'vs', entry: path.relative(REPO, path.join(vsDist, 'main/index.js')) }] : [])]
if (args['profile-agents'] && Object.keys(agentEnv).length > 0) throw new Error('--agent-env and --profile-agents both set the agents\' environment: use one')

/** The profiler's environment for the first `count` hosts only. */
function profiledHosts(count: number): SessionEnv {
  const env = agentProfilingSessionEnv(10_000)
  return (host) => (Number(/\d+$/.exec(host.name)?.[0]) <= count ? env : undefined)
}

/** What one run says about scale, from the report and the sampler. */
function summarize(profile: ProfileName, hosts: number, run: MurderResult, pieceKiB: number | undefined, build: string) {
  const { report, trace } = run
  const quantile = (values: number[], q: number): number | null => {
    const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b)
    return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!
  }
  const hostSeconds = report.hosts.map((host) => host.seconds ?? NaN)
  const started = report.hosts.map((host) => host.agentStartedSeconds).filter((value): value is number => value !== null)
  const transfer = Math.max(0.001, report.transferSeconds)
  return {
    profile,
    build,
    hosts,
    pieceKiB: pieceKiB ?? null,
    ok: run.ok,
    failed: report.hostsFailed,
    failures: report.hosts.filter((host) => host.result === 'failed').map((host) => `${host.host}: ${host.error}`),
    lastHostSeconds: run.seconds,
    transferSeconds: report.transferSeconds,
    hostP50: quantile(hostSeconds, 0.5),
    hostP99: quantile(hostSeconds, 0.99),
    seederTimesS: run.seederUploadedRatio,
    /** What the hosts received over what they needed: blocks fetched twice (end game, timeouts) show here. */
    meanReceivedTimesS: round(report.hosts.reduce((sum, host) => sum + host.bytesReceived, 0) / (hosts * report.payloadBytes), 3),
    fromPeers: run.fromPeersShare,
    agentStartSpread: started.length > 0 ? round(Math.max(...started) - Math.min(...started), 2) : null,
    agentStartLast: started.length > 0 ? round(Math.max(...started), 2) : null,
    actionCpuSeconds: run.actionCpuSeconds,
    actionCpuMsPerHost: round((1000 * run.actionCpuSeconds) / hosts, 1),
    actionPeakRssMB: run.actionPeakRssMB,
    actionRssKBPerHost: round((1024 * run.actionPeakRssMB) / hosts, 1),
    agentPeakRssMB: run.agentPeakRssMB,
    agentCpuSecondsTotal: run.agentCpuSecondsTotal,
    machineBusy: run.machineBusy,
    trackerAnnounces: report.trackerAnnounces,
    announcesPerSecond: round(report.trackerAnnounces / transfer, 2),
    neverGotAByte: report.hosts.filter((host) => host.result !== 'already present' && host.bytesReceived === 0).map((host) => host.host),
    busyBefore: run.busyBefore,
    runnerTxMB: run.runnerTxMB,
    durationMs: trace.durationMs,
  }
}

const log = (message: string): void => console.log(`[scale ${new Date().toISOString().slice(11, 19)}] ${message}`)

async function main(): Promise<void> {
  const startedAt = new Date()
  const rows: ReturnType<typeof summarize>[] = []
  const runs: MurderResult[] = []
  for (const profileName of profiles) {
    const profile = { ...PROFILES[profileName], ...(args['size-mib'] && { sizeMiB: Number(args['size-mib']) }) }
    const source = makeSourceTree(profile.sizeMiB * 2 ** 20)
    try {
      for (const hosts of hostCounts) {
        const fleet = await createFleet({ hosts, link: { rate: profile.rate }, ...(args['profile-agents'] && { sessionEnv: profiledHosts(Number(args['profiled-hosts'])) }), ...(Object.keys(agentEnv).length > 0 && { sessionEnv: agentEnv }) })
        try {
          preinstallAgent(fleet)
          if (vsDist !== undefined) preinstallAgent(fleet, path.join(vsDist, 'agent/murder-agent.mjs'))
          for (let index = 0; index < Number(args.repeat); index++) for (const pieceKiB of pieceKiBs) for (const build of builds) {
            // Every run cold, unless asked: a store that kept the last run's objects downloads nothing.
            if (!args['warm-stores']) for (const host of fleet.hosts) fs.rmSync(path.join(host.srvDir, 'releases'), { recursive: true, force: true })
            const busy = await busyOver(2000)
            log(`${profileName}: N=${hosts}, every link ${profile.rate}, ${profile.sizeMiB} MiB, run ${index + 1}${pieceKiB ? `, ${pieceKiB} KiB pieces` : ''}${vsDist ? `, build ${build.name}` : ''}; CPU busy before ${Math.round(busy * 100)} %`)
            const run = await runMurder(fleet, {
              source,
              tag: `scale-${profileName}-${hosts}-${index + 1}${pieceKiB ? `-${pieceKiB}k` : ''}-${build.name}`,
              inputs: { 'compression-level': '0', ...inputs },
              deadlineSeconds: profile.deadlineSeconds,
              timeoutMs: (profile.deadlineSeconds + 180) * 1000,
              env: { ...actionEnv, ...(pieceKiB && { MURDER_PIECE_LENGTH: String(pieceKiB * 1024) }) },
              entry: build.entry,
            })
            if (args['profile-agents']) {
              const dir = path.join(args.out, `profiles-scale-${profileName}-${hosts}`)
              log(`${collectAgentProfiles(fleet, dir)} agent-side profiles in ${dir}`)
            }
            const row = summarize(profileName, hosts, run, pieceKiB, build.name)
            rows.push(row)
            runs.push(run)
            log(
              `${row.ok ? 'ok' : 'FAILED'}: last host ${row.lastHostSeconds} s (p50 ${row.hostP50}, p99 ${row.hostP99}), ${row.failed} failed, ` +
                `seeder ${row.seederTimesS} × S, each host ${row.meanReceivedTimesS} × S, from peers ${Math.round(row.fromPeers * 100)} %, agents started over ${row.agentStartSpread} s, ` +
                `agents ${row.agentCpuSecondsTotal} s CPU, action ${row.actionCpuSeconds} s CPU / ${row.actionPeakRssMB} MB, ${row.announcesPerSecond} announces/s, never a byte: ${row.neverGotAByte.length}`,
            )
            for (const failure of row.failures.slice(0, 5)) log(`  ${failure}`)
          }
        } finally {
          await fleet.teardown()
        }
      }
    } finally {
      fs.rmSync(source, { recursive: true, force: true })
    }
  }
  fs.mkdirSync(args.out, { recursive: true })
  const file = path.join(args.out, `scale-${startedAt.toISOString().replace(/[:.]/g, '-')}${args.label ? `-${args.label}` : ''}.json`)
  fs.writeFileSync(file, JSON.stringify({ startedAt, label: args.label, inputs, rows, progressLines: runs.map((run) => run.progressLines) }, null, 1) + '\n')
  console.log('\n| profile | build | N | piece (KiB) | ok | step (s) | last host (s) | p50 / p99 (s) | seeder ÷ S | host received ÷ S | from peers | agent start spread (s) | agents CPU (s) | action CPU (s) | action CPU / host (ms) | action RSS (MB) | announces/s | never a byte |')
  console.log('| --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const row of rows) {
    console.log(
      `| ${row.profile} | ${row.build} | ${row.hosts} | ${row.pieceKiB ?? 'auto'} | ${row.ok ? 'yes' : `**no** (${row.failed} failed)`} | ${round(row.durationMs / 1000, 1)} | ${row.lastHostSeconds} | ${row.hostP50} / ${row.hostP99} | ${row.seederTimesS} | ${row.meanReceivedTimesS} | ` +
        `${Math.round(row.fromPeers * 100)} % | ${row.agentStartSpread} | ${row.agentCpuSecondsTotal} | ${row.actionCpuSeconds} | ${row.actionCpuMsPerHost} | ${row.actionPeakRssMB} | ${row.announcesPerSecond} | ${row.neverGotAByte.length} |`,
    )
  }
  log(`results: ${path.relative(process.cwd(), file)}`)
}

await main()
