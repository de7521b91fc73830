/**
 * `npm run bench:profile`: where a deploy's CPU goes, per delivered MB (issue "Swarm efficiency").
 * One 16-host deploy (100 Mbit/s links, 48 MiB of incompressible data) with every agent and the
 * action under the V8 profiler, the bundles built unminified so that frames keep their modules;
 * then a table per side (agents, seeder's process) by stage of the data path. The bundles are
 * rebuilt as committed afterwards.
 *
 *   npm run bench:profile [-- --hosts 16 --rate 100mbit --size-mib 48]
 */
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { parseArgs } from 'node:util'
import { REPO } from '../test/e2e/harness.js'
import type { MurderResult } from './murder.js'
import { cpuProfilesIn, stagesOf, stageTable } from './profile-summary.js'

const { values: args } = parseArgs({
  options: {
    hosts: { type: 'string', default: '16' },
    rate: { type: 'string', default: '100mbit' },
    'size-mib': { type: 'string', default: '48' },
    out: { type: 'string', default: path.join(REPO, 'bench/results/profile') },
  },
})
fs.rmSync(args.out, { recursive: true, force: true })
// Unminified bundles, so that every frame can be put in its module; the agent that runs must be this build.
const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'inherit', env: { ...process.env, MURDER_BUILD_NO_MINIFY: '1' } })
if (build.status !== 0) throw new Error(`the unminified build failed (${build.status})`)
const bench = spawnSync(
  process.execPath,
  ['--import', 'tsx', 'bench/bench.ts', '--hosts', args.hosts, '--rate', args.rate, '--size-mib', args['size-mib'], '--no-scp', '--no-calibrate', '--rss-gib', '0', '--no-latest', '--out', args.out, '--profile-agents', '--profile-action', '--label', 'profile'],
  { cwd: REPO, stdio: 'inherit', env: { ...process.env, MURDER_BUILD_NO_MINIFY: '1' } },
)
try {
  if (bench.status !== 0) throw new Error(`the profiled bench failed (${bench.status})`)
  const resultFile = fs.readdirSync(args.out).find((name) => name.endsWith('-profile.json'))!
  const result = JSON.parse(fs.readFileSync(path.join(args.out, resultFile), 'utf8')) as { rows: Array<{ hosts: number; murder: MurderResult }> }
  const { hosts, murder } = result.rows[0]!
  const delivered = (hosts * murder.payloadBytes) / 1e6
  const dir = path.join(args.out, `profiles-${hosts}`)
  const agents = stageTable(`Agents (${hosts})`, stagesOf(cpuProfilesIn(dir), path.join(REPO, 'dist/agent/murder-agent.mjs')), murder.agentCpuSecondsTotal, delivered)
  const action = stageTable('The action (seeder, tracker, SSH; whole step, pack included)', stagesOf(cpuProfilesIn(path.join(dir, 'action'), true), path.join(REPO, 'dist/main/index.js')), murder.actionCpuSeconds, delivered)
  const text = `${agents}\n\n${action}\n`
  fs.writeFileSync(path.join(args.out, 'stages.md'), text)
  console.log(`\n${text}`)
} finally {
  // The committed bundles are minified: put them back.
  spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'inherit' })
}
