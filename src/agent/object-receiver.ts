import { createHash, type Hash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { OriginObject } from '../protocol/events.js'

/** An object's bytes differ from what the controller said they are. */
export class ObjectMismatchError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ObjectMismatchError'
  }
}

/**
 * Writes the objects an origin receives on its stdin — their bytes one after another, in the job's
 * order, with no framing: the sizes say where each ends — each to `<dir>/<id>`, checked against its
 * sha256 before it takes that name (until then it is `<id>.part`). Writes are synchronous: while one
 * chunk is on its way to disk no other is read, so memory stays at one chunk whatever the payload.
 */
export class ObjectReceiver {
  private index = 0
  private file?: { fd: number; hash: Hash; written: number }
  private receivedBytes = 0
  readonly total: number

  constructor(
    private readonly objects: readonly OriginObject[],
    private readonly dir: string,
  ) {
    this.total = objects.reduce((sum, object) => sum + object.size, 0)
  }

  get received(): number {
    return this.receivedBytes
  }

  get complete(): boolean {
    return this.index >= this.objects.length
  }

  /**
   * Takes the next bytes of stdin; returns what lies past the last object (the heartbeats that
   * follow), empty until then. Throws ObjectMismatchError for an object whose sha256 differs, and
   * the file system's error (ENOSPC, …) as it is.
   */
  push(chunk: Buffer): Buffer {
    let offset = 0
    while (offset < chunk.length && !this.complete) {
      const object = this.objects[this.index]!
      const file = (this.file ??= { fd: fs.openSync(this.partPath(object), 'w', 0o600), hash: createHash('sha256'), written: 0 })
      const take = Math.min(object.size - file.written, chunk.length - offset)
      const bytes = chunk.subarray(offset, offset + take)
      for (let done = 0; done < bytes.length; ) done += fs.writeSync(file.fd, bytes, done)
      file.hash.update(bytes)
      file.written += take
      offset += take
      this.receivedBytes += take
      if (file.written === object.size) this.finish(object, file)
    }
    return chunk.subarray(offset)
  }

  /** Closes the object being written, if any (its .part stays for whoever removes the directory). */
  close(): void {
    if (this.file !== undefined) fs.closeSync(this.file.fd)
    this.file = undefined
  }

  private finish(object: OriginObject, file: { fd: number; hash: Hash }): void {
    this.file = undefined
    fs.closeSync(file.fd)
    const sha256 = file.hash.digest('hex')
    if (sha256 !== object.sha256) {
      throw new ObjectMismatchError(`object ${object.id} arrived with sha256 ${sha256}, not the ${object.sha256} the controller sent it with`)
    }
    fs.renameSync(this.partPath(object), path.join(this.dir, object.id))
    this.index++
  }

  private partPath(object: OriginObject): string {
    return path.join(this.dir, `${object.id}.part`)
  }
}
