import { createDecipheriv, createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { pipeline } from 'node:stream/promises'
import * as tar from 'tar'
import { applyMtimes } from '../pack/mtimes.js'
import { PAYLOAD_CIPHER } from '../pack/payload-key.js'
import { treeDigest } from '../pack/tree-digest.js'

/**
 * The on-disk layout of releases on a host:
 *   <destination>/<tag>/                   the release, exactly the source tree (never written in place)
 *   <destination>/.murder/<tag>.json       what <tag> holds (its content digest), beside the release
 *   <destination>/.murder/incoming/<pid>/  one agent's work: its download, and <tag>/ being unpacked
 *                                          (renamed to <destination>/<tag> only when complete)
 *   <destination>/.murder/payloads/<tag>/  the verified payload <tag> came from, kept so that a
 *                                          later deploy of the same build can seed it (keep-payload)
 * Everything in progress is in the agent's own directory, so two agents deploying the same tag at
 * once (two workflow runs; one host listed under two names) never write into each other's files,
 * and what a killed agent left is recognisable by its pid.
 */
export class ReleaseLayout {
  readonly finalDir: string
  /** This agent's work directory: incoming/<pid>. */
  readonly workDir: string
  /** Where the release is unpacked before it is renamed into place. */
  readonly partialDir: string
  /** Where a release being replaced (overwrite) waits until the new one is in place. */
  readonly asideDir: string
  readonly stateDir: string
  readonly markerFile: string
  readonly incomingDir: string
  readonly payloadsDir: string
  readonly keptPayloadDir: string

  constructor(
    readonly destination: string,
    readonly tag: string,
    readonly pid: number = process.pid,
  ) {
    this.finalDir = path.join(destination, tag)
    this.stateDir = path.join(destination, '.murder')
    this.markerFile = path.join(this.stateDir, `${tag}.json`)
    this.incomingDir = path.join(this.stateDir, 'incoming')
    this.workDir = path.join(this.incomingDir, String(pid))
    this.partialDir = path.join(this.workDir, tag)
    this.asideDir = path.join(this.workDir, `${tag}.replaced`)
    this.payloadsDir = path.join(this.stateDir, 'payloads')
    this.keptPayloadDir = path.join(this.payloadsDir, tag)
  }

  /**
   * Clears what agents that died without cleaning up (SIGKILL, a reboot) left in incoming/. A
   * leftover download of the same payload is moved into ownDir instead, so the download resumes
   * (webtorrent verifies the pieces already there) rather than starting over. Directories of live
   * agents (another deploy in progress) are left alone.
   */
  sweepIncoming(ownDir: string, payloadName: string): void {
    for (const name of namesIn(this.incomingDir)) {
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
    return this.readMarker()?.contentId === contentId ? 'same' : 'different'
  }

  readMarker(): ReleaseMarker | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.markerFile, 'utf8')) as ReleaseMarker
    } catch {
      return undefined
    }
  }

  writeMarker(marker: ReleaseMarker): void {
    fs.mkdirSync(this.stateDir, { recursive: true })
    writeFileAtomic(this.markerFile, JSON.stringify(marker) + '\n')
  }

  /**
   * Keeps the payload <tag> was unpacked from (moved, not copied: it is on the same disk) and
   * records it in the marker — only if the marker still says <tag> holds contentId, so a payload
   * never gets attached to a release it did not make.
   */
  keepPayload(file: string, payloadName: string, sha256: string, contentId: string): boolean {
    const marker = this.readMarker()
    if (marker?.contentId !== contentId) return false
    fs.rmSync(this.keptPayloadDir, { recursive: true, force: true })
    fs.mkdirSync(this.keptPayloadDir, { recursive: true, mode: 0o700 })
    fs.renameSync(file, path.join(this.keptPayloadDir, payloadName))
    this.writeMarker({ ...marker, payload: { name: payloadName, sha256 } })
    return true
  }

  /** The kept payload's path when it is the one this deploy's torrent describes (not yet re-hashed). */
  keptPayloadFor(payloadName: string, sha256: string): string | undefined {
    const payload = this.readMarker()?.payload
    if (payload?.name !== payloadName || payload.sha256 !== sha256) return undefined
    const file = path.join(this.keptPayloadDir, payloadName)
    return fs.existsSync(file) ? file : undefined
  }

  /** Removes kept payloads whose release is gone (an operator pruned old releases): a kept payload lives as long as its release. */
  sweepKeptPayloads(): void {
    for (const tag of namesIn(this.payloadsDir)) {
      if (fs.existsSync(path.join(this.destination, tag))) continue
      fs.rmSync(path.join(this.payloadsDir, tag), { recursive: true, force: true })
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

/** The names in a directory; none when it does not exist (or cannot be read). */
export function namesIn(dir: string): string[] {
  try {
    return fs.readdirSync(dir)
  } catch {
    return []
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

/** What <destination>/.murder/<tag>.json records about <tag>. */
export interface ReleaseMarker {
  contentId: string
  tag: string
  at: string
  /** The kept payload <tag> came from, in keptPayloadDir. */
  payload?: { name: string; sha256: string }
}

export interface UnpackOptions {
  /** Recorded in the marker: what the release holds. */
  contentId: string
  /** The entries' modification times (pack/mtimes.ts), applied before the release is renamed into place; without, the archive's stay. */
  mtimes?: string
  key?: string
  iv?: string
  overwrite: boolean
}

/** <tag> holds another release than the one being deployed, and overwrite is off. */
export class TagExistsError extends Error {}

/**
 * Unpacks the verified payload into the agent's own partial directory, then renames it into place.
 * With overwrite, the old release is first renamed aside, so at every instant <tag> is either the
 * old tree or the new one, never a mix. Unsafe entries (`..`, absolute paths, links escaping the
 * release) make node-tar emit errors, which `strict` turns into a refusal.
 */
export async function unpackRelease(payload: string, layout: ReleaseLayout, options: UnpackOptions): Promise<void> {
  fs.rmSync(layout.partialDir, { recursive: true, force: true })
  fs.mkdirSync(layout.partialDir, { recursive: true, mode: 0o755 })
  const stages: NodeJS.ReadWriteStream[] = []
  if (options.key !== undefined && options.iv !== undefined) {
    stages.push(createDecipheriv(PAYLOAD_CIPHER, Buffer.from(options.key, 'hex'), Buffer.from(options.iv, 'hex')))
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
    if (options.mtimes !== undefined) applyMtimes(layout.partialDir, options.mtimes)
  } catch (error) {
    // node-tar may still have writes in flight when the pipeline rejects: let them land, then remove.
    await settleAndRemove(layout.partialDir)
    throw error
  } finally {
    process.umask(previousUmask)
  }
  try {
    await moveIntoPlace(layout, options)
  } finally {
    fs.rmSync(layout.partialDir, { recursive: true, force: true })
    fs.rmSync(layout.asideDir, { recursive: true, force: true })
  }
}

/** Renames the unpacked partialDir to <tag>, replacing what is there only with overwrite. */
async function moveIntoPlace(layout: ReleaseLayout, options: UnpackOptions): Promise<void> {
  const previousMarker = layout.readMarker()
  const replacing = fs.existsSync(layout.finalDir)
  if (replacing) {
    // Checked before the download too; here <tag> came while we were downloading or unpacking.
    if (!options.overwrite) return acceptArrived(layout, options.contentId)
    fs.rmSync(layout.markerFile, { force: true })
    fs.rmSync(layout.keptPayloadDir, { recursive: true, force: true })
    fs.renameSync(layout.finalDir, layout.asideDir)
  }
  try {
    fs.renameSync(layout.partialDir, layout.finalDir)
  } catch (error) {
    if (replacing && !fs.existsSync(layout.finalDir)) {
      // Put the old release back as it was, marker included: a failed deploy loses nothing.
      fs.renameSync(layout.asideDir, layout.finalDir)
      if (previousMarker !== undefined) layout.writeMarker(previousMarker)
    }
    const code = (error as NodeJS.ErrnoException).code
    // Another agent renamed its release into place between our check and our rename.
    if ((code === 'ENOTEMPTY' || code === 'EEXIST') && !options.overwrite) return acceptArrived(layout, options.contentId)
    if (code === 'ENOTEMPTY' || code === 'EEXIST') {
      throw new Error(`another deploy replaced ${layout.finalDir} at the same moment; it holds that deploy's release. Run this one again if it should win`)
    }
    throw error
  }
  layout.writeMarker({ contentId: options.contentId, tag: layout.tag, at: new Date().toISOString() })
}

/**
 * <tag> was put in place by another deploy while this one was unpacking (overwrite off): fine when
 * it holds this very content, else it is left as it is and this deploy fails for the host. The tree
 * is hashed rather than the marker read: the other agent writes its marker just after its rename
 * (or died in between), and the content is what counts.
 */
async function acceptArrived(layout: ReleaseLayout, contentId: string): Promise<void> {
  if ((await treeDigest(layout.finalDir).catch(() => undefined)) === contentId) {
    if (layout.readMarker()?.contentId !== contentId) layout.writeMarker({ contentId, tag: layout.tag, at: new Date().toISOString() })
    return
  }
  throw new TagExistsError(
    `${layout.finalDir} was put in place by another deploy while this one was unpacking, and holds a different release; ` +
      'left as it is. Choose a new tag, or set overwrite: true',
  )
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
