import * as core from '@actions/core'
import { writeReportFile } from '../report/report-file.js'
import { renderSummary, type DeployReport } from '../report/report.js'

/** The step's outputs, the JSON report file and the job summary. */
export async function publish(report: DeployReport): Promise<void> {
  const reportFile = writeReportFile(report)
  core.setOutput('tag', report.tag)
  core.setOutput('info-hash', report.infoHash)
  core.setOutput('hosts-total', report.hostsTotal)
  core.setOutput('hosts-succeeded', report.hostsSucceeded)
  core.setOutput('hosts-failed', report.hostsFailed)
  core.setOutput('failed-hosts', JSON.stringify(report.failedHosts))
  core.setOutput('duration-seconds', report.durationSeconds.toFixed(1))
  core.setOutput('report', reportFile)
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(renderSummary(report)).write()
}
