/**
 * webtorrent's `store` for a torrent of objects (object-layout.ts): piece i is a slice of one object
 * file, `<dir>/<id>`, followed by that object's pad, which is no file at all — reads answer zeros,
 * writes drop it (webtorrent puts only pieces it verified, so what is dropped is zeros).
 *
 * Reads and writes are synchronous on a descriptor held open: a 16 KiB block the page cache holds
 * costs 0.6 ms/MB that way against 3-4 through FileHandle's thread-pool round trip and promise
 * (bench/README.md, "Swarm efficiency"); the objects a deploy serves were just written or read.
 *
 * fs-chunk-store keeps a descriptor open per torrent file for the torrent's life: 50,000 objects would
 * run into the open-file limit. This store holds at most `maxOpenFiles` (an LRU). Nothing is ever
 * truncated or deleted — an object may be a hard link shared with other releases — so `destroy` is
 * a `close`. Calls mirror fs-chunk-store's (abstract-chunk-store): same ranges, same errors.
 */
import { constants } from 'node:fs'
import { readSync, writeSync } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import * as path from 'node:path'
import { objectOfPiece, type ObjectLayout } from './object-layout.js'

export interface ObjectChunkStoreOptions {
  /** Descriptors held at most (default 64). */
  maxOpenFiles?: number
  /** Refuse every put: a seeder only serves. */
  readOnly?: boolean
}

type Callback<T> = (error: Error | null, value?: T) => void

/** What webtorrent constructs: `new Store(pieceLength, { torrent, path, files, length, name, ... })`. */
export type ObjectChunkStoreClass = new (chunkLength: number, storeOptions?: { length?: number }) => ObjectChunkStore

export function objectChunkStore(dir: string, layout: ObjectLayout, options: ObjectChunkStoreOptions = {}): ObjectChunkStoreClass {
  return class extends ObjectChunkStore {
    constructor(chunkLength: number, storeOptions: { length?: number } = {}) {
      super(dir, layout, options, chunkLength, storeOptions)
    }
  }
}

/** Where a piece lies: `dataLength` bytes at `position` in object `id`, then zeros up to `length`. */
interface PieceSpan {
  id: string
  position: number
  dataLength: number
  length: number
}

export class ObjectChunkStore {
  readonly chunkLength: number
  private readonly descriptors: Descriptors
  private readonly readOnly: boolean
  /** The torrent's bytes, pads included. */
  private readonly length: number
  private closed = false

  constructor(
    dir: string,
    private readonly layout: ObjectLayout,
    options: ObjectChunkStoreOptions,
    chunkLength: number,
    storeOptions: { length?: number },
  ) {
    if (chunkLength !== layout.pieceLength) throw new Error(`chunk length ${chunkLength} is not the layout's piece length ${layout.pieceLength}`)
    const length = layout.files.reduce((sum, file) => sum + file.length, 0)
    if (storeOptions.length !== undefined && storeOptions.length !== length) {
      throw new Error(`the torrent is ${storeOptions.length} bytes, the layout ${length}`)
    }
    this.chunkLength = chunkLength
    this.length = length
    this.readOnly = options.readOnly ?? false
    this.descriptors = new Descriptors(dir, options.maxOpenFiles ?? 64)
  }

  put(index: number, buf: Uint8Array, cb: Callback<void> = () => {}): void {
    if (this.closed) return later(cb, new Error('Storage is closed'))
    if (this.readOnly) return later(cb, new Error('Storage is read-only'))
    let span: PieceSpan
    try {
      span = this.span(index)
    } catch (error) {
      return later(cb, error as Error)
    }
    if (buf.length !== span.length) return later(cb, new Error(`Chunk length must be ${span.length}`))
    settle(
      this.descriptors.use(span.id, true, async (file) => {
        for (let done = 0; done < span.dataLength; ) done += writeSync(file.fd, buf, done, span.dataLength - done, span.position + done)
      }),
      cb,
    )
  }

  /** `opts` as fs-chunk-store takes it: null/undefined or { offset, length }, a missing or 0 length meaning "to the end". */
  get(index: number, opts: { offset?: number; length?: number } | null | undefined | Callback<Buffer>, cb?: Callback<Buffer>): void {
    if (typeof opts === 'function') return this.get(index, null, opts)
    const callback = cb ?? (() => {})
    if (this.closed) return later(callback, new Error('Storage is closed'))
    let span: PieceSpan
    try {
      span = this.span(index)
    } catch (error) {
      return later(callback, error as Error)
    }
    const from = opts?.offset || 0
    const to = opts?.length ? from + opts.length : span.length
    if (from < 0 || from > to || to > span.length) return later(callback, new Error('Invalid offset and/or length'))
    // Whatever lies past the object's data is its pad: zeros. The rest is read over, so not zeroed
    // first (a block served to a peer is a get: zeroing it cost as much as reading it).
    const buffer = Buffer.allocUnsafe(to - from)
    const dataTo = Math.min(to, span.dataLength)
    if (to > dataTo) buffer.fill(0, Math.max(0, dataTo - from))
    // A range wholly in the pad needs no file (only a verified piece is served by range).
    if (from >= dataTo) return later(callback, null, buffer)
    settle(
      this.descriptors.use(span.id, false, async (file) => {
        for (let done = 0; done < dataTo - from; ) {
          const bytesRead = readSync(file.fd, buffer, done, dataTo - from - done, span.position + from + done)
          if (bytesRead === 0) throw new Error(`object ${span.id} ends before byte ${span.position + dataTo}`)
          done += bytesRead
        }
        return buffer
      }),
      callback,
    )
  }

