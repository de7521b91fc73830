import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { readEachMiB, sha256OfFile } from './sha256.js'
import { walkTree, type TreeEntry } from './tree-walk.js'

/** Files up to this size are read whole to be hashed; bigger ones are streamed. */
const WHOLE_READ = 1024 * 1024

/**
 * A file bigger than this is hashed as cuts of this size: its content hash is the sha256 of its
 * cuts' sha256 digests, in order (as Dropbox's content hash is of its blocks'), so that its cuts are
 * hashed in parallel, once, and each names the object the pack makes of it (pack/plan.ts). A file
 * up to this size is named by the sha256 of its bytes.
 */
export const CUT_BYTES = 16 * 1024 * 1024

/**
 * Which definition of the content digest a release's marker was made with (agent/release-layout.ts):
 * 2 names a file bigger than CUT_BYTES by its cuts' hashes (1, before, by the sha256 of all its
 * bytes). A marker of another definition is checked against the tree on disk instead.
 */
export const CONTENT_DIGEST = 2

/** A big file's content hash from its cuts' (CUT_BYTES each, the last one shorter): see CUT_BYTES. */
export function hashOfCuts(cutSha256: readonly string[]): string {
  const hash = createHash('sha256')
  for (const cut of cutSha256) hash.update(Buffer.from(cut, 'hex'))
  return hash.digest('hex')
}

/** A file's hashes: its content's, and for a file of several cuts, each cut's (CUT_BYTES). */
export interface FileHashes {
  sha256: string
  cutSha256?: string[]
}

/** A tree entry with what its digest needs: a file's hashes, a link's target. */
export interface DescribedEntry extends TreeEntry, Partial<FileHashes> {
  target?: string
}

/** Hashes files, in their order: here, one after another on this thread, unless the caller brings its own. */
export type FileHasher = (files: readonly TreeEntry[]) => Promise<FileHashes[]>

/**
 * Walks a tree (walkTree order), hashing every file once (with `hashFiles`, called once the walk is
 * done), and refuses what cannot be deployed: sockets, FIFOs and devices, and symlinks that point
 * outside the tree (the hosts would refuse them after the whole transfer): said before any hashing,
 * and so before the deploy contacts any host (deploy.ts opens SSH sessions as the hashing starts).
 */
export async function describeTree(dir: string, hashFiles: FileHasher = hashHere): Promise<DescribedEntry[]> {
  const root = path.resolve(dir)
  const escaping: string[] = []
  const special: string[] = []
  const described: DescribedEntry[] = []
  for (const entry of walkTree(root)) {
    if (entry.stat.isSymbolicLink()) {
      const target = fs.readlinkSync(entry.full)
      const resolved = path.resolve(path.dirname(entry.full), target)
      if (path.isAbsolute(target) || (resolved !== root && !resolved.startsWith(root + path.sep))) escaping.push(`${entry.relative} -> ${target}`)
      described.push({ ...entry, target })
    } else if (entry.stat.isDirectory()) {
      described.push(entry)
    } else if (entry.stat.isFile()) {
      described.push({ ...entry })
    } else special.push(entry.relative)
  }
  if (special.length > 0) {
    throw new Error(
      `holds entries that are neither files, directories nor symlinks (sockets, FIFOs, devices), which cannot be deployed: ` +
        `${listSome(special)}. Remove them from the build output, or create them on the hosts after the deploy.`,
    )
  }
  if (escaping.length > 0) {
    throw new Error(
      `symlinks that point outside the directory cannot be deployed (the hosts would refuse them): ${listSome(escaping)}. ` +
        'Make them relative links inside it, or create them on the hosts after the deploy.',
    )
  }
  const files = described.filter((entry) => entry.stat.isFile())
  const hashes = await hashFiles(files)
  files.forEach((file, index) => Object.assign(file, hashes[index]))
  return described
}

async function hashHere(files: readonly TreeEntry[]): Promise<FileHashes[]> {
  const hashes: FileHashes[] = []
  for (const file of files) hashes.push(await hashFileHere(file))
  return hashes
}

/** One file's hashes, on this thread (a release on a host, or a tree without the pack's workers). */
export async function hashFileHere(file: TreeEntry): Promise<FileHashes> {
  // A stream per file costs ~0.3 ms of set-up: 50,000 small files took 15 s that way.
  if (file.stat.size <= WHOLE_READ) return { sha256: createHash('sha256').update(fs.readFileSync(file.full)).digest('hex') }
  if (file.stat.size <= CUT_BYTES) return { sha256: await sha256OfFile(file.full) }
  const cutSha256 = await sha256OfCuts(file.full)
  return { sha256: hashOfCuts(cutSha256), cutSha256 }
}

/** The sha256 of each CUT_BYTES of a file, in order. */
async function sha256OfCuts(file: string): Promise<string[]> {
  const cuts: string[] = []
  let hash = createHash('sha256')
  let inCut = 0
  await readEachMiB(file, (bytes) => {
    for (let at = 0; at < bytes.length; ) {
      const take = Math.min(CUT_BYTES - inCut, bytes.length - at)
      hash.update(bytes.subarray(at, at + take))
      at += take
      inCut += take
      if (inCut === CUT_BYTES) {
        cuts.push(hash.digest('hex'))
        hash = createHash('sha256')
        inCut = 0
      }
    }
  })
  if (inCut > 0) cuts.push(hash.digest('hex'))
  return cuts
}

/**
 * A digest of what a tree holds — paths, types, modes, link targets and file contents — and of
 * nothing else. It names a release's content: a re-run of the same build has the same digest even
 * though its files' modification times differ, so hosts that already hold it can say so without
 * downloading anything.
 */
export function digestOf(entries: DescribedEntry[]): string {
  const manifest = createHash('sha256')
  for (const { relative, stat, sha256, target } of entries) {
    const mode = (stat.mode & 0o7777).toString(8)
    if (stat.isSymbolicLink()) manifest.update(`l ${JSON.stringify(relative)} ${JSON.stringify(target)}\n`)
    else if (stat.isDirectory()) manifest.update(`d ${JSON.stringify(relative)} ${mode}\n`)
    else manifest.update(`f ${JSON.stringify(relative)} ${mode} ${stat.size} ${sha256}\n`)
  }
  return manifest.digest('hex')
}

export async function treeDigest(dir: string): Promise<string> {
  return digestOf(await describeTree(dir))
}

function listSome(items: string[]): string {
  return items.slice(0, 5).join(', ') + (items.length > 5 ? ` and ${items.length - 5} more` : '')
}
