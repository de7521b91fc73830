/**
 * Only the fleet can read the payload. A host on the same bridge that is not in the fleet learns
 * the info hash and the tracker (both are in the log) and joins the swarm with its own client (let
 * in with swarm-allow-any-peer, as a fleet behind NAT must be): it can fetch ciphertext at most. The key reaches fleet hosts only inside their SSH sessions.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { createFleet, type Fleet, type FleetHost } from '../lab/fleet.js'
import { makeSourceTree, NODE24, REPO, startAction, treeManifest } from './harness.js'

const SECRET = 'database_password=correct-horse-battery-staple-0f3a9c'

describe('confidentiality', () => {
  let fleet: Fleet
  let source: string

  before(async () => {
    // host1, host2: the fleet, on slow links so the swarm lives long enough; host3: the outsider.
    fleet = await createFleet({ hosts: [{ rate: '8mbit' }, { rate: '8mbit' }, { rate: '100mbit' }], link: { rate: '100mbit' } })
    source = makeSourceTree(6 * 1024 * 1024)
    // Repeated so that it would show in any plaintext window the outsider gets, even a gzipped one.
    fs.writeFileSync(path.join(source, 'app/secrets.env'), `${SECRET}\n`.repeat(2000))
  })
  after(async () => {
    await fleet?.teardown()
    if (source) fs.rmSync(source, { recursive: true, force: true })
  })

  /** Deploys to host1 and host2 while host3, outside the fleet, joins the swarm; returns what host3 got. */
  async function deployWithOutsider(tag: string, encrypt: boolean): Promise<{ got: Buffer; received: number; stdout: string }> {
    const [first, second, outsider] = fleet.hosts as [FleetHost, FleetHost, FleetHost]
    const action = startAction(fleet, {
      path: source,
      tag,
      hosts: `root@${first.address}\nroot@${second.address}`,
      'compression-level': '0', // stored, not gzipped: without encryption the secret would be plain in the payload
      encrypt: String(encrypt),
      deadline: '90s',
      // By default the swarm takes no one outside the fleet; here the outsider must get in, to show it can read nothing.
      'swarm-allow-any-peer': 'true',
    })
    // Wait (bounded) for the log line that gives away the tracker and the info hash.
    let stdout = ''
    action.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    const until = Date.now() + 60_000
    let match: RegExpExecArray | null = null
    while (Date.now() < until && !(match = /Tracker (\S+), seeder on \S+ port \d+, info hash ([0-9a-f]{40})/.exec(stdout))) {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    assert.ok(match, `the action announced its swarm:\n${stdout}`)
    const [, announce, infoHash] = match
    // Only the outsider's network namespace: its private /tmp would hide a checkout under /tmp.
    const loot = fs.mkdtempSync(path.join(os.tmpdir(), 'murder-loot-'))
    const spy = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
      const child = spawn('ip', ['netns', 'exec', outsider.netns, NODE24, path.join(REPO, 'test/e2e/outsider.mjs'), infoHash!, announce!, loot, '25'], {
        timeout: 60_000,
      })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      child.on('close', () => resolve({ stdout, stderr }))
    })
    const run = await action.done
    assert.equal(run.code, 0, run.stdout)
    for (const host of [first, second]) {
      assert.deepEqual(treeManifest(path.join(host.srvDir, `releases/${tag}`)), treeManifest(source), `${host.name} got the release`)
    }
    const result = JSON.parse(spy.stdout.trim().split('\n').pop() ?? '{}') as { received: number }
    const files = (fs.readdirSync(loot, { recursive: true }) as string[]).filter((name) => fs.statSync(path.join(loot, name)).isFile())
    const got = Buffer.concat(files.map((name) => fs.readFileSync(path.join(loot, name))))
    fs.rmSync(loot, { recursive: true, force: true })
    return { got, received: result.received ?? 0, stdout: run.stdout }
  }

  test('a peer outside the fleet that joins the swarm gets nothing readable', async () => {
    const { got, received, stdout } = await deployWithOutsider('secret-1', true)
    assert.match(stdout, /Packed \d+ entries into \d+ objects, .*, encrypted/)
    assert.ok(received > 0 && got.length > 0, 'the outsider did get payload bytes, so it is the encryption that protects')
    assert.equal(got.includes(Buffer.from('correct-horse-battery-staple')), false, 'the secret is not readable in what the outsider got')
    const blob = fs.readFileSync(path.join(source, 'app/blob.bin')).subarray(0, 64)
    assert.equal(got.includes(blob), false, 'nor any of the big file: every object is encrypted')
  })

  test('control: with encrypt: false the same outsider reads the secret (so the test above can fail)', async () => {
    const { got, received } = await deployWithOutsider('secret-2', false)
    assert.ok(received > 0)
    assert.equal(got.includes(Buffer.from('correct-horse-battery-staple')), true)
  })
})