  close(cb: Callback<void> = () => {}): void {
    if (this.closed) return later(cb, new Error('Storage is closed'))
    this.closed = true
    settle(this.descriptors.close(), cb)
  }

  /** A close: the objects are a store shared with other releases, never this torrent's to delete. */
  destroy(cb: Callback<void> = () => {}): void {
    if (this.closed) return later(cb, null)
    this.close(cb)
  }

  private span(index: number): PieceSpan {
    const object = objectOfPiece(this.layout, index)
    const position = (index - object.firstPiece) * this.chunkLength
    const dataLength = Math.min(this.chunkLength, object.size - position)
    // Every piece is whole when the last object is padded too (object-layout.ts); the torrent's
    // length says so either way, as it does for webtorrent.
    return { id: object.id, position, dataLength, length: Math.min(this.chunkLength, this.length - index * this.chunkLength) }
  }
}

/** An object file, open or opening; it closes once retired and no operation uses it any more. */
interface Descriptor {
  id: string
  writable: boolean
  file: Promise<FileHandle>
  users: number
  retired: boolean
}

/**
 * At most `max` descriptors, busy or idle: an LRU of them to reuse, and operations waiting for one to
 * close. A descriptor pushed out while operations still use it (reopened read-write, or the store
 * closed) stays open, and counted, until the last of them is done.
 */
class Descriptors {
  /** Descriptors to reuse, least recently used first (a Map iterates in insertion order). */
  private readonly lru = new Map<string, Descriptor>()
  /** Descriptors opening, open or closing, in the LRU or retired. */
  private count = 0
  private readonly waiting: (() => void)[] = []
  private readonly drained: (() => void)[] = []
  private closed = false

  constructor(
    private readonly dir: string,
    private readonly max: number,
  ) {
    if (!(max >= 1)) throw new Error(`maxOpenFiles must be at least 1, not ${max}`)
  }

  async use<T>(id: string, writable: boolean, operation: (file: FileHandle) => Promise<T>): Promise<T> {
    const descriptor = await this.acquire(id, writable)
    try {
      return await operation(await descriptor.file)
    } finally {
      // Idle now: closed if it was pushed out, or to make room for an operation that waits.
      if (--descriptor.users === 0) {
        if (descriptor.retired) this.shut(descriptor)
        else if (this.waiting.length > 0) this.retire(descriptor)
      }
    }
  }

  /** Retires every descriptor and resolves once the last one is closed; waiting operations fail. */
  async close(): Promise<void> {
    this.closed = true
    for (const descriptor of [...this.lru.values()]) this.retire(descriptor)
    for (const wake of this.waiting.splice(0)) wake()
    if (this.count > 0) await new Promise<void>((resolve) => this.drained.push(resolve))
  }

  private async acquire(id: string, writable: boolean): Promise<Descriptor> {
    for (;;) {
      if (this.closed) throw new Error('Storage is closed')
      const cached = this.lru.get(id)
      if (cached !== undefined && (cached.writable || !writable)) {
        this.lru.delete(id)
        this.lru.set(id, cached)
        cached.users++
        this.wakeIfRoom()
        return cached
      }
      // Opened read-only by a get: a put needs it read-write.
      if (cached !== undefined) this.retire(cached)
      if (this.count < this.max) break
      // All taken: close the least recently used idle one, or wait for one to become idle (it is
      // then closed for us). Woken, look again: another operation may have opened `id` meanwhile.
      const idle = [...this.lru.values()].find((descriptor) => descriptor.users === 0)
      if (idle !== undefined) this.retire(idle)
      await new Promise<void>((resolve) => this.waiting.push(resolve))
    }
    this.count++
    // Never O_TRUNC: another release may hold a hard link to this very inode.
    const flags = writable ? constants.O_RDWR | constants.O_CREAT : constants.O_RDONLY
    const descriptor: Descriptor = { id, writable, file: open(path.join(this.dir, id), flags, 0o600), users: 1, retired: false }
    this.lru.set(id, descriptor)
    // A failed open (an object missing, read) is not kept: the next operation tries again.
    descriptor.file.catch(() => this.retire(descriptor))
    this.wakeIfRoom()
    return descriptor
  }

  /** Out of the LRU; closed once no operation uses it. */
  private retire(descriptor: Descriptor): void {
    if (descriptor.retired) return
    descriptor.retired = true
    if (this.lru.get(descriptor.id) === descriptor) this.lru.delete(descriptor.id)
    if (descriptor.users === 0) this.shut(descriptor)
  }

  private shut(descriptor: Descriptor): void {
    descriptor.file
      .then((file) => file.close())
      .catch(() => {}) // never opened, or the close failed: either way the descriptor is gone
      .finally(() => {
        this.count--
        this.wakeIfRoom()
        if (this.count === 0) for (const resolve of this.drained.splice(0)) resolve()
      })
  }

  /** A woken operation that took no descriptor passes the room on. */
  private wakeIfRoom(): void {
    if (this.count < this.max) this.waiting.shift()?.()
  }
}

/** Calls back on a later tick, as abstract-chunk-store callers expect, outside any promise chain. */
function later<T>(cb: Callback<T>, error: Error | null, value?: T): void {
  process.nextTick(cb, error, value)
}

function settle<T>(promise: Promise<T>, cb: Callback<T>): void {
  promise.then(
    (value) => later(cb, null, value),
    (error: unknown) => later(cb, error instanceof Error ? error : new Error(String(error))),
  )
}
