import * as fs from 'node:fs'
import * as path from 'node:path'
import type { ReleaseLayout } from './release-layout.js'

/**
 * Makes each shared path of a release a link to <destination>/shared/<path> (Capistrano's linked
 * files): configuration kept outside the artifact, the same for every release. Directories the
 * release lacks on the way to a link are made. Everything added is recorded in the release's
 * marker first, so a later re-run of the same tag leaves it out of its "is this still the release
 * we deployed?" check (ReleaseLayout.holds) — even if this agent dies half-way.
 * The shared side is prepared up to the parent of each path; the path itself is the operator's
 * (a file or a directory), and the link waits for it if it is not there yet.
 */
export function linkSharedPaths(layout: ReleaseLayout, sharedPaths: string[]): void {
  if (sharedPaths.length === 0) return
  const sharedRoot = path.join(layout.destination, 'shared')
  const added: string[] = []
  const links: { at: string; target: string }[] = []
  const dirs: string[] = []
  for (const shared of sharedPaths) {
    const parts = shared.split('/')
    for (let depth = 1; depth < parts.length; depth++) {
      const relative = parts.slice(0, depth).join('/')
      const stat = fs.lstatSync(path.join(layout.finalDir, relative), { throwIfNoEntry: false })
      if (stat === undefined) {
        if (!dirs.includes(relative)) dirs.push(relative)
        added.push(relative)
      } else if (!stat.isDirectory()) throw new Error(`${path.join(layout.finalDir, relative)} is not a directory, so ${shared} cannot be linked inside it`)
    }
    const at = path.join(layout.finalDir, shared)
    const target = path.join(sharedRoot, shared)
    const existing = fs.lstatSync(at, { throwIfNoEntry: false })
    if (existing !== undefined && !(existing.isSymbolicLink() && fs.readlinkSync(at) === target)) {
      throw new Error(`${at} is in the release itself, so it cannot become the link to ${target}; deploy a build without it`)
    }
    added.push(shared)
    if (existing === undefined) links.push({ at, target })
  }
  const marker = layout.readMarker()
  if (marker === undefined) throw new Error(`${layout.markerFile} is missing: ${layout.finalDir} was not deployed by this action`)
  layout.writeMarker({ ...marker, linked: [...new Set([...(marker.linked ?? []), ...added])] })
  for (const shared of sharedPaths) fs.mkdirSync(path.dirname(path.join(sharedRoot, shared)), { recursive: true })
  for (const dir of dirs) fs.mkdirSync(path.join(layout.finalDir, dir), { recursive: true })
  for (const { at, target } of links) fs.symlinkSync(target, at)
}
