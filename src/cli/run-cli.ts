import { loadActionInputs } from './action-inputs.js'
import { runDeploy, EXIT } from './deploy-command.js'
import { deployFlags, parseCommandLine, UsageError } from './flags.js'
import { helpText } from './help.js'
import { PROCESS_STREAMS, Terminal, type Streams } from './terminal.js'

/**
 * `murder-action`: the action's engine from a command line (Jenkins, cron, a laptop). Returns the
 * exit status: 0 deployed, 1 failed or cancelled, 2 a usage error.
 */
export async function runCli(args: string[], streams: Streams = PROCESS_STREAMS, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let flags
  try {
    flags = deployFlags(loadActionInputs())
  } catch (error) {
    streams.err(`murder-action: ${(error as Error).message}\n`)
    return EXIT.failed
  }
  let command
  try {
    command = parseCommandLine(args, flags, env)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    streams.err(`murder-action: ${error.message}\nRun 'murder-action --help' for every flag.\n`)
    return EXIT.usage
  }
  if (command.name === 'help') {
    streams.out(helpText(flags))
    return EXIT.ok
  }
  const terminal = new Terminal(streams, command.options.verbose)
  return runDeploy(command.options, { terminal, progressBar: process.stderr.isTTY === true, summaryText: process.stdout.isTTY === true, env, cwd: process.cwd() })
}
