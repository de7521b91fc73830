import * as core from '@actions/core'
import { publishReport } from '../report/publish.js'
import { renderSummary, type DeployReport } from '../report/report.js'

/** The step's outputs, the JSON report file and the job summary. */
export async function publish(report: DeployReport): Promise<void> {
  await publishReport(report, undefined, {
    output: (name, value) => core.setOutput(name, value),
    summary: async (done) => {
      if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(renderSummary(done)).write()
    },
  })
}
