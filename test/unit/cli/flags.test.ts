/**
 * The command line's flags come from action.yml's inputs (one source of truth): every input is a
 * flag of the same name, a new input becomes a flag by itself, and --help lists them all.
 */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { loadActionInputs, parseActionInputs } from '../../../src/cli/action-inputs.js'
import { deployFlags, environmentName, parseCommandLine, UsageError, type DeployOptions } from '../../../src/cli/flags.js'
import { runCli } from '../../../src/cli/run-cli.js'
import { removeTemporaryDirs, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

const actionYml = fs.readFileSync(new URL('../../../action.yml', import.meta.url), 'utf8')
const inputs = loadActionInputs()
const flags = deployFlags(inputs)

function deployOptions(args: string[], env: NodeJS.ProcessEnv = {}, readFile?: (file: string) => string): DeployOptions {
  const command = parseCommandLine(['deploy', ...args], flags, env, readFile)
  assert.equal(command.name, 'deploy')
  return command.options
}

function usageError(args: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    parseCommandLine(args, flags, env)
  } catch (error) {
    assert.ok(error instanceof UsageError, `a UsageError, not ${(error as Error).name}: ${(error as Error).message}`)
    return error.message
  }
  assert.fail(`no usage error for ${JSON.stringify(args)}`)
}

/** runCli with its output captured. */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await runCli(args, { out: (text) => void (out += text), err: (text) => void (err += text) }, env)
  return { code, out, err }
}

describe('action.yml inputs as flags', () => {
  test('the inputs are read from action.yml as it is', () => {
    assert.ok(inputs.length >= 20, `${inputs.length} inputs`)
    for (const name of ['path', 'hosts', 'hosts-file', 'tag', 'destination', 'deadline', 'ssh-key', 'known-hosts', 'seeder-upload-limit']) {
      assert.ok(inputs.some((input) => input.name === name), name)
    }
    assert.equal(inputs.find((input) => input.name === 'deadline')?.default, '10m')
    assert.equal(inputs.find((input) => input.name === 'ssh-port')?.default, '22')
    assert.equal(inputs.find((input) => input.name === 'path')?.required, true)
    const countedByHand = [...actionYml.split(/^outputs:/m)[0]!.matchAll(/^ {2}([a-z-]+):\s*$/gm)].map((match) => match[1])
    assert.deepEqual(inputs.map((input) => input.name), countedByHand, 'every input, in action.yml\'s order')
  })

  test('every input is a flag of the same name, and its value reaches the input unchanged', () => {
    const args: string[] = []
    const expected: Record<string, string> = {}
    for (const [index, input] of inputs.entries()) {
      const flag = flags.find((candidate) => candidate.name === input.name)
      assert.ok(flag, `--${input.name} exists`)
      assert.equal(flag.input, input.name)
      const value = flag.boolean ? (index % 2 === 0 ? 'true' : 'false') : `value-${index}`
      args.push(`--${input.name}`, value)
      expected[input.name] = value
    }
    assert.deepEqual(deployOptions(args).inputs, expected)
  })

  test('--name=value works as well as --name value', () => {
    assert.deepEqual(deployOptions(['--tag=v1', '--deadline=90s']).inputs, { tag: 'v1', deadline: '90s' })
  })

  test('an input added to action.yml becomes a flag without another change', () => {
    const extended = actionYml.replace(/^outputs:/m, '  brand-new-input:\n    description: Something new.\n    required: false\n    default: seven\n\noutputs:')
    const newFlags = deployFlags(parseActionInputs(extended))
    const flag = newFlags.find((candidate) => candidate.name === 'brand-new-input')
    assert.ok(flag)
    assert.equal(flag.description, 'Something new.')
    assert.equal(flag.default, 'seven')
    const command = parseCommandLine(['deploy', '--brand-new-input', 'eight'], newFlags, {})
    assert.equal(command.name === 'deploy' && command.options.inputs['brand-new-input'], 'eight')
  })

  test('true/false inputs: --name alone is true, --no-name false, a true/false word may follow', () => {
    assert.deepEqual(deployOptions(['--overwrite', '--no-encrypt', '--keep-payload', 'no', '--insecure-skip-host-key-check']).inputs, {
      overwrite: 'true',
      encrypt: 'false',
      'keep-payload': 'no',
      'insecure-skip-host-key-check': 'true',
    })
    assert.deepEqual(deployOptions(['--overwrite', '--tag', 'v2']).inputs, { overwrite: 'true', tag: 'v2' }, 'a following flag is not taken as its value')
  })

  test('--hosts may repeat; the values are joined as lines', () => {
    assert.equal(deployOptions(['--hosts', 'a@h1', '--hosts', 'a@h2,a@h3']).inputs.hosts, 'a@h1\na@h2,a@h3')
  })

  test('--seeder-host may repeat, one zone each; the values are joined as lines', () => {
    assert.equal(deployOptions(['--seeder-host', 'a@s1 zone=dc1', '--seeder-host', 'a@s2 zone=dc2']).inputs['seeder-host'], 'a@s1 zone=dc1\na@s2 zone=dc2')
  })

  test('defaults are not filled in here: readSettings applies them, as for the action', () => {
    assert.deepEqual(deployOptions([]).inputs, {})
  })
})

