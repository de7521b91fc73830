/**
 * The peer agent: what runs on each host. It takes its job, downloads from the swarm the objects its
 * store lacks, verifies them, writes <destination>/<tag> from them, and seeds for the others until
 * the controller says stop (its
 * stdin closes: the controller is done, or the SSH session died), the controller goes silent, or
 * its hard cap passes. It never outlives any of them. main.ts wires it to the process's stdio.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import WebTorrent from 'webtorrent'
import { decodeManifest, type Manifest } from '../content/manifest.js'
import { decodeJob, PROTOCOL_VERSION, type AgentErrorCode, type AgentEvent, type AgentJob } from '../protocol/events.js'
import { formatMB as mb } from '../report/format.js'
import { agentAddOptions, closedFleetClientOptions, storeSeedOptions } from '../swarm/client-options.js'
import { objectChunkStore } from '../swarm/object-chunk-store.js'
import { guardPeers, incomingLimits, type PeerGuard } from '../swarm/peer-filter.js'
import { layObjects, type ObjectLayout } from '../swarm/object-layout.js'
import { spreadPieceOrder } from '../swarm/piece-order.js'
import { dialNoOneOnceDone, peerIsSeed, pieceCount, quietOnceSeeding, retryAnnounceUntilAnswered } from '../swarm/webtorrent-internals.js'
import { yieldCpu } from './cpu-share.js'
import type { DecodedBytes } from './decoded-object.js'
import { DirectReceive } from './direct-receive.js'
import { installRelease, TagExistsError } from './install-release.js'
import { ObjectCorruptError, ReleaseWriter } from './materialize.js'
import { ObjectMismatchError } from './object-receiver.js'
import { ReceiveAcks } from './receive-acks.js'
import { ObjectStore } from './object-store.js'
import { ReleaseLayout } from './release-layout.js'
import { UnsafePathError } from './safe-paths.js'
import { codeFor } from './host-facts.js'

/** How the agent reaches its controller. */
export interface AgentIO {
  emit(event: AgentEvent): void
  /** Ends the process, once what was emitted has been written. */
  exit(code: number): void
}

export class Agent {
  private readonly startedAt = Date.now()
  private client?: WebTorrent.Instance
  private guard?: PeerGuard
  private torrent?: WebTorrent.Torrent
  private layout?: ReleaseLayout
  private store?: ObjectStore
  private writer?: ReleaseWriter
  /** transport ssh: the objects arriving on stdin, and the acks that tell the sender how far they got. */
  private direct?: DirectReceive
  private acks?: ReceiveAcks
  /** This agent's own work directory (incoming/<pid>), removed whole on exit. */
  private workDir?: string
  /** What the store keeps once the agent is done (set once the release is in place). */
  private tidyStore?: () => void
  private released = false
  private exiting = false
  private lastHeard = Date.now()

  constructor(
    private readonly io: AgentIO,
    private readonly pid = process.pid,
  ) {}

  hello(): void {
    this.io.emit({ type: 'hello', v: PROTOCOL_VERSION, pid: this.pid, node: process.version })
  }

  /** Runs the job the controller sent (its first line), watching the controller's heartbeats and the hard cap. */
  async start(jobLine: string): Promise<void> {
    let job: AgentJob
    try {
      job = decodeJob(jobLine)
    } catch (error) {
      return this.fail('BAD_JOB', (error as Error).message)
    }
    const notYielded = yieldCpu(job.nice ?? 0)
    if (notYielded !== undefined) this.io.emit({ type: 'notice', message: notYielded })
    this.lastHeard = Date.now()
    setInterval(() => {
      if (Date.now() - this.lastHeard < job.heartbeatTimeoutMs) return
      if (this.released) void this.shutdown(0)
      else this.fail('CONTROLLER_LOST', `no word from the controller for ${job.heartbeatTimeoutMs / 1000} s: the runner is unreachable`)
    }, 1000).unref()
    setTimeout(() => {
      if (this.released) void this.shutdown(0)
      else this.fail('HARD_CAP', `the agent's own limit of ${job.hardCapSeconds} s passed`)
    }, job.hardCapSeconds * 1000).unref()
    try {
      await this.run(job)
    } catch (error) {
      this.fail(codeFor(error, 'INTERNAL'), (error as Error)?.stack ?? String(error))
    }
  }

  /**
   * Proof that the controller is still there: anything on stdin, and — because the tracker and the
   * seeder live in the controller's process — a tracker answer or bytes from the seeder. The bytes
   * matter most when the controller's uplink is saturated by the seeder itself: heartbeats then
   * queue behind its pieces, while the pieces keep arriving.
   */
  controllerAlive(): void {
    this.lastHeard = Date.now()
  }

