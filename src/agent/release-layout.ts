import * as fs from 'node:fs'
import * as path from 'node:path'
import { CONTENT_DIGEST, digestOf, hashFileHere, treeDigest, type DescribedEntry } from '../content/tree-digest.js'
import { walkTree } from '../content/tree-walk.js'
import { checkDestination, isOwnFile, ownDirectory, readNoFollow, writeNewFile } from './safe-paths.js'
import { isAlive } from './host-facts.js'

/**
 * The on-disk layout of releases on a host:
 *   <destination>/<tag>/                   the release, exactly the source tree (never written in place)
 *   <destination>/.murder/<tag>.json       what <tag> holds (its content digest and its objects)
 *   <destination>/.murder/objects/<id>     the object store: the encoded objects of the releases kept
 *                                          (object-store.ts), what later deploys need not download
 *   <destination>/.murder/incoming/<pid>/  one agent's work: objects/ (hard links to the store's
 *                                          objects it uses, and its downloads), and <tag>/ being
 *                                          written (renamed to <destination>/<tag> only when complete)
 * Everything in progress is in the agent's own directory, so two agents deploying at once (two
 * workflow runs; one host listed under two names) never write into each other's files, and what a
 * killed agent left is recognisable by its pid. None of these is ever followed through a link
 * (safe-paths.ts says why and how).
 */
