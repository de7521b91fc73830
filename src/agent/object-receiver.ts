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

/**
 * Writes the objects an origin receives on its stdin — their bytes one after another, in the job's
 * order, with no framing: the sizes say where each ends — each to `<dir>/<id>`, checked against its
 * check (by default its sha256; transport ssh checks its pieces' SHA-1, agent/piece-check.ts) before
 * it takes that name (until then it is `<id>.part`). Writes are synchronous: while one
 * chunk is on its way to disk no other is read, so memory stays at one chunk whatever the payload.
 */
export class ObjectReceiver {
  private index = 0
  private file?: { fd: number; check: ObjectCheck; written: number }
  private receivedBytes = 0
  readonly total: number

  constructor(
    private readonly objects: readonly ArrivingObject[],
    private readonly dir: string,
    private readonly check: (object: ArrivingObject) => ObjectCheck = sha256Check,
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
      const file = (this.file ??= { fd: fs.openSync(this.partPath(object), 'w', 0o600), check: this.check(object), written: 0 })
      const take = Math.min(object.size - file.written, chunk.length - offset)
      const bytes = chunk.subarray(offset, offset + take)
      for (let done = 0; done < bytes.length; ) done += fs.writeSync(file.fd, bytes, done)
      file.check.update(bytes)
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

  private finish(object: ArrivingObject, file: { fd: number; check: ObjectCheck }): void {
    this.file = undefined
    fs.closeSync(file.fd)
    const mismatch = file.check.mismatch()
    if (mismatch !== undefined) throw new ObjectMismatchError(mismatch)
    fs.renameSync(this.partPath(object), path.join(this.dir, object.id))
    this.index++
  }

  private partPath(object: ArrivingObject): string {
    return path.join(this.dir, `${object.id}.part`)
  }
}
