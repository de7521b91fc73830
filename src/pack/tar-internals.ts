import type * as fs from 'node:fs'

/**
 * The one place that reaches into node-tar's internals (tar 7.x): `onWriteEntry` hands us the
 * WriteEntry just before its header is written, and we replace the `stat` it took from lstat and its
 * `myuid`. Neither is public API; test/unit/pack/tar-internals.test.ts fails when an upgrade
 * changes either.
 */
interface WritableEntry {
  stat: fs.Stats
  myuid: number
}

/** Every entry's mtime in the archive: the real ones travel beside it (content/mtimes.ts). */
export const ARCHIVE_MTIME = new Date(0)

/**
 * Keeps only what is content in an entry's header — mode and size — so the archive is a function of
 * the tree's content: no owner, no user name, no times. (The hard-link decision, which needs
 * dev/ino, is already made when this runs.)
 */
export function canonicalHeader(entry: unknown): void {
  const writing = entry as WritableEntry
  const { mode, size } = writing.stat
  writing.stat = { mode, size, uid: 0, gid: 0, mtime: ARCHIVE_MTIME } as fs.Stats
  // node-tar records the user name when the entry's uid is its own: never.
  writing.myuid = -1
}
