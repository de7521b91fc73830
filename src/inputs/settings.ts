import * as fs from 'node:fs'
import * as path from 'node:path'
import ssh2 from 'ssh2'
import { InputError, InputErrors } from './errors.js'
import { parseDuration } from './duration.js'
import { parseHostList, USER_NAME, type HostTarget } from '../ssh/hosts.js'
import { planZones, type Zone } from '../swarm/zones.js'
import { parseKnownHosts, type KnownHostEntry } from '../ssh/known-hosts.js'
import { INPUT_DEFAULTS } from './defaults.js'
import { parseRate } from './rate.js'
import { parseBatchSize, type BatchSize } from './batch-size.js'
import { checkBuildLeavesSharedPathsFree, parseSharedPaths } from './shared-paths.js'
import { parseTransport, sshConflict, type TransportInput } from './transport.js'

/** Everything the deploy needs, typed and validated, built in this one place from the inputs. */
export interface Settings {
  /** Absolute path of the directory to ship. */
  sourceDir: string
  tag: string
  hosts: HostTarget[]
  sshKey: string
  sshKeyPassphrase?: string
  /** Parsed known_hosts entries; undefined only when insecureSkipHostKeyCheck. */
  knownHosts?: KnownHostEntry[]
  insecureSkipHostKeyCheck: boolean
  destination: string
  /**
   * The deploy's swarms: one for the whole fleet, its tracker and first seeder on the runner or on a
   * seeder host (seeder-host: a host inside the fleet, reached over SSH like the others, so the runner
   * needs no inbound connection); or one per zone, each with its own seeder host (swarm/zones.ts).
   */
  zones: Zone[]
  /** How the objects reach the hosts: the swarm, each host's SSH session, or chosen by fleet size (transport.ts). */
  transport: TransportInput
  /** Address the hosts use to reach the tracker and the seeder; undefined = detect the runner's from the route to the first host. */
  trackerAddress?: string
  trackerPort: number
  deadlineMs: number
  maxFailedHosts: number
  concurrency: number
  nodePath: string
  overwrite: boolean
  /** Encrypt the payload with a key only the fleet receives (over SSH). */
  encrypt: boolean
  /** gzip level 0-9 (0 = store, no compression). */
  compressionLevel: number
  /** Hosts keep the verified payload beside the release, to seed it to the others on a later deploy of the same build. */
  keepPayload: boolean
  /** Bytes/s the seeder may send in all; undefined = as fast as the link goes. */
  seederUploadLimit?: number
  /** Bytes/s each host sends to its peers, in all; undefined = no cap. */
  uploadLimit?: number
  /** Bytes/s each host receives, in all; undefined = no cap. */
  downloadLimit?: number
  /** The agents' nice value, 0-19 (agent/cpu-share.ts). */
  agentNice: number
  /** After distribution, switch <destination>/current to the release on each host, in batches. */
  activate: boolean
  batchSize: BatchSize
  /** Run on each host right after its link switched (and again on the way back); undefined = none. */
  activateCommand?: string
  /** Run on each host after activateCommand, retried until it exits 0 or healthTimeoutMs passes; undefined = none. */
  healthCheck?: string
  healthTimeoutMs: number
  /** Put every host switched in this run back on its previous release when the rollout stops. */
  rollbackOnFailure: boolean
  /** Releases each host keeps after a successful activation, the live one included. */
  keepReleases: number
  /** Paths inside the release that become links to <destination>/shared/<path> at activation. */
  sharedPaths: string[]
  /** Keep setuid/setgid and write-for-others bits of the build's entries (cut by default: pack/modes.ts). */
  preserveSpecialModes: boolean
  /** Let peers from any address into the swarm (fleets behind NAT); by default only the hosts' addresses and the runner's. */
  swarmAllowAnyPeer: boolean
}

/** Names in <destination> that activation uses itself: a release by one of them would be hidden. */
const ACTIVATION_NAMES = new Set(['current', 'shared'])

