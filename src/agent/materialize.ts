import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { promisify } from 'node:util'
import { inflateRaw } from 'node:zlib'
import type { Manifest, ObjectRecord } from '../content/manifest.js'
import { applyObjectKey, keyOf, objectDecipher, ScratchBuffer } from '../content/object-key.js'
import { DecodedBytes } from './decoded-object.js'

const inflate = promisify(inflateRaw)

/** An object's bytes differ from what the manifest says they are. */
export class ObjectCorruptError extends Error {}

/**
 * Writes the release the manifest describes into `target` (which must not exist) from the objects
 * in `objectsDir`: start() lays out the directories and links, write() puts in the files an object
 * holds — called as each object completes, so writing the tree overlaps the download — and
 * finish() writes what is left, then gives every entry its mode and mtime. Each object is checked
 * against the manifest's sha256 before any of its bytes is written: an uncompressed one is read
 * in slices, twice (writeStreamed), a compressed one whole (at most 16 MiB, pack/plan.ts), then
 * decrypted, checked, inflated and written — unless write() is handed it already decoded and
 * checked (transport ssh, agent/decoded-object.ts), then it is not read back. Everything is created owner-only and gets its exact mode at the
 * end (no umask involved); children before parents, so nothing written afterwards moves a
 * directory's time.
 */
export class ReleaseWriter {
  private readonly uses: Use[][]
  private readonly written: boolean[]
  private queue: Promise<void> = Promise.resolve()
  private failure?: Error
  private readonly buffers = new DecodeBuffers()
  /** Bytes of decoded objects queued and not yet written (DECODED_HELD bounds them). */
  private held = 0

  constructor(
    private readonly manifest: Manifest,
    private readonly objectsDir: string,
    private readonly target: string,
  ) {
    this.uses = manifest.objects.map(() => [])
    this.written = manifest.objects.map(() => false)
    for (const entry of manifest.entries) {
      if (entry.type !== 'file') continue
      let fileOffset = 0
      for (const segment of entry.segments) {
        this.uses[segment.object]!.push({ path: this.at(entry.path), whole: entry.segments.length === 1, fileOffset, offset: segment.offset, length: segment.length })
        fileOffset += segment.length
      }
    }
  }

  start(): void {
    fs.mkdirSync(this.target, { mode: 0o700 })
    for (const entry of this.manifest.entries) {
      if (entry.type === 'dir') fs.mkdirSync(this.at(entry.path), { mode: 0o700 })
      else if (entry.type === 'link') fs.symlinkSync(entry.target, this.at(entry.path))
      // A file of one segment is created by the write of it: one open instead of two.
      else if (entry.segments.length !== 1) fs.closeSync(fs.openSync(this.at(entry.path), 'wx', 0o600))
    }
  }

  /**
   * Queues the writing of object `index`'s files (once); a failure surfaces in finish(). `decoded`:
   * its bytes already decrypted and checked against the manifest's sha256; without them (or when
   * the queue already holds DECODED_HELD of such bytes) the object is read from its file.
   */
  write(index: number, decoded?: DecodedBytes): void {
    if (this.written[index]) return
    this.written[index] = true
    const kept = decoded !== undefined && this.held + decoded.length <= DECODED_HELD ? decoded : undefined
    this.held += kept?.length ?? 0
    this.queue = this.queue.then(async () => {
      if (this.failure === undefined) await this.writeNow(index, kept).catch((error: Error) => (this.failure = error))
      this.held -= kept?.length ?? 0
    })
  }

  /** Writes nothing more; resolves once a write in progress is done (then the target can be removed). */
  async stop(): Promise<void> {
    this.failure ??= new Error('stopped')
    await this.queue
  }

  async finish(): Promise<void> {
    for (let index = 0; index < this.manifest.objects.length; index++) this.write(index)
    await this.queue
    if (this.failure !== undefined) throw this.failure
    const entries = this.manifest.entries
    for (let index = entries.length - 1; index >= 0; index--) {
      const entry = entries[index]!
      const full = this.at(entry.path)
      // The middle of the source's millisecond: fs takes seconds as a double, and x.902 s may land
      // as x.901999950; half a millisecond keeps float error from moving it to another one.
      const time = (entry.mtimeMs + 0.5) / 1000
      if (entry.type === 'link') {
        fs.lutimesSync(full, time, time)
        continue
      }
      // After the writes: a write by a non-root user clears setuid/setgid bits.
      fs.chmodSync(full, entry.mode)
      fs.utimesSync(full, time, time)
    }
    fs.chmodSync(this.target, 0o755)
  }

