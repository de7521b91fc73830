import * as fs from 'node:fs'
import * as path from 'node:path'

/**
 * The agent's own paths, checked before it uses them. The deploy user is often root: a link
 * planted where the agent keeps its work (.murder/incoming -> /etc) would make it delete or
 * overwrite whatever the link points at. So, as sshd's StrictModes does for a home directory:
 * <destination> and every directory above it must be owned by the deploy user or root and not
 * writable by group or others (a sticky directory such as /tmp is fine: nobody can rename what
 * is not theirs there); the agent's directories under it must be real directories (never a link)
 * of that user. Once that holds, nobody else can change anything below, so one check, made
 * before use, is enough.
 */

/** The host's directories let someone else plant links; the message says what to fix. */
export class UnsafePathError extends Error {}

const euid = (): number => process.geteuid?.() ?? 0

/**
 * Checks <destination> and its ancestors (as given and as resolved, when links are on the way);
 * creates a missing destination with 0755 at every level (a web server must be able to read the
 * releases), whatever the umask.
 */
export function checkDestination(destination: string): void {
  if (fs.statSync(destination, { throwIfNoEntry: false }) === undefined) createReadable(destination)
  const stat = fs.statSync(destination)
  if (!stat.isDirectory()) throw new UnsafePathError(`${destination} is not a directory`)
  const checked = new Set<string>()
  for (const start of [destination, fs.realpathSync(destination)]) {
    for (let dir = start; !checked.has(dir); dir = path.dirname(dir)) {
      checked.add(dir)
      const problem = trustProblem(fs.statSync(dir), dir === start ? 'destination' : 'ancestor')
      if (problem !== undefined) throw new UnsafePathError(`${dir} ${problem.what}: ${WHY}. Fix: ${problem.fix(dir)}`)
      if (path.dirname(dir) === dir) break
    }
  }
}

/**
 * Makes `dir` (one of the agent's own) unless it exists, and checks that it is a real directory
 * of the deploy user (or root) that group and others cannot write: never a link.
 */
export function ownDirectory(dir: string, mode = 0o700): void {
  try {
    fs.mkdirSync(dir, { mode })
    return
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  const stat = fs.lstatSync(dir)
  if (stat.isSymbolicLink()) {
    throw new UnsafePathError(`${dir} is a symbolic link (to ${fs.readlinkSync(dir)}): ${WHY}. Fix: remove the link (rm ${dir}); the agent makes the directory itself`)
  }
  if (!stat.isDirectory()) throw new UnsafePathError(`${dir} is not a directory: remove it; the agent makes the directory itself`)
  const problem = trustProblem(stat, 'destination')
  if (problem !== undefined) throw new UnsafePathError(`${dir} ${problem.what}: ${WHY}. Fix: ${problem.fix(dir)}`)
}

/** A regular file (not a link) the deploy user owns: the only kind of leftover the agent takes over. */
export function isOwnFile(file: string): boolean {
  const stat = fs.lstatSync(file, { throwIfNoEntry: false })
  return stat !== undefined && stat.isFile() && stat.uid === euid()
}

/**
 * Opens a file without following a link at its name (O_NOFOLLOW): a planted link makes this
 * fail with ELOOP instead of reading or writing whatever it points at.
 */
export function openNoFollow(file: string, flags: number, mode = 0o644): number {
  return fs.openSync(file, flags | fs.constants.O_NOFOLLOW, mode)
}

/** Reads a file unless it is a link (then undefined, as if it were not there). */
export function readNoFollow(file: string): string | undefined {
  let fd: number
  try {
    fd = openNoFollow(file, fs.constants.O_RDONLY)
  } catch {
    return undefined
  }
  try {
    return fs.readFileSync(fd, 'utf8')
  } finally {
    fs.closeSync(fd)
  }
}

/** Writes a new file, replacing a stale one (or a link: removed, never followed) at its name. */
export function writeNewFile(file: string, text: string, mode = 0o644): void {
  fs.rmSync(file, { force: true })
  const fd = openNoFollow(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, mode)
  try {
    fs.writeFileSync(fd, text)
  } finally {
    fs.closeSync(fd)
  }
}

const WHY = 'someone other than the deploy user could plant links there and make the deploy delete or overwrite files elsewhere'

function trustProblem(stat: fs.Stats, role: 'destination' | 'ancestor'): { what: string; fix(dir: string): string } | undefined {
  const me = euid()
  if (stat.uid !== me && stat.uid !== 0) {
    return {
      what: `is owned by uid ${stat.uid}, not by the deploy user (uid ${me}) or root`,
      fix: (dir) => (role === 'destination' ? `chown ${me} ${dir}, or deploy to a directory the deploy user owns` : `chown root ${dir}, or deploy elsewhere`),
    }
  }
  const sticky = (stat.mode & 0o1000) !== 0
  if ((stat.mode & 0o022) !== 0 && !(role === 'ancestor' && sticky)) {
    const group = (stat.mode & 0o020) !== 0
    const others = (stat.mode & 0o002) !== 0
    const who = group && others ? 'its group and others' : group ? 'its group' : 'others'
    return {
      what: `is writable by ${who} (mode ${(stat.mode & 0o7777).toString(8)})`,
      fix: (dir) => `chmod go-w ${dir}`,
    }
  }
  return undefined
}

/** mkdir -p, each level made 0755 (mkdir alone would let the umask decide). */
function createReadable(dir: string): void {
  const missing: string[] = []
  for (let at = dir; fs.lstatSync(at, { throwIfNoEntry: false }) === undefined; at = path.dirname(at)) missing.unshift(at)
  for (const level of missing) {
    try {
      fs.mkdirSync(level)
      fs.chmodSync(level, 0o755)
    } catch (error) {
      // Another agent (a second deploy at once) made it first: its mode is its own.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
}
