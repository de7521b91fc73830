/** The deploy's report: one entry per host, the JSON report, and the job summary in Markdown. */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { buildReport, hostReport, renderSummary, type DeployFacts } from '../../../src/report/report.js'
import { judge } from '../../../src/verdict/verdict.js'
import { doneHost as done, failedHost as failed, hostState as host } from '../helpers.js'

const MB = 1_000_000

const facts: DeployFacts = {
  tag: 'v1.2.3',
  infoHash: 'a'.repeat(40),
  contentId: '0123456789abcdef'.repeat(4),
  payloadBytes: 40 * MB,
  objects: 17,
  padBytes: 3 * MB,
  encrypted: true,
  packSeconds: 2.345,
  transferSeconds: 15.67,
  durationSeconds: 20.1,
  seederUploaded: 60 * MB,
  seederRanOn: 'runner',
  transport: 'swarm',
  sentOverSsh: 0,
  trackerUrl: 'http://198.18.0.1:6969/announce',
  trackerAnnounces: 321,
}

describe('hostReport and buildReport', () => {
  test('hostReport: result, rounding, share from peers', () => {
    assert.deepEqual(hostReport(done('a', 12.3456, 10 * MB, 20 * MB)), {
      host: 'a',
      result: 'done',
      seconds: 12.35,
      agentStartedSeconds: null,
      bytesReceived: 30 * MB,
      fromPeersShare: 0.667,
      bytesFromStore: 0,
      bytesSent: 0,
      seeding: false,
      error: null,
    })
    assert.deepEqual(hostReport(host('b', { phase: 'done', alreadyPresent: true, seeding: true, uploaded: 7 * MB, fromStore: 40 * MB, seconds: 0.4, agentStartedSeconds: 0.1234 })), {
      host: 'b',
      result: 'already present',
      seconds: 0.4,
      agentStartedSeconds: 0.12,
      bytesReceived: 0,
      fromPeersShare: null,
      bytesFromStore: 40 * MB,
      bytesSent: 7 * MB,
      seeding: true,
      error: null,
    })
    assert.deepEqual(hostReport(host('c', { phase: 'transferring', fromSeeder: 5, error: 'HARD_CAP: too slow' })), {
      host: 'c',
      result: 'failed',
      seconds: null,
      agentStartedSeconds: null,
      bytesReceived: 5,
      fromPeersShare: 0,
      bytesFromStore: 0,
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
    assert.deepEqual(JSON.parse(JSON.stringify(report)), report, 'the report survives JSON as it is (report.json)')
  })
})

describe('renderSummary', () => {
  const states = [
    done('web1', 11.26, 10 * MB, 30 * MB),
    failed('web2', 'VERIFY_FAILED: sha | mismatch\nsecond line'),
    host('web3|x', { phase: 'done', alreadyPresent: true, seeding: true, uploaded: 12.34 * MB, fromStore: 40 * MB, seconds: 0.5 }),
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
        'Release 40.0 MB in 17 objects (content `0123456789abcdef…`, encrypted), packed in 2.3 s; transfer 15.7 s; the seeder uploaded 1.50 × the payload.',
      ),
      summary,
    )
    assert.match(renderSummary({ ...report, seederRanOn: 'deploy@web1' }), /the seeder \(on deploy@web1\) uploaded 1\.50 × the payload\./)
    assert.match(
      renderSummary({ ...report, transport: 'ssh', seederRanOn: 'none', seederUploaded: 0, sentOverSsh: 80_000_000 }),
      /transfer 15\.7 s; over each host's SSH session \(transport ssh\), 80\.0 MB sent in all\./,
    )
    const plain = renderSummary({ ...report, encrypted: false })
    assert.ok(plain.includes('(content `0123456789abcdef…`), packed'), plain)
  })
  test('one table row per host, failed hosts first, in their order', () => {
    assert.equal(rows.length, 4)
    assert.deepEqual(
      rows.map((row) => row.split(' | ')[0]),
      ['| web2', '| web4', '| web1', '| web3\\|x'],
    )
    assert.ok(summary.endsWith('\n'))
  })
  test('the header names the column of what hosts already held', () => {
    assert.ok(lines.includes('| Host | Result | Seconds | MB received | From peers | MB already held | MB sent | Error |'), summary)
  })
  test('the row of a host that is done', () => {
    assert.equal(rows[2], '| web1 | ✅ done | 11.3 | 40.0 | 75 % | 0.0 | 0.0 |  |')
  })
  test('a host that already had the release says "already present", what its store held, and what it sent the others', () => {
    assert.equal(rows[3], '| web3\\|x | ✅ already present | 0.5 | 0.0 | – | 40.0 | 12.3 |  |')
  })
  test('failed rows: "|" escaped and newlines flattened in the error, dashes for missing numbers', () => {
    assert.equal(rows[0], '| web2 | ❌ failed | – | 0.0 | – | 0.0 | 0.0 | VERIFY_FAILED: sha \\| mismatch second line |')
    assert.equal(rows[1], '| web4 | ❌ failed | – | 0.0 | – | 0.0 | 0.0 |  |')
    for (const row of rows) assert.equal(row.replace(/\\\|/g, '').split('|').length, 10, row)
  })
  test('a host\'s error text cannot add markup to the summary: no links, images, HTML or code spans', () => {
    const hostile = failed('web9', 'INTERNAL: <img src=https://evil.example/p.png> [click](https://evil.example) ![i](x) `code` *bold* \\')
    const row = renderSummary(buildReport(facts, [hostile], judge([hostile], 0))).split('\n').find((line) => line.startsWith('| web9'))!
    assert.ok(row.endsWith('| INTERNAL: &lt;img src=https://evil.example/p.png&gt; \\[click\\](https://evil.example) \\!\\[i\\](x) \\`code\\` \\*bold\\* \\\\ |'), row)
  })
})

