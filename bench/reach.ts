/**
 * `npm run bench:reach`: the two ways of reaching a fleet the runner is far from (issue 13).
 *
 *  (a) seeder-host: the runner behind a slow link that accepts no inbound connection (a GitHub-hosted
 *      runner's), the hosts on fast links; the deploy with `seeder-host` (one of the hosts) beside
 *      parallel scp from the same runner, same fleet, same run. Goal: the last host within
 *      1.5 × S/B(runner's link) + 15 s.
 *  (b) zones: two zones of hosts joined by a slow trunk (test/lab zones), the runner in the first;
 *      the same deploy without zones (one seeder host) and with them (one seeder host per zone):
 *      time to the last host and bytes across the trunk, both ways.
 *
 *   npm run bench:reach                                    # the defaults below (~10 min)
 *   npm run bench:reach -- --hosts 3 --size-mib 4 --zone-hosts 2 --label smoke --no-scp
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { parseArgs } from 'node:util'
import { createFleet, parseRate, type Fleet, type FleetHost, type LinkShape } from '../test/lab/fleet.js'
import { makeSourceTree, REPO } from '../test/e2e/harness.js'
import { preinstallAgent, runMurder, type MurderResult } from './murder.js'
import { busyOver, round } from './sampler.js'
import { runScp, type ScpResult } from './scp.js'

const { values: args } = parseArgs({
  options: {
    only: { type: 'string', default: 'seeder,zones' },
    hosts: { type: 'string', default: '8' },
    'size-mib': { type: 'string', default: '30' },
    'runner-rate': { type: 'string', default: '10mbit' },
    rate: { type: 'string', default: '1gbit' },
    'zone-hosts': { type: 'string', default: '4' },
    'trunk-rate': { type: 'string', default: '20mbit' },
    'no-scp': { type: 'boolean', default: false },
    cold: { type: 'boolean', default: false },
    label: { type: 'string', default: '' },
    out: { type: 'string', default: path.join(REPO, 'bench/results') },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
})

if (args.help) {
  console.log(`npm run bench:reach -- [options]
  --only seeder,zones   which scenarios: seeder (a: seeder-host vs scp), zones (b: with vs without zones)
  --hosts 8             (a) hosts; the first is the seeder host
  --size-mib 30         artifact size S, MiB of incompressible data (both scenarios)
  --runner-rate 10mbit  (a) the runner's link B; it accepts no inbound connection
  --rate 1gbit          every host's link (and in (b) the runner's)
  --zone-hosts 4        (b) hosts per zone, its seeder host included; two zones
  --trunk-rate 20mbit   (b) the link between the zones
  --no-scp              (a) skip the parallel scp baseline
  --cold                do not pre-install the agent (a first deploy: the agent shipped over SSH)
  --label text          name for this run in the results file
  --out dir             results directory (default bench/results)`)
  process.exit(0)
}

const scenarios = new Set(args.only.split(',').map((name) => name.trim()))
for (const name of scenarios) if (name !== 'seeder' && name !== 'zones') throw new Error(`--only: unknown scenario ${name} (seeder, zones)`)
const hostCount = Number(args.hosts)
if (!Number.isInteger(hostCount) || hostCount < 2 || hostCount > 240) throw new Error(`--hosts: ${args.hosts} (2 to 240: the seeder host and at least one other)`)
const zoneHosts = Number(args['zone-hosts'])
if (!Number.isInteger(zoneHosts) || zoneHosts < 2 || zoneHosts > 120) throw new Error(`--zone-hosts: ${args['zone-hosts']} (2 to 120 per zone, its seeder host included)`)
const sizeBytes = Math.round(Number(args['size-mib']) * 1024 * 1024)
if (!(sizeBytes > 0)) throw new Error(`--size-mib: ${args['size-mib']}`)
const runnerBits = parseRate(args['runner-rate'])
const trunkBits = parseRate(args['trunk-rate'])
parseRate(args.rate)

/** S/B of the runner's link: the least time one copy takes to leave the runner. */
const runnerLimitSeconds = (sizeBytes * 8) / runnerBits
const trunkLimitSeconds = (sizeBytes * 8) / trunkBits
const deadlineSeconds = Math.ceil(Math.max(120, 6 * Math.max(runnerLimitSeconds, trunkLimitSeconds) + 60))

const log = (message: string): void => console.log(`[bench:reach ${new Date().toISOString().slice(11, 19)}] ${message}`)
const label = (host: FleetHost): string => `root@${host.address}`

async function withFleet<T>(options: Parameters<typeof createFleet>[0], body: (fleet: Fleet) => Promise<T>): Promise<T> {
  const fleet = await createFleet(options)
  try {
    if (!args.cold) preinstallAgent(fleet)
    return await body(fleet)
  } finally {
    await fleet.teardown()
  }
}

/** The runner takes no new inbound TCP connection (a GitHub-hosted runner's); its own outbound sessions work. */
async function refuseInbound(fleet: Fleet): Promise<void> {
  const drop = await fleet.execInRunner('iptables -A INPUT -p tcp --syn -j DROP')
  if (drop.code !== 0) throw new Error(`iptables in the runner namespace: ${drop.stderr}`)
}

