/** The agent travels gzipped and is installed by the host's own Node: run here, the same command a host runs. */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { installCommand, makeAgentBundle } from '../../src/fleet/agent-bundle.js'
import { removeTemporaryDirs, sha256, temporaryDir } from './helpers.js'

after(removeTemporaryDirs)

const source = `// an agent\n${'console.log("murder");\n'.repeat(20_000)}`

function install(home: string, stdin: Buffer, sha: string): { status: number | null; stderr: string } {
  const agentPath = `"$HOME"/.murder-action/agent-${sha.slice(0, 16)}.mjs`
  const command = installCommand(process.execPath, '"$HOME"/.murder-action', agentPath, sha)
  const result = spawnSync('sh', ['-c', command], { input: stdin, env: { HOME: home, PATH: process.env.PATH }, encoding: 'utf8' })
  return { status: result.status, stderr: result.stderr }
}

describe('agent bundle', () => {
  test('named by the source sha256, shipped gzipped (much smaller)', () => {
    const bundle = makeAgentBundle(source)
    assert.equal(bundle.sha256, sha256(source))
    assert.ok(bundle.gzipped.length < source.length / 10, `${bundle.gzipped.length} of ${source.length} bytes`)
  })
  test('installCommand writes exactly the source, 0600 in a 0700 directory, nothing else', () => {
    const home = temporaryDir()
    const bundle = makeAgentBundle(source)
    const result = install(home, bundle.gzipped, bundle.sha256)
    assert.equal(result.status, 0, result.stderr)
    const dir = path.join(home, '.murder-action')
    assert.deepEqual(fs.readdirSync(dir), [`agent-${bundle.sha256.slice(0, 16)}.mjs`])
    assert.equal(fs.readFileSync(path.join(dir, fs.readdirSync(dir)[0]!), 'utf8'), source)
    assert.equal(fs.statSync(path.join(dir, fs.readdirSync(dir)[0]!)).mode & 0o777, 0o600)
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700)
  })
  test('a damaged or truncated transfer fails and leaves neither the agent nor a temporary file', () => {
    const bundle = makeAgentBundle(source)
    for (const [what, stdin, sha] of [
      ['truncated', bundle.gzipped.subarray(0, bundle.gzipped.length >> 1), bundle.sha256],
      ['another agent', makeAgentBundle(source + '//').gzipped, bundle.sha256],
      ['not gzip', Buffer.from(source), bundle.sha256],
    ] as const) {
      const home = temporaryDir()
      const result = install(home, stdin, sha)
      assert.notEqual(result.status, 0, what)
      assert.ok(result.stderr.trim().length > 0, `${what}: says why`)
      assert.deepEqual(fs.readdirSync(path.join(home, '.murder-action')), [], `${what}: nothing left`)
    }
  })
})
