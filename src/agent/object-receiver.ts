import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'

/** An object as it arrives: its id (file name), its size, and for the origin the sha256 of its bytes. */
export interface ArrivingObject {
  id: string
  size: number
  sha256?: string
}

/** How one arriving object's bytes are checked: fed as they come, asked once they are all there. */
export interface ObjectCheck {
  update(bytes: Buffer): void
  /** Why the bytes are not the object's; undefined when they are. */
  mismatch(): string | undefined
  /**
   * What goes into the object's file for the bytes just given to update, when that is not those
   * bytes themselves (transport ssh's encoded objects are sealed for the store: decoded-object.ts).
   */
  toFile?(bytes: Buffer): readonly Buffer[]
}

/** The origin's check: the sha256 the controller sent the object with. */
export function sha256Check(object: ArrivingObject): ObjectCheck {
  const hash = createHash('sha256')
  return {
    update: (bytes) => hash.update(bytes),
    mismatch: () => {
      const sha256 = hash.digest('hex')
      return sha256 === object.sha256 ? undefined : `object ${object.id} arrived with sha256 ${sha256}, not the ${object.sha256} the controller sent it with`
    },
  }
}

/** An object's bytes differ from what the controller said they are. */
export class ObjectMismatchError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ObjectMismatchError'
  }
}

export interface ReceiverHooks {
  /** How an object's bytes are checked (default: against its sha256). */
  check?: (object: ArrivingObject) => ObjectCheck
  /** Called as bytes reach their files, with the bytes written so far. */
  progress?: (written: number) => void
  /** Called once object `index` (of the job's order) is in its file under its name. */
  objectStored?: (index: number) => void
}

/** At most this much is handed to one write: what arrived while the last one was on its way. */
const WRITE_BATCH_BYTES = 4 << 20

/** A write of the queue: the bytes for one object's file, or what is done once those before it are written. */
type QueuedWrite = { fd: number; bytes: Buffer } | { then: () => void }

/**
 * Writes the objects an origin receives on its stdin — their bytes one after another, in the job's
 * order, with no framing: the sizes say where each ends — each to `<dir>/<id>`, checked against its
 * check (by default its sha256; transport ssh checks it on the way, decrypting a sealed object or
 * sealing an encoded one for its file: decoded-object.ts)
 * before it takes that name (until then it is `<id>.part`).
 *
 * The check runs as the bytes are pushed; the writes go to the file system's threads, one at a
 * time, in order, each taking whatever arrived meanwhile: the agent's one thread checks the next
 * bytes while the last ones are written, where a synchronous write made it wait for the disk (and
 * for fresh page-cache pages) at every chunk (bench/README.md, "Big artifact on fast links").
 * What waits to be written is bounded by the sender, which stays within its window of what the
 * agent acknowledged (receive-acks.ts), and the agent acknowledges written bytes, not received ones.
 */
export class ObjectReceiver {
  private index = 0
  private file?: { fd: number; check: ObjectCheck; written: number }
  private receivedBytes = 0
  private storedBytes = 0
  private readonly queue: QueuedWrite[] = []
  private writing = false
  private closed = false
  private failure?: Error
  private readonly open = new Set<number>()
  private settle?: { resolve: () => void; reject: (error: Error) => void }
  /** Resolves once every object is in its file under its name; rejects with the first write's error (ENOSPC, …). */
  readonly stored: Promise<void>
  readonly total: number

