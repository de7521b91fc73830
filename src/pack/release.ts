import { hkdfSync } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { encodeManifest, MANIFEST_VERSION, type Manifest, type ObjectRecord } from '../content/manifest.js'
import { keyOf } from '../content/object-key.js'
import { describeTree, digestOf, type FileHasher } from '../content/tree-digest.js'
import { InputError } from '../inputs/errors.js'
import { layObjects, type ObjectLayout } from '../swarm/object-layout.js'
import { swarmPieceLength } from '../swarm/piece-length.js'
import { workerScript } from '../worker-script.js'
import type { EncodedObject } from './encode-task.js'
import type { PackTask } from './encode-worker.js'
import { stripSpecialModes, type StrippedMode } from './modes.js'
import { packedObjects, type ObjectReader, type RemadeObject } from './object-reader.js'
import { choosePieceLength, planObjects } from './plan.js'
import { poolHasher } from './tree-hashes.js'
import { WorkerPool } from './worker-pool.js'

export interface PackedRelease {
  /** Where the objects the pack wrote are, each in a file named by its id. */
  objectsDir: string
  /** Whether objectsDir holds every object (a swarm's seeder needs them all): see ReleaseSource.objectFiles. */
  allWritten: boolean
  /** Every object's bytes as the pack keeps them (sealed or not: `sealed`), from objectsDir or remade from the tree. */
  reader: ObjectReader
  manifest: Manifest
  /** The manifest as it travels to the hosts (content/manifest.ts). */
  encodedManifest: string
  layout: ObjectLayout
  /** SHA-1 of every piece, in piece order: the torrent's `pieces`; empty unless ReleaseSource.pieceHashes. */
  pieces: Buffer
  /** Digest of the tree's content (content/tree-digest.ts): how a host knows it already holds the release. */
  contentId: string
  entries: number
  /** Bytes of the tree's files (each distinct content once) and of the objects that hold them. */
  plainBytes: number
  storedBytes: number
  encrypted: boolean
  /** Whether the reader's bytes are sealed under the objects' keys (ReleaseSource.sealObjects); never without encryption. */
  sealed: boolean
  seconds: number
  /** Entries whose setuid/setgid/write-for-others bits were cut (modes.ts); none with preserveSpecialModes. */
  strippedModes: StrippedMode[]
}

export interface ReleaseSource {
  sourceDir: string
  /** Where the objects are written. */
  workdir: string
  encrypt: boolean
  /** deflate level; 0 stores every object as it is. */
  compressionLevel: number
  /** What object ids and keys are derived from (content/object-key.ts). */
  keySecret: string
  /** Worker threads; default: one per core, at most 4. */
  workers?: number
  /** Keep setuid/setgid and write-for-others bits (cut by default: modes.ts). */
  preserveSpecialModes?: boolean
  /**
   * 'all' (default): every object is written to the work directory. 'compressed': only compressed
   * ones; the others are remade from the tree as they are read (object-reader.ts), which spares
   * writing the whole payload a second time when no swarm serves it (transport ssh).
   */
  objectFiles?: 'all' | 'compressed'
  /**
   * Whether to hash the pieces (default true): a torrent needs their SHA-1s, SSH streams alone do
   * not (the host checks each object against the manifest's sha256), and without them an object
   * the pack neither writes nor compresses is not read a second time at all.
   */
  pieceHashes?: boolean
  /**
   * Whether the objects' bytes are sealed under their keys on the runner (default true): a swarm
   * serves them so. false (transport ssh alone): they are written and read encoded, SSH carries
   * them, and each host seals them for its store (encode-task.ts).
   */
  sealObjects?: boolean
  /** Called once the tree passed its checks (tree-digest.ts), as its hashing begins. */
  accepted?: () => void
}

// The bundle carries the worker beside itself (dist/main/encode-worker.js); from source it is the .ts.
const WORKER_PLACES = [new URL('./encode-worker.js', import.meta.url), new URL('./encode-worker.ts', import.meta.url)]

/**
 * Turns the tree into content-addressed objects (plan.ts says which bytes go where), encoded in
 * worker threads (encode-task.ts), laid out on piece boundaries (swarm/object-layout.ts), and the
 * manifest that puts the tree back together from them. The same build gives the same objects, the
 * same manifest and the same torrent on every re-run.
 */
export async function packRelease(source: ReleaseSource): Promise<PackedRelease> {
  const started = Date.now()
  const size = source.workers ?? Math.min(4, os.availableParallelism())
  const pool = new WorkerPool<PackTask, unknown>(workerScript(WORKER_PLACES, 'the pack worker'), size)
  try {
    return await packWith(pool, source, started)
  } finally {
    await pool.close()
  }
}

