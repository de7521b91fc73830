import * as fs from 'node:fs'
import { cancelOnSignals } from '../action/cancel-on-signals.js'
import { CancelledError, deploy } from '../deploy.js'
import { loadAgentBundle } from '../fleet/agent-bundle.js'
import { InputError, InputErrors } from '../inputs/errors.js'
import { secretValues } from '../inputs/secrets.js'
import { readSettings, type Settings } from '../inputs/settings.js'
import { publishReport } from '../report/publish.js'
import { renderSummary, type DeployReport } from '../report/report.js'
import { renderSummaryText } from '../report/summary-text.js'
import { environmentName, type DeployOptions } from './flags.js'
import { ProgressBar } from './progress-bar.js'
import type { ProgressDisplay } from './progress-display.js'
import { ProgressLines } from './progress-lines.js'
import type { Terminal } from './terminal.js'

/** The exit status is the step's verdict. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const

export interface DeployContext {
  terminal: Terminal
  /** stderr is a terminal: a live bar rather than plain lines. */
  progressBar: boolean
  /** stdout is a terminal: --summary auto prints aligned text rather than Markdown. */
  summaryText: boolean
  env: NodeJS.ProcessEnv
  cwd: string
}

/** Where a command line puts its hint when an input's message speaks of the action's way in. */
const COMMAND_LINE_HINTS: Readonly<Record<string, string>> = {
  'ssh-key': `on the command line: --ssh-key-file <file>, or the environment variable ${environmentName('ssh-key')}`,
  'known-hosts': 'on the command line: --known-hosts-file <file>',
  tag: 'on the command line: --tag <name>',
}

/** `murder-action deploy`: the action's deploy, with flags for inputs and a terminal for the runner. */
export async function runDeploy(options: DeployOptions, context: DeployContext): Promise<number> {
  const { terminal } = context
  let workdir: string | undefined
  const cancel = cancelOnSignals({
    cancelling: (signal) => terminal.warning(`Received ${signal}: stopping every agent (and the swarm, if one runs).`),
    givingUp: () => {
      terminal.error('Cancelled: cleanup did not finish in 6 s; exiting.')
      if (workdir !== undefined) fs.rmSync(workdir, { recursive: true, force: true })
    },
  })
  const display: ProgressDisplay = context.progressBar ? new ProgressBar(terminal, cancel.signal) : new ProgressLines(terminal, cancel.signal)
  try {
    const settings = settingsFrom(options, context)
    for (const secret of secretValues(settings)) terminal.secret(secret)
    if (settings.insecureSkipHostKeyCheck) {
      terminal.warning(
        'insecure-skip-host-key-check is on: host keys are NOT verified, so anyone who can intercept the ' +
          'connection can impersonate a host and receive the deploy and its SSH session. Give --known-hosts-file instead.',
      )
    }
    const { report, details } = await deploy(settings, loadAgentBundle(), {
      info: terminal.info,
      warning: terminal.warning,
      debug: terminal.debug,
      secret: (value) => terminal.secret(value),
      workdirCreated: (dir) => (workdir = dir),
      signal: cancel.signal,
      fleetStarted: (states, transferStart) => display.start(states, transferStart),
      progress: (line) => display.line(line),
    })
    display.stop()
    const reportFile = await publishReport(report, options.reportFile, { output: () => {}, summary: (done) => printSummary(done, options, context) })
    terminal.info(`Report: ${reportFile}`)
    if (cancel.signal.aborted) throw new CancelledError()
    if (!report.ok) {
      terminal.error([report.headline, ...details].join('\n'))
      return EXIT.failed
    }
    if (details.length > 0) terminal.warning([report.headline, ...details].join('\n'))
    else terminal.info(report.headline)
    return EXIT.ok
  } catch (error) {
    display.stop()
    if (error instanceof InputErrors || error instanceof InputError) {
      for (const one of error instanceof InputErrors ? error.errors : [error]) terminal.error(commandLineMessage(one))
      return EXIT.usage
    }
    terminal.error((error as Error).message)
    return EXIT.failed
  } finally {
    cancel.dispose()
  }
}

/** The action's settings, from the flags: paths are relative to the working directory. */
function settingsFrom(options: DeployOptions, context: DeployContext): Settings {
  return readSettings((name) => (options.inputs[name] ?? '').trim(), {
    GITHUB_WORKSPACE: context.cwd,
    ...(context.env.GITHUB_SHA ? { GITHUB_SHA: context.env.GITHUB_SHA } : {}),
  })
}

function commandLineMessage(error: InputError): string {
  const hint = COMMAND_LINE_HINTS[error.input]
  return `--${error.input}: ${error.problem}${hint !== undefined && /is required|is empty/.test(error.problem) ? ` (${hint})` : ''}`
}

function printSummary(report: DeployReport, options: DeployOptions, context: DeployContext): void {
  const format = options.summary === 'auto' ? (context.summaryText ? 'text' : 'markdown') : options.summary
  if (format === 'none') return
  context.terminal.result((format === 'text' ? renderSummaryText(report) : renderSummary(report)) + '\n')
}
