/**
 * Small helpers shared by the unit tests: temporary directories, real keys from ssh-keygen,
 * hand-made tar archives, tree comparison, failed unpacks and host states. Nothing here touches
 * the network.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { ReleaseLayout } from '../../src/agent/release-layout.js'
import { unpackRelease } from '../../src/agent/unpack.js'
import { newHostState, type HostState } from '../../src/fleet/host-state.js'

/** A fresh directory under the system temp dir; removed by `removeTemporaryDirs`. */
const made: string[] = []
export function temporaryDir(prefix = 'murder-unit-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  made.push(dir)
  return dir
}
export function removeTemporaryDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
}

export interface GeneratedKey {
  /** Path of the private key file. */
  file: string
  privateKey: string
  /** The .pub line: "type base64 comment". */
  publicLine: string
  type: string
  /** base64 field of the .pub line: the key blob as known_hosts holds it. */
  base64: string
  blob: Buffer
}

/** Generates a real key with ssh-keygen (`passphrase` '' = unencrypted). */
export function generateKey(dir: string, name: string, type: 'ed25519' | 'rsa' = 'ed25519', passphrase = ''): GeneratedKey {
  const file = path.join(dir, name)
  const args = ['-q', '-t', type, '-N', passphrase, '-C', `${name}@unit`, '-f', file]
  if (type === 'rsa') args.splice(1, 0, '-b', '2048')
  execFileSync('ssh-keygen', args, { stdio: 'pipe' })
  const publicLine = fs.readFileSync(`${file}.pub`, 'utf8').trim()
  const [keyType, base64] = publicLine.split(/\s+/) as [string, string]
  return { file, privateKey: fs.readFileSync(file, 'utf8'), publicLine, type: keyType, base64, blob: Buffer.from(base64, 'base64') }
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex')
}

/** Whether anything (a dangling symlink included) is at `file`. */
export function exists(file: string): boolean {
  try {
    fs.lstatSync(file)
    return true
  } catch {
    return false
  }
}

// ---------------------------------------------------------------------------------------------
// Unpacking that must fail: what it throws, and what it leaves on disk.

/** The error unpackRelease rejects with, or undefined when it unpacked. */
export async function unpackOutcome(payload: string, layout: ReleaseLayout, options: Parameters<typeof unpackRelease>[2]): Promise<Error | undefined> {
  try {
    await unpackRelease(payload, layout, options)
    return undefined
  } catch (error) {
    return error as Error
  }
}

/**
 * The unpack failed with an error matching `pattern`, and left no release, no marker, and nothing
 * in the agent's work directory (.murder/incoming/<pid>: the tree being unpacked is removed).
 */
export function assertUnpackRefused(layout: ReleaseLayout, error: Error | undefined, pattern: RegExp): void {
  assert.ok(error, 'the unpack must fail')
  assert.match(error.message, pattern)
  assert.equal(exists(layout.partialDir), false, `${layout.partialDir} is left behind`)
  assert.deepEqual(exists(layout.workDir) ? fs.readdirSync(layout.workDir) : [], [], `${layout.workDir} is empty`)
  assert.equal(exists(layout.finalDir), false, `no ${layout.tag}`)
  assert.equal(exists(layout.markerFile), false, 'no marker')
}

// ---------------------------------------------------------------------------------------------
// Host states as the fleet runner leaves them, for the verdict, the report and the progress line.

export function hostState(label: string, fields: Partial<HostState> = {}): HostState {
  const target = { label, user: 'deploy', host: label.replace(/^.*@/, ''), port: 22 }
  return { ...newHostState(target), phase: 'done', agentExited: true, ...fields }
}

const MB = 1_000_000

/** A host that downloaded 40 MB in `seconds`. */
export function doneHost(label: string, seconds = 10, fromSeeder = 10 * MB, fromPeers = 30 * MB): HostState {
  return hostState(label, { phase: 'done', seconds, fromSeeder, fromPeers, have: 40 * MB, total: 40 * MB })
}

export function failedHost(label: string, error?: string): HostState {
  return hostState(label, { phase: 'failed', error })
}

// ---------------------------------------------------------------------------------------------
// Hand-made ustar archives, so hostile entries reach the extractor exactly as written.

export interface TarEntry {
  name: string
  /** '0' file, '1' hard link, '2' symlink, '5' directory. */
  type: '0' | '1' | '2' | '5'
  mode?: number
  linkname?: string
  content?: Buffer | string
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0'
}

export function makeTar(entries: TarEntry[]): Buffer {
  const blocks: Buffer[] = []
  for (const entry of entries) {
    const content = entry.content === undefined ? Buffer.alloc(0) : Buffer.from(entry.content)
    const header = Buffer.alloc(512, 0)
    if (Buffer.byteLength(entry.name) > 100) throw new Error(`makeTar: name too long: ${entry.name}`)
    header.write(entry.name, 0, 100, 'utf8')
    header.write(octal(entry.mode ?? (entry.type === '5' ? 0o755 : 0o644), 8), 100, 'ascii')
    header.write(octal(0, 8), 108, 'ascii') // uid
    header.write(octal(0, 8), 116, 'ascii') // gid
    header.write(octal(entry.type === '0' ? content.length : 0, 12), 124, 'ascii')
    header.write(octal(Math.floor(Date.now() / 1000), 12), 136, 'ascii')
    header.fill(' ', 148, 156) // checksum placeholder
    header.write(entry.type, 156, 1, 'ascii')
    if (entry.linkname !== undefined) header.write(entry.linkname, 157, 100, 'utf8')
    header.write('ustar\0', 257, 'ascii')
    header.write('00', 263, 'ascii')
    let sum = 0
    for (const byte of header) sum += byte
    header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii')
    blocks.push(header)
    if (entry.type === '0' && content.length > 0) {
      blocks.push(content, Buffer.alloc((512 - (content.length % 512)) % 512, 0))
    }
  }
  blocks.push(Buffer.alloc(1024, 0))
  return Buffer.concat(blocks)
}

// ---------------------------------------------------------------------------------------------
// Tree snapshots: what a release must reproduce, byte for byte and mode for mode.

export interface TreeNode {
  type: 'file' | 'dir' | 'symlink'
  mode: number
  size?: number
  sha256?: string
  target?: string
  mtimeSeconds?: number
}

/** Every entry under `root` (not root itself), by relative path, from lstat: links are not followed. */
export function snapshotTree(root: string): Map<string, TreeNode> {
  const nodes = new Map<string, TreeNode>()
  const walk = (relative: string): void => {
    for (const name of fs.readdirSync(path.join(root, relative)).sort()) {
      const rel = relative === '' ? name : `${relative}/${name}`
      const full = path.join(root, rel)
      const stat = fs.lstatSync(full)
      const mode = stat.mode & 0o7777
      if (stat.isSymbolicLink()) nodes.set(rel, { type: 'symlink', mode: 0, target: fs.readlinkSync(full) })
      else if (stat.isDirectory()) {
        nodes.set(rel, { type: 'dir', mode })
        walk(rel)
      } else if (stat.isFile()) {
        nodes.set(rel, {
          type: 'file',
          mode,
          size: stat.size,
          sha256: sha256(fs.readFileSync(full)),
          mtimeSeconds: Math.floor(stat.mtimeMs / 1000),
        })
      } else throw new Error(`snapshotTree: unexpected entry ${full}`)
    }
  }
  walk('')
  return nodes
}
