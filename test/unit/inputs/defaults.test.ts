/**
 * The inputs' defaults are written twice: in action.yml (the runner fills them in) and in
 * src/inputs/defaults.ts (every other way in: the CLI, a run from source, a test). They must agree,
 * and readSettings must apply them.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { INPUT_DEFAULTS } from '../../../src/inputs/defaults.js'
import { parseDuration } from '../../../src/inputs/duration.js'
import { readSettings, type Settings } from '../../../src/inputs/settings.js'
import { generateKey, removeTemporaryDirs, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

interface ActionInput {
  required: boolean
  default?: string
}

/**
 * The `inputs:` of action.yml, read line by line: an input is a `  name:` line, its keys the
 * `    key: value` lines under it. Enough for this file's plain layout (no multi-line values).
 */
function readActionInputs(text: string): Map<string, ActionInput> {
  const inputs = new Map<string, ActionInput>()
  let inInputs = false
  let current: ActionInput | undefined
  for (const line of text.split(/\r?\n/)) {
    if (/^\S/.test(line)) {
      inInputs = /^inputs:\s*$/.test(line)
      current = undefined
      continue
    }
    if (!inInputs) continue
    const name = /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(line)
    if (name) {
      current = { required: false }
      inputs.set(name[1]!, current)
      continue
    }
    const key = /^ {4}(default|required):\s*(.*?)\s*$/.exec(line)
    if (key && current) {
      const value = key[2]!.replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1')
      if (key[1] === 'default') current.default = value
      else current.required = value === 'true'
    }
  }
  return inputs
}

const actionYml = fs.readFileSync(new URL('../../../action.yml', import.meta.url), 'utf8')
const inputs = readActionInputs(actionYml)

describe('action.yml and INPUT_DEFAULTS', () => {
  test('the line reader finds action.yml\'s inputs', () => {
    for (const name of ['path', 'tag', 'hosts', 'ssh-key', 'known-hosts', 'deadline', 'keep-payload']) assert.ok(inputs.has(name), name)
    assert.equal(inputs.get('path')?.required, true)
    assert.equal(inputs.get('ssh-key')?.required, true)
    assert.equal(inputs.get('deadline')?.default, '10m')
    assert.equal(inputs.get('ssh-port')?.default, '22', 'quotes stripped')
  })
  test('the inputs with a default, and their values, are exactly INPUT_DEFAULTS', () => {
    const declared = Object.fromEntries([...inputs].filter(([, input]) => input.default !== undefined).map(([name, input]) => [name, input.default!]))
    assert.deepEqual(declared, { ...INPUT_DEFAULTS })
  })
  test('every input in INPUT_DEFAULTS is an input of action.yml, and none of them is required', () => {
    for (const name of Object.keys(INPUT_DEFAULTS)) {
      assert.ok(inputs.has(name), `${name} is not in action.yml`)
      assert.equal(inputs.get(name)?.required, false, `${name} has a default but is required`)
    }
  })
})