  /** Bytes from stdin after the job line: the objects (transport ssh), heartbeats either way. */
  push(chunk: Buffer): void {
    this.controllerAlive()
    if (this.direct === undefined || this.exiting) return
    try {
      this.direct.push(chunk)
    } catch (error) {
      if (error instanceof ObjectMismatchError) return this.fail('VERIFY_FAILED', error.message)
      this.fail(codeFor(error, 'INTERNAL'), `writing the objects to ${this.layout?.workObjectsDir}: ${(error as Error).message}`)
    }
  }

  /** stdin closed: the controller says stop, or its session is gone. */
  stop(why: string): void {
    if (!this.released) this.io.emit({ type: 'error', code: 'STOPPED', message: why })
    void this.shutdown(this.released ? 0 : 1)
  }

  fail(code: AgentErrorCode, message: string): void {
    this.io.emit({ type: 'error', code, message: code === 'DISK_FULL' ? message + this.diskFullDetail() : message })
    void this.shutdown(1)
  }

  /** Stops everything and removes what an unfinished release left; safe to call more than once. */
  async shutdown(exitCode: number): Promise<void> {
    if (this.exiting) return
    this.exiting = true
    this.acks?.stop()
    const uploaded = this.torrent?.uploaded ?? 0
    const client = this.client
    if (client !== undefined) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 3000)
        client.destroy(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
    try {
      this.tidyStore?.()
    } catch {
      // The store is an optimisation for later deploys; the release itself is in place.
    }
    await this.writer?.stop()
    try {
      this.direct?.close()
    } catch {
      // its file goes with the work directory
    }
    if (this.workDir !== undefined) fs.rmSync(this.workDir, { recursive: true, force: true })
    if (this.layout !== undefined && !this.released) fs.rmSync(this.layout.partialDir, { recursive: true, force: true })
    this.io.emit({ type: 'exit', uploaded })
    this.io.exit(exitCode)
  }

  private async run(job: AgentJob): Promise<void> {
    let manifest: Manifest
    try {
      manifest = decodeManifest(job.manifest)
    } catch (error) {
      return this.fail('BAD_JOB', (error as Error).message)
    }
    const layout = new ReleaseLayout(job.destination, job.tag, this.pid)
    this.layout = layout
    try {
      // Before anything is read or written there: a destination others can plant links in is refused.
      layout.prepareWorkDir()
      this.workDir = layout.workDir
    } catch (error) {
      if (error instanceof UnsafePathError) return this.fail('UNSAFE_DESTINATION', error.message)
      return this.fail(codeFor(error, 'INTERNAL'), `cannot prepare ${layout.workDir}: ${(error as Error).message}`)
    }
    const existing = await layout.holds(manifest.contentId)
    if (existing === 'different' && !job.overwrite) {
      return this.fail('TAG_EXISTS', `${layout.finalDir} already holds a different release; choose a new tag, or set overwrite: true`)
    }
    if (existing === 'modified' && !job.overwrite) {
      return this.fail(
        'TAG_EXISTS',
        `${layout.finalDir} was deployed as this release but its files have been changed since; left as it is. Choose a new tag, or set overwrite: true to replace it`,
      )
    }
    const store = new ObjectStore(layout.storeDir)
    this.store = store
    let fromStore: number
    try {
      layout.sweepIncoming()
      layout.removeLegacyPayloads()
      fromStore = store.lendTo(layout.workObjectsDir, manifest.objects)
    } catch (error) {
      return this.fail(codeFor(error, 'INTERNAL'), `cannot prepare ${layout.workDir}: ${(error as Error).message}`)
    }
    const objectLayout = layObjects(manifest.objects, job.pieceLength)
    if (existing === 'same') {
      this.released = true
      const seeding =
        job.direct === undefined && fromStore === manifest.objects.reduce((sum, object) => sum + object.size, 0) && (await this.seedFromStore(job, layout, objectLayout))
      this.io.emit({ type: 'done', alreadyPresent: true, seeding, fromSeeder: 0, fromPeers: 0, fromStore, seconds: this.secondsSinceStart() })
      return
    }
    // The tree is written as its objects arrive (those the store held first), not after the last one.
    const writer = new ReleaseWriter(manifest, layout.workObjectsDir, layout.partialDir)
    try {
      fs.rmSync(layout.partialDir, { recursive: true, force: true })
      writer.start()
      this.writer = writer
    } catch (error) {
      return this.fail(codeFor(error, 'UNPACK_FAILED'), `writing ${layout.partialDir}: ${(error as Error).message}`)
    }
    const indexOf = new Map(manifest.objects.map((object, index) => [object.id, index]))
    const counts: { fromSeeder: number; fromPeers: number; fromStore?: number } | undefined =
      job.direct === undefined
        ? await this.download(job, layout, objectLayout, (id) => {
            const index = indexOf.get(id)
            if (index !== undefined) writer.write(index)
          })
        : await this.receiveDirect(job, manifest, objectLayout, store, (index, decoded) => writer.write(index, decoded))
    if (counts === undefined) return
    fromStore = counts.fromStore ?? fromStore
    try {
      await installRelease(manifest, layout.workObjectsDir, layout, { overwrite: job.overwrite, writer })
    } catch (error) {
      if (error instanceof TagExistsError) return this.fail('TAG_EXISTS', error.message)
      if (error instanceof ObjectCorruptError) return this.fail('VERIFY_FAILED', error.message)
      return this.fail(codeFor(error, 'UNPACK_FAILED'), `writing ${layout.partialDir}: ${(error as Error).message}`)
    }
    this.released = true
    // Every object was verified while the release was written: now the store may have them.
    const ids = manifest.objects.map((object) => object.id)
    try {
      store.adopt(layout.workObjectsDir, ids)
    } catch {
      // A full or read-only store costs later deploys a download, not this one its release.
    }
    // keep-payload off: this release adds nothing to the store (objects earlier releases use stay).
    this.tidyStore = () => store.collect(layout.objectsOfKeptReleases(job.keepObjects ? undefined : job.tag))
    this.io.emit({ type: 'done', alreadyPresent: false, seeding: job.direct === undefined, fromSeeder: counts.fromSeeder, fromPeers: counts.fromPeers, fromStore, seconds: this.secondsSinceStart() })
    // Keep seeding for the others until stdin closes.
    if (this.torrent !== undefined) this.leaveOtherSeeds(this.torrent)
  }

