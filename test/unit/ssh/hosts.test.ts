import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { parseHostEntry, parseHostList, type HostTarget } from '../../../src/ssh/hosts.js'

const defaults = { user: 'deploy', port: 22 }

/** user@host:port of each target, for compact comparisons. */
function summary(hosts: HostTarget[]): string[] {
  return hosts.map((host) => `${host.user}@${host.host}:${host.port}`)
}

function parseError(text: string, given = defaults): string {
  let message: string | undefined
  try {
    parseHostList(text, given)
  } catch (error) {
    message = (error as Error).message
  }
  assert.ok(message !== undefined, `expected ${JSON.stringify(text)} to be rejected`)
  return message
}

describe('separators', () => {
  test('newline', () => {
    assert.deepEqual(summary(parseHostList('h1\nh2\nh3\n', defaults)), ['deploy@h1:22', 'deploy@h2:22', 'deploy@h3:22'])
  })
  test('comma', () => {
    assert.deepEqual(summary(parseHostList('h1,h2,h3', defaults)), ['deploy@h1:22', 'deploy@h2:22', 'deploy@h3:22'])
  })
  test('spaces and tabs', () => {
    assert.deepEqual(summary(parseHostList('h1 h2\th3', defaults)), ['deploy@h1:22', 'deploy@h2:22', 'deploy@h3:22'])
  })
  test('mixed, with CRLF, blank lines and runs of separators', () => {
    assert.deepEqual(summary(parseHostList('  h1 ,, h2\r\n\r\n,h3 ,\n\t h4:2200 ,', defaults)), [
      'deploy@h1:22',
      'deploy@h2:22',
      'deploy@h3:22',
      'deploy@h4:2200',
    ])
  })
  test('# starts a comment to the end of the line', () => {
    assert.deepEqual(summary(parseHostList('# fleet\nh1 # the first\n#h2\nh3#no-space', defaults)), ['deploy@h1:22', 'deploy@h3:22'])
  })
  test('empty text gives no hosts (the caller reports that)', () => {
    assert.deepEqual(parseHostList('', defaults), [])
    assert.deepEqual(parseHostList(' \n , \n# only a comment', defaults), [])
  })
})

