/**
 * What users do today (appleboy/scp-action and the like): tar the directory once, scp the tarball
 * to every host in parallel, untar it on each host over ssh. All from the runner namespace, with
 * the fleet's key and known_hosts (strict checking), OpenSSH defaults otherwise.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Fleet, FleetHost } from '../test/lab/fleet.js'
import { busyOver, round } from './sampler.js'

export interface ScpResult {
  ok: boolean
  /** tar czf start → the last host has untarred. */
  seconds: number
  tarSeconds: number
  tarballBytes: number
  /** Per host, seconds from the start to its untar's end, sorted. */
  hostSeconds: number[]
  failures: string[]
  loadavgBefore: string
  busyBefore: number
}

const shq = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`

/** ssh argv → scp argv: same -i / -o options, `-P` for the port; the last element is user@address. */
export function scpOptions(fleet: Fleet, host: FleetHost): { options: string[]; target: string } {
  const args = fleet.sshArgs(host)
  const target = args[args.length - 1]!
  const options = args.slice(0, -1).map((arg) => (arg === '-p' ? '-P' : arg))
  return { options, target }
}

export async function runScp(fleet: Fleet, options: { source: string; workdir: string; timeoutMs: number; gzip: boolean }): Promise<ScpResult> {
  const busyBefore = await busyOver(2000)
  const loadavgBefore = fs.readFileSync('/proc/loadavg', 'utf8').trim()
  const tarball = path.join(options.workdir, options.gzip ? 'release.tar.gz' : 'release.tar')
  const remote = `/srv/scp-release.${options.gzip ? 'tar.gz' : 'tar'}`
  const lines: string[] = [
    'set -u',
    'now() { date +%s.%N; }',
    't0=$(now)',
    `tar -c${options.gzip ? 'z' : ''}f ${shq(tarball)} -C ${shq(options.source)} .`,
    'echo "tar $(now)"',
  ]
  fleet.hosts.forEach((host, index) => {
    const { options: scp, target } = scpOptions(fleet, host)
    const ssh = fleet.sshArgs(host).map(shq).join(' ')
    const untar = `rm -rf /srv/scp && mkdir -p /srv/scp && tar -x${options.gzip ? 'z' : ''}f ${remote} -C /srv/scp && rm -f ${remote}`
    lines.push(
      `( scp -q ${scp.map(shq).join(' ')} ${shq(tarball)} ${shq(`${target}:${remote}`)} && ssh ${ssh} ${shq(untar)}; echo "host ${index} $? $(now)" ) &`,
    )
  })
  lines.push('wait', 'echo "start $t0"')
  const result = await fleet.execInRunner(lines.join('\n'), options.timeoutMs)
  const start = Number(/^start (\S+)$/m.exec(result.stdout)?.[1])
  const tarAt = Number(/^tar (\S+)$/m.exec(result.stdout)?.[1])
  const hosts = [...result.stdout.matchAll(/^host (\d+) (\d+) (\S+)$/gm)].map((match) => ({
    index: Number(match[1]),
    code: Number(match[2]),
    at: Number(match[3]) - start,
  }))
  const failures = fleet.hosts
    .map((host, index) => ({ host, done: hosts.find((entry) => entry.index === index) }))
    .filter(({ done }) => done === undefined || done.code !== 0)
    .map(({ host, done }) => `${host.name}: ${done === undefined ? 'no result (timed out?)' : `exit ${done.code}`}`)
  if (failures.length > 0 && result.stderr) failures.push(result.stderr.slice(-1000))
  const tarballBytes = fs.existsSync(tarball) ? fs.statSync(tarball).size : 0
  fs.rmSync(tarball, { force: true })
  const hostSeconds = hosts.map((entry) => round(entry.at, 2)).sort((a, b) => a - b)
  return {
    ok: failures.length === 0 && !result.timedOut,
    seconds: round(Math.max(...hostSeconds), 2),
    tarSeconds: round(tarAt - start, 2),
    tarballBytes,
    hostSeconds,
    failures,
    loadavgBefore,
    busyBefore,
  }
}

/** One plain scp of `file` over one shaped link (runner → host): what the link really delivers. */
export async function calibrate(fleet: Fleet, file: string): Promise<{ seconds: number; bytes: number; mbitPerSecond: number }> {
  const host = fleet.hosts[0]!
  const { options, target } = scpOptions(fleet, host)
  const script = `t0=$(date +%s.%N); scp -q ${options.map(shq).join(' ')} ${shq(file)} ${shq(`${target}:/srv/calibration.bin`)} || exit 1; t1=$(date +%s.%N); echo "$t0 $t1"`
  const result = await fleet.execInRunner(script, 600_000)
  if (result.code !== 0) throw new Error(`calibration scp failed: ${result.stderr}`)
  const [t0, t1] = result.stdout.trim().split(' ').map(Number)
  const seconds = t1! - t0!
  const bytes = fs.statSync(file).size
  await fleet.execOnHost(host, 'rm -f /srv/calibration.bin')
  return { seconds: round(seconds, 2), bytes, mbitPerSecond: round((bytes * 8) / seconds / 1e6, 2) }
}