/** Reads an input by its action.yml name. The default reads what the runner passed (INPUT_*). */
export type InputReader = (name: string) => string

export const TAG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/

/** Reads `INPUT_<NAME>` the way the runner sets it: upper-cased, spaces to `_`, hyphens kept. */
export function readFromEnvironment(env: NodeJS.ProcessEnv = process.env): InputReader {
  return (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
}

export function readSettings(readGiven: InputReader = readFromEnvironment(), env: NodeJS.ProcessEnv = process.env): Settings {
  const read: InputReader = (name) => readGiven(name) || (INPUT_DEFAULTS[name] ?? '')
  const errors: InputError[] = []
  // Each field is checked on its own, so one run reports every bad input at once.
  function field<T>(input: string, parse: () => T): T {
    try {
      return parse()
    } catch (error) {
      errors.push(error instanceof InputError ? error : new InputError(input, (error as Error).message))
      return undefined as T
    }
  }

  const workspace = env.GITHUB_WORKSPACE || process.cwd()
  const sourceDir = field('path', () => readSourceDir(read('path'), workspace))
  const tag = field('tag', () => readTag(read('tag'), env))
  const sshUser = field('ssh-user', () => {
    const user = read('ssh-user')
    if (user !== '' && !USER_NAME.test(user)) throw new Error(`"${user}" is not a valid user name`)
    return user
  })
  const sshPort = field('ssh-port', () => readInteger(read('ssh-port'), 1, 65535))
  const hosts = field('hosts', () => readHosts(read('hosts'), read('hosts-file'), workspace, sshUser ?? '', sshPort ?? 22))
  const sshKeyPassphrase = read('ssh-key-passphrase') || undefined
  const sshKey = field('ssh-key', () => readKey(read('ssh-key'), sshKeyPassphrase))
  const insecureSkipHostKeyCheck = field('insecure-skip-host-key-check', () =>
    readBoolean(read('insecure-skip-host-key-check')),
  )
  const knownHosts = field('known-hosts', () => {
    const text = read('known-hosts')
    if (text === '') {
      if (insecureSkipHostKeyCheck) return undefined
      throw new Error(
        'is required: paste the hosts\' keys (the output of `ssh-keyscan host1 host2 …`, checked out of band) ' +
          'so every host is verified. Only for throw-away test fleets: set insecure-skip-host-key-check: true',
      )
    }
    const entries = parseKnownHosts(text)
    if (entries.length === 0) throw new Error('holds no host keys')
    return entries
  })
  const destination = field('destination', () => readDestination(read('destination')))
  const trackerAddress = field('tracker-address', () => {
    const address = read('tracker-address')
    if (address !== '' && !/^[A-Za-z0-9._:-]+$/.test(address)) throw new Error(`"${address}" is not a host name or address`)
    return address || undefined
  })
  const zones = field('seeder-host', () => {
    const seederHosts = parseHostList(read('seeder-host'), { user: sshUser ?? '', port: sshPort ?? 22 })
    // Bad hosts are reported as such; the plan needs them.
    if (hosts === undefined) return []
    const plan = planZones(hosts, seederHosts)
    if (plan.length > 1 && read('tracker-address') !== '') {
      throw new InputError('tracker-address', 'is one address, but each zone has its own seeder host: leave it empty, so each zone\'s hosts reach theirs at the address the runner reaches it at')
    }
    return plan
  })
  const trackerPort = field('tracker-port', () => readInteger(read('tracker-port'), 0, 65535))
  const deadlineMs = field('deadline', () => parseDuration(read('deadline')))
  const maxFailedHosts = field('max-failed-hosts', () => readInteger(read('max-failed-hosts'), 0, Number.MAX_SAFE_INTEGER))
  const concurrency = field('concurrency', () => readInteger(read('concurrency'), 1, 10000))
  const nodePath = field('node-path', () => {
    const value = read('node-path')
    if (/[\0\n]/.test(value)) throw new Error('must be a single-line command or path')
    return value
  })
  const overwrite = field('overwrite', () => readBoolean(read('overwrite')))
  const encrypt = field('encrypt', () => readBoolean(read('encrypt')))
  const compressionLevel = field('compression-level', () => readInteger(read('compression-level'), 0, 9))
  const keepPayload = field('keep-payload', () => readBoolean(read('keep-payload')))
  const optionalRate = (name: string): number | undefined => (read(name) === '' ? undefined : parseRate(read(name)))
  const seederUploadLimit = field('seeder-upload-limit', () => optionalRate('seeder-upload-limit'))
  const uploadLimit = field('upload-limit', () => optionalRate('upload-limit'))
  const downloadLimit = field('download-limit', () => optionalRate('download-limit'))
  const agentNice = field('agent-nice', () => readInteger(read('agent-nice'), 0, 19))

  const activate = field('activate', () => readBoolean(read('activate')))
  const batchSize = field('batch-size', () => parseBatchSize(read('batch-size')))
  const activateCommand = field('activate-command', () => readCommand(read('activate-command')))
  const healthCheck = field('health-check', () => readCommand(read('health-check')))
  const healthTimeoutMs = field('health-timeout', () => parseDuration(read('health-timeout')))
  const rollbackOnFailure = field('rollback-on-failure', () => readBoolean(read('rollback-on-failure')))
  const keepReleases = field('keep-releases', () => readInteger(read('keep-releases'), 1, 1000))
  const sharedPaths = field('shared-paths', () => {
    const paths = parseSharedPaths(read('shared-paths'))
    // Only an activation makes the links; without one the build is deployed as it is.
    if (activate && sourceDir !== undefined) checkBuildLeavesSharedPathsFree(sourceDir, paths)
    return paths
  })
  if (activate && tag !== undefined && ACTIVATION_NAMES.has(tag)) {
    errors.push(new InputError('tag', `"${tag}" is the name of <destination>/${tag} that activation uses; choose another tag`))
  }
  const preserveSpecialModes = field('preserve-special-modes', () => readBoolean(read('preserve-special-modes')))
  const swarmAllowAnyPeer = field('swarm-allow-any-peer', () => readBoolean(read('swarm-allow-any-peer')))
  const transport = field('transport', () => {
    const value = parseTransport(read('transport'))
    const conflict =
      value === 'ssh' ? sshConflict({ seederHost: zones?.some((zone) => zone.seederHost !== undefined) === true, trackerAddress: trackerAddress !== undefined, trackerPort: (trackerPort ?? 0) !== 0, swarmAllowAnyPeer: swarmAllowAnyPeer === true }) : undefined
    if (conflict !== undefined) throw new Error(conflict)
    return value
  })

  if (errors.length > 0) throw new InputErrors(errors)
  return {
    sourceDir,
    tag,
    hosts,
    sshKey,
    sshKeyPassphrase,
    knownHosts,
    insecureSkipHostKeyCheck,
    destination,
    zones,
    transport,
    // With a seeder host the fleet announces there: by default at the address the runner reaches it at.
    trackerAddress: trackerAddress ?? (zones.length === 1 ? zones[0]!.seederHost?.host : undefined),
    trackerPort,
    deadlineMs,
    maxFailedHosts,
    concurrency,
    nodePath,
    overwrite,
    encrypt,
    compressionLevel,
    keepPayload,
    seederUploadLimit,
    uploadLimit,
    downloadLimit,
    agentNice,
    activate,
    batchSize,
    activateCommand,
    healthCheck,
    healthTimeoutMs,
    rollbackOnFailure,
    keepReleases,
    sharedPaths,
    preserveSpecialModes,
    swarmAllowAnyPeer,
  }
}

/** A shell command for the hosts; empty = none. It runs through `sh -c` there, never pasted into another command line. */
function readCommand(text: string): string | undefined {
  if (text.includes('\0')) throw new Error('holds a NUL character')
  return text === '' ? undefined : text
}

function readSourceDir(given: string, workspace: string): string {
  if (given === '') throw new Error('is required: the directory to deploy, e.g. path: build/')
  const resolved = path.resolve(workspace, given)
  let stat: fs.Stats
  try {
    stat = fs.statSync(resolved)
  } catch {
    throw new Error(`"${given}" does not exist (looked at ${resolved}); did the build step run?`)
  }
  if (!stat.isDirectory()) throw new Error(`"${given}" is not a directory`)
  if (fs.readdirSync(resolved).length === 0) throw new Error(`"${given}" is empty: nothing to deploy`)
  return resolved
}

function readTag(given: string, env: NodeJS.ProcessEnv): string {
  const tag = given !== '' ? given : (env.GITHUB_SHA ?? '').slice(0, 12)
  if (tag === '') throw new Error('is empty and GITHUB_SHA is not set: give a tag such as v1.2.3')
  if (!TAG_PATTERN.test(tag)) {
    throw new Error(
      `"${tag.length > 60 ? tag.slice(0, 60) + '…' : tag}" is not allowed: use 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit`,
    )
  }
  return tag
}

function readHosts(inline: string, file: string, workspace: string, user: string, port: number): HostTarget[] {
  let text = inline
  if (file !== '') {
    try {
      text += '\n' + fs.readFileSync(path.resolve(workspace, file), 'utf8')
    } catch (error) {
      throw new InputError('hosts-file', `cannot read "${file}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
    }
  }
  const hosts = parseHostList(text, { user, port })
  if (hosts.length === 0) throw new Error('no hosts given: set hosts (user@host[:port], one per line) or hosts-file')
  return hosts
}

function readKey(key: string, passphrase: string | undefined): string {
  if (key === '') throw new Error('is required: the private key (OpenSSH or PEM) that the hosts accept, e.g. ${{ secrets.DEPLOY_KEY }}')
  const text = key.replace(/\r\n/g, '\n').trim() + '\n'
  const parsed = ssh2.utils.parseKey(text, passphrase)
  if (parsed instanceof Error) {
    const message = parsed.message
    if (/passphrase/i.test(message) && passphrase === undefined) {
      throw new Error('is encrypted: set ssh-key-passphrase')
    }
    if (/bad decrypt|passphrase|integrity|decrypt/i.test(message)) {
      throw new InputError('ssh-key-passphrase', 'does not decrypt ssh-key (wrong passphrase?)')
    }
    throw new Error(`is not a usable private key (${message}); give the whole key, BEGIN and END lines included`)
  }
  const first = Array.isArray(parsed) ? parsed[0] : parsed
  if (first === undefined || !first.isPrivateKey()) {
    throw new Error('is a public key; give the private key (the file without .pub)')
  }
  return text
}

function readDestination(given: string): string {
  if (!given.startsWith('/')) throw new Error(`"${given}" must be an absolute path on the hosts, e.g. /srv/releases`)
  if (given.split('/').includes('..')) throw new Error(`"${given}" must not contain ".."`)
  if (/[\0\n\r]/.test(given)) throw new Error('must be a single line')
  const normalized = path.posix.normalize(given).replace(/\/+$/, '')
  if (normalized === '') throw new Error('must not be the root directory')
  return normalized
}

export function readInteger(text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new Error(`"${text}" is not a whole number between ${min} and ${max}`)
  const value = Number(text)
  if (value < min || value > max) throw new Error(`${value} is not between ${min} and ${max}`)
  return value
}

export function readBoolean(text: string): boolean {
  if (/^(true|yes|on|1)$/i.test(text)) return true
  if (/^(false|no|off|0)$/i.test(text)) return false
  throw new Error(`"${text}" is not true or false`)
}