  /**
   * transport ssh: says which objects the store lacks (`need`), then takes them from stdin (push);
   * resolves once all are there and checked (direct-receive.ts), with what came over SSH as fromSeeder.
   */
  private async receiveDirect(
    job: AgentJob,
    manifest: Manifest,
    objectLayout: ObjectLayout,
    store: ObjectStore,
    objectReady: (index: number, decoded?: DecodedBytes) => void,
  ): Promise<{ fromSeeder: number; fromPeers: number; fromStore: number } | undefined> {
    const workObjectsDir = this.layout!.workObjectsDir
    // Acknowledged as written, not as received: the sender's window then bounds what waits for the disk.
    const acks = new ReceiveAcks((bytes) => this.io.emit({ type: 'ack', bytes }))
    const direct = new DirectReceive(objectLayout, manifest.objects, job.direct!, workObjectsDir, store.dir, objectReady, (written) =>
      acks.taken(written),
    )
    // The controller waits in silence for the need event: reading the store is this side's work.
    const { needed, fromStore } = await direct.plan(() => this.controllerAlive())
    if (this.exiting) return undefined
    this.direct = direct
    this.acks = acks
    this.controllerAlive()
    this.io.emit({ type: 'need', objects: needed.map((object) => object.id), bytes: needed.reduce((sum, object) => sum + object.size, 0) })
    const total = objectLayout.objects.reduce((sum, object) => sum + object.size, 0)
    const progress = setInterval(() => {
      this.io.emit({ type: 'progress', have: fromStore + direct.received, total, fromSeeder: direct.received, fromPeers: 0, uploaded: 0, peers: 0 })
    }, job.progressIntervalMs)
    progress.unref()
    try {
      await direct.complete
    } catch (error) {
      this.fail(codeFor(error, 'INTERNAL'), `writing the objects to ${workObjectsDir}: ${(error as Error).message}`)
      return undefined
    } finally {
      clearInterval(progress)
    }
    acks.flush()
    if (this.exiting) return undefined
    return { fromSeeder: direct.received, fromPeers: 0, fromStore }
  }

  /** Downloads the objects the store lacked into the work directory, reporting progress; resolves with where the bytes came from. */
  private async download(
    job: AgentJob,
    layout: ReleaseLayout,
    objectLayout: ObjectLayout,
    objectDone: (id: string) => void,
  ): Promise<{ fromSeeder: number; fromPeers: number } | undefined> {
    let fromSeeder = 0
    let fromPeers = 0
    const client = this.newClient(job)
    client.on('error', (error: Error | string) => this.fail(codeFor(error, 'TORRENT_FAILED'), `BitTorrent client: ${String(error)}`))
    const added = client.add(Buffer.from(job.torrent, 'base64'), {
      ...agentAddOptions(layout.workDir),
      store: objectChunkStore(layout.workObjectsDir, objectLayout),
    })
    spreadPieceOrder(added)
    joinFleetSwarm(added)
    this.guard?.watch(added)
    added.on('trackerAnnounce', () => this.controllerAlive())
    this.torrent = added
    added.on('error', (error: Error | string) => this.fail(codeFor(error, 'TORRENT_FAILED'), `torrent: ${String(error)}`))
    // Files are known at 'metadata', before the pieces already held are verified (and marked done).
    added.on('metadata', () => {
      for (const file of added.files) file.once('done', () => objectDone(path.basename(file.path)))
    })
    added.on('wire', (wire: WebTorrent.Wire) => {
      const fromTheSeeder = wire.peerId === job.seederPeerId
      wire.on('download', (bytes: number) => {
        if (fromTheSeeder) {
          fromSeeder += bytes
          this.controllerAlive()
        } else fromPeers += bytes
      })
    })
    const progress = setInterval(() => {
      this.io.emit({ type: 'progress', have: added.downloaded, total: added.length, fromSeeder, fromPeers, uploaded: added.uploaded, peers: added.numPeers })
    }, job.progressIntervalMs)
    progress.unref()
    await new Promise<void>((resolve) => (added.done ? resolve() : added.once('done', () => resolve())))
    clearInterval(progress)
    if (this.exiting) return undefined
    return { fromSeeder, fromPeers }
  }