/** What a run of the action says in the results: its times, its report's per-zone facts, less the traces. */
function summarize(result: MurderResult): Record<string, unknown> {
  const { trace: _trace, progressLines, report, ...rest } = result
  return { ...rest, zones: report.zones, hosts: report.hosts, progressLines }
}

interface SeederRow {
  hosts: number
  runnerRate: string
  rate: string
  limitSeconds: number
  goalSeconds: number
  murder: Record<string, unknown> & { seconds: number; ok: boolean }
  scp?: ScpResult
}

async function seederScenario(source: string, workdir: string): Promise<SeederRow> {
  const runnerLink: LinkShape = { rate: args['runner-rate'] }
  return withFleet({ hosts: hostCount, link: { rate: args.rate }, runnerLink }, async (fleet) => {
    await refuseInbound(fleet)
    const seeder = fleet.hosts[0]!
    log(`(a) fleet ${fleet.id}: ${hostCount} hosts on ${args.rate}, the runner on ${args['runner-rate']} taking no inbound connection; seeder-host ${label(seeder)}`)
    const murder = await runMurder(fleet, {
      source,
      tag: 'reach-seeder',
      inputs: { 'seeder-host': label(seeder) },
      deadlineSeconds,
      timeoutMs: (deadlineSeconds + 120) * 1000,
    })
    const goalSeconds = round(1.5 * runnerLimitSeconds + 15, 1)
    log(`(a) seeder-host: ${murder.seconds} s to the last host (goal ≤ ${goalSeconds} s = 1.5 × S/B ${runnerLimitSeconds.toFixed(1)} s + 15 s)${murder.ok ? '' : '  FAILED'}`)
    if (!murder.ok) log(murder.error ?? '')
    let scp: ScpResult | undefined
    if (!args['no-scp']) {
      scp = await runScp(fleet, { source, workdir, gzip: true, timeoutMs: Math.ceil((3 * hostCount * runnerLimitSeconds + 120) * 1000) })
      log(`(a) parallel scp: ${scp.seconds} s to the last host${scp.ok ? '' : `  FAILED ${scp.failures.join('; ')}`}`)
    }
    return {
      hosts: hostCount,
      runnerRate: args['runner-rate'],
      rate: args.rate,
      limitSeconds: round(runnerLimitSeconds, 2),
      goalSeconds,
      murder: summarize(murder) as SeederRow['murder'],
      scp,
    }
  })
}

interface ZoneRun {
  zones: boolean
  seconds: number
  ok: boolean
  /** Bytes across the trunk during the step, both ways. */
  trunkBytes: number
  trunkInto: number
  trunkOutOf: number
  /** trunkBytes ÷ the payload's stored bytes: copies that crossed. */
  trunkCopies: number
  murder: Record<string, unknown>
}

async function zonesScenario(): Promise<{ zoneHosts: number; trunkRate: string; rate: string; trunkLimitSeconds: number; runs: ZoneRun[] }> {
  const zones = [
    { name: 'dc1', hosts: zoneHosts },
    { name: 'dc2', hosts: zoneHosts },
  ]
  return withFleet({ hosts: 2 * zoneHosts, link: { rate: args.rate }, zones, trunk: { rate: args['trunk-rate'] } }, async (fleet) => {
    await refuseInbound(fleet)
    const inZone = (zone: string): FleetHost[] => fleet.hosts.filter((host) => host.zone === zone)
    const [seed1, seed2] = [inZone('dc1')[0]!, inZone('dc2')[0]!]
    log(`(b) fleet ${fleet.id}: 2 zones of ${zoneHosts} hosts on ${args.rate}, joined by ${args['trunk-rate']}; the runner in dc1; seeder hosts ${label(seed1)}, ${label(seed2)}`)
    const variants = [
      { zones: false, inputs: { hosts: fleet.hosts.map(label).join('\n'), 'seeder-host': label(seed1) } },
      {
        zones: true,
        inputs: {
          hosts: fleet.hosts.map((host) => `${label(host)} zone=${host.zone}`).join('\n'),
          'seeder-host': [seed1, seed2].map((host) => `${label(host)} zone=${host.zone}`).join('\n'),
        },
      },
    ]
    const runs: ZoneRun[] = []
    for (const variant of variants) {
      // Fresh bytes for each run: hosts keep what they received, and would seed it to the next.
      const source = makeSourceTree(sizeBytes)
      try {
        const before = await fleet.trunkBytes('dc2')
        const murder = await runMurder(fleet, {
          source,
          tag: `reach-${variant.zones ? 'zones' : 'flat'}`,
          inputs: variant.inputs,
          deadlineSeconds,
          timeoutMs: (deadlineSeconds + 120) * 1000,
        })
        const after = await fleet.trunkBytes('dc2')
        const [into, outOf] = [after.into - before.into, after.outOf - before.outOf]
        const run: ZoneRun = {
          zones: variant.zones,
          seconds: murder.seconds,
          ok: murder.ok,
          trunkBytes: into + outOf,
          trunkInto: into,
          trunkOutOf: outOf,
          trunkCopies: round((into + outOf) / murder.payloadBytes, 2),
          murder: summarize(murder),
        }
        runs.push(run)
        log(
          `(b) ${variant.zones ? 'with zones   ' : 'without zones'}: ${run.seconds} s to the last host; ${(run.trunkBytes / 1e6).toFixed(1)} MB across the trunk ` +
            `(${(into / 1e6).toFixed(1)} in, ${(outOf / 1e6).toFixed(1)} out) = ${run.trunkCopies} × the payload${run.ok ? '' : '  FAILED'}`,
        )
        if (!murder.ok) log(murder.error ?? '')
      } finally {
        fs.rmSync(source, { recursive: true, force: true })
      }
    }
    return { zoneHosts, trunkRate: args['trunk-rate'], rate: args.rate, trunkLimitSeconds: round(trunkLimitSeconds, 2), runs }
  })
}

