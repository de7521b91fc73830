/**
 * The peer agent: what runs on each host. It takes its job, downloads from the swarm, verifies,
 * unpacks into <destination>/<tag>, and seeds for the others until the controller says stop (its
 * stdin closes: the controller is done, or the SSH session died), the controller goes silent, or
 * its hard cap passes. It never outlives any of them. main.ts wires it to the process's stdio.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import WebTorrent from 'webtorrent'
import { sha256OfFile } from '../content/sha256.js'
import { decodeJob, PROTOCOL_VERSION, type AgentErrorCode, type AgentEvent, type AgentJob } from '../protocol/events.js'
import { formatMB as mb } from '../report/format.js'
import { agentAddOptions, closedFleetClientOptions, keptPayloadSeedOptions } from '../swarm/client-options.js'
import { spreadPieceOrder } from '../swarm/piece-order.js'
import { dialNoOneOnceDone, peerIsSeed, pieceCount, quietOnceSeeding, retryAnnounceUntilAnswered } from '../swarm/webtorrent-internals.js'
import { namesIn, ReleaseLayout } from './release-layout.js'
import { TagExistsError, unpackRelease } from './unpack.js'

/** How the agent reaches its controller. */
export interface AgentIO {
  emit(event: AgentEvent): void
  /** Ends the process, once what was emitted has been written. */
  exit(code: number): void
}