  /**
   * A host that already holds the release seeds it for the others when its store still holds every
   * object (the same build packs to the same objects). webtorrent verifies every piece first: a
   * damaged piece is not offered but fetched again, which repairs the store's object in place
   * (the work directory holds hard links to it, and only verified pieces are written).
   */
  private async seedFromStore(job: AgentJob, layout: ReleaseLayout, objectLayout: ObjectLayout): Promise<boolean> {
    if (this.exiting) return false
    const client = this.newClient(job)
    client.on('error', (error: Error | string) => this.io.emit({ type: 'error', code: 'TORRENT_FAILED', message: `seeding from the store: ${String(error)}` }))
    const torrent = client.add(Buffer.from(job.torrent, 'base64'), {
      ...storeSeedOptions(layout.workDir),
      store: objectChunkStore(layout.workObjectsDir, objectLayout),
    })
    joinFleetSwarm(torrent)
    this.guard?.watch(torrent)
    this.leaveOtherSeeds(torrent)
    this.torrent = torrent
    return true
  }

  /**
   * A seed has nothing to give another seed, yet webtorrent keeps such connections, and they count
   * against both hosts' connection limits: late in a big deploy every host was full of them and
   * nobody dialled a late joiner (bench/README.md, "Scale"). Once a second, drop them; a seed dials
   * no one (dialNoOneOnceDone), so only hosts still downloading connect.
   */
  private leaveOtherSeeds(torrent: WebTorrent.Torrent): void {
    setInterval(() => {
      const pieces = pieceCount(torrent)
      for (const wire of torrent.wires) if (peerIsSeed(wire, pieces)) wire.destroy()
    }, 1000).unref()
  }

  /** A client that deals only with the fleet's peers and drops one that sends bad pieces (peer-filter.ts); `guard.watch` each torrent. */
  private newClient(job: AgentJob): WebTorrent.Instance {
    this.client = new WebTorrent(
      closedFleetClientOptions({ torrentPort: 0, maxConns: job.maxConns, uploadLimit: job.uploadLimit ?? -1, downloadLimit: job.downloadLimit ?? -1 }),
    )
    this.guard = guardPeers(this.client, {
      allowed: job.allowedPeers === undefined ? undefined : new Set(job.allowedPeers),
      ...incomingLimits({ agent: true, maxConns: job.maxConns }, job.allowedPeers === undefined),
      onBan: (address, why) => this.io.emit({ type: 'notice', message: `dropped peer ${address} for good: ${why}` }),
    })
    return this.client
  }

  private secondsSinceStart(): number {
    return (Date.now() - this.startedAt) / 1000
  }

  /**
   * ENOSPC says neither where nor how much: say both, so a person knows what to free. Free space is
   * counted as it will be once this deploy's own work files are gone (shutdown removes them).
   */
  private diskFullDetail(): string {
    const layout = this.layout
    if (layout === undefined) return ''
    try {
      const disk = fs.statfsSync(layout.destination)
      const size = this.torrent?.length ?? 0
      const kept = this.store?.bytesOnDisk() ?? 0
      return (
        ` — ${layout.destination} has ${mb(disk.bavail * disk.bsize)} MB free` +
        (size > 0 ? `; this release needs up to ${mb(2 * size)} MB there (its objects, then the files written from them)` : '') +
        (kept > 0 ? `; the object store (.murder/objects) takes ${mb(kept)} MB of it (objects of releases still on disk; keep-payload: false keeps none)` : '')
      )
    } catch {
      return ''
    }
  }
}

/**
 * How an agent's torrent behaves in a fleet, whether it downloads or seeds a kept payload: it keeps
 * asking the tracker until answered, and once it holds everything it dials no one and stops
 * re-announcing (webtorrent-internals.ts says why for each).
 */
function joinFleetSwarm(torrent: WebTorrent.Torrent): void {
  retryAnnounceUntilAnswered(torrent)
  dialNoOneOnceDone(torrent)
  quietOnceSeeding(torrent)
}

