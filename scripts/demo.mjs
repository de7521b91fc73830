// `npm run demo`: a real deploy of a sample directory to a local fleet of 4 hosts (network
// namespaces, one sshd each, 100 Mbit/s links), printing the job summary. See scripts/demo.ts.
import { spawnSync } from 'node:child_process'
import { NODE24, preflight } from './preflight.mjs'

preflight()
const result = spawnSync(NODE24, ['--import', 'tsx', 'scripts/demo.ts', ...process.argv.slice(2)], { stdio: 'inherit' })
process.exit(result.status ?? 1)
