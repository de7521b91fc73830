import * as fs from 'node:fs'
import * as path from 'node:path'
import type { LaidObject, ObjectLayout } from '../swarm/object-layout.js'
import { ObjectReceiver } from './object-receiver.js'
import { holdsObject, pieceCheck } from './piece-check.js'

/**
 * Transport ssh, on the host: the release's objects come over the agent's own SSH session instead
 * of from a swarm. The agent first says which objects it lacks (a `need` event) and the controller
 * sends only those: a hotfix moves only the objects that changed, as it does through the swarm.
 * (Streaming every object and letting the agent skip those it holds would move the whole release
 * over the runner's link each time: "only what changed" would hold on the host's disk, not on the wire.)
 *
 * Both kinds are checked as the swarm checks them, piece by piece against the torrent's SHA-1s
 * (piece-check.ts): an object the store held is read and checked before it counts as held — one
 * that fails is removed, from the store too, and asked for again — and an arriving object is
 * checked before it takes its name (object-receiver.ts). The release writer then checks each
 * object's sha256 again before it uses it, whichever way it came.
 */
export class DirectReceive {
  private receiver?: ObjectReceiver
  /** Where each needed object ends in the stream, in order. */
  private ends: number[] = []
  private next = 0
  private needed: LaidObject[] = []
  /** Each needed object's index in the release. */
  private neededIndex: number[] = []
  private finished?: () => void
  /** Resolves once every needed object has arrived and passed its check. */
  readonly complete = new Promise<void>((resolve) => (this.finished = resolve))

  constructor(
    private readonly layout: ObjectLayout,
    private readonly pieces: Buffer,
    /** The agent's work directory: objects lent from the store are linked here, arriving ones written here. */
    private readonly workDir: string,
    private readonly storeDir: string,
    /** Called as each object is there and checked (held or arrived), with its index in the release. */
    private readonly objectReady: (index: number) => void,
  ) {}

  /**
   * Checks every object the store lent (linked into the work directory) and returns the objects
   * still needed, in release order, with the bytes the store held good. `busy` is called between
   * objects: reading a big store takes a while, during which the controller waits in silence.
   */
  async plan(busy: () => void): Promise<{ needed: LaidObject[]; fromStore: number }> {
    let fromStore = 0
    const held: number[] = []
    for (const [index, object] of this.layout.objects.entries()) {
      busy()
      const file = path.join(this.workDir, object.id)
      if (!fs.existsSync(file)) this.need(object, index)
      else if (await holdsObject(file, object, this.pieces, this.layout.pieceLength)) {
        fromStore += object.size
        held.push(index)
      } else {
        // Damaged in the store: neither copy may be used or kept; it comes again.
        fs.rmSync(file, { force: true })
        fs.rmSync(path.join(this.storeDir, object.id), { force: true })
        this.need(object, index)
      }
    }
    let end = 0
    this.ends = this.needed.map((object) => (end += object.size))
    this.receiver = new ObjectReceiver(this.needed, this.workDir, (object) => pieceCheck(object as LaidObject, this.pieces, this.layout.pieceLength))
    for (const index of held) this.objectReady(index)
    if (this.needed.length === 0) this.finished?.()
    return { needed: this.needed, fromStore }
  }

  get received(): number {
    return this.receiver?.received ?? 0
  }

  /**
   * Bytes from stdin: objects until the last needed one has arrived, heartbeats after (ignored).
   * Throws ObjectMismatchError for an object that fails its check, and the file system's errors.
   */
  push(chunk: Buffer): void {
    const receiver = this.receiver
    if (receiver === undefined || receiver.complete) return
    receiver.push(chunk)
    // push() is synchronous: every object that ends within what was received has passed its check.
    while (this.next < this.needed.length && this.ends[this.next]! <= receiver.received) {
      this.objectReady(this.neededIndex[this.next]!)
      this.next++
    }
    if (receiver.complete) this.finished?.()
  }

  close(): void {
    this.receiver?.close()
  }

  private need(object: LaidObject, index: number): void {
    this.needed.push(object)
    this.neededIndex.push(index)
  }
}