  constructor(
    private readonly objects: readonly ArrivingObject[],
    private readonly dir: string,
    private readonly hooks: ReceiverHooks = {},
  ) {
    this.total = objects.reduce((sum, object) => sum + object.size, 0)
    this.stored = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }))
    // A failure is also reported through whoever awaits it; unawaited, it must not end the process.
    this.stored.catch(() => {})
    if (objects.length === 0) this.settle?.resolve()
  }

  /** Bytes taken and checked so far (the last object's may still be on their way to its file). */
  get received(): number {
    return this.receivedBytes
  }

  /** Bytes in their files so far. */
  get written(): number {
    return this.storedBytes
  }

  /** Every object's bytes have been taken and passed their check. */
  get complete(): boolean {
    return this.index >= this.objects.length
  }

  /**
   * Takes the next bytes of stdin; returns what lies past the last object (the heartbeats that
   * follow), empty until then. Throws ObjectMismatchError for an object whose check fails, and the
   * error of an earlier write (ENOSPC, …), if one failed.
   */
  push(chunk: Buffer): Buffer {
    if (this.failure !== undefined) throw this.failure
    let offset = 0
    while (offset < chunk.length && !this.complete) {
      const object = this.objects[this.index]!
      const file = (this.file ??= this.openPart(object))
      const take = Math.min(object.size - file.written, chunk.length - offset)
      const bytes = chunk.subarray(offset, offset + take)
      file.check.update(bytes)
      if (file.check.toFile === undefined) this.queue.push({ fd: file.fd, bytes })
      else for (const part of file.check.toFile(bytes)) this.queue.push({ fd: file.fd, bytes: part })
      file.written += take
      offset += take
      this.receivedBytes += take
      if (file.written === object.size) this.finish(object, file)
    }
    this.pump()
    return chunk.subarray(offset)
  }

  /** Writes nothing more and closes the files (a .part stays for whoever removes the directory). */
  close(): void {
    this.closed = true
    this.queue.length = 0
    this.file = undefined
    // A write on its way closes its file when it returns.
    if (!this.writing) this.closeAll()
  }

  private openPart(object: ArrivingObject): { fd: number; check: ObjectCheck; written: number } {
    const fd = fs.openSync(this.partPath(object), 'w', 0o600)
    this.open.add(fd)
    return { fd, check: (this.hooks.check ?? sha256Check)(object), written: 0 }
  }

  private finish(object: ArrivingObject, file: { fd: number; check: ObjectCheck }): void {
    this.file = undefined
    const mismatch = file.check.mismatch()
    if (mismatch !== undefined) {
      this.queue.push({ then: () => this.closeFile(file.fd) })
      this.pump()
      throw new ObjectMismatchError(mismatch)
    }
    const index = this.index++
    const last = this.complete
    this.queue.push({
      then: () => {
        this.closeFile(file.fd)
        fs.renameSync(this.partPath(object), path.join(this.dir, object.id))
        this.hooks.objectStored?.(index)
        if (last) this.settle?.resolve()
      },
    })
  }

  /** Starts the next write if none is on its way: every queued write to the same file, up to WRITE_BATCH_BYTES, in one. */
  private pump(): void {
    while (!this.writing && !this.closed && this.failure === undefined && this.queue.length > 0) {
      const head = this.queue[0]!
      if ('then' in head) {
        this.queue.shift()
        try {
          head.then()
        } catch (error) {
          this.fail(error as Error)
        }
        continue
      }
      const batch: Buffer[] = []
      let size = 0
      while (this.queue.length > 0 && size < WRITE_BATCH_BYTES) {
        const next = this.queue[0]!
        if ('then' in next || next.fd !== head.fd) break
        batch.push(next.bytes)
        size += next.bytes.length
        this.queue.shift()
      }
      this.writing = true
      fs.writev(head.fd, batch, (error, written) => {
        this.writing = false
        if (this.closed) return this.closeAll()
        if (error) return this.fail(error)
        this.storedBytes += written
        // A short write (a full disk's last bytes): the rest goes first in the next.
        if (written < size) this.queue.unshift({ fd: head.fd, bytes: Buffer.concat(batch).subarray(written) })
        this.hooks.progress?.(this.storedBytes)
        this.pump()
      })
    }
  }

  private fail(error: Error): void {
    this.failure ??= error
    this.settle?.reject(this.failure)
    this.close()
  }

  private closeFile(fd: number): void {
    if (this.open.delete(fd)) fs.closeSync(fd)
  }

  private closeAll(): void {
    for (const fd of this.open) fs.closeSync(fd)
    this.open.clear()
  }

  private partPath(object: ArrivingObject): string {
    return path.join(this.dir, `${object.id}.part`)
  }
}
