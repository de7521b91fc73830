import * as path from 'node:path'
import { deflateRawSync, inflateRawSync } from 'node:zlib'

/**
 * What a release is made of, beside its objects: every entry of the tree (path, type, mode, mtime,
 * and for a file which object holds its bytes and where), and every object (its id, sizes, the
 * sha256 a host checks before using it, its key). It travels to each host inside the SSH session,
 * with the torrent, because it holds the keys; it is never written to a host's disk.
 *
 * Objects (pack/plan.ts): a file of a piece or more is one object, or several of 16 MiB when
 * bigger; smaller files share "bundles" of 8 to 16 pieces, so a tree of 50,000 files is a few
 * dozen objects. Identical content is stored once.
 */
export const MANIFEST_VERSION = 1

export interface ObjectRecord {
  /** Keyed hash of the stored bytes (content/object-key.ts): its file name in every store. */
  id: string
  /** Stored bytes (after compression; encryption keeps the length). */
  size: number
  /** Bytes once decoded: the file, or the bundle's files one after another. */
  plainSize: number
  /** sha256 of the compressed (not yet encrypted) bytes: checked by the host before the object is used. */
  sha256: string
  /** Raw deflate applied (only where it paid). */
  compressed: boolean
  /** AES-256-CTR key and IV, hex; absent when the deploy is not encrypted. */
  key?: string
  iv?: string
}

export type ManifestEntry =
  | { type: 'dir'; path: string; mode: number; mtimeMs: number }
  | { type: 'file'; path: string; mode: number; mtimeMs: number; size: number; segments: Segment[] }
  | { type: 'link'; path: string; target: string; mtimeMs: number }

/** Where a file's bytes are: `length` bytes at `offset` of an object's decoded bytes. A file is its segments one after another. */
export interface Segment {
  object: number
  offset: number
  length: number
}

export interface Manifest {
  v: typeof MANIFEST_VERSION
  /** The tree's content digest (content/tree-digest.ts): how a host knows it already holds the release. */
  contentId: string
  /** In torrent order. */
  objects: ObjectRecord[]
  /** In walkTree order: parents before children. */
  entries: ManifestEntry[]
}

type Row = (string | number | number[])[]

/** JSON of compact rows, raw deflate, base64: 50,000 entries fit in a few hundred KB. */
export function encodeManifest(manifest: Manifest): string {
  const objects: Row[] = manifest.objects.map((o) => [o.id, o.size, o.plainSize, o.sha256, o.compressed ? 1 : 0, o.key ?? '', o.iv ?? ''])
  let previous = 0
  const entries: Row[] = manifest.entries.map((entry) => {
    // mtimes as differences from the previous entry's: a build's mtimes cluster, and deflate likes small numbers.
    const mtime = Math.trunc(entry.mtimeMs) - previous
    previous = Math.trunc(entry.mtimeMs)
    if (entry.type === 'dir') return ['d', entry.path, entry.mode, mtime]
    if (entry.type === 'link') return ['l', entry.path, entry.target, mtime]
    return ['f', entry.path, entry.mode, mtime, entry.size, entry.segments.flatMap((segment) => [segment.object, segment.offset, segment.length])]
  })
  const json = JSON.stringify({ v: manifest.v, contentId: manifest.contentId, objects, entries })
  return deflateRawSync(json, { level: 9 }).toString('base64')
}

