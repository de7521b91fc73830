import * as fs from 'node:fs'
import * as path from 'node:path'
import { writeReportFile } from './report-file.js'
import type { DeployReport } from './report.js'

/**
 * Where a deploy's result goes. The action sets step outputs and writes the job summary; the CLI
 * prints the summary and has no outputs. Both write the same JSON report.
 */
export interface Publisher {
  /** One of action.yml's outputs. */
  output(name: string, value: string): void
  summary(report: DeployReport): Promise<void> | void
}


/** The values of action.yml's outputs for a report written to `reportFile`. */
export function reportOutputs(report: DeployReport, reportFile: string): Record<string, string> {
  return {
    tag: report.tag,
    'info-hash': report.infoHash,
    'hosts-total': String(report.hostsTotal),
    'hosts-succeeded': String(report.hostsSucceeded),
    'hosts-failed': String(report.hostsFailed),
    'failed-hosts': JSON.stringify(report.failedHosts),
    'duration-seconds': report.durationSeconds.toFixed(1),
    report: reportFile,
    'hosts-activated': String(report.activation?.hostsActivated ?? 0),
    'rolled-back': String(report.activation?.rolledBack ?? false),
    'previous-tag': report.activation?.previousTag ?? '',
  }
}

/**
 * Writes the JSON report — where the user asked (the CLI's --report-file), else under a name no one
 * can guess (report-file.ts) — then hands the outputs and the summary to the publisher. Returns
 * the report's path.
 */
export async function publishReport(report: DeployReport, chosenFile: string | undefined, publisher: Publisher): Promise<string> {
  let reportFile: string
  if (chosenFile === undefined) reportFile = writeReportFile(report)
  else {
    reportFile = chosenFile
    fs.mkdirSync(path.dirname(reportFile), { recursive: true })
    fs.writeFileSync(reportFile, JSON.stringify(report, null, 2) + '\n')
  }
  for (const [name, value] of Object.entries(reportOutputs(report, reportFile))) publisher.output(name, value)
  await publisher.summary(report)
  return reportFile
}
