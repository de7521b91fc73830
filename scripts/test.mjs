// `npm test`: readies the machine (scripts/preflight.mjs), builds dist/ from the sources, then runs
// every test — unit, lab (the namespace fleet itself), end to end — with node's test runner on Node
// 24, the runtime GitHub gives `runs.using: node24` actions. Nothing is skipped: the fleet tests run
// or the suite fails. `npm run test:unit` runs test/unit alone: no root, no network namespaces.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { NODE24, preflight } from './preflight.mjs'
import { patchDependencies } from './patch-deps.mjs'

/** Every *.test.ts below dir, sorted, so test/ can mirror src/ folder by folder. */
function testFiles(dir) {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true })
    .filter((name) => name.endsWith('.test.ts'))
    .sort()
    .map((name) => join(dir, name))
}

const unitOnly = process.argv[2] === '--unit'
const given = process.argv.slice(unitOnly ? 3 : 2)
if (!unitOnly) preflight()
patchDependencies()
const node = unitOnly && !existsSync(NODE24) ? process.execPath : NODE24
const dirs = unitOnly ? ['test/unit'] : ['test/unit', 'test/lab', 'test/e2e']
const files = given.length > 0 ? given : dirs.flatMap(testFiles)
// One file at a time: the fleet tests time real transfers on a 2-core machine and must not compete.
const result = spawnSync(node, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
})
process.exit(result.status ?? 1)
