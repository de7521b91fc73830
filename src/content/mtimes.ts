import * as fs from 'node:fs'
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { walkTree } from './tree-walk.js'

/**
 * Modification times travel beside the archive, not inside it. The archive holds content only, so
 * the same build packs to the same bytes on every re-run (a rebuild or a checkout gives every file
 * a new mtime) and hosts that kept the payload of an earlier deploy can seed it. The times still
 * reach every host, so a release keeps its files' mtimes (web servers derive ETag/Last-Modified
 * from them; Python checks .pyc files against them).
 *
 * Encoding: whole milliseconds (what the tar format carried before), in walkTree order, as
 * differences from the previous entry, JSON, raw deflate, base64. A build's mtimes cluster, so this
 * stays small: measured in bench/README.md.
 */
export function encodeMtimes(mtimesMs: number[]): string {
  let previous = 0
  const deltas = mtimesMs.map((ms) => {
    const whole = Math.trunc(ms)
    const delta = whole - previous
    previous = whole
    return delta
  })
  return deflateRawSync(JSON.stringify(deltas), { level: 9 }).toString('base64')
}

export function decodeMtimes(encoded: string): number[] {
  const deltas = JSON.parse(inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8')) as unknown
  if (!Array.isArray(deltas) || !deltas.every((value) => Number.isSafeInteger(value))) {
    throw new Error('the modification times are not a list of integers')
  }
  let previous = 0
  return deltas.map((delta: number) => (previous += delta))
}

/** The mtimes (ms) of a tree's entries, in walkTree order. */
export function treeMtimes(root: string): number[] {
  return walkTree(root).map((entry) => entry.stat.mtimeMs)
}

/**
 * Gives the entries of an unpacked tree the times the source had. Children first, so that setting a
 * directory's time is the last thing that happens to it. Throws when the tree does not have one
 * entry per time: it is then not the tree the times were taken from.
 */
export function applyMtimes(root: string, encoded: string): void {
  const mtimes = decodeMtimes(encoded)
  const entries = walkTree(root)
  if (entries.length !== mtimes.length) {
    throw new Error(`the release has ${entries.length} entries but the deploy sent times for ${mtimes.length}`)
  }
  for (let index = entries.length - 1; index >= 0; index--) {
    const entry = entries[index]!
    // The middle of the source's millisecond: fs takes seconds as a double, and x.902 s may land as
    // x.901999950; half a millisecond of margin keeps float error from moving it to another one.
    const time = (mtimes[index]! + 0.5) / 1000
    if (entry.stat.isSymbolicLink()) fs.lutimesSync(entry.full, time, time)
    else fs.utimesSync(entry.full, time, time)
  }
}
