import * as fs from 'node:fs'
import { parseArgs } from 'node:util'
import type { ActionInput } from './action-inputs.js'

/** A command line the CLI cannot act on: exit status 2, with a message that says what to change. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** Inputs whose value is a file's contents on a workstation: each also has a `--<name>-file` flag. */
const FILE_INPUTS: Readonly<Record<string, string>> = {
  'ssh-key': 'A file holding ssh-key: keeps the key out of the process list, which every user of the machine can read.',
  'known-hosts': 'A file holding known-hosts, e.g. ~/.ssh/known_hosts or the output of ssh-keyscan checked out of band.',
}

/** Inputs a flag may repeat; the values are joined by newlines (`--hosts a --hosts b`, `--seeder-host 'seed1 zone=dc1' --seeder-host 'seed2 zone=dc2'`). */
const REPEATABLE_INPUTS = new Set(['hosts', 'seeder-host'])

export const SUMMARY_FORMATS = ['auto', 'markdown', 'text', 'none'] as const
export type SummaryFormat = (typeof SUMMARY_FORMATS)[number]

export interface Flag {
  name: string
  /** How the value is shown in --help; none for a switch. */
  value?: string
  description: string
  default?: string
  /** The action input the flag sets (its value, or the contents of the file it names). */
  input?: string
  fromFile?: boolean
  /** A true/false input: `--name` alone means true, `--no-name` false. */
  boolean?: boolean
  required?: boolean
}

/** Every flag of `murder-action deploy`: one per action.yml input, in its order, then the CLI's own. */
export function deployFlags(inputs: ActionInput[]): Flag[] {
  const flags: Flag[] = inputs.map((input) => {
    const boolean = input.default === 'true' || input.default === 'false'
    return {
      name: input.name,
      value: boolean ? '[true|false]' : '<value>',
      description: input.description + (FILE_INPUTS[input.name] !== undefined ? ` Or --${input.name}-file.` : ''),
      default: input.default,
      input: input.name,
      boolean,
      required: input.required,
    }
  })
  for (const [name, description] of Object.entries(FILE_INPUTS)) {
    if (inputs.some((input) => input.name === name)) flags.push({ name: `${name}-file`, value: '<file>', description, input: name, fromFile: true })
  }
  flags.push(
    {
      name: 'report-file',
      value: '<file>',
      description: 'Where to write the JSON report (per host result, seconds, bytes, errors).',
      default: '$RUNNER_TEMP or the temp directory, murder-action-report-<tag>.json',
    },
    {
      name: 'summary',
      value: SUMMARY_FORMATS.join('|'),
      description: 'The summary table printed on stdout at the end: Markdown (as in the job summary), aligned text, or none. auto is text on a terminal, Markdown otherwise.',
      default: 'auto',
    },
    { name: 'verbose', description: 'Also print the debug lines (what the action logs with step debugging on).' },
    { name: 'help', description: 'Show this help.' },
  )
  return flags
}

/** Every flag can also come from the environment: MURDER_SSH_KEY for --ssh-key. A flag on the command line wins. */
export function environmentName(flag: string): string {
  return `MURDER_${flag.toUpperCase().replace(/-/g, '_')}`
}

export interface DeployOptions {
  /** Action inputs by their action.yml name: only those given. */
  inputs: Record<string, string>
  reportFile?: string
  summary: SummaryFormat
  verbose: boolean
}

export type Command = { name: 'help' } | { name: 'deploy'; options: DeployOptions }

const BOOLEAN_WORD = /^(true|false|yes|no|on|off|1|0)$/i

/**
 * Reads `murder-action deploy --flag value …`. Throws UsageError for anything it cannot act on;
 * the values themselves are checked by readSettings, as the action's inputs are.
 */