function renderTables(seeder: SeederRow | undefined, zones: Awaited<ReturnType<typeof zonesScenario>> | undefined): string {
  const lines: string[] = []
  if (seeder) {
    lines.push(
      `(a) ${seeder.hosts} hosts on ${seeder.rate}, the runner on ${seeder.runnerRate} (no inbound), S = ${args['size-mib']} MiB`,
      '',
      '| S/B runner (s) | goal (s) | seeder-host (s) | parallel scp (s) | goal met | scp ÷ seeder-host |',
      '| ---: | ---: | ---: | ---: | --- | ---: |',
      `| ${seeder.limitSeconds.toFixed(1)} | ${seeder.goalSeconds.toFixed(1)} | ${seeder.murder.seconds.toFixed(1)}${seeder.murder.ok ? '' : ' (failed)'} | ` +
        `${seeder.scp ? seeder.scp.seconds.toFixed(1) + (seeder.scp.ok ? '' : ' (failed)') : '–'} | ${seeder.murder.ok && seeder.murder.seconds <= seeder.goalSeconds ? 'yes' : 'no'} | ` +
        `${seeder.scp ? (seeder.scp.seconds / seeder.murder.seconds).toFixed(1) : '–'} |`,
    )
  }
  if (zones) {
    if (lines.length > 0) lines.push('')
    lines.push(
      `(b) 2 zones × ${zones.zoneHosts} hosts on ${zones.rate}, joined by ${zones.trunkRate} (S/B trunk ${zones.trunkLimitSeconds.toFixed(1)} s), S = ${args['size-mib']} MiB`,
      '',
      '| deploy | last host (s) | across the trunk (MB) | × payload |',
      '| --- | ---: | ---: | ---: |',
      ...zones.runs.map(
        (run) => `| ${run.zones ? 'with zones' : 'without zones'} | ${run.seconds.toFixed(1)}${run.ok ? '' : ' (failed)'} | ${(run.trunkBytes / 1e6).toFixed(1)} | ${run.trunkCopies.toFixed(2)} |`,
      ),
    )
  }
  return lines.join('\n')
}

async function main(): Promise<void> {
  const startedAt = new Date()
  const busyNow = await busyOver(3000)
  log(`S = ${args['size-mib']} MiB; scenarios ${[...scenarios].join(', ')}; CPU busy now ${Math.round(busyNow * 100)} %${busyNow > 0.25 ? '  ← other work is running: numbers will be noisy' : ''}`)
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'murder-bench-reach-'))
  let seeder: SeederRow | undefined
  let zones: Awaited<ReturnType<typeof zonesScenario>> | undefined
  try {
    if (scenarios.has('seeder')) {
      const source = makeSourceTree(sizeBytes)
      try {
        seeder = await seederScenario(source, workdir)
      } finally {
        fs.rmSync(source, { recursive: true, force: true })
      }
    }
    if (scenarios.has('zones')) zones = await zonesScenario()
  } finally {
    fs.rmSync(workdir, { recursive: true, force: true })
  }
  const table = renderTables(seeder, zones)
  console.log('\n' + table)
  const result = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    label: args.label,
    command: `npm run bench:reach -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: { nproc: os.cpus().length, kernel: os.release(), busyBefore: busyNow },
    // The output folder as the repository names it: a result file says nothing of the machine's own paths.
    settings: { ...args, out: path.relative(REPO, args.out), sizeBytes, deadlineSeconds, agent: args.cold ? 'cold' : 'warm (pre-installed)' },
    seeder,
    zones,
    table,
  }
  fs.mkdirSync(args.out, { recursive: true })
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-')
  const file = path.join(args.out, `reach-${stamp}${args.label ? `-${args.label.replace(/[^A-Za-z0-9_.-]/g, '_')}` : ''}.json`)
  fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n')
  log(`results: ${path.relative(REPO, file)}`)
  const failed = (seeder !== undefined && (!seeder.murder.ok || (seeder.scp !== undefined && !seeder.scp.ok))) || (zones?.runs.some((run) => !run.ok) ?? false)
  process.exitCode = failed ? 1 : 0
}

await main()
