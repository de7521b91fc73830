import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { InputError, InputErrors } from '../../../src/inputs/errors.js'
import { generateKey, removeTemporaryDirs, temporaryDir, type GeneratedKey } from '../helpers.js'

import { readSettings, readFromEnvironment, readBoolean, readInteger, TAG_PATTERN, type Settings } from '../../../src/inputs/settings.js'

const SHA = '0123456789abcdef0123456789abcdef01234567'

let workspace: string
let sourceDir: string
let plainKey: GeneratedKey
let encryptedKey: GeneratedKey
let hostKey: GeneratedKey
let knownHostsLine: string
const savedWorkspace = process.env.GITHUB_WORKSPACE

before(() => {
  workspace = temporaryDir('murder-unit-settings-')
  sourceDir = path.join(workspace, 'build')
  fs.mkdirSync(sourceDir)
  fs.writeFileSync(path.join(sourceDir, 'index.html'), '<h1>hi</h1>\n')
  fs.mkdirSync(path.join(workspace, 'empty'))
  fs.writeFileSync(path.join(workspace, 'a-file.txt'), 'not a dir')
  const keys = path.join(workspace, 'keys')
  fs.mkdirSync(keys)
  plainKey = generateKey(keys, 'deploy')
  encryptedKey = generateKey(keys, 'deploy-encrypted', 'ed25519', 'secret')
  hostKey = generateKey(keys, 'host')
  knownHostsLine = `198.18.0.11 ${hostKey.type} ${hostKey.base64}`
  process.env.GITHUB_WORKSPACE = workspace
})

after(() => {
  if (savedWorkspace === undefined) delete process.env.GITHUB_WORKSPACE
  else process.env.GITHUB_WORKSPACE = savedWorkspace
  removeTemporaryDirs()
})

/** A complete, valid set of inputs; each test overrides what it is about. */
function baseInputs(): Record<string, string> {
  return {
    path: sourceDir,
    tag: 'v1.2.3',
    hosts: 'deploy@198.18.0.11',
    'ssh-key': plainKey.privateKey,
    'known-hosts': knownHostsLine,
  }
}

function settingsWith(overrides: Record<string, string | undefined> = {}, env: NodeJS.ProcessEnv = { GITHUB_SHA: SHA, GITHUB_WORKSPACE: process.env.GITHUB_WORKSPACE }): Settings {
  const values: Record<string, string | undefined> = { ...baseInputs(), ...overrides }
  return readSettings((name) => values[name] ?? '', env)
}

/** Runs readSettings expecting failure; returns the InputErrors it threw. */
function failureWith(overrides: Record<string, string | undefined>, env: NodeJS.ProcessEnv = { GITHUB_SHA: SHA, GITHUB_WORKSPACE: process.env.GITHUB_WORKSPACE }): InputErrors {
  let caught: unknown
  try {
    settingsWith(overrides, env)
  } catch (error) {
    caught = error
  }
  assert.ok(caught instanceof InputErrors, `expected InputErrors for ${JSON.stringify(overrides).slice(0, 200)}, got ${String(caught)}`)
  return caught
}

/** Expects exactly one input error, for `input`, whose message matches `pattern`. */
function expectOnlyError(overrides: Record<string, string | undefined>, input: string, pattern: RegExp, env?: NodeJS.ProcessEnv): InputError {
  const failure = failureWith(overrides, env)
  assert.deepEqual(
    failure.errors.map((error) => error.input),
    [input],
    `expected only an error for '${input}', got: ${failure.message}`,
  )
  const error = failure.errors[0]!
  assert.ok(error instanceof InputError)
  assert.ok(error.message.startsWith(`Input '${input}': `), error.message)
  assert.match(error.message, pattern)
  assert.equal(failure.message, error.message)
  return error
}

describe('readSettings: a minimal valid set of inputs', () => {
  test('gets every default', () => {
    const settings = settingsWith()
    assert.equal(settings.sourceDir, sourceDir)
    assert.equal(settings.tag, 'v1.2.3')
    assert.deepEqual(settings.hosts, [{ label: 'deploy@198.18.0.11', user: 'deploy', host: '198.18.0.11', port: 22 }])
    assert.equal(settings.sshKey, plainKey.privateKey.trim() + '\n')
    assert.equal(settings.sshKeyPassphrase, undefined)
    assert.deepEqual(settings.knownHosts, [
      { marker: '', patterns: '198.18.0.11', keyType: 'ssh-ed25519', key: hostKey.base64, line: 1 },
    ])
    assert.equal(settings.insecureSkipHostKeyCheck, false)
    assert.equal(settings.destination, '/srv/releases')
    assert.equal(settings.trackerAddress, undefined)
    assert.equal(settings.trackerPort, 0)
    assert.equal(settings.deadlineMs, 600_000)
    assert.equal(settings.maxFailedHosts, 0)
    assert.equal(settings.concurrency, 50)
    assert.equal(settings.nodePath, 'node')
    assert.equal(settings.overwrite, false)
    assert.equal(settings.encrypt, true)
    assert.equal(settings.compressionLevel, 1)
    assert.equal(settings.keepPayload, true)
  })
})

describe('input path', () => {
  test('missing', () => {
    expectOnlyError({ path: '' }, 'path', /is required: the directory to deploy/)
  })
  test('does not exist: names the input and where it looked', () => {
    const error = expectOnlyError({ path: 'no-such-build' }, 'path', /"no-such-build" does not exist/)
    assert.ok(error.message.includes(path.join(workspace, 'no-such-build')), error.message)
  })
  test('a file, not a directory', () => {
    expectOnlyError({ path: path.join(workspace, 'a-file.txt') }, 'path', /is not a directory/)
  })
  test('an empty directory', () => {
    expectOnlyError({ path: path.join(workspace, 'empty') }, 'path', /"[^"]*empty" is empty: nothing to deploy/)
  })
  test('relative paths resolve against GITHUB_WORKSPACE', () => {
    assert.equal(settingsWith({ path: 'build' }).sourceDir, sourceDir)
    assert.equal(settingsWith({ path: './build/' }).sourceDir, sourceDir)
  })
  test('an absolute path is taken as is', () => {
    assert.equal(settingsWith({ path: sourceDir + '/' }).sourceDir, sourceDir)
  })
})