  private async writeNow(index: number, decoded: DecodedBytes | undefined): Promise<void> {
    const object = this.manifest.objects[index]!
    const uses = this.uses[index]!
    if (uses.length === 0) return
    if (decoded === undefined && !object.compressed) return this.writeStreamed(object, uses)
    const plain = decoded !== undefined ? await plainOf(object, decoded) : new DecodedBytes([await decodeObject(object, path.join(this.objectsDir, object.id), this.buffers)])
    for (const use of uses) {
      const parts = plain.pick(use.offset, use.length)
      // Small files (a bundle holds thousands) synchronously: a promise round trip per file cost
      // more than the write. Big segments asynchronously, so the agent keeps serving its peers.
      if (isSmall(use)) fs.writeFileSync(use.path, parts.length === 1 ? parts[0]! : Buffer.concat(parts), { flag: 'wx', mode: 0o600 })
      else await writeAt(use.path, parts, use.whole ? 'wx' : 'r+', use.fileOffset)
    }
  }

  /**
   * An uncompressed object from its file, a slice at a time, in two passes: the first checks it
   * (size and sha256) and writes nothing; the second decrypts it again and writes each file's bytes
   * as its slice comes, and checks the object once more, so bytes that changed on disk in between
   * fail the release as the first pass would have. Two passes over a reused slice cost less than
   * one over object-sized buffers: those were up to 32 MiB of fresh memory per object (the bytes
   * read and their decrypted copy), and its page faults were the agent's largest single cost at
   * N = 100 (bench/README.md, "Scale").
   */
  private async writeStreamed(object: ObjectRecord, uses: Use[]): Promise<void> {
    const file = path.join(this.objectsDir, object.id)
    const slice = this.buffers.slice.take(STREAM_SLICE)
    await readDecoded(object, file, slice)
    const byOffset = [...uses].sort((a, b) => a.offset - b.offset)
    /** Small files that began in an earlier slice: their bytes so far (copies: the slice is reused). */
    const started = new Map<Use, Buffer[]>()
    const open = new Map<Use, fs.promises.FileHandle>()
    try {
      await readDecoded(object, file, slice, async (bytes, start) => {
        const end = start + bytes.length
        for (const use of byOffset) {
          if (use.offset >= end) break
          const useEnd = use.offset + use.length
          if (useEnd <= start) continue
          const from = Math.max(use.offset, start)
          const parts = bytes.pick(from - start, Math.min(useEnd, end) - from)
          if (isSmall(use)) {
            const before = started.get(use)
            if (useEnd > end) started.set(use, [...(before ?? []), ...parts.map((part) => Buffer.from(part))])
            else {
              const all = before === undefined ? parts : [...before, ...parts]
              fs.writeFileSync(use.path, all.length === 1 ? all[0]! : Buffer.concat(all), { flag: 'wx', mode: 0o600 })
              started.delete(use)
            }
            continue
          }
          let handle = open.get(use)
          if (handle === undefined) {
            handle = await fs.promises.open(use.path, use.whole ? 'wx' : 'r+', 0o600)
            open.set(use, handle)
          }
          await handle.writev(parts, use.fileOffset + from - use.offset)
          if (useEnd <= end) {
            open.delete(use)
            await handle.close()
          }
        }
      })
    } finally {
      for (const handle of open.values()) await handle.close().catch(() => undefined)
    }
  }

  private at(relative: string): string {
    return path.join(this.target, relative)
  }
}

interface Use {
  path: string
  /** The file is this one segment. */
  whole: boolean
  fileOffset: number
  offset: number
  length: number
}

/** The whole release at once: start, write every object, finish. */
export async function materialize(manifest: Manifest, objectsDir: string, target: string): Promise<void> {
  const writer = new ReleaseWriter(manifest, objectsDir, target)
  writer.start()
  await writer.finish()
}

const ASYNC_WRITE = 256 * 1024
/** A file written in one synchronous call once its bytes are at hand. */
function isSmall(use: Use): boolean {
  return use.whole && use.length < ASYNC_WRITE
}
/** What writeStreamed reads, decrypts and writes at a time (a reused buffer: DecodeBuffers.slice). */
const STREAM_SLICE = 1 << 20
/** Decoded objects a writer keeps queued at most (two of the biggest, pack/plan.ts): past that, the next ones are read back from their files. */
const DECODED_HELD = 32 << 20