describe('secrets and files', () => {
  test('--ssh-key-file and --known-hosts-file read their files into the inputs', () => {
    const dir = temporaryDir()
    fs.writeFileSync(path.join(dir, 'key'), 'KEY CONTENTS\n')
    fs.writeFileSync(path.join(dir, 'known'), 'host ssh-ed25519 AAAA\n')
    const options = deployOptions(['--ssh-key-file', path.join(dir, 'key'), '--known-hosts-file', path.join(dir, 'known')])
    assert.deepEqual(options.inputs, { 'ssh-key': 'KEY CONTENTS\n', 'known-hosts': 'host ssh-ed25519 AAAA\n' })
  })

  test('the key may come from MURDER_SSH_KEY; a flag on the command line wins over the environment', () => {
    assert.equal(environmentName('ssh-key'), 'MURDER_SSH_KEY')
    assert.equal(deployOptions([], { MURDER_SSH_KEY: 'from env' }).inputs['ssh-key'], 'from env')
    assert.equal(deployOptions(['--ssh-key-file', 'k'], { MURDER_SSH_KEY: 'from env' }, () => 'from file').inputs['ssh-key'], 'from file')
    assert.equal(deployOptions(['--deadline', '5m'], { MURDER_DEADLINE: '1m' }).inputs.deadline, '5m')
    assert.equal(deployOptions([], { MURDER_HOSTS_FILE: 'fleet.txt' }).inputs['hosts-file'], 'fleet.txt', 'every input, not only the key')
  })

  test('a value and its file together, or a file that cannot be read, are usage errors', () => {
    assert.match(usageError(['deploy', '--ssh-key', 'x', '--ssh-key-file', 'y']), /--ssh-key and --ssh-key-file are both given/)
    assert.match(usageError(['deploy', '--known-hosts-file', '/nonexistent/known_hosts']), /--known-hosts-file: cannot read "\/nonexistent\/known_hosts": ENOENT/)
  })
})

