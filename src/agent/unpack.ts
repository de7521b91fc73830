import { createDecipheriv } from 'node:crypto'
import * as fs from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { pipeline } from 'node:stream/promises'
import * as tar from 'tar'
import { applyMtimes } from '../content/mtimes.js'
import { PAYLOAD_CIPHER } from '../content/payload-key.js'
import { treeDigest } from '../content/tree-digest.js'
import type { ReleaseLayout } from './release-layout.js'

export interface UnpackOptions {
  /** Recorded in the marker: what the release holds. */
  contentId: string
  /** The entries' modification times (content/mtimes.ts), applied before the release is renamed into place; without, the archive's stay. */
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
    await sleep(25 * attempt)
    try {
      fs.rmSync(dir, { recursive: true, force: true })
      if (!fs.existsSync(dir)) return
    } catch {
      // ENOTEMPTY while a late write lands: try again.
    }
  }
}
