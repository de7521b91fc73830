// `npm run bench`: murder-action vs parallel scp vs the physical limit S/B on a local fleet of
// 4, 8, 16, 32 hosts with shaped links; writes bench/results/. See bench/README.md.
import { spawnSync } from 'node:child_process'
import { NODE24, preflight } from './preflight.mjs'

preflight()
const result = spawnSync(NODE24, ['--import', 'tsx', 'bench/bench.ts', ...process.argv.slice(2)], { stdio: 'inherit' })
process.exit(result.status ?? 1)