async function packWith(pool: WorkerPool<PackTask, unknown>, source: ReleaseSource, started: number): Promise<PackedRelease> {
  const hashInPool = poolHasher((task) => pool.run(task) as Promise<string[]>)
  const hashFiles: FileHasher = (files) => {
    source.accepted?.()
    return hashInPool(files)
  }
  const walked = await describeTree(source.sourceDir, hashFiles).catch((error: Error) => {
    throw new InputError('path', error.message)
  })
  const { entries: described, stripped } = source.preserveSpecialModes ? { entries: walked, stripped: [] } : stripSpecialModes(walked)
  const contentId = digestOf(described)
  const totalBytes = described.reduce((sum, entry) => sum + (entry.stat.isFile() ? entry.stat.size : 0), 0)
  const override = pieceLengthOverride()
  const { pieceLength, plan } = override !== undefined ? { pieceLength: override, plan: planObjects(described, override) } : choosePieceLength(described, swarmPieceLength(totalBytes))
  const plainBytes = plan.objects.reduce((sum, object) => sum + object.plainSize, 0)
  const objectsDir = path.join(source.workdir, 'objects')
  fs.mkdirSync(objectsDir, { recursive: true, mode: 0o700 })
  // Never the SSH key itself in the workers' messages: a key derived from it for this one purpose.
  const secret = Buffer.from(hkdfSync('sha256', source.keySecret, Buffer.alloc(0), 'murder-action objects v1', 32)).toString('hex')
  const write = source.objectFiles ?? 'all'
  const pieceHashes = source.pieceHashes ?? true
  const seal = source.sealObjects ?? true
  const seen = new Map(described.map((entry) => [entry.full, { size: entry.stat.size, mtimeMs: entry.stat.mtimeMs }]))
  const encoded = (await Promise.all(
    plan.objects.map((object) =>
      pool.run({
        kind: 'encode',
        sources: object.sources,
        plainSize: object.plainSize,
        ...(object.sha256 !== undefined && { known: { sha256: object.sha256, ...seen.get(object.sources[0]!.full)! } }),
        level: source.compressionLevel,
        secret,
        encrypt: source.encrypt,
        seal,
        pieceLength,
        pieceHashes,
        outDir: objectsDir,
        write,
      }),
    ),
  )) as EncodedObject[]
  // Two planned objects can encode to the same bytes (the same run of small files in two
  // directories): the torrent lists each id once, and the entries point at the first.
  const objects: ObjectRecord[] = []
  const pieces: Uint8Array[] = []
  const indexOfId = new Map<string, number>()
  const remade = new Map<string, RemadeObject>()
  const renumber = encoded.map((object, plannedIndex) => {
    const known = indexOfId.get(object.id)
    if (known !== undefined) return known
    indexOfId.set(object.id, objects.length)
    pieces.push(object.pieces)
    const { pieces: _pieces, written, ...record } = object
    const key = seal ? keyOf(record) : undefined
    if (!written) remade.set(object.id, { sources: plan.objects[plannedIndex]!.sources, ...(key !== undefined && { key }), seen })
    return objects.push({ ...record, plainSize: plan.objects[plannedIndex]!.plainSize }) - 1
  })
  // Entries of identical content share one segments array (plan.ts): renumber copies, so that no
  // segment is renumbered twice.
  for (const entry of plan.entries) {
    if (entry.type === 'file') entry.segments = entry.segments.map((segment) => ({ ...segment, object: renumber[segment.object]! }))
  }
  const manifest: Manifest = { v: MANIFEST_VERSION, contentId, objects, entries: plan.entries }
  return {
    objectsDir,
    allWritten: remade.size === 0,
    reader: packedObjects(objectsDir, remade),
    manifest,
    encodedManifest: encodeManifest(manifest),
    layout: layObjects(objects, pieceLength),
    pieces: Buffer.concat(pieces),
    contentId,
    entries: plan.entries.length,
    plainBytes,
    storedBytes: objects.reduce((sum, object) => sum + object.size, 0),
    encrypted: source.encrypt,
    sealed: source.encrypt && seal,
    seconds: (Date.now() - started) / 1000,
    strippedModes: stripped,
  }
}

/**
 * MURDER_PIECE_LENGTH (bytes, a power of two from 16 KiB to 16 MiB) replaces choosePieceLength's
 * choice. It exists for the benchmark that compares piece lengths (bench/objects.ts); no input sets it.
 */
function pieceLengthOverride(): number | undefined {
  const text = process.env.MURDER_PIECE_LENGTH
  if (text === undefined || text === '') return undefined
  const length = Number(text)
  if (!Number.isInteger(length) || length < 16 * 1024 || length > 16 * 1024 * 1024 || (length & (length - 1)) !== 0) {
    throw new Error(`MURDER_PIECE_LENGTH=${text} is not a power of two from 16384 to 16777216`)
  }
  return length
}