describe('entries', () => {
  test('user@host', () => {
    assert.deepEqual(parseHostList('root@web1.example.com', defaults), [
      { label: 'root@web1.example.com', user: 'root', host: 'web1.example.com', port: 22 },
    ])
  })
  test('host:port', () => {
    assert.deepEqual(parseHostList('198.18.0.11:2222', defaults), [{ label: '198.18.0.11:2222', user: 'deploy', host: '198.18.0.11', port: 2222 }])
  })
  test('user@host:port', () => {
    assert.deepEqual(parseHostList('ops@db-1:65535', defaults), [{ label: 'ops@db-1:65535', user: 'ops', host: 'db-1', port: 65535 }])
  })
  test('[fd00::1]:2222', () => {
    assert.deepEqual(parseHostList('[fd00::1]:2222', defaults), [{ label: '[fd00::1]:2222', user: 'deploy', host: 'fd00::1', port: 2222 }])
  })
  test('user@[fd00::1]:2222', () => {
    assert.deepEqual(parseHostList('ops@[fd00::1]:2222', defaults), [{ label: 'ops@[fd00::1]:2222', user: 'ops', host: 'fd00::1', port: 2222 }])
  })
  test('[fd00::1] without a port takes the default port', () => {
    assert.deepEqual(parseHostList('[fd00::1]', { user: 'u', port: 2200 }), [{ label: '[fd00::1]', user: 'u', host: 'fd00::1', port: 2200 }])
  })
  test('IPv6 with a zone and IPv4-mapped IPv6', () => {
    assert.deepEqual(summary(parseHostList('[fe80::1%eth0]:22 [::ffff:198.18.0.1]', defaults)), [
      'deploy@fe80::1%eth0:22',
      'deploy@::ffff:198.18.0.1:22',
    ])
  })
  test('bare IPv6 without brackets is rejected with a hint', () => {
    const message = parseError('fd00::1')
    assert.equal(message, '"fd00::1": write IPv6 addresses in brackets, like [fd00::1] or [fd00::1]:22')
  })
  test('bare IPv6 with user is rejected with a hint naming the address', () => {
    assert.match(parseError('ops@fd00::1:2222'), /^"ops@fd00::1:2222": write IPv6 addresses in brackets, like \[fd00::1:2222\]/)
  })
  test('broken brackets', () => {
    assert.equal(parseError('[fd00::1'), '"[fd00::1": missing "]" after the IPv6 address')
    assert.equal(parseError('[fd00::1]2222'), '"[fd00::1]2222": expected ":port" after "]"')
    assert.equal(parseError('[web1]:22'), '"[web1]:22": "web1" is not an IPv6 address')
    assert.equal(parseError('[]:22'), '"[]:22": "" is not an IPv6 address')
  })
  for (const port of ['0', '65536', '99999', '123456', '-1', 'ssh', '']) {
    test(`port ${JSON.stringify(port)} is out of range`, () => {
      assert.equal(parseError(`h1:${port}`), `"h1:${port}": port "${port}" is not between 1 and 65535`)
    })
  }
  test('port out of range after brackets', () => {
    assert.equal(parseError('[fd00::1]:0'), '"[fd00::1]:0": port "0" is not between 1 and 65535')
  })
  test('leading zeros in a port are read as decimal', () => {
    assert.equal(parseHostList('h1:0022', defaults)[0]!.port, 22)
  })
  for (const host of ['-web', 'web_1..example', 'we b', 'web$1', 'a'.repeat(64), 'x'.repeat(254)]) {
    test(`host name ${JSON.stringify(host.length > 20 ? `${host.slice(0, 8)}…(${host.length})` : host)} is rejected`, () => {
      assert.throws(() => parseHostEntry(host, defaults), { message: `"${host}": "${host}" is not a valid host name or address` })
    })
  }
  test('host names with underscores, a trailing dot and 63-character labels are fine', () => {
    assert.deepEqual(summary(parseHostList(`web_1 web1.example.com. ${'a'.repeat(63)}.example`, defaults)), [
      'deploy@web_1:22',
      'deploy@web1.example.com.:22',
      `deploy@${'a'.repeat(63)}.example:22`,
    ])
  })
  test('a bad user', () => {
    assert.equal(parseError('b!d@h1'), '"b!d@h1": "b!d" is not a valid user name')
    assert.equal(parseError('@h1'), '"@h1": "" is not a valid user name')
    assert.equal(parseError('a@b@h1'), '"a@b@h1": "a@b" is not a valid user name')
  })
})

describe('duplicates', () => {
  test('the same user, host and port twice is rejected naming both', () => {
    assert.equal(parseError('deploy@h1\ndeploy@h1'), '"deploy@h1" is listed twice (also as "deploy@h1")')
  })
  test('the same target written differently (default user, explicit port) is a duplicate', () => {
    assert.equal(parseError('h1 deploy@h1:22'), '"deploy@h1:22" is listed twice (also as "h1")')
  })
  test('host names compare case-insensitively', () => {
    assert.equal(parseError('ops@Web1.Example.COM ops@web1.example.com'), '"ops@web1.example.com" is listed twice (also as "ops@Web1.Example.COM")')
  })
  test('IPv6 in different case is a duplicate', () => {
    assert.equal(parseError('[FD00::A] [fd00::a]:22'), '"[fd00::a]:22" is listed twice (also as "[FD00::A]")')
  })
  test('same host, different user or port: distinct targets', () => {
    assert.deepEqual(summary(parseHostList('a@h1 b@h1 a@h1:2222', defaults)), ['a@h1:22', 'b@h1:22', 'a@h1:2222'])
  })
  test('user names are case-sensitive', () => {
    assert.deepEqual(summary(parseHostList('Ops@h1 ops@h1', defaults)), ['Ops@h1:22', 'ops@h1:22'])
  })
})