describe('usage errors', () => {
  test('an unknown flag is named, with the nearest known one', () => {
    assert.equal(usageError(['deploy', '--hots', 'x']), 'unknown flag --hots (did you mean --hosts?)')
    assert.match(usageError(['deploy', '--frobnicate']), /^unknown flag --frobnicate; murder-action --help lists every flag$/)
  })
  test('no command, another command, a stray argument, a flag without its value, a bad --summary', () => {
    assert.match(usageError([]), /no command given/)
    assert.match(usageError(['upload']), /unknown command "upload"/)
    assert.match(usageError(['deploy', '--tag', 'v1', 'web1']), /unexpected argument "web1"/)
    assert.match(usageError(['deploy', '--tag']), /--tag/)
    assert.match(usageError(['deploy', '--summary', 'html']), /--summary: "html" is not one of auto, markdown, text, none/)
  })
  test('runCli: exit status 2 and the message on stderr, nothing on stdout', async () => {
    const run = await cli(['deploy', '--hots', 'web1'])
    assert.equal(run.code, 2)
    assert.equal(run.out, '')
    assert.match(run.err, /^murder-action: unknown flag --hots \(did you mean --hosts\?\)\nRun 'murder-action --help' for every flag\.\n$/)
  })
  test('runCli: wrong inputs are usage errors too, each named by its flag, and nothing is deployed', async () => {
    const run = await cli(['deploy', '--path', '/nonexistent/build', '--hosts', 'root@198.18.0.11', '--tag', '../x', '--deadline', 'soon'], {})
    assert.equal(run.code, 2, run.err)
    assert.match(run.err, /^error: --path: "\/nonexistent\/build" does not exist/m)
    assert.match(run.err, /^error: --tag: "\.\.\/x" is not allowed/m)
    assert.match(run.err, /^error: --deadline: "soon" is not a duration/m)
    assert.match(run.err, /^error: --ssh-key: is required.*--ssh-key-file <file>, or the environment variable MURDER_SSH_KEY/m)
    assert.doesNotMatch(run.err, /Packing/, 'nothing was packed')
  })
})

describe('transport ssh on the command line', () => {
  test('with a seeder host: exit 2, the message names the flag and says what to write, nothing is deployed', async () => {
    const run = await cli(['deploy', '--path', '/nonexistent/build', '--hosts', 'root@198.18.0.11', '--tag', 'v1', '--transport', 'ssh', '--seeder-host', 'root@198.18.0.12'])
    assert.equal(run.code, 2, run.err)
    assert.match(run.err, /^error: --transport: ssh streams each host's objects over its own SSH session and runs no tracker and no seeder, so seeder-host has nothing to apply to\. Remove it, or set transport to swarm \(or to auto, which keeps the swarm when seeder-host is set\)$/m)
    assert.doesNotMatch(run.err, /Packing/, 'nothing was packed')
  })
  test('--help says who connects to whom under each transport', async () => {
    const run = await cli(['--help'])
    assert.match(run.out.replace(/\s+/g, ' '), /with --transport ssh \(auto: 3 hosts or fewer\) only this machine connects, to each host over SSH/)
  })
})

describe('--help', () => {
  test('lists every flag with its description and default, exit status 0', async () => {
    const run = await cli(['--help'])
    assert.equal(run.code, 0)
    assert.equal(run.err, '')
    const text = run.out.replace(/\n {6}/g, ' ')
    for (const flag of flags) {
      assert.ok(run.out.includes(`  --${flag.name}`), `--${flag.name} is listed`)
      assert.ok(text.includes(flag.description), `--${flag.name}'s description is shown:\n${flag.description}`)
      if (flag.default !== undefined) assert.ok(text.includes(`--${flag.name}${flag.value ? ` ${flag.value}` : ''}${flag.required ? '  (required)' : ''} ${flag.description} Default: ${flag.default}`), `--${flag.name}'s default follows it`)
    }
    for (const input of inputs) assert.ok(run.out.includes(`  --${input.name} `), `action input ${input.name} is listed`)
    for (const extra of ['--ssh-key-file', '--known-hosts-file', '--report-file', '--summary']) assert.ok(run.out.includes(`  ${extra} `), extra)
    assert.match(run.out, /MURDER_SSH_KEY/)
    assert.match(run.out, /Exit status:\n {2}0 .*\n {2}1 .*\n {2}2 /)
  })
  test('-h and deploy --help say the same', async () => {
    assert.equal((await cli(['-h'])).out, (await cli(['--help'])).out)
    assert.equal((await cli(['deploy', '--help'])).out, (await cli(['--help'])).out)
  })
})
