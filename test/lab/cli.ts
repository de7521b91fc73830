/**
 * murder test fleet CLI (root only).
 *
 *   npx tsx test/lab/cli.ts up [--hosts 4] [--rate 100mbit] [--delay 20ms] [--loss 1%]
 *                             [--runner-rate 1gbit] [--runner-delay 0ms] [--srv-mib 64] [--no-sshd 3,4]
 *                             [--zones dc1:3,dc2:3 --trunk-rate 20mbit]
 *       prints the fleet as JSON on stdout, then keeps running until SIGINT/SIGTERM and tears down.
 *   npx tsx test/lab/cli.ts cleanup    tear down fleets whose owner process is dead
 *   npx tsx test/lab/cli.ts list       show the fleet state files
 */
import fs from 'node:fs'
import path from 'node:path'
import { createFleet, cleanupStaleFleetsSync, STATE_DIR, type HostSpec, type LinkShape } from './fleet.js'

const USAGE =
  'usage: cli.ts up [--hosts N] [--rate R] [--delay D] [--loss L] [--runner-rate R] [--runner-delay D] [--runner-loss L] ' +
  '[--srv-mib M] [--no-sshd i,j] [--zones name:hosts,… --trunk-rate R] | cleanup | list'

/** --name value, --name=value, or a bare --flag (= 'true'). */
function parseArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`)
    const eq = arg.indexOf('=')
    if (eq > 0) args.set(arg.slice(2, eq), arg.slice(eq + 1))
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) args.set(arg.slice(2), argv[++i]!)
    else args.set(arg.slice(2), 'true')
  }
  return args
}

function shapeFrom(args: Map<string, string>, prefix = ''): LinkShape | undefined {
  const shape: LinkShape = {}
  for (const key of ['rate', 'delay', 'loss'] as const) {
    const value = args.get(prefix + key)
    if (value) shape[key] = value
  }
  return Object.keys(shape).length ? shape : undefined
}

async function main() {
  const [cmd, ...rest] = process.argv.slice(2)
  if (cmd === 'cleanup') {
    const removed = cleanupStaleFleetsSync()
    console.log(JSON.stringify({ removed }))
    return
  }
  if (cmd === 'list') {
    let files: string[] = []
    try {
      files = fs.readdirSync(STATE_DIR).filter((file) => file.endsWith('.json'))
    } catch {
      // none
    }
    console.log(JSON.stringify(files.map((file) => JSON.parse(fs.readFileSync(path.join(STATE_DIR, file), 'utf8'))), null, 2))
    return
  }
  if (cmd !== 'up') {
    console.error(USAGE)
    process.exit(2)
  }
  const args = parseArgs(rest)
  const count = Number(args.get('hosts') ?? 4)
  const noSshd = new Set((args.get('no-sshd') ?? '').split(',').filter(Boolean).map(Number))
  const hosts: HostSpec[] = Array.from({ length: count }, (_, i) => (noSshd.has(i + 1) ? { sshd: false } : {}))
  // dc1:3,dc2:3 -> two zones of three hosts, the first holding the runner
  const zones = args.get('zones')?.split(',').map((zone) => {
    const [name, hostCount] = zone.split(':')
    return { name: name!, hosts: Number(hostCount) }
  })
  const started = Date.now()
  const fleet = await createFleet({
    hosts,
    link: shapeFrom(args),
    runnerLink: shapeFrom(args, 'runner-'),
    srvSizeMiB: args.has('srv-mib') ? Number(args.get('srv-mib')) : undefined,
    ...(zones !== undefined && { zones, trunk: shapeFrom(args, 'trunk-') }),
  })
  const described = {
    id: fleet.id,
    runnerNetns: fleet.runnerNetns,
    runnerAddress: fleet.runnerAddress,
    bridgeNetns: fleet.bridgeNetns,
    zones: fleet.zones,
    workdir: fleet.workdir,
    knownHostsPath: fleet.knownHostsPath,
    clientKeyPath: fleet.clientKeyPath,
    hostsInput: fleet.hostsInput,
    delayBackend: fleet.delayBackend,
    createMs: Date.now() - started,
    ownerPid: process.pid,
    hosts: fleet.hosts,
    example: `ip netns exec ${fleet.runnerNetns} ssh ${fleet.sshArgs(fleet.hosts[0]!).join(' ')} hostname`,
  }
  process.stdout.write(JSON.stringify(described, null, 2) + '\n')
  const stop = async (signal: string) => {
    await fleet.teardown()
    process.stderr.write(`[fleet] ${fleet.id} torn down (${signal})\n`)
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
  // keep the process (and so the fleet) alive until a signal
  setInterval(() => {}, 1 << 30)
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
