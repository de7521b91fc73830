/**
 * The agent in the origin role (seeder-host): what runs on the seeder host instead of the
 * controller's own tracker and seeder. It receives the release's objects once over its SSH session
 * (on stdin, right after its job line), checks each against its sha256, then runs the deploy's
 * tracker and a seeder from them — the same ones the controller would run (swarm/tracker.ts,
 * swarm/seeder.ts) — and reports `ready` with the tracker's URL and the seeder's peer id. It seeds
 * until the controller says stop (stdin closes), goes silent (no heartbeat), or its hard cap
 * passes — the same liveness rules as every agent — then removes its work directory and exits.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { decodeOriginJob, PROTOCOL_VERSION, type AgentErrorCode, type OriginJob } from '../protocol/events.js'
import { listenTowardFleet } from '../swarm/listen-toward-fleet.js'
import { layObjects } from '../swarm/object-layout.js'
import { incomingLimits } from '../swarm/peer-filter.js'
import { startSeeder, type Seeder } from '../swarm/seeder.js'
import { makeTorrent } from '../swarm/torrent.js'
import { startTracker, type EphemeralTracker } from '../swarm/tracker.js'
import type { AgentIO } from './agent.js'
import { ObjectMismatchError, ObjectReceiver } from './object-receiver.js'
import { ReceiveAcks } from './receive-acks.js'
import { codeFor, isAlive } from './host-facts.js'


export class Origin {
  private job?: OriginJob
  private receiver?: ObjectReceiver
  private readonly acks = new ReceiveAcks((bytes) => this.io.emit({ type: 'ack', bytes }))
  private tracker?: EphemeralTracker
  private seeder?: Seeder
  private workDir?: string
  private serving = false
  private exiting = false
  private lastHeard = Date.now()
  private readonly timers: NodeJS.Timeout[] = []

  constructor(
    private readonly io: AgentIO,
    private readonly pid = process.pid,
  ) {}

  hello(): void {
    this.io.emit({ type: 'hello', v: PROTOCOL_VERSION, pid: this.pid, node: process.version })
  }

  /** Takes the job line; the objects follow on stdin (push). */
  start(jobLine: string): void {
    let job: OriginJob
    try {
      job = decodeOriginJob(jobLine)
    } catch (error) {
      return this.fail('BAD_JOB', (error as Error).message)
    }
    this.job = job
    this.lastHeard = Date.now()
    this.timers.push(
      setInterval(() => {
        if (Date.now() - this.lastHeard >= job.heartbeatTimeoutMs) {
          this.fail('CONTROLLER_LOST', `no word from the controller for ${job.heartbeatTimeoutMs / 1000} s: the runner is unreachable`)
        }
      }, 1000),
      setTimeout(() => this.fail('HARD_CAP', `the origin's own limit of ${job.hardCapSeconds} s passed`), job.hardCapSeconds * 1000),
      setInterval(() => this.progress(), job.progressIntervalMs),
    )
    for (const timer of this.timers) timer.unref()
    try {
      fs.mkdirSync(job.workRoot, { recursive: true, mode: 0o700 })
      sweepDeadOrigins(job.workRoot)
      this.workDir = path.join(job.workRoot, String(this.pid))
      fs.rmSync(this.workDir, { recursive: true, force: true })
      fs.mkdirSync(this.workDir, { mode: 0o700 })
    } catch (error) {
      return this.fail(codeFor(error, 'INTERNAL'), `cannot prepare ${job.workRoot}: ${(error as Error).message}`)
    }
    const receiver = new ObjectReceiver(job.objects, this.workDir, { progress: (written) => this.acks.taken(written) })
    this.receiver = receiver
    receiver.stored.then(
      () => {
        if (this.exiting) return
        this.acks.flush()
        void this.serve()
      },
      (error: Error) => this.fail(codeFor(error, 'INTERNAL'), `writing the objects to ${this.workDir}: ${error.message}`),
    )
  }

  /** Bytes from stdin: the objects until all have arrived, heartbeats after. */
  push(chunk: Buffer): void {
    this.lastHeard = Date.now()
    const receiver = this.receiver
    if (receiver === undefined || receiver.complete || this.exiting) return
    try {
      receiver.push(chunk)
    } catch (error) {
      if (error instanceof ObjectMismatchError) return this.fail('VERIFY_FAILED', error.message)
      return this.fail(codeFor(error, 'INTERNAL'), `writing the objects to ${this.workDir}: ${(error as Error).message}`)
    }
  }

  controllerAlive(): void {
    this.lastHeard = Date.now()
  }

  /** stdin closed: the deploy is over (or the controller's session is gone). */
  stop(why: string): void {
    if (!this.serving && !this.exiting) this.io.emit({ type: 'error', code: 'STOPPED', message: why })
    void this.shutdown(this.serving ? 0 : 1)
  }

  fail(code: AgentErrorCode, message: string): void {
    if (this.exiting) return
    this.io.emit({ type: 'error', code, message })
    void this.shutdown(1)
  }

  /** Closes the seeder and the tracker, removes the work directory, exits; safe to call more than once. */
  async shutdown(exitCode: number): Promise<void> {
    if (this.exiting) return
    // The counts as they end, not as they were at the last interval: the report takes them from here.
    this.progress()
    this.exiting = true
    this.acks.stop()
    for (const timer of this.timers) clearInterval(timer)
    const uploaded = this.seeder?.uploaded() ?? 0
    const closing = Promise.allSettled([this.seeder?.close(), this.tracker?.close()])
    await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 3000))])
    try {
      this.receiver?.close()
    } catch {
      // its file goes with the directory
    }
    if (this.workDir !== undefined) fs.rmSync(this.workDir, { recursive: true, force: true })
    this.io.emit({ type: 'exit', uploaded })
    this.io.exit(exitCode)
  }

  private async serve(): Promise<void> {
    const job = this.job!
    try {
      // The same guard as the runner's swarm (swarm.ts): only the fleet's addresses get in.
      const allowed = job.allowedPeers === undefined ? undefined : new Set(job.allowedPeers)
      const allowPeer = allowed === undefined ? undefined : (address: string) => allowed.has(address)
      const base = { port: job.trackerPort, intervalMs: job.trackerIntervalMs, peersCacheLength: job.peersCacheLength, allowPeer }
      const warn = (message: string): void => this.io.emit({ type: 'notice', message })
      const listening = await listenTowardFleet(job.announceAddress, (host) => startTracker({ ...base, host }), warn)
      this.tracker = listening.started
      const trackerUrl = this.tracker.announceUrl(job.announceAddress)
      const layout = layObjects(job.objects, job.pieceLength)
      const torrent = makeTorrent({ name: 'objects', layout, pieces: Buffer.from(job.pieces, 'base64'), announceUrl: trackerUrl })
      await this.tracker.allow(torrent.infoHash)
      if (this.exiting) return
      this.seeder = await startSeeder({
        objectsDir: this.workDir!,
        layout,
        torrent: torrent.torrent,
        uploadLimit: job.seederUploadLimit,
        listenAddress: listening.listenAddress,
        peers: { allowed, ...incomingLimits({ agent: false, hosts: job.hostCount }, allowed === undefined) },
        onWarning: warn,
      })
      if (this.exiting) return
      this.serving = true
      this.io.emit({ type: 'ready', trackerUrl, infoHash: torrent.infoHash, seederPeerId: this.seeder.peerId, seederPort: this.seeder.port })
      this.progress()
    } catch (error) {
      this.fail(codeFor(error, 'INTERNAL'), `starting the tracker and the seeder: ${(error as Error).message}`)
    }
  }

  private progress(): void {
    const receiver = this.receiver
    if (receiver === undefined || this.exiting) return
    this.io.emit({
      type: 'origin-progress',
      received: receiver.received,
      total: receiver.total,
      uploaded: this.seeder?.uploaded() ?? 0,
      announces: this.tracker?.announces() ?? 0,
    })
  }
}

/** Work directories of origins that are gone (killed outright: nothing of theirs could clean up). */
function sweepDeadOrigins(workRoot: string): void {
  for (const name of fs.readdirSync(workRoot)) {
    if (/^\d+$/.test(name) && isAlive(Number(name))) continue
    fs.rmSync(path.join(workRoot, name), { recursive: true, force: true })
  }
}