describe('input tag', () => {
  test('defaults to the first 12 characters of GITHUB_SHA', () => {
    assert.equal(settingsWith({ tag: '' }).tag, '0123456789ab')
  })
  test('no tag and no GITHUB_SHA', () => {
    expectOnlyError({ tag: '' }, 'tag', /is empty and GITHUB_SHA is not set/, {})
  })
  test('an explicit tag wins over GITHUB_SHA', () => {
    assert.equal(settingsWith({ tag: 'release-7' }).tag, 'release-7')
  })
  // `.partial` is no longer special: releases are written in .murder/incoming/<pid>/, not beside <tag>.
  for (const good of ['v1.2.3', 'build_42-rc', '0', 'A', 'x'.repeat(128), 'partial', 'x.partial.1', 'x.partial', 'v1.partial']) {
    test(`accepts ${JSON.stringify(good.length > 20 ? `${good.slice(0, 10)}…(${good.length})` : good)}`, () => {
      assert.equal(settingsWith({ tag: good }).tag, good)
    })
  }
  for (const bad of ['../x', 'a/b', 'a;rm -rf /', '$(id)', '.hidden', '-rf', '_x', 'a b', 'v1\n', 'x'.repeat(129), '..', '.']) {
    test(`rejects ${JSON.stringify(bad.length > 20 ? `${bad.slice(0, 10)}…(${bad.length})` : bad)}`, () => {
      const error = expectOnlyError({ tag: bad }, 'tag', /is not allowed: use 1 to 128 letters, digits/)
      if (bad.length <= 60) assert.ok(error.message.includes(`"${bad}"`), error.message)
    })
  }
  test('a 500-character tag is rejected and shown cut to 60 characters', () => {
    const tag = 'a'.repeat(500)
    const error = expectOnlyError({ tag }, 'tag', /is not allowed/)
    assert.ok(error.message.includes(`"${'a'.repeat(60)}…"`), error.message)
    assert.ok(!error.message.includes('a'.repeat(61)), 'the message must not carry the whole tag')
  })
  test('TAG_PATTERN itself allows 1 to 128 characters', () => {
    assert.equal(TAG_PATTERN.test('a'.repeat(128)), true)
    assert.equal(TAG_PATTERN.test('a'.repeat(129)), false)
    assert.equal(TAG_PATTERN.test(''), false)
  })
})

describe('inputs hosts and hosts-file', () => {
  test('inline hosts with several separators', () => {
    const settings = settingsWith({ hosts: 'a@h1, b@h2:2222\nc@[fd00::1]:2200  d@h4' })
    assert.deepEqual(
      settings.hosts.map((host) => [host.label, host.user, host.host, host.port]),
      [
        ['a@h1', 'a', 'h1', 22],
        ['b@h2:2222', 'b', 'h2', 2222],
        ['c@[fd00::1]:2200', 'c', 'fd00::1', 2200],
        ['d@h4', 'd', 'h4', 22],
      ],
    )
  })
  test('hosts and hosts-file are merged, inline first, comments ignored', () => {
    const file = path.join(workspace, 'hosts.txt')
    fs.writeFileSync(file, '# the web tier\nweb@w1   # first\nweb@w2:2200\n\n  # nothing here\n')
    const settings = settingsWith({ hosts: 'deploy@198.18.0.11', 'hosts-file': 'hosts.txt' })
    assert.deepEqual(
      settings.hosts.map((host) => host.label),
      ['deploy@198.18.0.11', 'web@w1', 'web@w2:2200'],
    )
  })
  test('hosts-file alone is enough', () => {
    fs.writeFileSync(path.join(workspace, 'only-file.txt'), 'root@f1\n')
    assert.deepEqual(settingsWith({ hosts: '', 'hosts-file': path.join(workspace, 'only-file.txt') }).hosts, [
      { label: 'root@f1', user: 'root', host: 'f1', port: 22 },
    ])
  })
  test('a duplicate across hosts and hosts-file is rejected', () => {
    fs.writeFileSync(path.join(workspace, 'dup.txt'), 'deploy@198.18.0.11:22\n')
    expectOnlyError({ 'hosts-file': 'dup.txt' }, 'hosts', /"deploy@198\.18\.0\.11:22" is listed twice \(also as "deploy@198\.18\.0\.11"\)/)
  })
  test('a missing hosts-file is an error of hosts-file, naming the file and ENOENT', () => {
    expectOnlyError({ 'hosts-file': 'missing-hosts.txt' }, 'hosts-file', /cannot read "missing-hosts\.txt": ENOENT/)
  })
  test('a directory as hosts-file', () => {
    expectOnlyError({ 'hosts-file': 'empty' }, 'hosts-file', /cannot read "empty": EISDIR/)
  })
  test('no hosts at all', () => {
    expectOnlyError({ hosts: '' }, 'hosts', /no hosts given: set hosts/)
    expectOnlyError({ hosts: '  # just a comment\n , ' }, 'hosts', /no hosts given/)
  })
  test('a bad entry is reported under hosts with the entry', () => {
    expectOnlyError({ hosts: 'deploy@h1 deploy@h2:99999' }, 'hosts', /"deploy@h2:99999": port "99999" is not between 1 and 65535/)
  })
})

