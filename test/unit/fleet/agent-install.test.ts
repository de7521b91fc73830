/**
 * The agent travels gzipped and is installed by the host's own Node at agentPath(agent) =
 * "$HOME"/.murder-action/agent-<sha256[0..16]>.mjs: run here with HOME set to a temporary directory,
 * the same commands a host runs.
 */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { makeAgentBundle, type AgentBundle } from '../../../src/fleet/agent-bundle.js'
import { agentPath, installCommand, launchCommand, MIN_NODE_MAJOR, probeCommand, readProbe } from '../../../src/fleet/agent-install.js'
import { ACK_EVERY_BYTES } from '../../../src/ssh/paced-stdin.js'
import { removeTemporaryDirs, sha256, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

const source = `// an agent\n${'console.log("murder");\n'.repeat(20_000)}`

/** Runs `command` under sh as a host would, with HOME = `home`. */
function onHost(home: string, command: string, stdin: Buffer | string = ''): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('sh', ['-c', command], { input: stdin, env: { HOME: home, PATH: process.env.PATH }, encoding: 'utf8' })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** Where agentPath(agent) lands with HOME = `home`. */
function installedAt(home: string, agent: AgentBundle): string {
  return path.join(home, '.murder-action', `agent-${agent.sha256.slice(0, 16)}.mjs`)
}

describe('agent bundle', () => {
  test('named by the source sha256, shipped gzipped (much smaller)', () => {
    const bundle = makeAgentBundle(source)
    assert.equal(bundle.sha256, sha256(source))
    assert.ok(bundle.gzipped.length < source.length / 10, `${bundle.gzipped.length} of ${source.length} bytes`)
  })
  test('agentPath: in $HOME/.murder-action, named by the first 16 hex digits of the sha256', () => {
    const bundle = makeAgentBundle(source)
    assert.equal(agentPath(bundle), `"$HOME"/.murder-action/agent-${bundle.sha256.slice(0, 16)}.mjs`)
    assert.notEqual(agentPath(makeAgentBundle(source + '//')), agentPath(bundle), 'another agent, another file')
  })
})

describe('installCommand', () => {
  test('writes exactly the source at agentPath, 0600 in a 0700 directory, nothing else', () => {
    const home = temporaryDir()
    const bundle = makeAgentBundle(source)
    const result = onHost(home, installCommand(process.execPath, bundle), bundle.gzipped)
    assert.equal(result.status, 0, result.stderr)
    const dir = path.join(home, '.murder-action')
    assert.deepEqual(fs.readdirSync(dir), [path.basename(installedAt(home, bundle))])
    assert.equal(fs.readFileSync(installedAt(home, bundle), 'utf8'), source)
    assert.equal(fs.statSync(installedAt(home, bundle)).mode & 0o777, 0o600)
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700)
  })
  test('a damaged or truncated transfer fails, says why, and leaves neither the agent nor a temporary file', () => {
    const bundle = makeAgentBundle(source)
    for (const [what, stdin, why] of [
      ['truncated', bundle.gzipped.subarray(0, bundle.gzipped.length >> 1), /unexpected end of file/],
      ['another agent', makeAgentBundle(source + '//').gzipped, /the agent arrived damaged \(sha256 differs\)/],
      ['not gzip', Buffer.from(source), /incorrect header check/],
    ] as const) {
      const home = temporaryDir()
      const result = onHost(home, installCommand(process.execPath, { sha256: bundle.sha256, gzipped: stdin }), stdin)
      assert.notEqual(result.status, 0, what)
      assert.match(result.stderr, why, what)
      assert.deepEqual(fs.readdirSync(path.join(home, '.murder-action')), [], `${what}: nothing left`)
    }
  })
  test('a node-path that is not there fails and leaves nothing', () => {
    const home = temporaryDir()
    const bundle = makeAgentBundle(source)
    const result = onHost(home, installCommand('/nonexistent/node', bundle), bundle.gzipped)
    assert.equal(result.status, 127, result.stderr)
    assert.deepEqual(fs.readdirSync(path.join(home, '.murder-action')), [])
  })
  test('the install script acknowledges one byte per ACK_EVERY_BYTES it reads (what writePaced waits for)', () => {
    const bundle = makeAgentBundle(randomBytes(300_000).toString('base64'))
    const result = onHost(temporaryDir(), installCommand(process.execPath, bundle), bundle.gzipped)
    assert.equal(result.status, 0, result.stderr)
    assert.ok(bundle.gzipped.length > 10 * ACK_EVERY_BYTES, `${bundle.gzipped.length} bytes: enough to acknowledge several times`)
    assert.equal(result.stdout, '.'.repeat(Math.floor(bundle.gzipped.length / ACK_EVERY_BYTES)))
  })
})

