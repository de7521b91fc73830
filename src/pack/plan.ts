import type { ManifestEntry, Segment } from '../content/manifest.js'
import { CUT_BYTES, type DescribedEntry } from '../content/tree-digest.js'

/** Bigger files are cut into objects of this size: what one worker (and one host) holds in memory at once. */
/** Objects are at most this big; a bigger file is cut where its content hash cuts it (content/tree-digest.ts). */
export const CHUNK = CUT_BYTES
/** A bundle holding at least this many pieces closes after a content-defined cut… */
const BUNDLE_MIN_PIECES = 8
/** …expected about this many pieces later… */
const BUNDLE_CUT_PIECES = 8
/** …and before it would pass this many, in any case. */
const BUNDLE_MAX_PIECES = 24
/** The share of the torrent that pads may take (choosePieceLength). */
const PAD_BUDGET = 0.05
const MIN_PIECE = 16 * 1024

export interface PlannedObject {
  /** The byte ranges whose bytes, one after another, make the object. */
  sources: { full: string; start: number; size: number }[]
  plainSize: number
  /** The sha256 of its bytes, when the hashing pass already has it (a file, or a cut of one, alone in its object). */
  sha256?: string
}

export interface Plan {
  objects: PlannedObject[]
  /** The manifest's entries; segments index `objects`. */
  entries: ManifestEntry[]
}

/**
 * Which bytes go into which object, for a torrent of `pieceLength` pieces. Every object is padded
 * to whole pieces (swarm/object-layout.ts), so a small file alone would travel as a whole piece: a
 * file of a piece or more is an object of its own (cut into CHUNK-sized objects when bigger), and
 * smaller files are bundled in walk order. A bundle of BUNDLE_MIN_PIECES pieces or more ends after
 * a file chosen by its content hash (or before it would pass BUNDLE_MAX_PIECES): its pad is then a
 * small share of it, and a
 * changed, added or removed small file changes only the bundle it falls in, not every bundle after
 * it, so a hotfix still moves little. Identical content is one object.
 */
export function planObjects(described: DescribedEntry[], pieceLength: number): Plan {
  const bundleMin = Math.min(CHUNK, BUNDLE_MIN_PIECES * pieceLength)
  const bundleMax = Math.min(CHUNK, BUNDLE_MAX_PIECES * pieceLength)
  const objects: PlannedObject[] = []
  const entries: ManifestEntry[] = []
  const known = new Map<string, Segment[]>()
  let bundle: PlannedObject | undefined
  let bundleIndex = -1
  for (const item of described) {
    const mode = item.stat.mode & 0o7777
    const mtimeMs = Math.trunc(item.stat.mtimeMs)
    if (item.stat.isSymbolicLink()) {
      entries.push({ type: 'link', path: item.relative, target: item.target!, mtimeMs })
      continue
    }
    if (item.stat.isDirectory()) {
      entries.push({ type: 'dir', path: item.relative, mode, mtimeMs })
      continue
    }
    const size = item.stat.size
    const contentKey = `${item.sha256!}:${size}`
    let segments = size === 0 ? [] : known.get(contentKey)
    if (segments === undefined && size >= pieceLength) {
      segments = []
      for (let start = 0, cut = 0; start < size; start += CHUNK, cut++) {
        const length = Math.min(CHUNK, size - start)
        const sha256 = size <= CHUNK ? item.sha256 : item.cutSha256?.[cut]
        const object = objects.push({ sources: [{ full: item.full, start, size: length }], plainSize: length, ...(sha256 !== undefined && { sha256 }) }) - 1
        segments.push({ object, offset: 0, length })
      }
    } else if (segments === undefined) {
      // Closed before the file that would take it past bundleMax, not after it: a bundle just past
      // a piece boundary would travel with a pad of almost a whole piece.
      if (bundle !== undefined && bundle.plainSize + size > bundleMax) bundle = undefined
      if (bundle === undefined) {
        bundle = { sources: [], plainSize: 0 }
        bundleIndex = objects.push(bundle) - 1
      }
      segments = [{ object: bundleIndex, offset: bundle.plainSize, length: size }]
      bundle.sources.push({ full: item.full, start: 0, size })
      bundle.plainSize += size
      // The chance of a cut grows with the file's size (a cut per BUNDLE_CUT_PIECES pieces of files,
      // whatever their sizes), so where a bundle ends is spread over whole pieces: its pad averages
      // half a piece, not the almost whole piece a cut just past bundleMin would leave.
      const draw = parseInt(item.sha256!.slice(-8), 16) / 2 ** 32
      if (bundle.plainSize >= bundleMin && draw < size / (BUNDLE_CUT_PIECES * pieceLength)) bundle = undefined
    }
    known.set(contentKey, segments)
    entries.push({ type: 'file', path: item.relative, mode, mtimeMs, size, segments })
  }
  return { objects, entries }
}

/**
 * The piece length: the largest power of two, from `ceiling` (swarm/piece-length.ts: about 256
 * pieces) down to 16 KiB, at which the pads take at most PAD_BUDGET of the torrent. Big pieces cost
 * webtorrent less per byte; small ones waste less on the pads of trees of many files of a few
 * hundred KB, and move less for a hotfix. Measured in bench/README.md ("Objects").
 */
export function choosePieceLength(described: DescribedEntry[], ceiling: number): { pieceLength: number; plan: Plan } {
  let pieceLength = ceiling
  for (;;) {
    const plan = planObjects(described, pieceLength)
    const plain = plan.objects.reduce((sum, object) => sum + object.plainSize, 0)
    const padded = plan.objects.reduce((sum, object) => sum + Math.ceil(object.plainSize / pieceLength) * pieceLength, 0)
    if (padded - plain <= PAD_BUDGET * padded || pieceLength <= MIN_PIECE) return { pieceLength, plan }
    pieceLength /= 2
  }
}