describe('input ssh-user', () => {
  test('is the user of hosts that name none; an explicit user wins', () => {
    const settings = settingsWith({ 'ssh-user': 'ops', hosts: 'h1 admin@h2' })
    assert.deepEqual(
      settings.hosts.map((host) => host.user),
      ['ops', 'admin'],
    )
  })
  test('no ssh-user and a host without user: the hosts error mentions ssh-user', () => {
    expectOnlyError({ hosts: 'h1' }, 'hosts', /"h1": no user; write user@h1 or set the ssh-user input/)
  })
  for (const bad of ['bad user', '-rf', 'a;b', 'x'.repeat(33), 'a$b']) {
    test(`rejects ${JSON.stringify(bad)}`, () => {
      const failure = failureWith({ 'ssh-user': bad })
      const error = failure.errors.find((e) => e.input === 'ssh-user')
      assert.ok(error, failure.message)
      assert.ok(error.message.includes(`"${bad}" is not a valid user name`), error.message)
    })
  }
  test('a bad ssh-user leaves hosts without a user, so both are reported', () => {
    const failure = failureWith({ 'ssh-user': 'bad user', hosts: 'h1' })
    assert.deepEqual(
      failure.errors.map((e) => e.input),
      ['ssh-user', 'hosts'],
    )
  })
})

describe('input ssh-port', () => {
  test('is the port of hosts that name none; an explicit port wins', () => {
    const settings = settingsWith({ 'ssh-port': '2222', hosts: 'a@h1 a@h2:2200' })
    assert.deepEqual(
      settings.hosts.map((host) => host.port),
      [2222, 2200],
    )
  })
  test('1 and 65535 are the limits', () => {
    assert.equal(settingsWith({ 'ssh-port': '1', hosts: 'a@h' }).hosts[0]!.port, 1)
    assert.equal(settingsWith({ 'ssh-port': '65535', hosts: 'a@h' }).hosts[0]!.port, 65535)
  })
  test('0', () => {
    expectOnlyError({ 'ssh-port': '0' }, 'ssh-port', /0 is not between 1 and 65535/)
  })
  test('65536', () => {
    expectOnlyError({ 'ssh-port': '65536' }, 'ssh-port', /65536 is not between 1 and 65535/)
  })
  test('abc', () => {
    expectOnlyError({ 'ssh-port': 'abc' }, 'ssh-port', /"abc" is not a whole number between 1 and 65535/)
  })
  test('-1 and 22.5', () => {
    expectOnlyError({ 'ssh-port': '-1' }, 'ssh-port', /"-1" is not a whole number/)
    expectOnlyError({ 'ssh-port': '22.5' }, 'ssh-port', /"22\.5" is not a whole number/)
  })
})

describe('inputs ssh-key and ssh-key-passphrase', () => {
  test('missing', () => {
    expectOnlyError({ 'ssh-key': '' }, 'ssh-key', /is required: the private key/)
  })
  test('garbage', () => {
    const error = expectOnlyError({ 'ssh-key': 'this is not a key' }, 'ssh-key', /is not a usable private key \(.+\); give the whole key/)
    assert.ok(!error.message.includes('this is not a key'), 'the key text itself must not be echoed')
  })
  test('a key cut short', () => {
    const lines = plainKey.privateKey.trim().split('\n')
    expectOnlyError({ 'ssh-key': lines.slice(0, -2).join('\n') }, 'ssh-key', /is not a usable private key/)
  })
  test(
    'a public key is not a private key',
    () => {
      const failure = failureWith({ 'ssh-key': plainKey.publicLine })
      assert.deepEqual(
        failure.errors.map((e) => e.input),
        ['ssh-key'],
      )
    },
  )
  test('encrypted, without passphrase', () => {
    expectOnlyError({ 'ssh-key': encryptedKey.privateKey }, 'ssh-key', /is encrypted: set ssh-key-passphrase/)
  })
  test('encrypted, wrong passphrase: the error names ssh-key-passphrase', () => {
    expectOnlyError(
      { 'ssh-key': encryptedKey.privateKey, 'ssh-key-passphrase': 'wrong' },
      'ssh-key-passphrase',
      /does not decrypt ssh-key \(wrong passphrase\?\)/,
    )
  })
  test('encrypted, right passphrase', () => {
    const settings = settingsWith({ 'ssh-key': encryptedKey.privateKey, 'ssh-key-passphrase': 'secret' })
    assert.equal(settings.sshKey, encryptedKey.privateKey.trim() + '\n')
    assert.equal(settings.sshKeyPassphrase, 'secret')
  })
  test('a passphrase with an unencrypted key is harmless', () => {
    const settings = settingsWith({ 'ssh-key-passphrase': 'unused' })
    assert.equal(settings.sshKey, plainKey.privateKey.trim() + '\n')
    assert.equal(settings.sshKeyPassphrase, 'unused')
  })
  test('CRLF line ends and surrounding blank lines are normalized', () => {
    const settings = settingsWith({ 'ssh-key': '\r\n' + plainKey.privateKey.replace(/\n/g, '\r\n') + '\r\n\r\n' })
    assert.equal(settings.sshKey, plainKey.privateKey.trim() + '\n')
    assert.ok(!settings.sshKey.includes('\r'))
  })
})

