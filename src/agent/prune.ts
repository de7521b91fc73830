import * as fs from 'node:fs'
import * as path from 'node:path'
import { ObjectStore } from './object-store.js'
import { namesIn, ReleaseLayout } from './release-layout.js'

export interface ReleaseOnHost {
  tag: string
  /** Epoch ms it was last deployed or made live here. */
  lastUsed: number
}

/**
 * Which releases go so that `keep` stay, the live one included: `always` (the live one and the one
 * it replaced) stay whatever `keep` says, then the most recently used. A release rolled back to
 * counts as recent.
 */
export function releasesToRemove(releases: ReleaseOnHost[], always: string[], keep: number): string[] {
  const kept = new Set(always)
  const byRecency = [...releases].sort((a, b) => b.lastUsed - a.lastUsed || (a.tag < b.tag ? 1 : -1))
  for (const release of byRecency) {
    if (kept.size >= keep) break
    kept.add(release.tag)
  }
  return releases.filter((release) => !kept.has(release.tag)).map((release) => release.tag)
}

/** The releases on this host: the directories in <destination> that have a marker (so never shared/, current or anything of the operator's). */
export function releasesOnHost(destination: string): ReleaseOnHost[] {
  const stateDir = path.join(destination, '.murder')
  const releases: ReleaseOnHost[] = []
  for (const name of namesIn(stateDir)) {
    if (!name.endsWith('.json')) continue
    const tag = name.slice(0, -'.json'.length)
    if (!fs.lstatSync(path.join(destination, tag), { throwIfNoEntry: false })?.isDirectory()) continue
    const marker = new ReleaseLayout(destination, tag).readMarker()
    const times = [marker?.at, marker?.activatedAt].map((at) => (at === undefined ? 0 : Date.parse(at) || 0))
    releases.push({ tag, lastUsed: Math.max(...times) })
  }
  return releases
}

/**
 * Removes the releases beyond `keep` (releasesToRemove) and then the objects of the store that no
 * release left on disk uses. A release is first renamed into this agent's work directory and its
 * marker removed, so a prune cut short never leaves a half-removed tree that looks like a release.
 */
export function pruneReleases(destination: string, always: string[], keep: number, pid = process.pid): { removed: string[]; freedBytes: number } {
  const layout = new ReleaseLayout(destination, always[0]!, pid)
  const removed = releasesToRemove(releasesOnHost(destination), always, keep)
  let freedBytes = 0
  if (removed.length > 0) fs.mkdirSync(layout.workDir, { recursive: true, mode: 0o700 })
  try {
    for (const tag of removed) {
      const aside = path.join(layout.workDir, `pruned-${tag}`)
      fs.renameSync(path.join(destination, tag), aside)
      fs.rmSync(path.join(layout.stateDir, `${tag}.json`), { force: true })
      freedBytes += bytesUnder(aside)
      fs.rmSync(aside, { recursive: true, force: true })
    }
    freedBytes += new ObjectStore(layout.storeDir).collect(layout.objectsOfKeptReleases())
  } finally {
    fs.rmSync(layout.workDir, { recursive: true, force: true })
  }
  return { removed, freedBytes }
}

function bytesUnder(dir: string): number {
  let total = 0
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) total += (fs.lstatSync(path.join(dir, name), { throwIfNoEntry: false })?.blocks ?? 0) * 512
  return total
}
