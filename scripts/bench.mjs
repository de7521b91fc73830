// `npm run bench`: murder-action vs parallel scp vs the physical limit S/B on a local fleet of
// 4, 8, 16, 32 hosts with shaped links; writes bench/results/. See bench/README.md.
// `npm run bench:rerun`: a re-run where some hosts already hold the release (bench/rerun.ts).
// `npm run bench:scale`: N = 100 (and more) in the two profiles that once broke the deploy (bench/scale.ts).
// `npm run bench:objects`: hotfix, big artifact and piece length with content-addressed objects (bench/objects.ts).
// `npm run bench:ceiling`: one host's intake and CPU per MB, beside aria2c and plain TCP (bench/ceiling.ts).
// `npm run bench:profile`: where a 16-host deploy's CPU goes per delivered MB, by stage (bench/profile.ts).
// `npm run bench:tracker`: the tracker's answer time while the controller's thread is busy, in its loop and in a thread (bench/tracker.ts).
// `npm run bench:reach`: seeder-host behind a slow runner link vs scp, and zones vs none across a slow trunk (bench/reach.ts).
import { spawnSync } from 'node:child_process'
import { NODE24, preflight } from './preflight.mjs'

const ENTRIES = { rerun: 'bench/rerun.ts', scale: 'bench/scale.ts', objects: 'bench/objects.ts', ceiling: 'bench/ceiling.ts', profile: 'bench/profile.ts', reach: 'bench/reach.ts', tracker: 'bench/tracker.ts' }

preflight()
const named = ENTRIES[process.argv[2]]
const [entry, args] = named ? [named, process.argv.slice(3)] : ['bench/bench.ts', process.argv.slice(2)]
const result = spawnSync(NODE24, ['--import', 'tsx', entry, ...args], { stdio: 'inherit' })
process.exit(result.status ?? 1)
