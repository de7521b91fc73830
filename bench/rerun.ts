/**
 * `npm run bench:rerun`: what hosts that already hold a release are worth. A fleet deploys a
 * release; then some hosts lose it (new hosts joining) and the tree is rebuilt (same content, new
 * mtimes); the runner's uplink is made slow; the release is deployed again, once with
 * keep-payload off (only the runner can seed) and once with it on (the holders seed too).
 *
 *   npm run bench:rerun -- --hosts 8 --fresh 2 --size-mib 50 --rate 100mbit --runner-rate 5mbit
 *
 * Writes bench/results/rerun.json.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { parseArgs } from 'node:util'
import { createFleet } from '../test/lab/fleet.js'
import { makeSourceTree, runAction } from '../test/e2e/harness.js'

const { values: args } = parseArgs({
  options: {
    hosts: { type: 'string', default: '8' },
    fresh: { type: 'string', default: '2' },
    'size-mib': { type: 'string', default: '50' },
    rate: { type: 'string', default: '100mbit' },
    'runner-rate': { type: 'string', default: '5mbit' },
    out: { type: 'string', default: 'bench/results' },
  },
})
const hosts = Number(args.hosts)
const fresh = Number(args.fresh)
if (!(Number.isInteger(hosts) && hosts >= 2 && hosts <= 64)) throw new Error(`--hosts: ${args.hosts}`)
if (!(Number.isInteger(fresh) && fresh >= 1 && fresh < hosts)) throw new Error(`--fresh: ${args.fresh} (1 … hosts-1)`)

interface Outcome {
  keepPayload: boolean
  code: number
  transferSeconds: number
  stepSeconds: number
  payloadMB: number
  runnerSentMB: number
  holdersSentMB: number
}

const fleet = await createFleet({ hosts, link: { rate: args.rate } })
const source = makeSourceTree(Number(args['size-mib']) * 1024 * 1024)
const outcomes: Outcome[] = []
try {
  for (const keepPayload of [false, true]) {
    const tag = `rerun-keep-${keepPayload}`
    const inputs = { tag, deadline: '600s', 'keep-payload': String(keepPayload) }
    const first = await runAction(fleet, { ...inputs, path: source })
    if (first.code !== 0) throw new Error(`the first deploy failed:\n${first.stdout}`)
    // The fresh hosts lose the release; the tree is rebuilt: same content, every mtime new.
    for (const host of fleet.hosts.slice(hosts - fresh)) {
      for (const name of [tag, `.murder/${tag}.json`, `.murder/payloads/${tag}`]) fs.rmSync(path.join(host.srvDir, 'releases', name), { recursive: true, force: true })
    }
    const later = new Date(Date.now() + 60_000)
    for (const file of fs.readdirSync(source, { recursive: true }) as string[]) fs.lutimesSync(path.join(source, file), later, later)
    await fleet.shape('runner', { rate: args['runner-rate'] })
    try {
      const again = await runAction(fleet, { ...inputs, path: source }, { timeoutMs: 700_000 })
      const report = JSON.parse(fs.readFileSync(again.outputs.report!, 'utf8'))
      const holders = report.hosts.filter((host: { result: string }) => host.result === 'already present')
      outcomes.push({
        keepPayload,
        code: again.code ?? -1,
        transferSeconds: report.transferSeconds,
        stepSeconds: again.seconds,
        payloadMB: report.payloadBytes / 1e6,
        runnerSentMB: report.seederUploaded / 1e6,
        holdersSentMB: holders.reduce((sum: number, host: { bytesSent: number }) => sum + host.bytesSent, 0) / 1e6,
      })
      console.log(JSON.stringify(outcomes.at(-1)))
    } finally {
      await fleet.shape('runner', { rate: args.rate })
    }
  }
} finally {
  await fleet.teardown()
  fs.rmSync(source, { recursive: true, force: true })
}
const [off, on] = outcomes as [Outcome, Outcome]
console.log(
  `\n${hosts} hosts (${fresh} new), ${off.payloadMB.toFixed(1)} MB, links ${args.rate}, runner ${args['runner-rate']}:\n` +
    `  keep-payload false: ${off.transferSeconds.toFixed(1)} s (runner sent ${off.runnerSentMB.toFixed(1)} MB)\n` +
    `  keep-payload true:  ${on.transferSeconds.toFixed(1)} s (runner sent ${on.runnerSentMB.toFixed(1)} MB, holders ${on.holdersSentMB.toFixed(1)} MB)\n` +
    `  ratio: ${(off.transferSeconds / on.transferSeconds).toFixed(1)}× faster with kept payloads`,
)
fs.mkdirSync(args.out, { recursive: true })
fs.writeFileSync(
  path.join(args.out, 'rerun.json'),
  JSON.stringify({ startedAt: new Date().toISOString(), command: `npm run bench:rerun -- ${process.argv.slice(2).join(' ')}`.trim(), settings: args, outcomes }, null, 2) + '\n',
)
