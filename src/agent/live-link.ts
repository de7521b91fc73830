import * as fs from 'node:fs'
import * as path from 'node:path'

/**
 * <destination>/current: the symlink to the live release (<destination>/<tag>). It is only ever
 * replaced whole — a new link made under a temporary name, then renamed over it (rename(2) is
 * atomic) — so a reader always sees one release or the other, never no link.
 */
export class LiveLink {
  readonly path: string

  constructor(
    readonly destination: string,
    private readonly pid: number = process.pid,
  ) {
    this.path = path.join(destination, 'current')
  }

  /** The release current points to; null when there is no link. Throws when it is something we must not replace. */
  read(): string | null {
    const stat = fs.lstatSync(this.path, { throwIfNoEntry: false })
    if (stat === undefined) return null
    if (!stat.isSymbolicLink()) {
      throw new Error(`${this.path} is a ${stat.isDirectory() ? 'directory' : 'file'}, not a link; move it out of the way (activation makes it a link to the live release)`)
    }
    const target = fs.readlinkSync(this.path)
    const resolved = path.resolve(this.destination, target)
    if (path.dirname(resolved) !== this.destination || path.basename(resolved).startsWith('.')) {
      throw new Error(`${this.path} points to ${target}, which is not a release in ${this.destination}; point it to one (or remove it) first`)
    }
    return path.basename(resolved)
  }

  /** Points current to <destination>/<tag>, atomically. */
  pointTo(tag: string): void {
    const temporary = path.join(this.destination, '.murder', `current.${this.pid}.tmp`)
    fs.mkdirSync(path.dirname(temporary), { recursive: true })
    fs.rmSync(temporary, { force: true })
    fs.symlinkSync(path.join(this.destination, tag), temporary)
    try {
      fs.renameSync(temporary, this.path)
    } catch (error) {
      fs.rmSync(temporary, { force: true })
      throw error
    }
  }

  /** Removes the link (there was no live release before this one). */
  remove(): void {
    if (fs.lstatSync(this.path, { throwIfNoEntry: false })?.isSymbolicLink()) fs.unlinkSync(this.path)
  }
}
