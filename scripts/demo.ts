/**
 * The demo: brings up 4 hosts, deploys a sample site (a few files and 30 MB of incompressible
 * data) through the action exactly as a GitHub runner would run it, prints the log and the job
 * summary, shows one host's release, and tears the fleet down.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { createFleet } from '../test/lab/fleet.js'
import { makeSourceTree, runAction, treeManifest } from '../test/e2e/harness.js'

const hosts = Number(process.env.DEMO_HOSTS ?? 4)
console.log(`Bringing up ${hosts} hosts (network namespaces, one sshd each, 100 Mbit/s links) …`)
const fleet = await createFleet({ hosts, link: { rate: '100mbit' } })
const source = makeSourceTree(30 * 1024 * 1024)
try {
  console.log(`Deploying ${source} to ${fleet.hosts.map((host) => host.address).join(', ')}\n`)
  const run = await runAction(fleet, { path: source, tag: 'demo-1', deadline: '2m' })
  console.log(run.stdout.replace(/^::add-mask::.*\n/gm, ''))
  console.log('──── job summary (GITHUB_STEP_SUMMARY) ────\n' + run.summary)
  console.log('──── outputs (GITHUB_OUTPUT) ────')
  for (const [name, value] of Object.entries(run.outputs)) console.log(`${name}: ${value}`)
  const release = path.join(fleet.hosts[0]!.srvDir, 'releases/demo-1')
  const identical = fleet.hosts.every((host) => JSON.stringify(treeManifest(path.join(host.srvDir, 'releases/demo-1'))) === JSON.stringify(treeManifest(source)))
  console.log(`\n${fleet.hosts[0]!.name}:/srv/releases/demo-1 holds:\n  ${treeManifest(release).join('\n  ')}`)
  console.log(`\nEvery host byte-identical to the source: ${identical ? 'yes' : 'NO'}; the step exited ${run.code}.`)
  process.exitCode = run.code === 0 && identical ? 0 : 1
} finally {
  await fleet.teardown()
  fs.rmSync(source, { recursive: true, force: true })
}
