import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as core from '@actions/core'
import { renderSummary, type DeployReport } from '../report/report.js'

/** The step's outputs, the JSON report file and the job summary. */
export async function publish(report: DeployReport): Promise<void> {
  const dir = process.env.RUNNER_TEMP || os.tmpdir()
  const reportFile = path.join(dir, `murder-action-report-${report.tag}.json`)
  fs.writeFileSync(reportFile, JSON.stringify(report, null, 2) + '\n')
  core.setOutput('tag', report.tag)
  core.setOutput('info-hash', report.infoHash)
  core.setOutput('hosts-total', report.hostsTotal)
  core.setOutput('hosts-succeeded', report.hostsSucceeded)
  core.setOutput('hosts-failed', report.hostsFailed)
  core.setOutput('failed-hosts', JSON.stringify(report.failedHosts))
  core.setOutput('duration-seconds', report.durationSeconds.toFixed(1))
  core.setOutput('report', reportFile)
  core.setOutput('hosts-activated', report.activation?.hostsActivated ?? 0)
  core.setOutput('rolled-back', report.activation?.rolledBack ?? false)
  core.setOutput('previous-tag', report.activation?.previousTag ?? '')
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(renderSummary(report)).write()
}
