/**
 * Turning planned objects into stored ones: compress where it pays, hash, encrypt, hash the pieces.
 * Pure functions of their task, run in worker threads (encode-worker.ts) because they are CPU-bound:
 * sha256, AES and SHA-1 over every byte, deflate over what compresses.
 */
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import { deflateRawSync } from 'node:zlib'
import { applyObjectKey, deriveObjectKey, objectId, ScratchBuffer } from '../content/object-key.js'

/** Compressing pays when a sample shrinks below this fraction: incompressible data (media, archives) is stored as it is. */
const WORTH_COMPRESSING = 0.9
/** What the decision to compress is taken on. */
const SAMPLE_BYTES = 256 * 1024

export interface WholeTask {
  kind: 'encode'
  sources: { full: string; start: number; size: number }[]
  plainSize: number
  /**
   * The sha256 of the plain bytes when the hashing pass has it (hash-task.ts), with what the walk saw
   * of the one source file: bytes read now are checked to come from that same file.
   */
  known?: { sha256: string; size: number; mtimeMs: number }
  /** deflate level; 0 = never compress. */
  level: number
  /** HKDF/HMAC secret (hex). */
  secret: string
  /** Whether the object gets a key (recorded in the manifest). */
  encrypt: boolean
  /**
   * Whether its bytes are sealed under that key here: a swarm's objects are; transport ssh's go
   * encoded over SSH and the host seals them for its store (agent/decoded-object.ts), so the runner
   * spends no AES on them. The pieces' SHA-1s are of sealed bytes: pieceHashes needs it.
   */
  seal: boolean
  pieceLength: number
  /** Whether the pieces' SHA-1s are wanted: only a torrent needs them (transport ssh checks the manifest's sha256). */
  pieceHashes: boolean
  outDir: string
  /**
   * 'all': every object is written to outDir. 'compressed': only compressed ones; an object that is
   * the files' own bytes (under its key) is not, since it can be remade from them as it is sent
   * (object-reader.ts): transport ssh needs no object files, a swarm's seeder needs them all.
   */
  write: 'all' | 'compressed'
}

export interface EncodedObject {
  id: string
  size: number
  sha256: string
  compressed: boolean
  key?: string
  iv?: string
  /** SHA-1 of each piece, the last one padded with zeros to the piece length; empty unless WholeTask.pieceHashes. */
  pieces: Uint8Array
  /** Whether the object is in a file of outDir (see WholeTask.write). */
  written: boolean
}

/** Encodes one object; objects are at most plan.ts's CHUNK, so each is held in memory. */
const plainScratch = new ScratchBuffer()
const sealedScratch = new ScratchBuffer()

export function encodeWhole(task: WholeTask): EncodedObject {
  if (task.pieceHashes && task.encrypt && !task.seal) throw new Error('internal: pieces are hashed over sealed bytes')
  const secret = Buffer.from(task.secret, 'hex')
  // Neither pieces to hash nor a file to write, and the bytes stay as they are: the object is named
  // and keyed from the hash the first pass made, and remade from the tree as it is sent (object-reader.ts).
  if (task.known !== undefined && !task.pieceHashes && task.write === 'compressed' && !(task.level > 0 && compressionPays(readSample(task)))) {
    const result: EncodedObject = { id: objectId(secret, task.known.sha256), size: task.plainSize, sha256: task.known.sha256, compressed: false, pieces: new Uint8Array(), written: false }
    return task.encrypt ? Object.assign(result, deriveObjectKey(secret, task.known.sha256)) : result
  }
  const plain = plainScratch.take(task.plainSize)
  let at = 0
  for (const source of task.sources) {
    const fd = fs.openSync(source.full, 'r')
    try {
      let read = 0
      while (read < source.size) {
        const got = fs.readSync(fd, plain, at + read, source.size - read, source.start + read)
        if (got === 0) throw new Error(`${source.full} shrank while it was being packed`)
        read += got
      }
      if (task.known !== undefined) unchangedSince(fd, source.full, task.known)
    } finally {
      fs.closeSync(fd)
    }
    at += source.size
  }
  let stored: Buffer = plain
  let compressed = false
  if (task.level > 0 && compressionPays(plain.subarray(0, SAMPLE_BYTES))) {
    const deflated = deflateRawSync(plain, { level: task.level })
    if (deflated.length < plain.length * WORTH_COMPRESSING) {
      stored = deflated
      compressed = true
    }
  }
  const sha256 = !compressed && task.known !== undefined ? task.known.sha256 : createHash('sha256').update(stored).digest('hex')
  const id = objectId(secret, sha256)
  const written = compressed || task.write === 'all'
  const result: EncodedObject = { id, size: stored.length, sha256, compressed, pieces: new Uint8Array(), written }
  if (task.encrypt) {
    const key = deriveObjectKey(secret, sha256)
    if (task.seal && (written || task.pieceHashes)) stored = applyObjectKey(stored, key, false, sealedScratch.take(stored.length))
    Object.assign(result, key)
  }
  if (task.pieceHashes) result.pieces = pieceHashes(stored, task.pieceLength, true)
  if (written) writeObject(`${task.outDir}/${id}`, stored)
  return result
}

/** The first SAMPLE_BYTES of the object's bytes: what compressionPays decides on. */
function readSample(task: WholeTask): Buffer {
  const sample = plainScratch.take(Math.min(SAMPLE_BYTES, task.plainSize))
  const source = task.sources[0]!
  const fd = fs.openSync(source.full, 'r')
  try {
    return sample.subarray(0, fs.readSync(fd, sample, 0, Math.min(sample.length, source.size), source.start))
  } finally {
    fs.closeSync(fd)
  }
}

/** A file whose hash came from the first pass must still be the file that pass read. */
function unchangedSince(fd: number, file: string, seen: { size: number; mtimeMs: number }): void {
  const now = fs.fstatSync(fd)
  if (now.size !== seen.size || now.mtimeMs !== seen.mtimeMs) {
    throw new Error(`${file} changed while it was being packed: nothing may write to the build output while it is deployed`)
  }
}

/** Deflate level 1 on a sample: cheap, and a fair guess of whether the whole will shrink. */
export function compressionPays(sample: Buffer): boolean {
  if (sample.length === 0) return false
  return deflateRawSync(sample, { level: 1 }).length < sample.length * WORTH_COMPRESSING
}

/** SHA-1 of each piece of an object; the last one padded with zeros, as it lies in the torrent. */
export function pieceHashes(bytes: Buffer, pieceLength: number, padLast: boolean): Buffer {
  const count = Math.ceil(bytes.length / pieceLength)
  const hashes = Buffer.allocUnsafe(count * 20)
  for (let index = 0; index < count; index++) {
    const hash = createHash('sha1').update(bytes.subarray(index * pieceLength, (index + 1) * pieceLength))
    const short = (index + 1) * pieceLength - bytes.length
    if (padLast && short > 0) hash.update(Buffer.alloc(short))
    hash.digest().copy(hashes, index * 20)
  }
  return hashes
}

/** Same id, same bytes: an object another task already wrote is left as it is. */
function writeObject(file: string, bytes: Buffer): void {
  try {
    fs.writeFileSync(file, bytes, { flag: 'wx', mode: 0o600 })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
}