/** Decodes and checks a manifest; throws an Error saying what is wrong (a host must never act on a bad one). */
export function decodeManifest(encoded: string): Manifest {
  let raw: { v?: unknown; contentId?: unknown; objects?: unknown; entries?: unknown }
  try {
    raw = JSON.parse(inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8'))
  } catch {
    throw new Error('the manifest cannot be read')
  }
  if (raw.v !== MANIFEST_VERSION) throw new Error(`manifest version ${String(raw.v)} is not ${MANIFEST_VERSION}`)
  if (typeof raw.contentId !== 'string' || !/^[0-9a-f]{64}$/.test(raw.contentId)) throw new Error('the manifest has no content id')
  if (!Array.isArray(raw.objects) || !Array.isArray(raw.entries)) throw new Error('the manifest lists no objects or entries')
  const objects = raw.objects.map((row: unknown, index: number) => decodeObject(row, index))
  const entries: ManifestEntry[] = []
  const directories = new Set<string>([''])
  const seen = new Set<string>()
  let previous = 0
  for (const row of raw.entries as unknown[]) {
    const entry = decodeEntry(row, previous, objects)
    previous = entry.mtimeMs
    checkPath(entry.path, directories, seen)
    if (entry.type === 'dir') directories.add(entry.path)
    if (entry.type === 'link') checkLinkTarget(entry.path, entry.target)
    entries.push(entry)
  }
  return { v: MANIFEST_VERSION, contentId: raw.contentId, objects, entries }
}

function decodeObject(row: unknown, index: number): ObjectRecord {
  if (!Array.isArray(row) || row.length !== 7) throw new Error(`manifest object ${index} is malformed`)
  const [id, size, plainSize, sha256, compressed, key, iv] = row as unknown[]
  const ok =
    typeof id === 'string' && /^[0-9a-f]{32}$/.test(id) &&
    isCount(size) && (size as number) > 0 && isCount(plainSize) &&
    typeof sha256 === 'string' && /^[0-9a-f]{64}$/.test(sha256) &&
    (compressed === 0 || compressed === 1) &&
    ((key === '' && iv === '') || (typeof key === 'string' && /^[0-9a-f]{64}$/.test(key) && typeof iv === 'string' && /^[0-9a-f]{32}$/.test(iv)))
  if (!ok) throw new Error(`manifest object ${index} is malformed`)
  return {
    id: id as string,
    size: size as number,
    plainSize: plainSize as number,
    sha256: sha256 as string,
    compressed: compressed === 1,
    ...(key !== '' ? { key: key as string, iv: iv as string } : {}),
  }
}

function decodeEntry(row: unknown, previousMtime: number, objects: ObjectRecord[]): ManifestEntry {
  const bad = (): never => {
    throw new Error(`manifest entry ${JSON.stringify(row).slice(0, 200)} is malformed`)
  }
  if (!Array.isArray(row) || typeof row[1] !== 'string' || !Number.isSafeInteger(row[3])) return bad()
  const [type, entryPath] = row as [string, string]
  const mtimeMs = previousMtime + (row[3] as number)
  if (type === 'd' && row.length === 4 && isMode(row[2])) return { type: 'dir', path: entryPath, mode: row[2] as number, mtimeMs }
  if (type === 'l' && row.length === 4 && typeof row[2] === 'string' && row[2] !== '') return { type: 'link', path: entryPath, target: row[2], mtimeMs }
  if (type === 'f' && row.length === 6 && isMode(row[2]) && isCount(row[4]) && Array.isArray(row[5]) && row[5].length % 3 === 0) {
    const size = row[4] as number
    const flat = row[5] as unknown[]
    const segments: Segment[] = []
    let total = 0
    for (let index = 0; index < flat.length; index += 3) {
      const [object, offset, length] = flat.slice(index, index + 3) as number[]
      const holder = Number.isSafeInteger(object) ? objects[object!] : undefined
      if (holder === undefined || !isCount(offset) || !isCount(length) || length === 0 || offset! + length! > holder.plainSize) return bad()
      segments.push({ object: object!, offset: offset!, length: length! })
      total += length!
    }
    if (total === size) return { type: 'file', path: entryPath, mode: row[2] as number, mtimeMs, size, segments }
  }
  return bad()
}

/** Relative, normalized, inside a directory listed before it, listed once: no entry can land outside the release. */
function checkPath(entryPath: string, directories: Set<string>, seen: Set<string>): void {
  const parts = entryPath.split('/')
  if (entryPath.includes('\0') || entryPath.includes('\\') || parts.some((part) => part === '' || part === '.' || part === '..')) {
    throw new Error(`manifest path ${JSON.stringify(entryPath)} is not a plain relative path`)
  }
  const parent = parts.slice(0, -1).join('/')
  if (!directories.has(parent)) throw new Error(`manifest path ${JSON.stringify(entryPath)} comes before its directory`)
  if (seen.has(entryPath)) throw new Error(`manifest path ${JSON.stringify(entryPath)} is listed twice`)
  seen.add(entryPath)
}

/** A link must stay inside the release (content/tree-digest.ts refuses others on the runner). */
function checkLinkTarget(linkPath: string, target: string): void {
  const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(linkPath), target))
  if (path.posix.isAbsolute(target) || resolved === '..' || resolved.startsWith('../') || target.includes('\0')) {
    throw new Error(`manifest link ${JSON.stringify(linkPath)} -> ${JSON.stringify(target)} points outside the release`)
  }
}

function isCount(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0
}

function isMode(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= 0o7777
}
