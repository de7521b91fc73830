import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { HostState } from '../../src/fleet/fleet.js'
import { ProgressLine } from '../../src/report/progress.js'
import { buildReport, hostReport, renderSummary, type DeployFacts } from '../../src/report/report.js'
import { judge } from '../../src/verdict/verdict.js'

const MB = 1_000_000

function host(label: string, fields: Partial<HostState> = {}): HostState {
  return {
    target: { label, user: 'deploy', host: label.replace(/^.*@/, ''), port: 22 },
    phase: 'done',
    alreadyPresent: false,
    seeding: false,
    have: 0,
    total: 0,
    fromSeeder: 0,
    fromPeers: 0,
    uploaded: 0,
    agentExited: true,
    ...fields,
  }
}

function done(label: string, seconds = 10, fromSeeder = 10 * MB, fromPeers = 30 * MB): HostState {
  return host(label, { phase: 'done', seconds, fromSeeder, fromPeers, have: 40 * MB, total: 40 * MB })
}

function failed(label: string, error?: string): HostState {
  return host(label, { phase: 'failed', error })
}

const facts: DeployFacts = {
  tag: 'v1.2.3',
  infoHash: 'a'.repeat(40),
  sha256: '0123456789abcdef'.repeat(4),
  payloadBytes: 40 * MB,
  encrypted: true,
  packSeconds: 2.345,
  transferSeconds: 15.67,
  durationSeconds: 20.1,
  seederUploaded: 60 * MB,
  trackerUrl: 'http://198.18.0.1:6969/announce',
}

describe('judge', () => {
  test('no host failed', () => {
    const states = [done('a'), done('b'), done('c')]
    const verdict = judge(states, 0)
    assert.equal(verdict.ok, true)
    assert.equal(verdict.headline, 'Deployed to all 3 hosts.')
    assert.deepEqual(verdict.succeeded, states)
    assert.deepEqual(verdict.failed, [])
    assert.deepEqual(verdict.details, [])
  })
  test('a single host: "host", not "hosts"', () => {
    assert.equal(judge([done('a')], 0).headline, 'Deployed to all 1 host.')
  })
  test('failures within max-failed-hosts: ok, but every failed host is named', () => {
    const states = [done('a'), failed('b', 'TAG_EXISTS: taken'), done('c'), failed('d')]
    const verdict = judge(states, 2)
    assert.equal(verdict.ok, true)
    assert.equal(verdict.headline, 'Deployed to 2 of 4 hosts; 2 failed, within max-failed-hosts (2): b, d')
    assert.deepEqual(
      verdict.failed.map((s) => s.target.label),
      ['b', 'd'],
    )
    assert.deepEqual(verdict.details, ['b: TAG_EXISTS: taken', 'd: did not finish'])
  })
  test('more failures than max-failed-hosts: not ok, headline names every failed host, one detail each', () => {
    const states = [
      failed('web1', 'DISK_FULL: no space'),
      done('web2'),
      host('web3', { phase: 'transferring' }),
      host('web4', { phase: 'waiting' }),
      host('web5', { phase: 'connecting', error: 'connect ETIMEDOUT' }),
    ]
    const verdict = judge(states, 1)
    assert.equal(verdict.ok, false)
    assert.equal(verdict.headline, '4 of 5 hosts failed (max-failed-hosts is 1): web1, web3, web4, web5')
    assert.deepEqual(verdict.details, [
      'web1: DISK_FULL: no space',
      'web3: did not finish',
      'web4: did not finish',
      'web5: connect ETIMEDOUT',
    ])
    assert.deepEqual(
      verdict.succeeded.map((s) => s.target.label),
      ['web2'],
    )
  })
  test('one failure over a limit of zero', () => {
    const verdict = judge([done('a'), failed('b', 'x')], 0)
    assert.equal(verdict.ok, false)
    assert.equal(verdict.headline, '1 of 2 hosts failed (max-failed-hosts is 0): b')
  })
  test('every host failed', () => {
    const verdict = judge([failed('a', 'x'), failed('b', 'y')], 5)
    assert.equal(verdict.ok, true)
    assert.equal(verdict.headline, 'Deployed to 0 of 2 hosts; 2 failed, within max-failed-hosts (5): a, b')
  })
})

describe('hostReport and buildReport', () => {
  test('hostReport: result, rounding, share from peers', () => {
    assert.deepEqual(hostReport(done('a', 12.3456, 10 * MB, 20 * MB)), {
      host: 'a',
      result: 'done',
      seconds: 12.35,
      bytesReceived: 30 * MB,
      fromPeersShare: 0.667,
      bytesSent: 0,
      seeding: false,
      error: null,
    })
    assert.deepEqual(hostReport(host('b', { phase: 'done', alreadyPresent: true, seeding: true, uploaded: 7 * MB, seconds: 0.4 })), {
      host: 'b',
      result: 'already present',
      seconds: 0.4,
      bytesReceived: 0,
      fromPeersShare: null,
      bytesSent: 7 * MB,
      seeding: true,
      error: null,
    })
    assert.deepEqual(hostReport(host('c', { phase: 'transferring', fromSeeder: 5, error: 'HARD_CAP: too slow' })), {
      host: 'c',
      result: 'failed',
      seconds: null,
      bytesReceived: 5,
      fromPeersShare: 0,
      bytesSent: 0,
      seeding: false,
      error: 'HARD_CAP: too slow',
    })
  })
  test('buildReport carries the facts, the verdict and one host report per state, in order', () => {
    const states = [done('web1'), failed('web2', 'boom'), host('web3', { phase: 'done', alreadyPresent: true })]
    const verdict = judge(states, 0)
    const report = buildReport(facts, states, verdict)
    assert.equal(report.ok, false)
    assert.equal(report.headline, verdict.headline)
    assert.equal(report.hostsTotal, 3)
    assert.equal(report.hostsSucceeded, 2)
    assert.equal(report.hostsFailed, 1)
    assert.deepEqual(report.failedHosts, ['web2'])
    assert.deepEqual(
      report.hosts.map((h) => [h.host, h.result]),
      [
        ['web1', 'done'],
        ['web2', 'failed'],
        ['web3', 'already present'],
      ],
    )
    for (const [name, value] of Object.entries(facts)) {
      assert.deepEqual(report[name as keyof DeployFacts], value, name)
    }
    assert.doesNotThrow(() => JSON.parse(JSON.stringify(report)))
  })
})

