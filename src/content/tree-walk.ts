import * as fs from 'node:fs'
import * as path from 'node:path'

export interface TreeEntry {
  /** Path relative to the root, with `/` separators. */
  relative: string
  full: string
  stat: fs.Stats
}

/**
 * Every entry under root (not root itself), parents before their children, names in sorted
 * order, symlinks never followed. The one order the whole data path agrees on: the archive lists
 * its entries in it, the content digest hashes in it, and the agent applies the modification times
 * it receives in it — so the runner and a host, walking the same tree, line up entry for entry.
 */
export function walkTree(root: string): TreeEntry[] {
  const entries: TreeEntry[] = []
  const walk = (dir: string, prefix: string): void => {
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name)
      const relative = prefix === '' ? name : `${prefix}/${name}`
      const stat = fs.lstatSync(full)
      entries.push({ relative, full, stat })
      if (stat.isDirectory()) walk(full, relative)
    }
  }
  walk(root, '')
  return entries
}