export class ReleaseLayout {
  readonly finalDir: string
  /** This agent's work directory: incoming/<pid>. */
  readonly workDir: string
  /** The objects this agent's torrent reads and writes. */
  readonly workObjectsDir: string
  /** Where the release is written before it is renamed into place. */
  readonly partialDir: string
  /** Where a release being replaced (overwrite) waits until the new one is in place. */
  readonly asideDir: string
  readonly stateDir: string
  readonly markerFile: string
  readonly incomingDir: string
  readonly storeDir: string

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
    this.workObjectsDir = path.join(this.workDir, 'objects')
    this.partialDir = path.join(this.workDir, tag)
    this.asideDir = path.join(this.workDir, `${tag}.replaced`)
    this.storeDir = path.join(this.stateDir, 'objects')
  }

  /**
   * Checks <destination> (creating it if missing) and makes this agent's directories, each checked
   * to be a real directory of the deploy user: throws UnsafePathError when something else is there.
   */
  prepareWorkDir(): void {
    checkDestination(this.destination)
    for (const dir of [this.stateDir, this.incomingDir, this.storeDir, this.workDir, this.workObjectsDir]) ownDirectory(dir)
  }

  /**
   * Clears what agents that died without cleaning up (SIGKILL, a reboot) left in incoming/. Their
   * objects are moved into this agent's own objects/ first, so a download resumes (webtorrent
   * verifies the pieces already there) rather than starting over: only regular files the deploy
   * user owns, never a link (the torrent would write through it). Directories of live agents
   * (another deploy in progress) are left alone. Called after prepareWorkDir.
   */
  sweepIncoming(): void {
    for (const name of namesIn(this.incomingDir)) {
      const full = path.join(this.incomingDir, name)
      if (full === this.workDir) continue
      const stat = fs.lstatSync(full, { throwIfNoEntry: false })
      if (stat?.isDirectory() && /^\d+$/.test(name) && isAlive(Number(name))) continue
      const objects = path.join(full, 'objects')
      if (stat?.isDirectory() && fs.lstatSync(objects, { throwIfNoEntry: false })?.isDirectory()) {
        for (const object of namesIn(objects)) {
          if (!/^[0-9a-f]{32}$/.test(object) || !isOwnFile(path.join(objects, object))) continue
          try {
            fs.renameSync(path.join(objects, object), path.join(this.workObjectsDir, object))
          } catch {
            // not adoptable: removed below, its bytes are downloaded again
          }
        }
      }
      // rm never follows links: a link is removed, not what it points at.
      fs.rmSync(full, { recursive: true, force: true })
    }
  }

  /** Removes what agents before the object store kept (.murder/payloads/): the store replaces it. A link there is removed, not followed. */
  removeLegacyPayloads(): void {
    fs.rmSync(path.join(this.stateDir, 'payloads'), { recursive: true, force: true })
  }

  /** absent: no release; same: this exact content is in place; different: something else is. */
  inspect(contentId: string): 'absent' | 'same' | 'different' {
    if (fs.lstatSync(this.finalDir, { throwIfNoEntry: false }) === undefined) return 'absent'
    return this.readMarker()?.contentId === contentId ? 'same' : 'different'
  }

  readMarker(): ReleaseMarker | undefined {
    return readMarkerFile(this.markerFile)
  }

  writeMarker(marker: ReleaseMarker): void {
    this.prepareMarker(marker).commit()
  }

  /**
   * Writes the marker aside and returns what puts it in place (a rename: it needs no more disk).
   * Written before <tag> is touched, so a full disk fails the deploy while the old release is
   * still whole, not after the new one went in without its marker.
   */
  prepareMarker(marker: ReleaseMarker): { commit(): void; discard(): void } {
    ownDirectory(this.stateDir)
    const temporary = `${this.markerFile}.tmp-${this.pid}`
    writeNewFile(temporary, JSON.stringify(marker) + '\n')
    return {
      commit: () => fs.renameSync(temporary, this.markerFile),
      discard: () => fs.rmSync(temporary, { force: true }),
    }
  }

  /**
   * The objects every release still on disk was made of (from the markers of releases whose
   * directory exists), but for `except`: what the store must keep.
   */
  objectsOfKeptReleases(except?: string): Set<string> {
    const kept = new Set<string>()
    for (const name of namesIn(this.stateDir)) {
      if (!name.endsWith('.json')) continue
      const tag = name.slice(0, -'.json'.length)
      if (tag === except || !fs.existsSync(path.join(this.destination, tag))) continue
      for (const id of readMarkerFile(path.join(this.stateDir, name))?.objects ?? []) kept.add(id)
    }
    return kept
  }

  /**
   * Like inspect, but 'same' only when the tree on disk still IS that content: the marker records
   * what was deployed, not what is there now, and a release edited in place after the deploy must
   * not count as already present. Costs one read of the release (hashing runs at disk speed), far
   * less than a download; only re-runs of the same tag pay it.
   */
  async holds(contentId: string): Promise<'absent' | 'same' | 'different' | 'modified'> {
    const marked = this.inspect(contentId)
    const marker = this.readMarker()
    // A marker of another digest definition (an older version's) cannot say "different": the tree decides.
    const olderDigest = marked === 'different' && marker !== undefined && marker.digest !== CONTENT_DIGEST
    if (marked !== 'same' && !olderDigest) return marked
    const linked = marker?.linked ?? []
    let onDisk: string | undefined
    try {
      onDisk = linked.length === 0 ? await treeDigest(this.finalDir) : await digestWithout(this.finalDir, new Set(linked))
    } catch {
      // e.g. a link now pointing outside the release: not what we deployed.
      onDisk = undefined
    }
    if (!olderDigest) return onDisk === contentId ? 'same' : 'modified'
    if (onDisk !== contentId) return 'different'
    this.writeMarker({ ...marker!, contentId, digest: CONTENT_DIGEST })
    return 'same'
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


/** What <destination>/.murder/<tag>.json records about <tag>. */
export interface ReleaseMarker {
  contentId: string
  /** The digest definition contentId was made with (content/tree-digest.ts, CONTENT_DIGEST); absent before 2. */
  digest?: number
  tag: string
  at: string
  /** Ids of the objects the release was made of: the store keeps them while the release exists. */
  objects?: string[]
  /**
   * Entries activation added to the release (shared-path links and the directories made for
   * them, agent/shared-links.ts): not part of its content, so left out when a re-run checks it.
   */
  linked?: string[]
  /** When the release was last made live on this host: pruning keeps the most recently used. */
  activatedAt?: string
}

/**
 * The release's content digest with the entries activation added left out. Like treeDigest, but a
 * link it added points outside the release on purpose (to <destination>/shared/): those are the
 * entries skipped, and any other entry counts as it is.
 */
async function digestWithout(dir: string, skipped: Set<string>): Promise<string> {
  const described: DescribedEntry[] = []
  for (const entry of walkTree(dir)) {
    if (skipped.has(entry.relative)) continue
    if (entry.stat.isSymbolicLink()) described.push({ ...entry, target: fs.readlinkSync(entry.full) })
    else if (entry.stat.isFile()) described.push({ ...entry, sha256: (await hashFileHere(entry)).sha256 })
    else described.push(entry)
  }
  return digestOf(described)
}

function readMarkerFile(file: string): ReleaseMarker | undefined {
  try {
    const text = readNoFollow(file)
    return text === undefined ? undefined : (JSON.parse(text) as ReleaseMarker)
  } catch {
    return undefined
  }
}
