import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { DeployReport } from './report.js'

/**
 * Writes the JSON report into `dir` (RUNNER_TEMP, or the system temp directory when it is unset —
 * shared with every local user) and returns its path. The name has a random part, so nobody can
 * plant a link at it beforehand; the file is created new (O_EXCL: never through a link, never over
 * another file) and readable by the runner's user only.
 */
export function writeReportFile(report: DeployReport, dir = process.env.RUNNER_TEMP || os.tmpdir()): string {
  const file = path.join(dir, `murder-action-report-${report.tag}-${randomBytes(8).toString('hex')}.json`)
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600)
  try {
    fs.writeFileSync(fd, JSON.stringify(report, null, 2) + '\n')
  } finally {
    fs.closeSync(fd)
  }
  return file
}
