/**
 * Small helpers shared by the unit tests: temporary directories, real keys from ssh-keygen,
 * packed releases, tree comparison, failed installs and host states. Nothing here touches the
 * network.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { installRelease, type InstallOptions } from '../../src/agent/install-release.js'
import type { ReleaseLayout } from '../../src/agent/release-layout.js'
import type { Manifest } from '../../src/content/manifest.js'
import { newHostState, type HostState } from '../../src/fleet/host-state.js'
import { packRelease, type PackedRelease, type ReleaseSource } from '../../src/pack/release.js'

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
// Releases: packed from a tree, installed on a (local) host; installs that must fail.

/** A stand-in for the SSH key object ids and keys are derived from. */
export const KEY_SECRET = '-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----\n'

/** packRelease of `sourceDir` into a fresh work directory: encrypted, deflate level 1, one worker (each worker costs a start-up). */
export function pack(sourceDir: string, options: Partial<ReleaseSource> = {}): Promise<PackedRelease> {
  return packRelease({ sourceDir, workdir: temporaryDir('murder-unit-objects-'), encrypt: true, compressionLevel: 1, keySecret: KEY_SECRET, workers: 1, ...options })
}

/**
 * Readies an agent's work directory as the agent does before it installs: incoming/<pid>/objects/
 * holding the release's objects (hard links to the packed ones, as the host's store lends them).
 */
export function stageObjects(release: PackedRelease, layout: ReleaseLayout): string {
  fs.mkdirSync(layout.workObjectsDir, { recursive: true })
  for (const object of release.manifest.objects) fs.linkSync(path.join(release.objectsDir, object.id), path.join(layout.workObjectsDir, object.id))
  return layout.workObjectsDir
}

/** The error installRelease rejects with, or undefined when it installed. */
export async function installOutcome(manifest: Manifest, objectsDir: string, layout: ReleaseLayout, options: InstallOptions): Promise<Error | undefined> {
  try {
    await installRelease(manifest, objectsDir, layout, options)
    return undefined
  } catch (error) {
    return error as Error
  }
}

/**
 * The install failed with an error matching `pattern`, and left no release, no marker, and nothing
 * in the agent's work directory (.murder/incoming/<pid>) but its objects: the tree being written is
 * removed.
 */
export function assertInstallRefused(layout: ReleaseLayout, error: Error | undefined, pattern: RegExp): void {
  assert.ok(error, 'the install must fail')
  assert.match(error.message, pattern)
  assert.equal(exists(layout.partialDir), false, `${layout.partialDir} is left behind`)
  const work = exists(layout.workDir) ? fs.readdirSync(layout.workDir) : []
  assert.deepEqual(work.filter((name) => name !== 'objects'), [], `nothing but objects/ in ${layout.workDir}`)
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
// Tree snapshots: what a release must reproduce, byte for byte and mode for mode.

export interface TreeNode {
  type: 'file' | 'dir' | 'symlink'
  mode: number
  size?: number
  sha256?: string
  target?: string
  /** Modification time, whole milliseconds (what a release carries). */
  mtimeMs: number
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
      const mtimeMs = Math.trunc(stat.mtimeMs)
      if (stat.isSymbolicLink()) nodes.set(rel, { type: 'symlink', mode: 0, target: fs.readlinkSync(full), mtimeMs })
      else if (stat.isDirectory()) {
        nodes.set(rel, { type: 'dir', mode, mtimeMs })
        walk(rel)
      } else if (stat.isFile()) {
        nodes.set(rel, { type: 'file', mode, size: stat.size, sha256: sha256(fs.readFileSync(full)), mtimeMs })
      } else throw new Error(`snapshotTree: unexpected entry ${full}`)
    }
  }
  walk('')
  return nodes
}
