import * as fs from 'node:fs'
import * as path from 'node:path'
import { namesIn } from './release-layout.js'
import { isOwnFile, ownDirectory } from './safe-paths.js'

/**
 * A host's object store (<destination>/.murder/objects/<id>): the encoded objects of the releases it
 * keeps. An agent never reads the store directly: it hard-links what it needs into its own work
 * directory first, so an object another agent removes meanwhile (collect) stays there for it, and
 * puts back only objects it has verified. Nothing is copied: a link is a name, not bytes.
 */
export class ObjectStore {
  constructor(readonly dir: string) {}

  /**
   * Links the objects the store holds into workDir (where this agent's torrent will find them, and
   * verify them piece by piece). Returns the bytes found: what this deploy need not download.
   */
  lendTo(workDir: string, objects: { id: string; size: number }[]): number {
    ownDirectory(this.dir)
    let bytes = 0
    for (const { id, size } of objects) {
      // Never a link: the agent's torrent would write through it.
      if (!isOwnFile(path.join(this.dir, id))) continue
      const held = fs.lstatSync(path.join(this.dir, id))
      try {
        fs.linkSync(path.join(this.dir, id), path.join(workDir, id))
        if (held.size === size) bytes += size
      } catch (error) {
        // EEXIST: a resumed download of it is already there (the torrent verifies which bytes are good).
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }
    }
    return bytes
  }

  /** Puts the release's objects (verified by the caller) into the store; those it has are left alone. */
  adopt(workDir: string, ids: string[]): void {
    ownDirectory(this.dir)
    for (const id of ids) {
      try {
        fs.linkSync(path.join(workDir, id), path.join(this.dir, id))
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }
    }
  }

  /** Removes every object not in `keep`; returns the bytes freed. */
  collect(keep: Set<string>): number {
    let freed = 0
    for (const name of namesIn(this.dir)) {
      if (keep.has(name)) continue
      const file = path.join(this.dir, name)
      freed += (fs.lstatSync(file, { throwIfNoEntry: false })?.blocks ?? 0) * 512
      fs.rmSync(file, { force: true, recursive: true })
    }
    return freed
  }

  /** Bytes the store takes on disk. */
  bytesOnDisk(): number {
    let total = 0
    for (const name of namesIn(this.dir)) total += (fs.lstatSync(path.join(this.dir, name), { throwIfNoEntry: false })?.blocks ?? 0) * 512
    return total
  }
}