function wrongSize(object: ObjectRecord, found: number | string): ObjectCorruptError {
  return new ObjectCorruptError(`object ${object.id} has ${found} bytes, not ${object.size}`)
}

function checkSha256(object: ObjectRecord, actual: string): void {
  if (actual !== object.sha256) throw new ObjectCorruptError(`object ${object.id} has sha256 ${actual}, not the manifest's ${object.sha256}`)
}

/** The object's bytes, into `buffer` (one byte longer than the object, to notice a longer file). */
async function readExactly(file: string, buffer: Buffer, object: ObjectRecord): Promise<Buffer> {
  const handle = await fs.promises.open(file, 'r')
  try {
    let filled = 0
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled)
      if (bytesRead === 0) break
      filled += bytesRead
      if (filled === buffer.length) break
    }
    if (filled !== object.size) throw wrongSize(object, filled === buffer.length ? `more than ${object.size}` : filled)
    return buffer.subarray(0, filled)
  } finally {
    await handle.close()
  }
}

async function writeAt(file: string, parts: Buffer[], flags: string, position: number): Promise<void> {
  const handle = await fs.promises.open(file, flags, 0o600)
  try {
    await handle.writev(parts, position)
  } finally {
    await handle.close()
  }
}

/** An object's plain bytes from its decoded ones (already checked against the manifest's sha256). */
async function plainOf(object: ObjectRecord, decoded: DecodedBytes): Promise<DecodedBytes> {
  if (!object.compressed) return decoded
  return new DecodedBytes([await inflateChecked(object, decoded.whole())])
}

/** The buffers one decoder reuses from object to object (content/object-key.ts says why). */
export class DecodeBuffers {
  readonly sealed = new ScratchBuffer()
  readonly opened = new ScratchBuffer()
  /** writeStreamed's slice. */
  readonly slice = new ScratchBuffer()
}

/**
 * Reads an uncompressed object from `file` a slice at a time into `slice`, decrypts each (a fresh
 * part per cipher slice, which onSlice may keep) and hands it to onSlice with where it starts in the
 * object, awaiting it before the next read; throws ObjectCorruptError when the file is not exactly
 * the object's size, or, after the last slice, when its sha256 is not the manifest's.
 */
async function readDecoded(object: ObjectRecord, file: string, slice: Buffer, onSlice?: (bytes: DecodedBytes, start: number) => Promise<void> | void): Promise<void> {
  const key = keyOf(object)
  const decrypt = key !== undefined ? objectDecipher(key) : undefined
  const hash = createHash('sha256')
  const handle = await fs.promises.open(file, 'r')
  try {
    let position = 0
    while (position < object.size) {
      const { bytesRead } = await handle.read(slice, 0, Math.min(slice.length, object.size - position), position)
      if (bytesRead === 0) throw wrongSize(object, position)
      const read = slice.subarray(0, bytesRead)
      const parts = decrypt !== undefined ? decrypt(read) : [read]
      for (const part of parts) hash.update(part)
      await onSlice?.(new DecodedBytes(parts), position)
      position += bytesRead
    }
    if ((await handle.read(slice, 0, 1, position)).bytesRead !== 0) throw wrongSize(object, `more than ${object.size}`)
  } finally {
    await handle.close()
  }
  checkSha256(object, hash.digest('hex'))
}

/**
 * Reads, decrypts, verifies and decompresses one object. The result may lie in `buffers`: valid
 * until their next use (a ReleaseWriter decodes one object at a time).
 */
export async function decodeObject(object: ObjectRecord, file: string, buffers = new DecodeBuffers()): Promise<Buffer> {
  let bytes = await readExactly(file, buffers.sealed.take(object.size + 1), object)
  const key = keyOf(object)
  if (key !== undefined) bytes = applyObjectKey(bytes, key, true, buffers.opened.take(object.size))
  checkSha256(object, createHash('sha256').update(bytes).digest('hex'))
  if (!object.compressed) return bytes
  return inflateChecked(object, bytes)
}

async function inflateChecked(object: ObjectRecord, bytes: Buffer): Promise<Buffer> {
  // Bounded by what the manifest says: a wrong manifest cannot make the host inflate without end.
  const plain = await inflate(bytes, { maxOutputLength: Math.max(1, object.plainSize) })
  if (plain.length !== object.plainSize) throw new ObjectCorruptError(`object ${object.id} decodes to ${plain.length} bytes, not ${object.plainSize}`)
  return plain
}
