import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createHmac, randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import {
  entryNamesHost,
  fingerprint,
  keyTypeOf,
  knownHostsName,
  parseKnownHosts,
  verifyHostKey,
  type KnownHostEntry,
} from '../../../src/ssh/known-hosts.js'
import { generateKey, removeTemporaryDirs, temporaryDir, type GeneratedKey } from '../helpers.js'

let dir: string
/** The host's two keys (it offers either), and keys of somebody else. */
let hostEd: GeneratedKey
let hostRsa: GeneratedKey
let otherEd: GeneratedKey

before(() => {
  dir = temporaryDir('murder-unit-known-hosts-')
  hostEd = generateKey(dir, 'host-ed25519')
  hostRsa = generateKey(dir, 'host-rsa', 'rsa')
  otherEd = generateKey(dir, 'other-ed25519')
})
after(removeTemporaryDirs)

function entry(patterns: string, marker: KnownHostEntry['marker'] = ''): KnownHostEntry {
  return { marker, patterns, keyType: 'ssh-ed25519', key: 'AAAA', line: 1 }
}

/** A hashed host field as OpenSSH writes it: |1|base64(salt)|base64(HMAC-SHA1(salt, name)). */
function hashName(name: string, salt = randomBytes(20)): string {
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`
}

describe('parseKnownHosts', () => {
  test('plain lines, comments, blank lines, markers, trailing comments; line numbers kept', () => {
    const text = [
      '# scanned by hand',
      '',
      `web1,198.18.0.11 ${hostEd.type} ${hostEd.base64} root@web1`,
      `   [web2]:2222 ${hostRsa.type} ${hostRsa.base64}   `,
      `@revoked * ${otherEd.type} ${otherEd.base64}`,
      `@cert-authority *.example.com ${otherEd.type} ${otherEd.base64}`,
      '',
    ].join('\n')
    assert.deepEqual(parseKnownHosts(text), [
      { marker: '', patterns: 'web1,198.18.0.11', keyType: 'ssh-ed25519', key: hostEd.base64, line: 3 },
      { marker: '', patterns: '[web2]:2222', keyType: 'ssh-rsa', key: hostRsa.base64, line: 4 },
      { marker: '@revoked', patterns: '*', keyType: 'ssh-ed25519', key: otherEd.base64, line: 5 },
      { marker: '@cert-authority', patterns: '*.example.com', keyType: 'ssh-ed25519', key: otherEd.base64, line: 6 },
    ])
  })
  test('CRLF line ends and tabs as separators', () => {
    const entries = parseKnownHosts(`web1\t${hostEd.type}\t${hostEd.base64}\r\nweb2 ${hostEd.type} ${hostEd.base64}\r\n`)
    assert.deepEqual(
      entries.map((e) => [e.patterns, e.key]),
      [
        ['web1', hostEd.base64],
        ['web2', hostEd.base64],
      ],
    )
  })
  test('empty text gives no entries', () => {
    assert.deepEqual(parseKnownHosts(''), [])
    assert.deepEqual(parseKnownHosts('# nothing\n\n   \n'), [])
  })
  test('malformed lines are rejected, every one listed with its line number', () => {
    const text = ['web1', `web2 ${hostEd.type}`, `web3 ${hostEd.type} not*base64!`, `@trusted web4 ${hostEd.type} ${hostEd.base64}`, '@revoked'].join('\n')
    assert.throws(() => parseKnownHosts(text), {
      message:
        'is not in known_hosts format (line 1: expected "host key-type base64-key"; line 2: expected "host key-type base64-key"; ' +
        'line 3: expected "host key-type base64-key"; line 4: unknown marker @trusted; line 5: expected "host key-type base64-key")',
    })
  })
  test('one bad line spoils the whole file', () => {
    assert.throws(() => parseKnownHosts(`web1 ${hostEd.type} ${hostEd.base64}\nweb2`), /line 2: expected/)
  })
})

describe('knownHostsName', () => {
  test('port 22 is the bare name; other ports take brackets', () => {
    assert.equal(knownHostsName('web1', 22), 'web1')
    assert.equal(knownHostsName('web1', 2222), '[web1]:2222')
    assert.equal(knownHostsName('fd00::1', 22), 'fd00::1')
    assert.equal(knownHostsName('fd00::1', 2200), '[fd00::1]:2200')
  })
})

describe('entryNamesHost', () => {
  test('plain names, case-insensitive, in comma lists', () => {
    assert.equal(entryNamesHost(entry('web1'), 'web1', 22), true)
    assert.equal(entryNamesHost(entry('WEB1.example.com'), 'web1.EXAMPLE.com', 22), true)
    assert.equal(entryNamesHost(entry('web1,198.18.0.11'), '198.18.0.11', 22), true)
    assert.equal(entryNamesHost(entry('web1,198.18.0.11'), 'web2', 22), false)
    assert.equal(entryNamesHost(entry('web1'), 'web10', 22), false)
  })
  test('a dot is literal, not "any character"', () => {
    assert.equal(entryNamesHost(entry('198.18.0.1'), '198x18y0z1', 22), false)
  })
  test('[host]:port names that port only; a plain name means port 22 only', () => {
    assert.equal(entryNamesHost(entry('[web1]:2222'), 'web1', 2222), true)
    assert.equal(entryNamesHost(entry('[web1]:2222'), 'web1', 22), false)
    assert.equal(entryNamesHost(entry('[web1]:2222'), 'web1', 2223), false)
    assert.equal(entryNamesHost(entry('web1'), 'web1', 2222), false)
    assert.equal(entryNamesHost(entry('[fd00::1]:2200'), 'fd00::1', 2200), true)
    assert.equal(entryNamesHost(entry('[web1]:22'), 'web1', 22), false, 'OpenSSH writes port 22 without brackets')
  })
  test('wildcards * and ?', () => {
    assert.equal(entryNamesHost(entry('*.example.com'), 'web1.example.com', 22), true)
    assert.equal(entryNamesHost(entry('*.example.com'), 'example.com', 22), false)
    assert.equal(entryNamesHost(entry('198.18.0.*'), '198.18.0.200', 22), true)
    assert.equal(entryNamesHost(entry('198.18.0.*'), '198.18.1.2', 22), false)
    assert.equal(entryNamesHost(entry('web?'), 'web7', 22), true)
    assert.equal(entryNamesHost(entry('web?'), 'web17', 22), false)
    assert.equal(entryNamesHost(entry('[web*]:2222'), 'web9', 2222), true)
    assert.equal(entryNamesHost(entry('*'), 'anything', 22), true)
  })
  test('a negated pattern vetoes the entry whatever else matches', () => {
    const e = entry('*.example.com,!db.example.com')
    assert.equal(entryNamesHost(e, 'web.example.com', 22), true)
    assert.equal(entryNamesHost(e, 'db.example.com', 22), false)
    assert.equal(entryNamesHost(entry('!db.example.com,*.example.com'), 'db.example.com', 22), false)
    assert.equal(entryNamesHost(entry('!db.example.com'), 'web.example.com', 22), false, 'a negation alone names nobody')
    assert.equal(entryNamesHost(entry('198.18.0.*,!198.18.0.1?'), '198.18.0.15', 22), false)
    assert.equal(entryNamesHost(entry('198.18.0.*,!198.18.0.1?'), '198.18.0.5', 22), true)
  })
  test('regular-expression characters in patterns are literal', () => {
    assert.equal(entryNamesHost(entry('web(1|2)'), 'web1', 22), false)
    assert.equal(entryNamesHost(entry('web+'), 'webbb', 22), false)
  })
})

describe('hashed names', () => {
  test('entries hashed by ssh-keygen -H match their host and port only', () => {
    const file = path.join(dir, 'known_hosts')
    fs.writeFileSync(file, `198.18.0.11 ${hostEd.type} ${hostEd.base64}\n[198.18.0.12]:2222 ${hostEd.type} ${hostEd.base64}\n`)
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'pipe' })
    const entries = parseKnownHosts(fs.readFileSync(file, 'utf8'))
    assert.equal(entries.length, 2)
    for (const e of entries) assert.match(e.patterns, /^\|1\|[A-Za-z0-9+/]+=*\|[A-Za-z0-9+/]+=*$/)
    const [first, second] = entries as [KnownHostEntry, KnownHostEntry]
    assert.equal(entryNamesHost(first, '198.18.0.11', 22), true)
    assert.equal(entryNamesHost(first, '198.18.0.11', 2222), false)
    assert.equal(entryNamesHost(first, '198.18.0.12', 22), false)
    assert.equal(entryNamesHost(second, '198.18.0.12', 2222), true)
    assert.equal(entryNamesHost(second, '198.18.0.12', 22), false)
    assert.deepEqual(verifyHostKey(entries, '198.18.0.12', 2222, hostEd.blob), { ok: true })
    const unknown = verifyHostKey(entries, '198.18.0.13', 22, hostEd.blob)
    assert.equal(unknown.ok, false)
  })
  test('a name hashed here (HMAC-SHA1) matches', () => {
    assert.equal(entryNamesHost(entry(hashName('web1')), 'web1', 22), true)
    assert.equal(entryNamesHost(entry(hashName('[web1]:2222')), 'web1', 2222), true)
    assert.equal(entryNamesHost(entry(hashName('web1')), 'web2', 22), false)
  })
  test('hashed names are matched literally: no wildcards', () => {
    assert.equal(entryNamesHost(entry(hashName('web*')), 'web1', 22), false)
    assert.equal(entryNamesHost(entry(hashName('web*')), 'web*', 22), true)
  })
  test(
    'a host written in capitals matches a hashed entry of its lower-case name, as plain entries do',
    () => {
      assert.equal(entryNamesHost(entry(hashName('web1')), 'WEB1', 22), true)
    },
  )
  test('unknown hash kinds and truncated hashes never match', () => {
    const salt = randomBytes(20)
    const good = hashName('web1', salt)
    assert.equal(entryNamesHost(entry(good.replace('|1|', '|2|')), 'web1', 22), false)
    assert.equal(entryNamesHost(entry(good.split('|').slice(0, 3).join('|')), 'web1', 22), false)
    const hmac = createHmac('sha1', salt).update('web1').digest()
    assert.equal(entryNamesHost(entry(`|1|${salt.toString('base64')}|${hmac.subarray(0, 10).toString('base64')}`), 'web1', 22), false)
  })
})

describe('fingerprint and keyTypeOf', () => {
  test('fingerprint is what ssh-keygen -l prints', () => {
    const printed = execFileSync('ssh-keygen', ['-l', '-f', `${hostEd.file}.pub`], { encoding: 'utf8' })
    const expected = printed.split(/\s+/)[1]
    assert.match(expected!, /^SHA256:/)
    assert.equal(fingerprint(hostEd.blob), expected)
  })
  test('keyTypeOf reads the type inside the blob', () => {
    assert.equal(keyTypeOf(hostEd.blob), 'ssh-ed25519')
    assert.equal(keyTypeOf(hostRsa.blob), 'ssh-rsa')
    assert.equal(keyTypeOf(Buffer.from([0, 0, 1])), 'unknown')
  })
})

describe('verifyHostKey', () => {
  test('the known key is accepted', () => {
    const entries = parseKnownHosts(`198.18.0.11 ${hostEd.type} ${hostEd.base64}`)
    assert.deepEqual(verifyHostKey(entries, '198.18.0.11', 22, hostEd.blob), { ok: true })
  })
  test('a host with two key types (rsa line first) matches either blob', () => {
    const entries = parseKnownHosts(`web1 ${hostRsa.type} ${hostRsa.base64}\nweb1 ${hostEd.type} ${hostEd.base64}\n`)
    assert.deepEqual(verifyHostKey(entries, 'web1', 22, hostEd.blob), { ok: true })
    assert.deepEqual(verifyHostKey(entries, 'web1', 22, hostRsa.blob), { ok: true })
  })
  test('a different key is a HOST KEY MISMATCH naming the offered key and the known types', () => {
    const entries = parseKnownHosts(`web1 ${hostRsa.type} ${hostRsa.base64}\nweb1 ${hostEd.type} ${hostEd.base64}\n`)
    const verdict = verifyHostKey(entries, 'web1', 22, otherEd.blob)
    assert.equal(verdict.ok, false)
    assert.ok(!verdict.ok)
    assert.ok(verdict.reason.startsWith('HOST KEY MISMATCH: '), verdict.reason)
    assert.ok(verdict.reason.includes(`ssh-ed25519 ${fingerprint(otherEd.blob)}`), verdict.reason)
    assert.ok(verdict.reason.includes('not the ssh-rsa, ssh-ed25519 key known-hosts has for it'), verdict.reason)
  })
  test('a matching blob under the wrong key-type label is a mismatch', () => {
    const entries = parseKnownHosts(`web1 ssh-rsa ${hostEd.base64}`)
    const verdict = verifyHostKey(entries, 'web1', 22, hostEd.blob)
    assert.ok(!verdict.ok)
    assert.match(verdict.reason, /^HOST KEY MISMATCH/)
  })
  test('an unknown host: the reason mentions ssh-keyscan with its port', () => {
    const entries = parseKnownHosts(`web1 ${hostEd.type} ${hostEd.base64}`)
    const verdict = verifyHostKey(entries, 'web2', 2222, hostEd.blob)
    assert.ok(!verdict.ok)
    assert.equal(
      verdict.reason,
      `it is not in known-hosts (it offered ssh-ed25519 ${fingerprint(hostEd.blob)}); add it, e.g. the output of: ssh-keyscan -p 2222 web2`,
    )
  })
  test('the right host on another port is unknown, not a mismatch', () => {
    const entries = parseKnownHosts(`web1 ${hostEd.type} ${hostEd.base64}`)
    const verdict = verifyHostKey(entries, 'web1', 2222, hostEd.blob)
    assert.ok(!verdict.ok)
    assert.match(verdict.reason, /^it is not in known-hosts/)
  })
  test('wildcard entries verify the hosts they name, negations excluded', () => {
    const entries = parseKnownHosts(`198.18.0.*,!198.18.0.99 ${hostEd.type} ${hostEd.base64}`)
    assert.deepEqual(verifyHostKey(entries, '198.18.0.7', 22, hostEd.blob), { ok: true })
    const excluded = verifyHostKey(entries, '198.18.0.99', 22, hostEd.blob)
    assert.ok(!excluded.ok)
    assert.match(excluded.reason, /not in known-hosts/)
  })
  test('@revoked rejects the key even when another line trusts it', () => {
    const entries = parseKnownHosts(`web1 ${hostEd.type} ${hostEd.base64}\n@revoked * ${hostEd.type} ${hostEd.base64}\n`)
    const verdict = verifyHostKey(entries, 'web1', 22, hostEd.blob)
    assert.ok(!verdict.ok)
    assert.equal(verdict.reason, `its host key ssh-ed25519 ${fingerprint(hostEd.blob)} is marked @revoked in known-hosts`)
  })
  test('@revoked of another key leaves the trusted key alone', () => {
    const entries = parseKnownHosts(`web1 ${hostEd.type} ${hostEd.base64}\n@revoked * ${otherEd.type} ${otherEd.base64}\n`)
    assert.deepEqual(verifyHostKey(entries, 'web1', 22, hostEd.blob), { ok: true })
  })
  test('@revoked alone does not make a host known', () => {
    const entries = parseKnownHosts(`@revoked web1 ${otherEd.type} ${otherEd.base64}`)
    const verdict = verifyHostKey(entries, 'web1', 22, hostEd.blob)
    assert.ok(!verdict.ok)
    assert.match(verdict.reason, /^it is not in known-hosts/)
  })
  test('@cert-authority lines are ignored: they neither trust nor name a host', () => {
    const entries = parseKnownHosts(`@cert-authority *.example.com ${hostEd.type} ${hostEd.base64}`)
    const verdict = verifyHostKey(entries, 'web1.example.com', 22, hostEd.blob)
    assert.ok(!verdict.ok)
    assert.match(verdict.reason, /^it is not in known-hosts .*ssh-keyscan -p 22 web1\.example\.com$/)
    const withPlain = parseKnownHosts(
      `@cert-authority *.example.com ${otherEd.type} ${otherEd.base64}\nweb1.example.com ${hostEd.type} ${hostEd.base64}`,
    )
    assert.deepEqual(verifyHostKey(withPlain, 'web1.example.com', 22, hostEd.blob), { ok: true })
    const mismatch = verifyHostKey(withPlain, 'web1.example.com', 22, otherEd.blob)
    assert.ok(!mismatch.ok)
    assert.match(mismatch.reason, /^HOST KEY MISMATCH/)
  })
  test('hashed and plain entries together', () => {
    const entries = parseKnownHosts(`${hashName('[web1]:2222')} ${hostEd.type} ${hostEd.base64}\nweb2 ${hostRsa.type} ${hostRsa.base64}`)
    assert.deepEqual(verifyHostKey(entries, 'web1', 2222, hostEd.blob), { ok: true })
    assert.deepEqual(verifyHostKey(entries, 'web2', 22, hostRsa.blob), { ok: true })
    const wrong = verifyHostKey(entries, 'web1', 2222, otherEd.blob)
    assert.ok(!wrong.ok)
    assert.match(wrong.reason, /^HOST KEY MISMATCH: .* not the ssh-ed25519 key/)
  })
})