describe('probeCommand and readProbe', () => {
  test('say which Node the host has and whether this agent is installed', () => {
    const home = temporaryDir()
    const bundle = makeAgentBundle(source)
    const before = onHost(home, probeCommand(process.execPath, bundle))
    assert.equal(before.stdout, `node=${process.version}\nagent=missing\n`)
    assert.deepEqual(readProbe(before.stdout, process.execPath), { agentPresent: false })
    assert.equal(onHost(home, installCommand(process.execPath, bundle), bundle.gzipped).status, 0)
    const after = onHost(home, probeCommand(process.execPath, bundle))
    assert.equal(after.stdout, `node=${process.version}\nagent=present\n`)
    assert.deepEqual(readProbe(after.stdout, process.execPath), { agentPresent: true })
    assert.match(onHost(home, probeCommand(process.execPath, makeAgentBundle(source + '//'))).stdout, /agent=missing/, 'another agent is not installed')
  })
  test('an installed file that is not this agent is reported changed, whether the hash comes from sha256sum or from Node', () => {
    const home = temporaryDir()
    const bundle = makeAgentBundle(source)
    fs.mkdirSync(path.dirname(installedAt(home, bundle)), { recursive: true })
    fs.writeFileSync(installedAt(home, bundle), source + '// edited on the host\n')
    assert.equal(onHost(home, probeCommand(process.execPath, bundle)).stdout, `node=${process.version}\nagent=changed\n`)
    // A host without coreutils' sha256sum: PATH holds only a directory with node in it.
    const bin = temporaryDir()
    fs.symlinkSync(process.execPath, path.join(bin, 'node'))
    const noCoreutils = (command: string) => spawnSync('/bin/sh', ['-c', command], { env: { HOME: home, PATH: bin }, encoding: 'utf8' }).stdout
    assert.equal(noCoreutils(probeCommand(process.execPath, bundle)), `node=${process.version}\nagent=changed\n`)
    fs.writeFileSync(installedAt(home, bundle), source)
    assert.equal(noCoreutils(probeCommand(process.execPath, bundle)), `node=${process.version}\nagent=present\n`)
  })
  test('no Node at node-path: a problem naming node-path', () => {
    const stdout = onHost(temporaryDir(), probeCommand('/nonexistent/node', makeAgentBundle(source))).stdout
    assert.equal(stdout, 'node=none\nagent=missing\n')
    assert.deepEqual(readProbe(stdout, '/nonexistent/node'), {
      agentPresent: false,
      problem: `no Node.js at node-path "/nonexistent/node" on the host; install Node ≥ ${MIN_NODE_MAJOR} or set node-path`,
    })
  })
  test(`a Node older than ${MIN_NODE_MAJOR}: a problem naming the version; ${MIN_NODE_MAJOR} itself is fine`, () => {
    assert.equal(readProbe(`node=v${MIN_NODE_MAJOR - 2}.11.1\nagent=present\n`, 'node').problem, `Node v${MIN_NODE_MAJOR - 2}.11.1 on the host is too old: the agent needs Node ≥ ${MIN_NODE_MAJOR} (set node-path to a newer one)`)
    assert.deepEqual(readProbe(`node=v${MIN_NODE_MAJOR}.0.0\nagent=missing\n`, 'node'), { agentPresent: false })
  })
})

describe('launchCommand', () => {
  test('runs the installed agent with node-path, replacing the shell', () => {
    const home = temporaryDir()
    const bundle = makeAgentBundle('process.stdin.on("data", (d) => process.stdout.write("agent got " + d))\n')
    assert.equal(onHost(home, installCommand(process.execPath, bundle), bundle.gzipped).status, 0)
    const command = launchCommand(process.execPath, bundle)
    assert.ok(command.startsWith('exec '), command)
    const result = onHost(home, command, 'a job\n')
    assert.equal(result.status, 0, result.stderr)
    assert.equal(result.stdout, 'agent got a job\n')
  })
})

describe('an installed agent that was changed after it was installed', () => {
  const tamper = (home: string, bundle: AgentBundle): void => fs.appendFileSync(installedAt(home, bundle), 'process.stdout.write("tampered\\n")\n')

  test('the probe tells it apart from the real one, so it is sent again', () => {
    const home = temporaryDir()
    const bundle = makeAgentBundle(source)
    assert.equal(onHost(home, installCommand(process.execPath, bundle), bundle.gzipped).status, 0)
    tamper(home, bundle)
    const probe = onHost(home, probeCommand(process.execPath, bundle))
    assert.equal(probe.stdout, `node=${process.version}\nagent=changed\n`)
    assert.deepEqual(readProbe(probe.stdout, process.execPath), { agentPresent: false })
    assert.equal(onHost(home, installCommand(process.execPath, bundle), bundle.gzipped).status, 0)
    assert.equal(fs.readFileSync(installedAt(home, bundle), 'utf8'), source, 'sent again, replacing it')
  })
  test('is not run: launch checks its sha256 first and says why it refuses', () => {
    const home = temporaryDir()
    const bundle = makeAgentBundle('process.stdout.write("genuine\\n")\n')
    assert.equal(onHost(home, installCommand(process.execPath, bundle), bundle.gzipped).status, 0)
    tamper(home, bundle)
    const result = onHost(home, launchCommand(process.execPath, bundle))
    assert.notEqual(result.status, 0)
    assert.equal(result.stdout, '', 'nothing of it ran')
    assert.match(result.stderr, /differs from the agent this action ships \(sha256 [0-9a-f]{64}, not [0-9a-f]{64}\)/)
  })
})