export class Agent {
  private readonly startedAt = Date.now()
  private client?: WebTorrent.Instance
  private torrent?: WebTorrent.Torrent
  private layout?: ReleaseLayout
  private payloadFile?: string
  /** This agent's own download directory (incoming/<pid>), removed whole on exit. */
  private downloadDir?: string
  /** Set once the downloaded payload is verified and unpacked: worth keeping for later deploys. */
  private payloadToKeep?: () => void
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
      this.payloadToKeep?.()
    } catch {
      // Keeping it is an optimisation for later deploys; the release itself is in place.
    }
    if (this.downloadDir !== undefined) fs.rmSync(this.downloadDir, { recursive: true, force: true })
    if (this.layout !== undefined && !this.released) fs.rmSync(this.layout.partialDir, { recursive: true, force: true })
    this.io.emit({ type: 'exit', uploaded })
    this.io.exit(exitCode)
  }

  private async run(job: AgentJob): Promise<void> {
    const layout = new ReleaseLayout(job.destination, job.tag, this.pid)
    this.layout = layout
    layout.sweepKeptPayloads()
    const existing = await layout.holds(job.contentId)
    if (existing === 'same') {
      this.released = true
      const seeding = await this.seedKeptPayload(job, layout)
      this.io.emit({ type: 'done', alreadyPresent: true, seeding, fromSeeder: 0, fromPeers: 0, seconds: this.secondsSinceStart() })
      return
    }
    if (existing === 'different' && !job.overwrite) {
      return this.fail('TAG_EXISTS', `${layout.finalDir} already holds a different release; choose a new tag, or set overwrite: true`)
    }
    if (existing === 'modified' && !job.overwrite) {
      return this.fail(
        'TAG_EXISTS',
        `${layout.finalDir} was deployed as this release but its files have been changed since; left as it is. Choose a new tag, or set overwrite: true to replace it`,
      )
    }
    const ownDir = layout.workDir
    try {
      fs.mkdirSync(ownDir, { recursive: true, mode: 0o700 })
      this.downloadDir = ownDir
      layout.sweepIncoming(ownDir, job.payloadName)
    } catch (error) {
      return this.fail(codeFor(error, 'INTERNAL'), `cannot create ${ownDir}: ${(error as Error).message}`)
    }
    const counts = await this.download(job, ownDir)
    if (counts === undefined) return
    const payloadFile = this.payloadFile!
    const actual = await sha256OfFile(payloadFile)
    if (actual !== job.sha256) return this.fail('VERIFY_FAILED', `payload sha256 ${actual} is not the expected ${job.sha256}`)
    try {
      await unpackRelease(payloadFile, layout, { contentId: job.contentId, mtimes: job.mtimes, key: job.key, iv: job.iv, overwrite: job.overwrite })
    } catch (error) {
      if (error instanceof TagExistsError) return this.fail('TAG_EXISTS', error.message)
      return this.fail(codeFor(error, 'UNPACK_FAILED'), `unpacking into ${layout.partialDir}: ${(error as Error).message}`)
    }
    this.released = true
    if (job.keepPayload) this.payloadToKeep = () => layout.keepPayload(payloadFile, job.payloadName, job.sha256, job.contentId)
    this.io.emit({ type: 'done', alreadyPresent: false, seeding: true, ...counts, seconds: this.secondsSinceStart() })
    // Keep seeding for the others until stdin closes.
    this.leaveOtherSeeds(this.torrent!)
  }

  /** Downloads the payload into ownDir, reporting progress; resolves with where the bytes came from. */
  private async download(job: AgentJob, ownDir: string): Promise<{ fromSeeder: number; fromPeers: number } | undefined> {
    let fromSeeder = 0
    let fromPeers = 0
    const client = this.newClient(job)
    client.on('error', (error: Error | string) => this.fail(codeFor(error, 'TORRENT_FAILED'), `BitTorrent client: ${String(error)}`))
    const added = client.add(Buffer.from(job.torrent, 'base64'), agentAddOptions(ownDir))
    spreadPieceOrder(added)
    joinFleetSwarm(added)
    added.on('trackerAnnounce', () => this.controllerAlive())
    this.torrent = added
    added.on('error', (error: Error | string) => this.fail(codeFor(error, 'TORRENT_FAILED'), `torrent: ${String(error)}`))
    added.on('metadata', () => {
      this.payloadFile = path.join(ownDir, added.files[0]!.path)
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
    this.payloadFile ??= path.join(ownDir, added.files[0]!.path)
    return { fromSeeder, fromPeers }
  }

  /**
   * A host that already holds the release seeds it for the others when it kept the very payload this
   * deploy's torrent describes (the same build packs to the same bytes). Re-hashed first: webtorrent
   * is then told to trust the file, so a corrupt copy must never get that far.
   */
  private async seedKeptPayload(job: AgentJob, layout: ReleaseLayout): Promise<boolean> {
    const kept = layout.keptPayloadFor(job.payloadName, job.sha256)
    if (kept === undefined) return false
    if ((await sha256OfFile(kept).catch(() => '')) !== job.sha256 || this.exiting) return false
    const client = this.newClient(job)
    client.on('error', (error: Error | string) => this.io.emit({ type: 'error', code: 'TORRENT_FAILED', message: `seeding the kept payload: ${String(error)}` }))
    const torrent = client.add(Buffer.from(job.torrent, 'base64'), keptPayloadSeedOptions(path.dirname(kept)))
    joinFleetSwarm(torrent)
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

  private newClient(job: AgentJob): WebTorrent.Instance {
    this.client = new WebTorrent(closedFleetClientOptions({ torrentPort: 0, maxConns: job.maxConns }))
    return this.client
  }

  private secondsSinceStart(): number {
    return (Date.now() - this.startedAt) / 1000
  }

  /**
   * ENOSPC says neither where nor how much: say both, so a person knows what to free. Free space is
   * counted as it will be once this deploy's own partial files are gone (shutdown removes them).
   */
  private diskFullDetail(): string {
    const layout = this.layout
    if (layout === undefined) return ''
    try {
      const disk = fs.statfsSync(layout.destination)
      let ours = 0
      if (this.payloadFile !== undefined && fs.existsSync(this.payloadFile)) ours = fs.statSync(this.payloadFile).blocks * 512
      const size = this.torrent?.length ?? 0
      const kept = keptPayloadBytes(layout.payloadsDir)
      return (
        ` — ${layout.destination} has ${mb(disk.bavail * disk.bsize + ours)} MB free` +
        (size > 0 ? `; this release needs about ${mb(2 * size)} MB there (the ${mb(size)} MB download, then about as much again unpacked)` : '') +
        (kept > 0 ? `; payloads kept for re-runs take ${mb(kept)} MB of it (they go when their release is removed; keep-payload: false keeps none)` : '')
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

function codeFor(error: unknown, fallback: AgentErrorCode): AgentErrorCode {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'DISK_FULL'
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'NO_PERMISSION'
  return fallback
}

/** Bytes the kept payloads (payloads/<tag>/<file>) take on disk. */
function keptPayloadBytes(payloadsDir: string): number {
  let total = 0
  for (const tag of namesIn(payloadsDir)) {
    for (const name of namesIn(path.join(payloadsDir, tag))) total += fs.lstatSync(path.join(payloadsDir, tag, name), { throwIfNoEntry: false })?.blocks ?? 0
  }
  return total * 512
}
