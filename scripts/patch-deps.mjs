// Applies patches/ to node_modules (patch-package). `.npmrc` runs no install scripts, so nothing
// applies them at `npm ci`: the build, the tests, the demo and the benchmarks call this first. It is
// idempotent (an applied patch is recognised and left alone) and fails loudly when a patch no
// longer fits the installed version. Each patch is a change we would offer upstream; why each
// exists: patches/README.md.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

const REPO = fileURLToPath(new URL('..', import.meta.url))

export function patchDependencies() {
  const cli = join(REPO, 'node_modules/patch-package/index.js')
  if (!existsSync(cli)) throw new Error('patch-package is not installed: run `npm ci` first')
  const result = spawnSync(process.execPath, [cli, '--error-on-fail'], { cwd: REPO, encoding: 'utf8' })
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr)
    throw new Error('a patch in patches/ does not apply to node_modules: see above')
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) patchDependencies()