describe('readSettings with only the required inputs', () => {
  let required: Record<string, string>
  const env = (): NodeJS.ProcessEnv => ({ GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567', GITHUB_WORKSPACE: path.dirname(required.path!) })
  const settingsFrom = (values: Record<string, string>): Settings => readSettings((name) => values[name] ?? '', env())

  before(() => {
    const dir = temporaryDir()
    const build = path.join(dir, 'build')
    fs.mkdirSync(build)
    fs.writeFileSync(path.join(build, 'index.html'), 'hi\n')
    const key = generateKey(dir, 'deploy')
    const hostKey = generateKey(dir, 'host')
    // path and ssh-key are required in action.yml; hosts and known-hosts are required by readSettings.
    required = { path: build, hosts: 'deploy@198.18.0.11', 'ssh-key': key.privateKey, 'known-hosts': `198.18.0.11 ${hostKey.type} ${hostKey.base64}` }
  })

  test('gives the same settings as every action.yml default written out', () => {
    const declared = Object.fromEntries([...inputs].filter(([, input]) => input.default !== undefined).map(([name, input]) => [name, input.default!]))
    assert.ok(Object.keys(declared).length > 0)
    assert.deepEqual(settingsFrom(required), settingsFrom({ ...declared, ...required }))
  })
  test('each default lands in its setting', () => {
    const settings = settingsFrom(required)
    const boolean = (name: string): boolean => INPUT_DEFAULTS[name] === 'true'
    const checks: Record<string, () => void> = {
      'ssh-port': () => assert.equal(settings.hosts[0]!.port, Number(INPUT_DEFAULTS['ssh-port'])),
      'insecure-skip-host-key-check': () => assert.equal(settings.insecureSkipHostKeyCheck, boolean('insecure-skip-host-key-check')),
      destination: () => assert.equal(settings.destination, INPUT_DEFAULTS.destination),
      'tracker-port': () => assert.equal(settings.trackerPort, Number(INPUT_DEFAULTS['tracker-port'])),
      transport: () => assert.equal(settings.transport, INPUT_DEFAULTS.transport),
      deadline: () => assert.equal(settings.deadlineMs, parseDuration(INPUT_DEFAULTS.deadline!)),
      'max-failed-hosts': () => assert.equal(settings.maxFailedHosts, Number(INPUT_DEFAULTS['max-failed-hosts'])),
      concurrency: () => assert.equal(settings.concurrency, Number(INPUT_DEFAULTS.concurrency)),
      'node-path': () => assert.equal(settings.nodePath, INPUT_DEFAULTS['node-path']),
      'agent-nice': () => assert.equal(settings.agentNice, Number(INPUT_DEFAULTS['agent-nice'])),
      overwrite: () => assert.equal(settings.overwrite, boolean('overwrite')),
      encrypt: () => assert.equal(settings.encrypt, boolean('encrypt')),
      'compression-level': () => assert.equal(settings.compressionLevel, Number(INPUT_DEFAULTS['compression-level'])),
      'keep-payload': () => assert.equal(settings.keepPayload, boolean('keep-payload')),
      activate: () => assert.equal(settings.activate, boolean('activate')),
      'batch-size': () => assert.deepEqual(settings.batchSize, { percent: Number(INPUT_DEFAULTS['batch-size']!.replace('%', '')) }),
      'health-timeout': () => assert.equal(settings.healthTimeoutMs, parseDuration(INPUT_DEFAULTS['health-timeout']!)),
      'rollback-on-failure': () => assert.equal(settings.rollbackOnFailure, boolean('rollback-on-failure')),
      'keep-releases': () => assert.equal(settings.keepReleases, Number(INPUT_DEFAULTS['keep-releases'])),
      'preserve-special-modes': () => assert.equal(settings.preserveSpecialModes, boolean('preserve-special-modes')),
      'swarm-allow-any-peer': () => assert.equal(settings.swarmAllowAnyPeer, boolean('swarm-allow-any-peer')),
    }
    assert.deepEqual(Object.keys(checks).sort(), Object.keys(INPUT_DEFAULTS).sort(), 'one check per default')
    for (const [name, check] of Object.entries(checks)) {
      assert.ok(INPUT_DEFAULTS[name] !== undefined && INPUT_DEFAULTS[name] !== '', `${name} has a value`)
      check()
    }
  })
  test('the inputs without a default stay unset', () => {
    const settings = settingsFrom(required)
    assert.equal(settings.tag, '0123456789ab', 'tag: the first 12 characters of GITHUB_SHA')
    assert.equal(settings.trackerAddress, undefined)
    assert.equal(settings.sshKeyPassphrase, undefined)
    assert.deepEqual(settings.hosts.map((host) => host.user), ['deploy'], 'ssh-user: none, the host names its own')
    assert.equal(settings.activateCommand, undefined)
    assert.equal(settings.healthCheck, undefined)
    assert.deepEqual(settings.sharedPaths, [])
  })
})
