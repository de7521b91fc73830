import { environmentName, type Flag } from './flags.js'

const WIDTH = 100
const INDENT = 6

/** `murder-action --help`: every flag with its description and default, then the environment and exit status. */
export function helpText(flags: Flag[]): string {
  const lines = [
    'Usage: murder-action deploy --path <dir> --hosts <hosts> --ssh-key-file <file> --known-hosts-file <file> [flags]',
    '',
    ...wrap(
      'Deploys a directory to a fleet of servers over SSH through a private BitTorrent swarm: the same engine as the ' +
        'murder-action GitHub Action, whose inputs are these flags. Through the swarm the hosts connect back to this machine ' +
        '(tracker and seeder, unless --seeder-host); with --transport ssh (auto: 3 hosts or fewer) only this machine connects, ' +
        'to each host over SSH, and the release goes inside those sessions. ' +
        'Paths (--path, --hosts-file) are relative to the working directory, which plays the workspace.',
      0,
    ),
    '',
    'Flags (the inputs of the action, by the same names):',
  ]
  const own = flags.findIndex((flag) => flag.input === undefined || flag.fromFile === true)
  flags.forEach((flag, index) => {
    if (index === own) lines.push('', 'Flags of the command line:')
    lines.push(`  --${flag.name}${flag.value !== undefined ? ` ${flag.value}` : ''}${flag.required ? '  (required)' : ''}`)
    lines.push(...wrap(flag.description, INDENT))
    if (flag.default !== undefined) lines.push(`${' '.repeat(INDENT)}Default: ${flag.default}`)
  })
  lines.push(
    '',
    'Environment:',
    ...wrap(
      `Every flag can also be set by an environment variable named ${environmentName('<flag>')} with "-" as "_", e.g. ` +
        `${environmentName('ssh-key')} for --ssh-key, so a key need not be on the command line. A flag given on the command line wins.`,
      2,
    ),
    '',
    'Exit status:',
    '  0  every host holds the release (or as many as --max-failed-hosts allows)',
    '  1  the deploy failed or was cancelled; the failed hosts are named, with their reasons',
    '  2  the command line or an input is wrong; nothing was deployed',
  )
  return lines.join('\n') + '\n'
}

function wrap(text: string, indent: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && indent + line.length + 1 + word.length > WIDTH) {
      lines.push(' '.repeat(indent) + line)
      line = word
    } else line = line === '' ? word : `${line} ${word}`
  }
  if (line !== '') lines.push(' '.repeat(indent) + line)
  return lines
}