describe('zones in the report and the summary', () => {
  const inZone = (state: ReturnType<typeof done>, zone: string) => ({ ...state, target: { ...state.target, zone } })
  const states = [inZone(done('web1'), 'dc1'), inZone(failed('web2', 'the seeder host seed2 of zone dc2 (tracker and seeder) went away'), 'dc2')]
  const zoneFacts = [
    { zone: 'dc1', seederHost: 'seed1', hosts: 1, trackerUrl: 'http://seed1:1/announce', seederUploaded: 40 * MB, trackerAnnounces: 5 },
    { zone: 'dc2', seederHost: 'seed2', hosts: 1, trackerUrl: 'http://seed2:1/announce', seederUploaded: 20 * MB, trackerAnnounces: 4 },
  ]
  const report = buildReport({ ...facts, seederRanOn: 'seed1 (dc1), seed2 (dc2)', zones: zoneFacts }, states, judge(states, 0))
  test('each host report names its zone; the zones are in the report', () => {
    assert.deepEqual(report.hosts.map((host) => [host.host, host.zone]), [['web1', 'dc1'], ['web2', 'dc2']])
    assert.deepEqual(report.zones, zoneFacts)
  })
  test('the summary has a Zone column after the host, and says where the seeders ran', () => {
    const summary = renderSummary(report)
    assert.ok(summary.includes('| Host | Zone | Result | Seconds |'), summary)
    assert.ok(summary.includes('| web1 | dc1 | ✅ done |'), summary)
    assert.ok(summary.includes('| web2 | dc2 | ❌ failed |'), summary)
    assert.match(summary, /the seeders of the 2 zones \(on seed1 \(dc1\), seed2 \(dc2\)\) uploaded 1\.50 × the payload\./)
  })
  test('without zones: no Zone column, no zone in the host reports', () => {
    const plain = buildReport(facts, [done('web1')], judge([done('web1')], 0))
    assert.equal('zone' in plain.hosts[0]!, false)
    assert.doesNotMatch(renderSummary(plain), /Zone/)
  })
})
