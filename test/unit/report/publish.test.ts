/** Publishing a report: the JSON file, the action's outputs and the summary, through any Publisher. */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { publishReport, reportOutputs } from '../../../src/report/publish.js'
import { buildReport, type DeployFacts, type DeployReport } from '../../../src/report/report.js'
import { renderSummaryText } from '../../../src/report/summary-text.js'
import { judge } from '../../../src/verdict/verdict.js'
import { doneHost, failedHost, removeTemporaryDirs, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

const MB = 1_000_000
const facts: DeployFacts = {
  tag: 'v9',
  infoHash: 'b'.repeat(40),
  contentId: 'c'.repeat(64),
  payloadBytes: 40 * MB,
  objects: 3,
  padBytes: 0,
  encrypted: true,
  packSeconds: 1,
  transferSeconds: 12,
  durationSeconds: 14.04,
  seederUploaded: 50 * MB,
  seederRanOn: 'runner',
  transport: 'swarm',
  sentOverSsh: 0,
  trackerUrl: 'http://198.18.0.1:1/announce',
  trackerAnnounces: 9,
}
const states = [doneHost('root@web1', 11.26), failedHost('root@web2', 'connection refused')]
const report: DeployReport = buildReport(facts, states, judge(states, 0))

describe('publishReport', () => {
  test('writes the JSON report (its directory made) and hands over the outputs and the report', async () => {
    const file = path.join(temporaryDir(), 'nested/dir/report.json')
    const outputs: Record<string, string> = {}
    let summarized: DeployReport | undefined
    await publishReport(report, file, { output: (name, value) => (outputs[name] = value), summary: (done) => void (summarized = done) })
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), report)
    assert.deepEqual(outputs, reportOutputs(report, file))
    assert.equal(summarized, report)
  })
  test('the outputs are action.yml\'s, as strings', () => {
    assert.deepEqual(reportOutputs(report, '/r.json'), {
      tag: 'v9',
      'info-hash': 'b'.repeat(40),
      'hosts-total': '2',
      'hosts-succeeded': '1',
      'hosts-failed': '1',
      'failed-hosts': '["root@web2"]',
      'duration-seconds': '14.0',
      report: '/r.json',
      // No activation in this deploy.
      'hosts-activated': '0',
      'rolled-back': 'false',
      'previous-tag': '',
    })
    const declared = [...fs.readFileSync(new URL('../../../action.yml', import.meta.url), 'utf8').split(/^outputs:/m)[1]!.matchAll(/^ {2}([a-z-]+):\s*$/gm)].map((match) => match[1])
    assert.deepEqual(Object.keys(reportOutputs(report, '/r.json')).sort(), declared.sort())
  })
  test('no file chosen: a new file in RUNNER_TEMP under a name no one can guess, readable by its owner only', async (t) => {
    const runnerTemp = temporaryDir()
    const saved = process.env.RUNNER_TEMP
    process.env.RUNNER_TEMP = runnerTemp
    t.after(() => (saved === undefined ? delete process.env.RUNNER_TEMP : (process.env.RUNNER_TEMP = saved)))
    const written = await publishReport(report, undefined, { output: () => {}, summary: () => {} })
    assert.equal(path.dirname(written), runnerTemp)
    assert.match(path.basename(written), /^murder-action-report-v9-[0-9a-f]{16}\.json$/)
    assert.equal(fs.statSync(written).mode & 0o777, 0o600)
    assert.deepEqual(JSON.parse(fs.readFileSync(written, 'utf8')), report)
  })
})

describe('renderSummaryText', () => {
  const text = renderSummaryText(report)
  const lines = text.split('\n')
  test('the headline, the facts, then an aligned table with failed hosts first', () => {
    assert.equal(lines[0], 'murder-action: v9 FAILED')
    assert.equal(lines[1], report.headline)
    assert.match(lines[2]!, /^Release 40\.0 MB in 3 objects \(content cccccccccccccccc…, encrypted\)/)
    const header = lines[4]!
    assert.match(header, /^Host\s+Result\s+Seconds\s+MB received\s+From peers\s+MB already held\s+MB sent\s+Error$/)
    assert.match(lines[6]!, /^root@web2\s+FAILED\s+–\s+0\.0\s+–\s+0\.0\s+0\.0\s+connection refused$/)
    assert.match(lines[7]!, /^root@web1\s+done\s+11\.3\s+40\.0\s+75 %\s+0\.0\s+0\.0$/)
    assert.equal(lines[6]!.indexOf('connection refused'), header.indexOf('Error'), 'the columns line up')
    assert.ok(text.endsWith('\n'))
  })
})

describe('renderSummaryText with zones', () => {
  test('a Zone column, and the failed result upper-cased in its own column', () => {
    const zoned = (state: ReturnType<typeof doneHost>, zone: string) => ({ ...state, target: { ...state.target, zone } })
    const states = [zoned(doneHost('web1'), 'dc1'), zoned(failedHost('web2', 'gone'), 'dc2')]
    const text = renderSummaryText(buildReport(facts, states, judge(states, 0)))
    assert.match(text, /^Host +Zone +Result /m)
    assert.match(text, /^web2 +dc2 +FAILED /m)
    assert.match(text, /^web1 +dc1 +done /m)
  })
})