describe('defaults and labels', () => {
  test('the default user and port apply where the entry names none', () => {
    assert.deepEqual(parseHostList('h1 root@h2 h3:2022', { user: 'app', port: 2200 }), [
      { label: 'h1', user: 'app', host: 'h1', port: 2200 },
      { label: 'root@h2', user: 'root', host: 'h2', port: 2200 },
      { label: 'h3:2022', user: 'app', host: 'h3', port: 2022 },
    ])
  })
  test('no user at all: the error mentions ssh-user', () => {
    assert.equal(parseError('h1', { user: '', port: 22 }), '"h1": no user; write user@h1 or set the ssh-user input')
  })
  test('no user: the hint uses the bare IPv6 address', () => {
    assert.equal(parseError('[fd00::1]:2222', { user: '', port: 22 }), '"[fd00::1]:2222": no user; write user@fd00::1 or set the ssh-user input')
  })
  test('labels are kept exactly as given (case, port, brackets)', () => {
    const hosts = parseHostList('Deploy@Web-1.Example.com:2222, [FD00::1]:22', defaults)
    assert.deepEqual(
      hosts.map((host) => host.label),
      ['Deploy@Web-1.Example.com:2222', '[FD00::1]:22'],
    )
    assert.equal(hosts[0]!.host, 'Web-1.Example.com')
    assert.equal(hosts[0]!.user, 'Deploy')
  })
})

describe('several problems', () => {
  test('one Error lists every bad entry, in order, separated by "; "', () => {
    const message = parseError('good@h1 h2:0 fd00::1 good@h1 b!d@h3')
    assert.deepEqual(message.split('; '), [
      '"h2:0": port "0" is not between 1 and 65535',
      '"fd00::1": write IPv6 addresses in brackets, like [fd00::1] or [fd00::1]:22',
      '"good@h1" is listed twice (also as "good@h1")',
      '"b!d@h3": "b!d" is not a valid user name',
    ])
  })
})

describe('host labels', () => {
  const defaults = { user: 'deploy', port: 22 }
  test('zone=… after a host, on its line, is its zone; hosts without one have none', () => {
    const hosts = parseHostList('web1 zone=dc1\nweb2:2222 zone=dc-2, web3\nweb4', defaults)
    assert.deepEqual(
      hosts.map((host) => [host.label, host.port, host.zone]),
      [
        ['web1', 22, 'dc1'],
        ['web2:2222', 2222, 'dc-2'],
        ['web3', 22, undefined],
        ['web4', 22, undefined],
      ],
    )
  })
  test('the label is not part of the host as reports and failed-hosts show it', () => {
    assert.equal(parseHostList('root@web1 zone=dc1 # the first', defaults)[0]!.label, 'root@web1')
  })
  test('a label with no host before it on its line is refused, saying where it goes', () => {
    assert.throws(() => parseHostList('web1\nzone=dc1', defaults), { message: '"zone=dc1" follows no host on its line; write it after the host it labels, e.g. "web1 zone=dc1"' })
  })
  test('an unknown label is refused, naming the one there is', () => {
    assert.throws(() => parseHostList('web1 role=db', defaults), { message: '"web1 role=db": unknown label "role"; the one label a host takes is zone (web1 zone=dc1)' })
  })
  test('a bad zone name, or two zones for a host', () => {
    assert.throws(() => parseHostList('web1 zone=', defaults), /"" is not a zone name/)
    assert.throws(() => parseHostList('web1 zone=a/b', defaults), /"a\/b" is not a zone name/)
    assert.throws(() => parseHostList('web1 zone=a zone=b', defaults), { message: '"web1" is given two zones (a and b); a host is in one zone' })
  })
  test('a bad host is reported once, not again for its label', () => {
    assert.throws(() => parseHostList('bad:host:x zone=dc1', defaults), (error: Error) => !/follows no host/.test(error.message))
  })
})