describe('inputs known-hosts and insecure-skip-host-key-check', () => {
  test('missing: the error says how to skip the check', () => {
    expectOnlyError({ 'known-hosts': '' }, 'known-hosts', /is required: .*ssh-keyscan.*insecure-skip-host-key-check: true/)
  })
  test('missing but insecure-skip-host-key-check is true', () => {
    const settings = settingsWith({ 'known-hosts': '', 'insecure-skip-host-key-check': 'true' })
    assert.equal(settings.knownHosts, undefined)
    assert.equal(settings.insecureSkipHostKeyCheck, true)
  })
  test('given and insecure: the entries are still parsed', () => {
    const settings = settingsWith({ 'insecure-skip-host-key-check': 'true' })
    assert.equal(settings.knownHosts?.length, 1)
    assert.equal(settings.insecureSkipHostKeyCheck, true)
  })
  test('several lines, comments and a marker', () => {
    const text = `# scanned 2026-01-01\n${knownHostsLine}\n\n[198.18.0.12]:2222 ${hostKey.type} ${hostKey.base64} comment\n@revoked * ssh-ed25519 ${plainKey.base64}\n`
    const settings = settingsWith({ 'known-hosts': text })
    assert.deepEqual(
      settings.knownHosts?.map((entry) => [entry.marker, entry.patterns, entry.line]),
      [
        ['', '198.18.0.11', 2],
        ['', '[198.18.0.12]:2222', 4],
        ['@revoked', '*', 5],
      ],
    )
  })
  test('malformed', () => {
    expectOnlyError({ 'known-hosts': 'host ssh-ed25519 not*base64\nhost-only' }, 'known-hosts', /is not in known_hosts format \(line 1: expected "host key-type base64-key"; line 2: expected/)
  })
  test('an unknown marker', () => {
    expectOnlyError({ 'known-hosts': `@trusted ${knownHostsLine}` }, 'known-hosts', /line 1: unknown marker @trusted/)
  })
  test('comments only', () => {
    expectOnlyError({ 'known-hosts': '# nothing\n\n' }, 'known-hosts', /holds no host keys/)
  })
  for (const [text, value] of [
    ['true', true],
    ['TRUE', true],
    ['yes', true],
    ['on', true],
    ['1', true],
    ['false', false],
    ['False', false],
    ['no', false],
    ['off', false],
    ['0', false],
    ['', false],
  ] as const) {
    test(`insecure-skip-host-key-check ${JSON.stringify(text)} is ${value}`, () => {
      assert.equal(settingsWith({ 'insecure-skip-host-key-check': text }).insecureSkipHostKeyCheck, value)
    })
  }
  test('insecure-skip-host-key-check garbage', () => {
    expectOnlyError({ 'insecure-skip-host-key-check': 'maybe' }, 'insecure-skip-host-key-check', /"maybe" is not true or false/)
  })
  test('insecure-skip-host-key-check garbage does not skip the check', () => {
    const failure = failureWith({ 'insecure-skip-host-key-check': 'yes please', 'known-hosts': '' })
    assert.deepEqual(
      failure.errors.map((e) => e.input),
      ['insecure-skip-host-key-check', 'known-hosts'],
    )
  })
})

describe('input destination', () => {
  test('defaults to /srv/releases', () => {
    assert.equal(settingsWith({ destination: '' }).destination, '/srv/releases')
  })
  test('a trailing slash and doubled slashes are normalized', () => {
    assert.equal(settingsWith({ destination: '/srv/releases/' }).destination, '/srv/releases')
    assert.equal(settingsWith({ destination: '/srv//releases///' }).destination, '/srv/releases')
    assert.equal(settingsWith({ destination: '/srv/./releases' }).destination, '/srv/releases')
  })
  test('relative', () => {
    expectOnlyError({ destination: 'srv/releases' }, 'destination', /"srv\/releases" must be an absolute path on the hosts/)
  })
  test('contains ..', () => {
    expectOnlyError({ destination: '/srv/../etc' }, 'destination', /"\/srv\/\.\.\/etc" must not contain "\.\."/)
    expectOnlyError({ destination: '/srv/releases/..' }, 'destination', /must not contain "\.\."/)
  })
  test('a name that merely contains two dots is fine', () => {
    assert.equal(settingsWith({ destination: '/srv/releases..old' }).destination, '/srv/releases..old')
  })
  test('the root directory', () => {
    expectOnlyError({ destination: '/' }, 'destination', /must not be the root directory/)
    expectOnlyError({ destination: '///' }, 'destination', /must not be the root directory/)
  })
  test('more than one line', () => {
    expectOnlyError({ destination: '/srv/releases\n/etc' }, 'destination', /must be a single line/)
  })
})

describe('input seeder-host', () => {
  test('empty: the tracker and the seeder run on the runner, one swarm for the fleet', () => {
    const settings = settingsWith()
    assert.deepEqual(settings.zones, [{ hosts: settings.hosts }])
  })
  test('takes ssh-user and ssh-port for what it does not name; the fleet announces at its address', () => {
    const settings = settingsWith({ 'seeder-host': 'web1', 'ssh-user': 'deploy', 'ssh-port': '2222' })
    assert.deepEqual(settings.zones, [{ seederHost: { label: 'web1', user: 'deploy', host: 'web1', port: 2222 }, hosts: settings.hosts }])
    assert.equal(settings.trackerAddress, 'web1')
  })
  test('may be one of hosts', () => {
    const settings = settingsWith({ 'seeder-host': 'deploy@198.18.0.11' })
    assert.deepEqual(settings.zones[0]!.seederHost, settings.hosts[0])
  })
  test('tracker-address wins: the address the fleet sees the seeder host at', () => {
    const settings = settingsWith({ 'seeder-host': 'root@[fd00::1]:22', 'tracker-address': '10.1.2.3' })
    assert.deepEqual(settings.zones[0]!.seederHost, { label: 'root@[fd00::1]:22', user: 'root', host: 'fd00::1', port: 22 })
    assert.equal(settings.trackerAddress, '10.1.2.3')
  })
  for (const bad of ['root@', 'a b', 'x;y@host', 'host:99999', 'web1 role=db']) {
    test(`${JSON.stringify(bad)} is rejected under its own name`, () => {
      expectOnlyError({ 'seeder-host': bad }, 'seeder-host', /./)
    })
  }
})

describe('zones: host lines with zone=, one seeder host per zone', () => {
  const zonedHosts = 'deploy@198.18.0.11 zone=dc1\ndeploy@198.18.0.12 zone=dc1\ndeploy@198.18.0.21 zone=dc2\ndeploy@198.18.0.22 zone=dc2'
  test('each zone is a swarm of its own, with its seeder host, its hosts in the order given', () => {
    const settings = settingsWith({ hosts: zonedHosts, 'seeder-host': 'deploy@198.18.0.11 zone=dc1\ndeploy@198.18.0.21 zone=dc2' })
    assert.deepEqual(
      settings.zones.map((zone) => [zone.name, zone.seederHost?.host, zone.hosts.map((host) => host.host)]),
      [
        ['dc1', '198.18.0.11', ['198.18.0.11', '198.18.0.12']],
        ['dc2', '198.18.0.21', ['198.18.0.21', '198.18.0.22']],
      ],
    )
    assert.equal(settings.trackerAddress, undefined, 'each zone announces at its own seeder host')
    assert.deepEqual(settings.hosts.map((host) => host.label), ['deploy@198.18.0.11', 'deploy@198.18.0.12', 'deploy@198.18.0.21', 'deploy@198.18.0.22'])
  })
  test('zones without seeder-host: an error of hosts that says what to write', () => {
    expectOnlyError({ hosts: zonedHosts }, 'hosts', /zones need a seeder host each: set seeder-host, one line per zone \("seed1 zone=dc1", "seed2 zone=dc2"\)/)
  })
  test('one seeder host without a zone for zoned hosts: says to write one per zone', () => {
    expectOnlyError({ hosts: zonedHosts, 'seeder-host': 'deploy@seed1' }, 'seeder-host', /deploy@seed1 has no zone, but the hosts have zones \(dc1, dc2\): write one seeder host per zone/)
  })
  test('a zone without its seeder host is named, with its hosts', () => {
    expectOnlyError({ hosts: zonedHosts, 'seeder-host': 'deploy@seed1 zone=dc1' }, 'seeder-host', /zone dc2 \(deploy@198\.18\.0\.21, deploy@198\.18\.0\.22\) has no seeder host: add a line "<host> zone=dc2" to seeder-host/)
  })
  test('an unknown label is refused, naming the one there is', () => {
    expectOnlyError({ hosts: 'deploy@198.18.0.11 rack=r1' }, 'hosts', /unknown label "rack"; the one label a host takes is zone/)
  })
  test('tracker-address with several zones is refused', () => {
    expectOnlyError({ hosts: zonedHosts, 'seeder-host': 'deploy@seed1 zone=dc1, deploy@seed2 zone=dc2', 'tracker-address': '10.0.0.1' }, 'tracker-address', /each zone has its own seeder host/)
  })
  test('transport ssh with zones: refused, since each zone is a swarm', () => {
    expectOnlyError({ hosts: zonedHosts, 'seeder-host': 'deploy@seed1 zone=dc1\ndeploy@seed2 zone=dc2', transport: 'ssh' }, 'transport', /so seeder-host has nothing to apply to/)
  })
})

describe('input transport', () => {
  test('default auto; swarm and ssh as given', () => {
    assert.equal(settingsWith().transport, 'auto')
    assert.equal(settingsWith({ transport: 'ssh' }).transport, 'ssh')
    assert.equal(settingsWith({ transport: 'swarm', 'seeder-host': 'deploy@web1' }).transport, 'swarm')
  })
  test('anything else is rejected under its own name', () => {
    expectOnlyError({ transport: 'rsync' }, 'transport', /is not one of auto, swarm, ssh/)
  })
  test('ssh runs no tracker and no seeder: a seeder-host with it is an error that says what to write', () => {
    const error = expectOnlyError({ transport: 'ssh', 'seeder-host': 'deploy@web1' }, 'transport', /runs no tracker and no seeder, so seeder-host has nothing to apply to/)
    assert.match(error.message, /Remove it, or set transport to swarm \(or to auto, which keeps the swarm when seeder-host is set\)/)
  })
  test('ssh with the tracker\'s and the swarm\'s own inputs: each one named, in one error', () => {
    const error = expectOnlyError(
      { transport: 'ssh', 'tracker-address': '198.18.0.1', 'tracker-port': '6969', 'swarm-allow-any-peer': 'true' },
      'transport',
      /so tracker-address, tracker-port, swarm-allow-any-peer have nothing to apply to\. Remove them, or set transport to swarm$/,
    )
    assert.doesNotMatch(error.message, /seeder-host/)
  })
  test('those inputs stay valid with swarm and auto; ssh takes tracker-port 0 and the rate limits', () => {
    const swarmOnly = { 'seeder-host': 'deploy@web1', 'tracker-address': '198.18.0.1', 'tracker-port': '6969', 'swarm-allow-any-peer': 'true' }
    assert.equal(settingsWith({ transport: 'auto', ...swarmOnly }).transport, 'auto')
    assert.equal(settingsWith({ transport: 'swarm', ...swarmOnly }).transport, 'swarm')
    const ssh = settingsWith({ transport: 'ssh', 'tracker-port': '0', 'upload-limit': '1MB/s', 'download-limit': '2MB/s', 'seeder-upload-limit': '3MB/s', activate: 'true' })
    assert.deepEqual([ssh.transport, ssh.uploadLimit, ssh.downloadLimit, ssh.seederUploadLimit, ssh.activate], ['ssh', 1e6, 2e6, 3e6, true])
  })
})

describe('inputs tracker-address and tracker-port', () => {
  test('defaults: detect the address, any port', () => {
    const settings = settingsWith()
    assert.equal(settings.trackerAddress, undefined)
    assert.equal(settings.trackerPort, 0)
  })
  for (const address of ['10.0.0.5', 'runner.internal', 'fd00::1', 'runner-1.example.com']) {
    test(`tracker-address ${address}`, () => {
      assert.equal(settingsWith({ 'tracker-address': address }).trackerAddress, address)
    })
  }
  for (const bad of ['a b', 'x;y', 'http://runner/', '$(id)']) {
    test(`tracker-address ${JSON.stringify(bad)} is rejected`, () => {
      expectOnlyError({ 'tracker-address': bad }, 'tracker-address', /is not a host name or address/)
    })
  }
  test('tracker-port', () => {
    assert.equal(settingsWith({ 'tracker-port': '6969' }).trackerPort, 6969)
    assert.equal(settingsWith({ 'tracker-port': '0' }).trackerPort, 0)
    expectOnlyError({ 'tracker-port': '65536' }, 'tracker-port', /65536 is not between 0 and 65535/)
    expectOnlyError({ 'tracker-port': 'http' }, 'tracker-port', /"http" is not a whole number/)
  })
})

describe('input deadline', () => {
  for (const [text, ms] of [
    ['90s', 90_000],
    ['10m', 600_000],
    ['600', 600_000],
    ['1.5h', 5_400_000],
    ['', 600_000],
  ] as const) {
    test(`${JSON.stringify(text)} is ${ms} ms`, () => {
      assert.equal(settingsWith({ deadline: text }).deadlineMs, ms)
    })
  }
  test('0', () => {
    expectOnlyError({ deadline: '0' }, 'deadline', /"0" must be longer than zero/)
  })
  test('-1', () => {
    expectOnlyError({ deadline: '-1' }, 'deadline', /"-1" must be longer than zero/)
  })
  test('abc', () => {
    expectOnlyError({ deadline: 'abc' }, 'deadline', /"abc" is not a duration; use seconds/)
  })
})

describe('inputs max-failed-hosts, concurrency, node-path', () => {
  test('max-failed-hosts', () => {
    assert.equal(settingsWith({ 'max-failed-hosts': '' }).maxFailedHosts, 0)
    assert.equal(settingsWith({ 'max-failed-hosts': '3' }).maxFailedHosts, 3)
    expectOnlyError({ 'max-failed-hosts': '-1' }, 'max-failed-hosts', /"-1" is not a whole number/)
    expectOnlyError({ 'max-failed-hosts': 'some' }, 'max-failed-hosts', /"some" is not a whole number/)
    expectOnlyError({ 'max-failed-hosts': '10%' }, 'max-failed-hosts', /"10%" is not a whole number/)
  })
  test('concurrency', () => {
    assert.equal(settingsWith({ concurrency: '' }).concurrency, 50)
    assert.equal(settingsWith({ concurrency: '1' }).concurrency, 1)
    assert.equal(settingsWith({ concurrency: '10000' }).concurrency, 10000)
    expectOnlyError({ concurrency: '0' }, 'concurrency', /0 is not between 1 and 10000/)
    expectOnlyError({ concurrency: '10001' }, 'concurrency', /10001 is not between 1 and 10000/)
    expectOnlyError({ concurrency: 'many' }, 'concurrency', /"many" is not a whole number/)
  })
  test('node-path', () => {
    assert.equal(settingsWith({ 'node-path': '' }).nodePath, 'node')
    assert.equal(settingsWith({ 'node-path': '/opt/node-20/bin/node' }).nodePath, '/opt/node-20/bin/node')
    assert.equal(settingsWith({ 'node-path': 'nice -n 10 node' }).nodePath, 'nice -n 10 node')
    expectOnlyError({ 'node-path': 'node\nrm -rf /' }, 'node-path', /must be a single-line command or path/)
    expectOnlyError({ 'node-path': 'node\0' }, 'node-path', /must be a single-line command or path/)
  })
})

describe('inputs overwrite, encrypt, compression-level, keep-payload', () => {
  test('keep-payload defaults to true', () => {
    assert.equal(settingsWith({ 'keep-payload': '' }).keepPayload, true)
    assert.equal(settingsWith({ 'keep-payload': 'false' }).keepPayload, false)
    expectOnlyError({ 'keep-payload': 'sometimes' }, 'keep-payload', /"sometimes" is not true or false/)
  })
  test('overwrite', () => {
    assert.equal(settingsWith({ overwrite: '' }).overwrite, false)
    assert.equal(settingsWith({ overwrite: 'true' }).overwrite, true)
    assert.equal(settingsWith({ overwrite: 'no' }).overwrite, false)
    expectOnlyError({ overwrite: 'always' }, 'overwrite', /"always" is not true or false/)
  })
  test('encrypt defaults to true', () => {
    assert.equal(settingsWith({ encrypt: '' }).encrypt, true)
    assert.equal(settingsWith({ encrypt: 'false' }).encrypt, false)
    assert.equal(settingsWith({ encrypt: 'yes' }).encrypt, true)
    expectOnlyError({ encrypt: 'aes' }, 'encrypt', /"aes" is not true or false/)
  })
  test('compression-level 0 to 9, default 1', () => {
    assert.equal(settingsWith({ 'compression-level': '' }).compressionLevel, 1)
    for (let level = 0; level <= 9; level++) {
      assert.equal(settingsWith({ 'compression-level': String(level) }).compressionLevel, level)
    }
    expectOnlyError({ 'compression-level': '10' }, 'compression-level', /10 is not between 0 and 9/)
    expectOnlyError({ 'compression-level': 'best' }, 'compression-level', /"best" is not a whole number between 0 and 9/)
  })
})

describe('several bad inputs', () => {
  test('produce one InputErrors listing each, in input order', () => {
    const failure = failureWith({ tag: '../x', 'ssh-port': '0', deadline: 'soon', concurrency: '0', destination: 'rel' })
    assert.deepEqual(
      failure.errors.map((error) => error.input),
      ['tag', 'ssh-port', 'destination', 'deadline', 'concurrency'],
    )
    const lines = failure.message.split('\n')
    assert.equal(lines.length, 5)
    assert.match(lines[0]!, /^Input 'tag': "\.\.\/x" is not allowed/)
    assert.match(lines[1]!, /^Input 'ssh-port': 0 is not between 1 and 65535/)
    assert.match(lines[2]!, /^Input 'destination': "rel" must be an absolute path/)
    assert.match(lines[3]!, /^Input 'deadline': "soon" is not a duration/)
    assert.match(lines[4]!, /^Input 'concurrency': 0 is not between 1 and 10000/)
    assert.equal(failure.name, 'InputErrors')
  })
  test('every required input missing at once', () => {
    const failure = failureWith({ path: '', tag: '', hosts: '', 'ssh-key': '', 'known-hosts': '' }, {})
    assert.deepEqual(
      failure.errors.map((error) => error.input),
      ['path', 'tag', 'hosts', 'ssh-key', 'known-hosts'],
    )
  })
})

describe('readFromEnvironment', () => {
  test('reads INPUT_<NAME> upper-cased, hyphens kept, spaces to _, trimmed', () => {
    const read = readFromEnvironment({
      'INPUT_SSH-KEY': '  the key \n',
      INPUT_PATH: 'build',
      INPUT_MY_INPUT: 'spaced',
      INPUT_SSH_KEY: 'wrong: hyphen turned into underscore',
    })
    assert.equal(read('ssh-key'), 'the key')
    assert.equal(read('path'), 'build')
    assert.equal(read('my input'), 'spaced')
    assert.equal(read('absent'), '')
  })
  test('drives readSettings end to end', () => {
    const env: NodeJS.ProcessEnv = {
      INPUT_PATH: 'build',
      INPUT_HOSTS: 'h1\nh2:2200',
      'INPUT_SSH-USER': 'deploy',
      'INPUT_SSH-KEY': plainKey.privateKey,
      'INPUT_KNOWN-HOSTS': knownHostsLine,
      INPUT_DEADLINE: '90s',
      'INPUT_COMPRESSION-LEVEL': '0',
      GITHUB_SHA: SHA,
      GITHUB_WORKSPACE: process.env.GITHUB_WORKSPACE,
    }
    const settings = readSettings(readFromEnvironment(env), env)
    assert.equal(settings.sourceDir, sourceDir)
    assert.equal(settings.tag, '0123456789ab')
    assert.deepEqual(
      settings.hosts.map((host) => `${host.user}@${host.host}:${host.port}`),
      ['deploy@h1:22', 'deploy@h2:2200'],
    )
    assert.equal(settings.deadlineMs, 90_000)
    assert.equal(settings.compressionLevel, 0)
  })
})

describe('readInteger and readBoolean', () => {
  // No fallback parameter: readSettings fills in INPUT_DEFAULTS (inputs/defaults.ts) before parsing.
  test('readInteger', () => {
    assert.equal(readInteger('007', 0, 10), 7)
    assert.equal(readInteger('0', 0, 10), 0)
    assert.equal(readInteger('10', 0, 10), 10)
    assert.throws(() => readInteger('', 0, 10), { message: '"" is not a whole number between 0 and 10' })
    assert.throws(() => readInteger('1e3', 0, 10000), { message: '"1e3" is not a whole number between 0 and 10000' })
    assert.throws(() => readInteger(' 5', 0, 10), { message: '" 5" is not a whole number between 0 and 10' })
    assert.throws(() => readInteger('11', 0, 10), { message: '11 is not between 0 and 10' })
    assert.throws(() => readInteger('0', 1, 10), { message: '0 is not between 1 and 10' })
  })
  test('readBoolean', () => {
    for (const text of ['true', 'Yes', 'ON', '1']) assert.equal(readBoolean(text), true, text)
    for (const text of ['false', 'no', 'OFF', '0']) assert.equal(readBoolean(text), false, text)
    assert.throws(() => readBoolean(''), { message: '"" is not true or false' })
    assert.throws(() => readBoolean('y'), { message: '"y" is not true or false' })
  })
})

describe('surprises', () => {
  test(
    'relative path is resolved against the env argument GITHUB_WORKSPACE',
    () => {
      const elsewhere = temporaryDir('murder-unit-ws-')
      fs.mkdirSync(path.join(elsewhere, 'dist'))
      fs.writeFileSync(path.join(elsewhere, 'dist', 'x'), 'x')
      const settings = settingsWith({ path: 'dist' }, { GITHUB_SHA: SHA, GITHUB_WORKSPACE: elsewhere })
      assert.equal(settings.sourceDir, path.join(elsewhere, 'dist'))
    },
  )
})

describe('input seeder-upload-limit', () => {
  test('empty: no cap; a rate: bytes per second', () => {
    assert.equal(settingsWith({}).seederUploadLimit, undefined)
    assert.equal(settingsWith({ 'seeder-upload-limit': '400Mbit/s' }).seederUploadLimit, 50e6)
    assert.equal(settingsWith({ 'seeder-upload-limit': '20MB/s' }).seederUploadLimit, 20e6)
  })
  test('not a rate: named, with a hint', () => {
    expectOnlyError({ 'seeder-upload-limit': 'fast' }, 'seeder-upload-limit', /"fast" is not a rate; use a rate such as 50MB\/s/)
  })
})

describe('inputs upload-limit and download-limit', () => {
  test('empty: no cap; a rate: bytes per second, each on its own', () => {
    assert.equal(settingsWith({}).uploadLimit, undefined)
    assert.equal(settingsWith({}).downloadLimit, undefined)
    const settings = settingsWith({ 'upload-limit': '50MB/s', 'download-limit': '800Mbit/s' })
    assert.equal(settings.uploadLimit, 50e6)
    assert.equal(settings.downloadLimit, 100e6)
  })
  test('not a rate: each named, with a hint', () => {
    expectOnlyError({ 'download-limit': '10 parsecs' }, 'download-limit', /"10 parsecs" is not a rate/)
    expectOnlyError({ 'upload-limit': '-5MB/s' }, 'upload-limit', /is not a rate/)
  })
})

describe('input agent-nice', () => {
  test('10 by default; any whole number from 0 to 19', () => {
    assert.equal(settingsWith({}).agentNice, 10)
    assert.equal(settingsWith({ 'agent-nice': '0' }).agentNice, 0)
    assert.equal(settingsWith({ 'agent-nice': '19' }).agentNice, 19)
  })
  test('outside 0-19, or not a number: named', () => {
    for (const bad of ['20', '-1', 'low']) expectOnlyError({ 'agent-nice': bad }, 'agent-nice', /./)
  })
})

describe('activation inputs', () => {
  test('off by default, with the documented defaults', () => {
    const settings = settingsWith()
    assert.equal(settings.activate, false)
    assert.deepEqual(settings.batchSize, { percent: 25 })
    assert.equal(settings.healthTimeoutMs, 60_000)
    assert.equal(settings.rollbackOnFailure, true)
    assert.equal(settings.keepReleases, 5)
    assert.deepEqual(settings.sharedPaths, [])
  })
  test('every activation input read', () => {
    const settings = settingsWith({
      activate: 'true',
      'batch-size': '2',
      'activate-command': 'systemctl reload app',
      'health-check': 'curl -fsS http://127.0.0.1:8080/health',
      'health-timeout': '90s',
      'rollback-on-failure': 'false',
      'keep-releases': '3',
      'shared-paths': 'config/database.yml\nlog/, tmp/pids',
    })
    assert.equal(settings.activate, true)
    assert.deepEqual(settings.batchSize, { hosts: 2 })
    assert.equal(settings.activateCommand, 'systemctl reload app')
    assert.equal(settings.healthCheck, 'curl -fsS http://127.0.0.1:8080/health')
    assert.equal(settings.healthTimeoutMs, 90_000)
    assert.equal(settings.rollbackOnFailure, false)
    assert.equal(settings.keepReleases, 3)
    assert.deepEqual(settings.sharedPaths, ['config/database.yml', 'log', 'tmp/pids'])
  })
  test('batch-size: a count or a percentage, nothing else', () => {
    assert.deepEqual(settingsWith({ 'batch-size': '12.5%' }).batchSize, { percent: 12.5 })
    expectOnlyError({ 'batch-size': '0' }, 'batch-size', /must be at least 1 host/)
    expectOnlyError({ 'batch-size': '0%' }, 'batch-size', /above 0 and at most 100/)
    expectOnlyError({ 'batch-size': '150%' }, 'batch-size', /above 0 and at most 100/)
    expectOnlyError({ 'batch-size': 'half' }, 'batch-size', /is not a number of hosts \(2\) or a percentage of them \(25%\)/)
  })
  test('health-timeout uses the duration grammar', () => {
    expectOnlyError({ 'health-timeout': '0' }, 'health-timeout', /must be longer than zero/)
    expectOnlyError({ 'health-timeout': 'soon' }, 'health-timeout', /is not a duration/)
  })
  test('keep-releases is a whole number of at least 1', () => {
    expectOnlyError({ 'keep-releases': '0' }, 'keep-releases', /not between 1 and 1000/)
  })
  test('shared-paths must stay inside the release, and not inside each other', () => {
    expectOnlyError({ 'shared-paths': '/etc/app.conf' }, 'shared-paths', /must be relative to the release/)
    expectOnlyError({ 'shared-paths': 'config/../../etc' }, 'shared-paths', /no "\.\.", "\.", or empty parts/)
    expectOnlyError({ 'shared-paths': 'log\nlog/app.log' }, 'shared-paths', /"log\/app\.log" lies inside "log"/)
    expectOnlyError({ 'shared-paths': 'log\nlog/' }, 'shared-paths', /lists a path twice/)
  })
  test('a build that holds a shared path is refused, with activate on', () => {
    fs.mkdirSync(path.join(sourceDir, 'config'), { recursive: true })
    fs.writeFileSync(path.join(sourceDir, 'config/database.yml'), 'password: in-the-build\n')
    try {
      expectOnlyError({ activate: 'true', 'shared-paths': 'config/database.yml' }, 'shared-paths', /the build holds config\/database\.yml\. A shared path becomes a link/)
      expectOnlyError({ activate: 'true', 'shared-paths': 'config/database.yml/x' }, 'shared-paths', /config\/database\.yml, which is not a directory/)
      assert.deepEqual(settingsWith({ activate: 'true', 'shared-paths': 'config/secrets.yml' }).sharedPaths, ['config/secrets.yml'], 'a free path in an existing directory is fine')
      assert.deepEqual(settingsWith({ 'shared-paths': 'config/database.yml' }).sharedPaths, ['config/database.yml'], 'without activate nothing is linked, so nothing is refused')
    } finally {
      fs.rmSync(path.join(sourceDir, 'config'), { recursive: true, force: true })
    }
  })
  test('the names activation uses in the destination cannot be tags when activating', () => {
    expectOnlyError({ activate: 'true', tag: 'current' }, 'tag', /"current" is the name of <destination>\/current/)
    expectOnlyError({ activate: 'true', tag: 'shared' }, 'tag', /"shared"/)
    assert.equal(settingsWith({ tag: 'current' }).tag, 'current')
  })
  test('every bad activation input is reported at once', () => {
    const failure = failureWith({ activate: 'maybe', 'batch-size': 'x', 'health-timeout': '-1', 'rollback-on-failure': 'sure', 'keep-releases': 'all' })
    assert.deepEqual(failure.errors.map((error) => error.input).sort(), ['activate', 'batch-size', 'health-timeout', 'keep-releases', 'rollback-on-failure'])
  })
})
