// `npm test`: readies the machine (scripts/preflight.mjs), builds dist/ from the sources, then runs
// every test — unit, fleet, end to end — with node's test runner on Node 24, the runtime GitHub
// gives `runs.using: node24` actions. Nothing is skipped: the fleet tests run or the suite fails.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { NODE24, preflight } from './preflight.mjs'

preflight()
const given = process.argv.slice(2)
const files =
  given.length > 0
    ? given
    : ['test/unit', 'test/fleet', 'test/e2e'].flatMap((dir) =>
        existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.test.ts')).sort().map((name) => join(dir, name)) : [],
      )
// One file at a time: the fleet tests time real transfers on a 2-core machine and must not compete.
const result = spawnSync(NODE24, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
})
process.exit(result.status ?? 1)
