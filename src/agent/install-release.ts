import * as fs from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Manifest } from '../content/manifest.js'
import { CONTENT_DIGEST, treeDigest } from '../content/tree-digest.js'
import { ReleaseWriter } from './materialize.js'
import type { ReleaseLayout } from './release-layout.js'

export interface InstallOptions {
  overwrite: boolean
  /** A writer already started in layout.partialDir (the agent writes objects as they arrive); else one is made here. */
  writer?: ReleaseWriter
}

/** <tag> holds another release than the one being deployed, and overwrite is off. */
export class TagExistsError extends Error {}

/**
 * Finishes writing the release from its objects in the agent's own partial directory (materialize.ts), then
 * renames it into place. With overwrite, the old release is first renamed aside, so at every
 * instant <tag> is either the old tree or the new one, never a mix.
 */
export async function installRelease(manifest: Manifest, objectsDir: string, layout: ReleaseLayout, options: InstallOptions): Promise<void> {
  try {
    let writer = options.writer
    if (writer === undefined) {
      fs.rmSync(layout.partialDir, { recursive: true, force: true })
      writer = new ReleaseWriter(manifest, objectsDir, layout.partialDir)
      writer.start()
    }
    await writer.finish()
  } catch (error) {
    await settleAndRemove(layout.partialDir)
    throw error
  }
  const objects = manifest.objects.map((object) => object.id)
  try {
    await moveIntoPlace(layout, { contentId: manifest.contentId, objects, overwrite: options.overwrite })
  } finally {
    fs.rmSync(layout.partialDir, { recursive: true, force: true })
    fs.rmSync(layout.asideDir, { recursive: true, force: true })
  }
}

interface Placement {
  contentId: string
  objects: string[]
  overwrite: boolean
}

/** Renames the written partialDir to <tag>, replacing what is there only with overwrite. */
async function moveIntoPlace(layout: ReleaseLayout, options: Placement): Promise<void> {
  const previousMarker = layout.readMarker()
  const replacing = fs.existsSync(layout.finalDir)
  // Checked before the download too; here <tag> came while we were downloading or writing it.
  if (replacing && !options.overwrite) return acceptArrived(layout, options)
  const marker = layout.prepareMarker({ contentId: options.contentId, digest: CONTENT_DIGEST, tag: layout.tag, at: new Date().toISOString(), objects: options.objects })
  try {
    if (replacing) {
      fs.rmSync(layout.markerFile, { force: true })
      fs.renameSync(layout.finalDir, layout.asideDir)
    }
    fs.renameSync(layout.partialDir, layout.finalDir)
  } catch (error) {
    marker.discard()
    if (replacing && !fs.existsSync(layout.finalDir) && fs.existsSync(layout.asideDir)) {
      // Put the old release back as it was, marker included: a failed deploy loses nothing.
      fs.renameSync(layout.asideDir, layout.finalDir)
      if (previousMarker !== undefined) layout.writeMarker(previousMarker)
    }
    const code = (error as NodeJS.ErrnoException).code
    // Another agent renamed its release into place between our check and our rename.
    if ((code === 'ENOTEMPTY' || code === 'EEXIST') && !options.overwrite) return acceptArrived(layout, options)
    if (code === 'ENOTEMPTY' || code === 'EEXIST') {
      throw new Error(`another deploy replaced ${layout.finalDir} at the same moment; it holds that deploy's release. Run this one again if it should win`)
    }
    throw error
  }
  marker.commit()
}

/**
 * <tag> was put in place by another deploy while this one was writing it (overwrite off): fine when
 * it holds this very content, else it is left as it is and this deploy fails for the host. The tree
 * is hashed rather than the marker read: the other agent writes its marker just after its rename
 * (or died in between), and the content is what counts.
 */
async function acceptArrived(layout: ReleaseLayout, { contentId, objects }: Placement): Promise<void> {
  if ((await treeDigest(layout.finalDir).catch(() => undefined)) === contentId) {
    if (layout.readMarker()?.contentId !== contentId) layout.writeMarker({ contentId, digest: CONTENT_DIGEST, tag: layout.tag, at: new Date().toISOString(), objects })
    return
  }
  throw new TagExistsError(
    `${layout.finalDir} was put in place by another deploy while this one was writing it, and holds a different release; ` +
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