export function parseCommandLine(
  args: string[],
  flags: Flag[],
  env: NodeJS.ProcessEnv = process.env,
  readFile: (file: string) => string = (file) => fs.readFileSync(file, 'utf8'),
): Command {
  if (args.includes('--help') || args.includes('-h')) return { name: 'help' }
  const byName = new Map(flags.map((flag) => [flag.name, flag]))
  const expanded = expandSwitches(args, byName)

  const options: NonNullable<Parameters<typeof parseArgs>[0]>['options'] = {}
  for (const flag of flags) {
    options[flag.name] = flag.value === undefined ? { type: 'boolean' } : { type: 'string', multiple: flag.input !== undefined && REPEATABLE_INPUTS.has(flag.input) && !flag.fromFile }
  }
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args: expanded, options, strict: true, allowPositionals: true })
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!)
  }
  const [command, ...extra] = parsed.positionals
  if (command === undefined) throw new UsageError('no command given: murder-action deploy [flags]')
  if (command !== 'deploy') throw new UsageError(`unknown command "${command}": the command is deploy`)
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}": every value follows its flag, e.g. --hosts "${extra[0]}"`)

  const given = (name: string): string | undefined => {
    const value = parsed.values[name] as string | string[] | boolean | undefined
    if (Array.isArray(value)) return value.join('\n')
    return typeof value === 'string' ? value : undefined
  }
  const inputs: Record<string, string> = {}
  for (const flag of flags.filter((candidate) => candidate.input !== undefined && !candidate.fromFile)) {
    const fileFlag = flags.find((candidate) => candidate.fromFile && candidate.input === flag.input)
    const value = resolveInput(flag, fileFlag, given, env, readFile)
    if (value !== undefined) inputs[flag.input!] = value
  }

  const summary = given('summary') ?? env[environmentName('summary')] ?? 'auto'
  if (!(SUMMARY_FORMATS as readonly string[]).includes(summary)) throw new UsageError(`--summary: "${summary}" is not one of ${SUMMARY_FORMATS.join(', ')}`)
  return {
    name: 'deploy',
    options: {
      inputs,
      reportFile: given('report-file') || env[environmentName('report-file')] || undefined,
      summary: summary as SummaryFormat,
      verbose: parsed.values.verbose === true || /^(1|true)$/i.test(env[environmentName('verbose')] ?? ''),
    },
  }
}

/** An input's value: from its flag or its file flag, else from the environment the same way; never from both of a pair. */
function resolveInput(
  flag: Flag,
  fileFlag: Flag | undefined,
  given: (name: string) => string | undefined,
  env: NodeJS.ProcessEnv,
  readFile: (file: string) => string,
): string | undefined {
  const sources: [(name: string) => string | undefined, string][] = [
    [given, '--'],
    [(name) => env[environmentName(name)], 'environment variable '],
  ]
  for (const [lookup, how] of sources) {
    const shown = (name: string): string => (how === '--' ? `--${name}` : `${how}${environmentName(name)}`)
    const value = lookup(flag.name)
    const file = fileFlag !== undefined ? lookup(fileFlag.name) : undefined
    if (value !== undefined && file !== undefined) throw new UsageError(`${shown(flag.name)} and ${shown(fileFlag!.name)} are both given: give one`)
    if (file !== undefined) {
      try {
        return readFile(file)
      } catch (error) {
        throw new UsageError(`${shown(fileFlag!.name)}: cannot read "${file}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
      }
    }
    if (value !== undefined) return value
  }
  return undefined
}

/**
 * Lets a true/false flag stand alone: `--overwrite` is `--overwrite=true` (or takes the true/false
 * word after it), `--no-overwrite` is `--overwrite=false`. Also refuses an unknown flag with the
 * nearest known one, which node's parser would not suggest.
 */
function expandSwitches(args: string[], flags: Map<string, Flag>): string[] {
  const out: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--') {
      out.push(...args.slice(i))
      break
    }
    if (!arg.startsWith('--')) {
      out.push(arg)
      continue
    }
    const name = arg.slice(2).split('=')[0]!
    const negated = name.startsWith('no-') ? flags.get(name.slice(3)) : undefined
    if (negated?.boolean && !arg.includes('=')) {
      out.push(`--${negated.name}=false`)
      continue
    }
    const flag = flags.get(name)
    if (flag === undefined) throw new UsageError(`unknown flag --${name}${suggestion(name, [...flags.keys()])}`)
    if (flag.boolean && !arg.includes('=')) {
      const next = args[i + 1]
      if (next !== undefined && BOOLEAN_WORD.test(next)) {
        out.push(`--${name}=${next}`)
        i++
      } else out.push(`--${name}=true`)
      continue
    }
    out.push(arg)
  }
  return out
}

function suggestion(name: string, known: string[]): string {
  const scored = known.map((candidate) => ({ candidate, distance: editDistance(name, candidate) })).sort((a, b) => a.distance - b.distance)
  const best = scored[0]
  return best !== undefined && best.distance <= Math.max(2, Math.floor(name.length / 4)) ? ` (did you mean --${best.candidate}?)` : '; murder-action --help lists every flag'
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    previous = current
  }
  return previous[b.length]!
}
