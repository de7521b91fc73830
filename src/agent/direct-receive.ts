import * as fs from 'node:fs'
import * as path from 'node:path'
import type { ObjectRecord } from '../content/manifest.js'
import type { DirectForm } from '../protocol/events.js'
import type { LaidObject, ObjectLayout } from '../swarm/object-layout.js'
import { decodingCheck, holdsObject, type DecodedBytes, type DecodingCheck } from './decoded-object.js'
import { ObjectReceiver } from './object-receiver.js'

/**
 * Transport ssh, on the host: the release's objects come over the agent's own SSH session instead
 * of from a swarm. The agent first says which objects it lacks (a `need` event) and the controller
 * sends only those: a hotfix moves only the objects that changed, as it does through the swarm.
 * (Streaming every object and letting the agent skip those it holds would move the whole release
 * over the runner's link each time: "only what changed" would hold on the host's disk, not on the wire.)
 *
 * An object the store held is checked against the manifest's sha256 before it counts as held — one
 * that fails is removed, from the store too, and asked for again — and the release writer checks it
 * again when it reads it. An arriving object is checked in one pass as it comes (decoded-object.ts):
 * hashed against the manifest's sha256 before it takes its name (decrypted first if it came sealed;
 * sealed for its file if it came encoded), and handed to the writer decoded, so its bytes are not
 * read back from disk, decrypted and hashed a second time. (No piece
 * SHA-1s: there is no torrent, and the pack does not make them for transport ssh.)
 */
export class DirectReceive {
  private receiver?: ObjectReceiver
  private needed: LaidObject[] = []
  /** Each needed object's index in the release. */
  private neededIndex: number[] = []
  /** The checks of the arriving objects not yet handed over, by id: they hold the decoded bytes. */
  private readonly checks = new Map<string, DecodingCheck>()
  private settle?: { resolve: () => void; reject: (error: Error) => void }
  /** Resolves once every needed object has arrived, passed its check and is in its file; rejects with a write's error. */
  readonly complete: Promise<void>

  constructor(
    private readonly layout: ObjectLayout,
    /** The manifest's objects, in the same order as the layout's: what an arriving object is checked against. */
    private readonly records: readonly ObjectRecord[],
    /** How the objects come: sealed as a swarm holds them, or encoded, to be sealed for the store (AgentJob.direct). */
    private readonly form: DirectForm,
    /** The agent's work directory: objects lent from the store are linked here, arriving ones written here. */
    private readonly workDir: string,
    private readonly storeDir: string,
    /**
     * Called as each object is there and checked (held or arrived), with its index in the release
     * and, for one that arrived, its decoded bytes.
     */
    private readonly objectReady: (index: number, decoded?: DecodedBytes) => void,
    /** Called as arriving bytes reach their files, with the bytes written so far (what the agent acknowledges). */
    private readonly progress: (written: number) => void = () => {},
  ) {
    this.complete = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }))
    // Awaited by the agent while it receives; a failure after it stopped waiting must not end the process.
    this.complete.catch(() => {})
  }

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
      else if (await holdsObject(file, this.records[index]!)) {
        fromStore += object.size
        held.push(index)
      } else {
        // Damaged in the store: neither copy may be used or kept; it comes again.
        fs.rmSync(file, { force: true })
        fs.rmSync(path.join(this.storeDir, object.id), { force: true })
        this.need(object, index)
      }
    }
    const recordOf = new Map(this.records.map((record) => [record.id, record]))
    const receiver = new ObjectReceiver(this.needed, this.workDir, {
      check: (object) => {
        const check = decodingCheck(recordOf.get(object.id)!, this.form)
        this.checks.set(object.id, check)
        return check
      },
      progress: this.progress,
      // Handed over once in its file: the writer reads from it what it has no room to hold.
      objectStored: (at) => {
        const id = this.needed[at]!.id
        const decoded = this.checks.get(id)!.decoded()
        this.checks.delete(id)
        this.objectReady(this.neededIndex[at]!, decoded)
      },
    })
    this.receiver = receiver
    receiver.stored.then(this.settle!.resolve, this.settle!.reject)
    for (const index of held) this.objectReady(index)
    return { needed: this.needed, fromStore }
  }

  /** Bytes taken and checked so far. */
  get received(): number {
    return this.receiver?.received ?? 0
  }

  /** Bytes in their files so far. */
  get written(): number {
    return this.receiver?.written ?? 0
  }

  /**
   * Bytes from stdin: objects until the last needed one has arrived, heartbeats after (ignored).
   * Throws ObjectMismatchError for an object that fails its check, and the error of a write that failed.
   */
  push(chunk: Buffer): void {
    const receiver = this.receiver
    if (receiver === undefined || receiver.complete) return
    receiver.push(chunk)
  }

  close(): void {
    this.receiver?.close()
  }

  private need(object: LaidObject, index: number): void {
    this.needed.push(object)
    this.neededIndex.push(index)
  }
}
