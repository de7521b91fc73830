import { createCipheriv } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { CIPHER_SLICE, OBJECT_CIPHER, type ObjectKey } from '../content/object-key.js'

/** Where a packed release's objects' bytes come from as they are sent (swarm/send-objects.ts). */
export interface ObjectReader {
  /**
   * Object `id`'s bytes as the pack keeps them, one after another, in buffers of at most `slice`
   * bytes the caller may keep; with `ring`, some are the ring's (slice bytes each), lent until the
   * caller gives them back.
   */
  read(id: string, slice: number, ring?: BufferRing): AsyncIterable<Buffer>
}

/**
 * A few buffers that the reads of one stream take in turn and whoever consumed the bytes gives
 * back, instead of a fresh buffer for every read: fresh memory outside V8's heap is what set off
 * most of the runner's major garbage collections while it streamed (bench/README.md, "Big artifact
 * on fast links"). Closed (its stream ended), it lends fresh buffers and waits for none.
 */
export class BufferRing {
  private readonly free: Buffer[] = []
  private readonly mine = new Set<ArrayBufferLike>()
  private waiting?: () => void
  private closed = false

  constructor(
    /** At most this many, made as they are first needed: a slow stream holds only what it has in flight. */
    private readonly count: number,
    readonly size: number,
  ) {}

  async take(): Promise<Buffer> {
    for (;;) {
      const free = this.free.pop()
      if (free !== undefined) return free
      if (this.closed) return Buffer.allocUnsafe(this.size)
      if (this.mine.size < this.count) {
        const buffer = Buffer.allocUnsafeSlow(this.size)
        this.mine.add(buffer.buffer)
        return buffer
      }
      await new Promise<void>((resolve) => (this.waiting = resolve))
    }
  }

  /** Gives back the buffer `bytes` is a view of; bytes that are not the ring's are left alone. */
  give(bytes: Buffer): void {
    if (!this.mine.has(bytes.buffer)) return
    this.free.push(Buffer.from(bytes.buffer, 0, this.size))
    this.wake()
  }

  close(): void {
    this.closed = true
    this.wake()
  }

  private wake(): void {
    const waiting = this.waiting
    this.waiting = undefined
    waiting?.()
  }
}

/** An object not written by the pack: which file ranges it is made of, and the key it is stored under. */
export interface RemadeObject {
  sources: readonly { full: string; start: number; size: number }[]
  /** Absent when the release is not encrypted: the stored bytes are the files' own. */
  key?: ObjectKey
  /** What the pack saw of each source file, by path: a file that differs now has changed since. */
  seen: ReadonlyMap<string, { size: number; mtimeMs: number }>
}

/** A file the pack read has changed since: the object made of it would not be the one the manifest names. */
export class SourceChangedError extends Error {
  constructor(file: string) {
    super(
      `${file} changed after it was packed, so it no longer matches the release's manifest: nothing may write to the ` +
        "build output while it is deployed (another step, a watcher). Run the deploy again once the build is done.",
    )
    this.name = 'SourceChangedError'
  }
}

/**
 * The objects of a pack (pack/release.ts): those it wrote, from their files in `dir`; the others
 * remade from the tree as they are read — the files' bytes under the object's key (AES-CTR, which
 * costs far less than writing the object and reading it back: bench/README.md, "Big artifact on
 * fast links"). A source file whose size or mtime is not what the pack saw fails the read
 * (SourceChangedError), checked before its first bytes are returned and before its last: the host
 * never receives a whole object made of a changed file. (A change that keeps both size and mtime
 * would still be caught by the host, which checks every object's sha256 against the manifest.)
 */
export function packedObjects(dir: string, remade: ReadonlyMap<string, RemadeObject>): ObjectReader {
  return {
    read: (id, slice, ring) => {
      const object = remade.get(id)
      return object === undefined ? readFile(path.join(dir, id), slice) : readRemade(object, slice, ring?.size === slice ? ring : undefined)
    },
  }
}

async function* readFile(file: string, slice: number): AsyncIterable<Buffer> {
  for await (const chunk of fs.createReadStream(file, { highWaterMark: slice })) yield chunk as Buffer
}

async function* readRemade(object: RemadeObject, slice: number, ring: BufferRing | undefined): AsyncIterable<Buffer> {
  const cipher = object.key !== undefined ? createCipheriv(OBJECT_CIPHER, Buffer.from(object.key.key, 'hex'), Buffer.from(object.key.iv, 'hex')) : undefined
  // Encrypting copies, so one buffer serves every read; without a key each read is a buffer of the ring's, or of its own.
  const scratch = cipher !== undefined ? Buffer.allocUnsafe(slice) : undefined
  for (const source of object.sources) {
    const handle = await fs.promises.open(source.full, 'r')
    try {
      await unchanged(handle, source.full, object.seen)
      for (let at = 0; at < source.size; ) {
        const length = Math.min(slice, source.size - at)
        const into = scratch ?? (ring !== undefined ? await ring.take() : Buffer.allocUnsafe(length))
        const { bytesRead } = await handle.read(into, 0, length, source.start + at)
        if (bytesRead === 0) throw new SourceChangedError(source.full)
        at += bytesRead
        // Checked again before the range's last bytes go: a host never gets a whole object that is not the one named.
        if (at === source.size) await unchanged(handle, source.full, object.seen)
        if (cipher === undefined) yield into.subarray(0, bytesRead)
        // In object-key.ts's slices: bigger ones make OpenSSL's output fresh memory each time.
        else for (let offset = 0; offset < bytesRead; offset += CIPHER_SLICE) yield cipher.update(into.subarray(offset, Math.min(bytesRead, offset + CIPHER_SLICE)))
      }
    } finally {
      await handle.close()
    }
  }
}

async function unchanged(handle: fs.promises.FileHandle, file: string, seen: RemadeObject['seen']): Promise<void> {
  const now = await handle.stat()
  const then = seen.get(file)
  if (then === undefined || now.size !== then.size || now.mtimeMs !== then.mtimeMs) throw new SourceChangedError(file)
}
