/**
 * A tree of 50,000 small files, to hosts whose open-file limit is 1,024: small files travel in
 * bundles, and neither the agent's chunk store nor the writing of the release may hold a
 * descriptor per object or per file.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { createFleet, type Fleet } from '../lab/fleet.js'
import { leftoverProcesses, runAction, treeManifest } from './harness.js'

const FILES = 50_000
const OPEN_FILES = 1024

describe('a tree of 50,000 files', () => {
  let fleet: Fleet
  let source: string

  before(async () => {
    fleet = await createFleet({ hosts: 2, link: { rate: '1gbit' } })
    source = fs.mkdtempSync(path.join(os.tmpdir(), 'murder-many-'))
    for (let dir = 0; dir < 100; dir++) {
      fs.mkdirSync(path.join(source, `d${dir}`))
      for (let file = 0; file < FILES / 100; file++) {
        // 0–2 KB each, random: each its own content, none compressible.
        fs.writeFileSync(path.join(source, `d${dir}`, `f${file}.txt`), randomBytes((dir * 7919 + file * 104729) % 2048))
      }
    }
    // Every session sshd starts from now on (and so every agent) inherits the limit.
    for (const host of fleet.hosts) execFileSync('prlimit', ['--pid', String(host.sshdPid), `--nofile=${OPEN_FILES}:${OPEN_FILES}`])
  })
  after(async () => {
    await fleet?.teardown()
    if (source) fs.rmSync(source, { recursive: true, force: true })
  })

  test('deploys whole to hosts limited to 1,024 open files', async (t) => {
    for (const host of fleet.hosts) {
      const limits = execFileSync('prlimit', ['--pid', String(host.sshdPid), '--nofile', '--raw', '--noheadings']).toString()
      assert.match(limits, new RegExp(`\\b${OPEN_FILES}\\s+${OPEN_FILES}\\b`), `${host.name}'s sshd runs with the limit: ${limits}`)
    }
    const run = await runAction(fleet, { path: source, tag: 'many-1', deadline: '240s' })
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`)
    const report = JSON.parse(fs.readFileSync(run.outputs.report!, 'utf8'))
    t.diagnostic(
      `${report.objects} objects; pack ${report.packSeconds} s, transfer ${report.transferSeconds.toFixed(1)} s, hosts ${report.hosts.map((host: { seconds: number }) => host.seconds).join(' / ')} s, step ${run.seconds} s`,
    )
    assert.ok(report.objects < FILES / 100, `50,000 files travel as ${report.objects} objects`)
    const expected = treeManifest(source)
    assert.equal(expected.filter((line) => line.startsWith('file ')).length, FILES)
    for (const host of fleet.hosts) assert.deepEqual(treeManifest(path.join(host.srvDir, 'releases/many-1')), expected, `${host.name} holds every file`)
    assert.deepEqual(await leftoverProcesses(fleet, 15_000), {}, 'no process of the deploy is left on any host')
  })
})
