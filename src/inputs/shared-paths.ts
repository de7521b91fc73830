import * as fs from 'node:fs'
import * as path from 'node:path'

/**
 * Reads `shared-paths`: one path a line (or comma-separated), relative to the release. Each
 * becomes a link to <destination>/shared/<path> at activation, so it must name a place inside the
 * release, and no path may lie inside another (one link would hide the other).
 */
export function parseSharedPaths(text: string): string[] {
  const paths: string[] = []
  for (const raw of text.split(/[\n,]/)) {
    const given = raw.trim()
    if (given === '') continue
    const cleaned = given.replace(/\/+$/, '')
    if (cleaned.startsWith('/')) throw new Error(`"${given}" must be relative to the release, e.g. config/database.yml`)
    if (/[\0\r]/.test(cleaned)) throw new Error(`"${given}" holds a control character`)
    const parts = cleaned.split('/')
    if (parts.some((part) => part === '' || part === '.' || part === '..')) {
      throw new Error(`"${given}" must be a plain path inside the release: no "..", ".", or empty parts`)
    }
    paths.push(parts.join('/'))
  }
  const sorted = [...new Set(paths)].sort()
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.startsWith(sorted[i - 1]! + '/')) throw new Error(`"${sorted[i]}" lies inside "${sorted[i - 1]}": give one of them`)
  }
  if (sorted.length !== paths.length) throw new Error('lists a path twice')
  return paths
}

/**
 * Refuses a build that holds a shared path (or holds a file or link where one of its parent
 * directories should be): at activation that path becomes a link, and the build's copy would be
 * hidden by it — before any host is contacted, rather than on every host.
 */
export function checkBuildLeavesSharedPathsFree(sourceDir: string, sharedPaths: string[]): void {
  const clashes: string[] = []
  for (const shared of sharedPaths) {
    const parts = shared.split('/')
    for (let depth = 1; depth <= parts.length; depth++) {
      const relative = parts.slice(0, depth).join('/')
      const stat = fs.lstatSync(path.join(sourceDir, relative), { throwIfNoEntry: false })
      if (stat === undefined) break
      if (depth === parts.length) clashes.push(`the build holds ${relative}`)
      else if (!stat.isDirectory()) clashes.push(`the build holds ${relative}, which is not a directory, where ${shared} needs one`)
      else continue
      break
    }
  }
  if (clashes.length > 0) {
    throw new Error(
      `${clashes.join('; ')}. A shared path becomes a link to <destination>/shared/<path> on every host at activation: ` +
        'remove it from the build output and keep that content in the shared directory on the hosts',
    )
  }
}
