import { createDecipheriv, createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { pipeline } from 'node:stream/promises'
import * as tar from 'tar'
import { treeDigest } from '../pack/tree-digest.js'

/**
 * The on-disk layout of releases on a host:
 *   <destination>/<tag>/            the release, exactly the source tree (never written in place)
 *   <destination>/<tag>.partial/    being unpacked; renamed to <tag> only when complete
 *   <destination>/.murder/<tag>.json     what <tag> holds (its content digest), beside the release
 *   <destination>/.murder/incoming/<pid>/  downloads in progress, one directory per agent
 */
export class ReleaseLayout {
  readonly finalDir: string
  readonly partialDir: string
  readonly stateDir: string
  readonly markerFile: string
  readonly incomingDir: string

  constructor(
    readonly destination: string,
    readonly tag: string,
  ) {
    this.finalDir = path.join(destination, tag)
    this.partialDir = path.join(destination, `${tag}.partial`)
    this.stateDir = path.join(destination, '.murder')
    this.markerFile = path.join(this.stateDir, `${tag}.json`)
    this.incomingDir = path.join(this.stateDir, 'incoming')
  }

  /** Where the agent with this pid downloads: its own directory, so leftovers of a dead agent are recognisable. */
  downloadDirFor(pid: number): string {
    return path.join(this.incomingDir, String(pid))
  }

  /**
   * Clears what agents that died without cleaning up (SIGKILL, a reboot) left in incoming/. A
   * leftover download of the same payload is moved into ownDir instead, so the download resumes
   * (webtorrent verifies the pieces already there) rather than starting over. Directories of live
   * agents (another deploy in progress) are left alone.
   */
  sweepIncoming(ownDir: string, payloadName: string): void {
    let entries: string[]
    try {
      entries = fs.readdirSync(this.incomingDir)
    } catch {
      return
    }
    for (const name of entries) {
      const full = path.join(this.incomingDir, name)
      if (full === ownDir) continue
      if (/^\d+$/.test(name) && isAlive(Number(name))) continue
      const leftover = path.join(full, payloadName)
      const mine = path.join(ownDir, payloadName)
      try {
        if (fs.existsSync(leftover) && !fs.existsSync(mine)) fs.renameSync(leftover, mine)
      } catch {
        // not adoptable: removed below, the download starts over
      }
      fs.rmSync(full, { recursive: true, force: true })
    }
  }

  /** absent: no release; same: this exact content is in place; different: something else is. */
  inspect(contentId: string): 'absent' | 'same' | 'different' {
    if (!fs.existsSync(this.finalDir)) return 'absent'
    try {
      const marker = JSON.parse(fs.readFileSync(this.markerFile, 'utf8')) as { contentId?: string }
      return marker.contentId === contentId ? 'same' : 'different'
    } catch {
      return 'different'
    }
  }

  /**
   * Like inspect, but 'same' only when the tree on disk still IS that content: the marker records
   * what was deployed, not what is there now, and a release edited in place after the deploy must
   * not count as already present (nor be silently kept). Costs one read of the release (hashing
   * runs at disk speed), far less than a download; only re-runs of the same tag pay it.
   */
  async holds(contentId: string): Promise<'absent' | 'same' | 'different' | 'modified'> {
    const marked = this.inspect(contentId)
    if (marked !== 'same') return marked
    try {
      return (await treeDigest(this.finalDir)) === contentId ? 'same' : 'modified'
    } catch {
      // e.g. a link now pointing outside the release: not what we deployed.
      return 'modified'
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(fs.createReadStream(file), hash)
  return hash.digest('hex')
}

export interface UnpackOptions {
  /** Recorded in the marker: what the release holds. */
  contentId: string
  key?: string
  iv?: string
  overwrite: boolean
}

/**
 * Unpacks the verified payload into <tag>.partial, then renames it into place. With overwrite, the
 * old release is first renamed aside, so at every instant <tag> is either the old tree or the
 * new one, never a mix. Unsafe entries (`..`, absolute paths, links escaping the release) make
 * node-tar emit errors, which `strict` turns into a refusal.
 */
export async function unpackRelease(payload: string, layout: ReleaseLayout, options: UnpackOptions): Promise<void> {
  fs.rmSync(layout.partialDir, { recursive: true, force: true })
  fs.mkdirSync(layout.partialDir, { recursive: true, mode: 0o755 })
  const stages: NodeJS.ReadWriteStream[] = []
  if (options.key !== undefined && options.iv !== undefined) {
    stages.push(createDecipheriv('aes-256-ctr', Buffer.from(options.key, 'hex'), Buffer.from(options.iv, 'hex')))
  }
  const extract = tar.x({
    cwd: layout.partialDir,
    strict: true,
    preserveOwner: false,
    // The payload is our own archive, verified by sha256: a big run of zeros in it is legitimate.
    maxDecompressionRatio: Number.MAX_SAFE_INTEGER,
  } as tar.TarOptionsWithAliasesAsyncNoFile)
  // Files are created with the archive's modes; a umask would turn 0664 into 0644. Only the release
  // tree is written while it is 0, and the previous umask is back before anything else happens.
  const previousUmask = process.umask(0)
  try {
    await pipeline(fs.createReadStream(payload), ...stages, extract as unknown as NodeJS.WritableStream)
  } catch (error) {
    // node-tar may still have writes in flight when the pipeline rejects: let them land, then remove.
    await settleAndRemove(layout.partialDir)
    throw error
  } finally {
    process.umask(previousUmask)
  }
  fs.mkdirSync(layout.stateDir, { recursive: true })
  const aside = `${layout.finalDir}.old-${process.pid}`
  const replacing = fs.existsSync(layout.finalDir)
  if (replacing) {
    if (!options.overwrite) {
      fs.rmSync(layout.partialDir, { recursive: true, force: true })
      throw new Error(`${layout.finalDir} appeared while unpacking`)
    }
    fs.rmSync(layout.markerFile, { force: true })
    fs.renameSync(layout.finalDir, aside)
  }
  fs.renameSync(layout.partialDir, layout.finalDir)
  writeFileAtomic(layout.markerFile, JSON.stringify({ contentId: options.contentId, tag: layout.tag, at: new Date().toISOString() }) + '\n')
  if (replacing) fs.rmSync(aside, { recursive: true, force: true })
}

/** Removes a directory that another writer may still be finishing; never throws over the real error. */
async function settleAndRemove(dir: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 25 * attempt))
    try {
      fs.rmSync(dir, { recursive: true, force: true })
      if (!fs.existsSync(dir)) return
    } catch {
      // ENOTEMPTY while a late write lands: try again.
    }
  }
}

function writeFileAtomic(file: string, content: string): void {
  const temporary = `${file}.tmp-${process.pid}`
  fs.writeFileSync(temporary, content)
  fs.renameSync(temporary, file)
}