describe('renderSummary', () => {
  const states = [
    done('web1', 11.26, 10 * MB, 30 * MB),
    failed('web2', 'VERIFY_FAILED: sha | mismatch\nsecond line'),
    host('web3|x', { phase: 'done', alreadyPresent: true, seeding: true, uploaded: 12.34 * MB, seconds: 0.5 }),
    failed('web4'),
  ]
  const report = buildReport(facts, states, judge(states, 0))
  const summary = renderSummary(report)
  const lines = summary.split('\n')
  const rows = lines.filter((line) => line.startsWith('| ') && !line.startsWith('| Host') && !line.startsWith('| ---'))

  test('a headline with the verdict and the tag', () => {
    assert.equal(lines[0], '## ❌ murder-action: `v1.2.3`')
    assert.ok(lines.includes(report.headline.replace(/\|/g, '\\|')), summary)
    const okReport = buildReport(facts, [done('a')], judge([done('a')], 0))
    assert.ok(renderSummary(okReport).startsWith('## ✅ murder-action: `v1.2.3`\n'))
  })
  test('the facts line', () => {
    assert.ok(
      summary.includes(
        'Payload 40.0 MB (sha256 `0123456789abcdef…`, encrypted), packed in 2.3 s; transfer 15.7 s; the seeder uploaded 1.50 × the payload.',
      ),
      summary,
    )
    const plain = renderSummary({ ...report, encrypted: false })
    assert.ok(plain.includes('(sha256 `0123456789abcdef…`), packed'), plain)
  })
  test('one table row per host, failed hosts first, in their order', () => {
    assert.equal(rows.length, 4)
    assert.deepEqual(
      rows.map((row) => row.split(' | ')[0]),
      ['| web2', '| web4', '| web1', '| web3\\|x'],
    )
    assert.ok(summary.endsWith('\n'))
  })
  test('the row of a host that is done', () => {
    assert.equal(rows[2], '| web1 | ✅ done | 11.3 | 40.0 | 75 % | 0.0 |  |')
  })
  test('a host that already had the release says "already present", and what it sent the others', () => {
    assert.equal(rows[3], '| web3\\|x | ✅ already present | 0.5 | 0.0 | – | 12.3 |  |')
  })
  test('failed rows: "|" escaped and newlines flattened in the error, dashes for missing numbers', () => {
    assert.equal(rows[0], '| web2 | ❌ failed | – | 0.0 | – | 0.0 | VERIFY_FAILED: sha \\| mismatch second line |')
    assert.equal(rows[1], '| web4 | ❌ failed | – | 0.0 | – | 0.0 |  |')
    for (const row of rows) assert.equal(row.replace(/\\\|/g, '').split('|').length, 9, row)
  })
})

describe('ProgressLine', () => {
  test('done/total, MB/s since the last line, and the slowest pending host', () => {
    const line = new ProgressLine(1_000, 1_000)
    const states = [
      done('web1'),
      host('web2', { phase: 'transferring', have: 5 * MB, total: 20 * MB }),
      host('web3', { phase: 'transferring', have: 15 * MB, total: 20 * MB }),
    ]
    states[0]!.have = 0 // only bytes still flowing count here; keep the arithmetic simple
    const text = line.render(states, 3_000)
    assert.equal(text, '[   2 s] 1/3 done · 10.0 MB/s into the fleet · slowest: web2 25 %')
  })
  test('the rate is measured from the previous line', () => {
    const line = new ProgressLine(0, 0)
    const states = [host('a', { phase: 'transferring', have: 10 * MB, total: 100 * MB })]
    assert.match(line.render(states, 1_000), /· 10\.0 MB\/s into the fleet/)
    states[0]!.have = 14 * MB
    assert.equal(line.render(states, 3_000), '[   3 s] 0/1 done · 2.0 MB/s into the fleet · slowest: a 14 %')
    assert.match(line.render(states, 4_000), /· 0\.0 MB\/s/)
  })
  test('failed hosts are counted; a connecting host is the slowest and says so', () => {
    const line = new ProgressLine(0, 0)
    const states = [
      failed('a', 'x'),
      host('b', { phase: 'transferring', have: 1, total: 10 }),
      host('c', { phase: 'connecting' }),
      done('d'),
    ]
    states[3]!.have = 0
    assert.equal(line.render(states, 65_000), '[  65 s] 1/4 done, 1 failed · 0.0 MB/s into the fleet · slowest: c (connecting)')
  })
  test('no pending host: no "slowest"', () => {
    const line = new ProgressLine(0, 0)
    const text = line.render([done('a'), failed('b')], 1_000)
    assert.ok(!text.includes('slowest'), text)
    assert.match(text, /^\[   1 s\] 1\/2 done, 1 failed · /)
  })
  test('a render at the same instant does not divide by zero', () => {
    const line = new ProgressLine(0, 5_000)
    const text = line.render([host('a', { phase: 'transferring', have: 1000, total: 2000 })], 5_000)
    assert.equal(text, '[   5 s] 0/1 done · 1.0 MB/s into the fleet · slowest: a 50 %')
  })
})
