/**
 * The peer agent: one self-contained file the action ships to each host and runs under the
 * host's Node (≥ 20). It reads its job from stdin, downloads from the swarm, verifies, unpacks
 * into <destination>/<tag>, and seeds for the others until stdin closes (the controller is done, or
 * the SSH session died) or its hard cap passes. It never outlives either.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import WebTorrent from 'webtorrent'
import { agentAddOptions, closedFleetClientOptions, keptPayloadSeedOptions, spreadPieceOrder } from '../swarm/client-options.js'
import { decodeJob, encodeEvent, PROTOCOL_VERSION, type AgentErrorCode, type AgentEvent, type AgentJob } from '../protocol/events.js'
import { namesIn, ReleaseLayout, sha256OfFile, TagExistsError, unpackRelease } from './release.js'

const startedAt = Date.now()
let client: WebTorrent.Instance | undefined
let torrent: WebTorrent.Torrent | undefined
let layout: ReleaseLayout | undefined
let payloadFile: string | undefined
/** This agent's own download directory (incoming/<pid>), removed whole on exit. */
let downloadDir: string | undefined
/** Set once the downloaded payload is verified and unpacked: worth keeping for later deploys. */
let payloadToKeep: (() => void) | undefined
let released = false
let exiting = false

function emit(event: AgentEvent): void {
  try {
    process.stdout.write(encodeEvent(event))
  } catch {
    // stdout gone: the controller is gone; stdin's end will follow.
  }
}

// The controller reading our stdout went away: nobody to report to, stop now.
process.stdout.on('error', () => void shutdown(1))

function codeFor(error: unknown, fallback: AgentErrorCode): AgentErrorCode {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'DISK_FULL'
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'NO_PERMISSION'
  return fallback
}

function fail(code: AgentErrorCode, message: string): void {
  emit({ type: 'error', code, message: code === 'DISK_FULL' ? message + diskFullDetail() : message })
  void shutdown(1)
}

/**
 * ENOSPC says neither where nor how much: say both, so a person knows what to free. Free space is
 * counted as it will be once this deploy's own partial files are gone (shutdown removes them).
 */
function diskFullDetail(): string {
  if (layout === undefined) return ''
  const mb = (bytes: number): string => (bytes / 1e6).toFixed(1)
  try {
    const disk = fs.statfsSync(layout.destination)
    let ours = 0
    if (payloadFile !== undefined && fs.existsSync(payloadFile)) ours = fs.statSync(payloadFile).blocks * 512
    const size = torrent?.length ?? 0
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

/** Bytes the kept payloads (payloads/<tag>/<file>) take on disk. */
function keptPayloadBytes(payloadsDir: string): number {
  let total = 0
  for (const tag of namesIn(payloadsDir)) {
    for (const name of namesIn(path.join(payloadsDir, tag))) total += fs.lstatSync(path.join(payloadsDir, tag, name), { throwIfNoEntry: false })?.blocks ?? 0
  }
  return total * 512
}

/** Stops everything and removes what an unfinished release left; safe to call more than once. */
async function shutdown(exitCode: number): Promise<void> {
  if (exiting) return
  exiting = true
  const uploaded = torrent?.uploaded ?? 0
  await new Promise<void>((resolve) => {
    if (client === undefined) return resolve()
    const timer = setTimeout(resolve, 3000)
    client.destroy(() => {
      clearTimeout(timer)
      resolve()
    })
  })
  try {
    payloadToKeep?.()
  } catch {
    // Keeping it is an optimisation for later deploys; the release itself is in place.
  }
  if (downloadDir !== undefined) fs.rmSync(downloadDir, { recursive: true, force: true })
  if (layout !== undefined && !released) fs.rmSync(layout.partialDir, { recursive: true, force: true })
  emit({ type: 'exit', uploaded })
  // Let stdout drain, then go.
  process.stdout.write('', () => process.exit(exitCode))
  setTimeout(() => process.exit(exitCode), 1000).unref()
}

function readJobLine(): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = ''
    const timer = setTimeout(() => reject(new Error('no job on stdin within 60 s')), 60_000)
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString()
      const newline = buffered.indexOf('\n')
      if (newline >= 0) {
        clearTimeout(timer)
        process.stdin.removeListener('data', onData)
        process.stdin.removeListener('end', onEnd)
        resolve(buffered.slice(0, newline))
      } else if (buffered.length > 64 << 20) {
        reject(new Error('job line too long'))
      }
    }
    const onEnd = (): void => {
      clearTimeout(timer)
      reject(new Error('stdin closed before a job arrived'))
    }
    process.stdin.on('data', onData)
    process.stdin.on('end', onEnd)
  })
}

async function run(job: AgentJob): Promise<void> {
  layout = new ReleaseLayout(job.destination, job.tag)
  layout.sweepKeptPayloads()
  const existing = await layout.holds(job.contentId)
  if (existing === 'same') {
    released = true
    const seeding = await seedKeptPayload(job, layout)
    emit({ type: 'done', alreadyPresent: true, seeding, fromSeeder: 0, fromPeers: 0, seconds: (Date.now() - startedAt) / 1000 })
    return
  }
  if (existing === 'different' && !job.overwrite) {
    return fail('TAG_EXISTS', `${layout.finalDir} already holds a different release; choose a new tag, or set overwrite: true`)
  }
  if (existing === 'modified' && !job.overwrite) {
    return fail(
      'TAG_EXISTS',
      `${layout.finalDir} was deployed as this release but its files have been changed since; left as it is. Choose a new tag, or set overwrite: true to replace it`,
    )
  }
  const ownDir = layout.workDir
  try {
    fs.mkdirSync(ownDir, { recursive: true, mode: 0o700 })
    downloadDir = ownDir
    layout.sweepIncoming(ownDir, job.payloadName)
  } catch (error) {
    return fail(codeFor(error, 'INTERNAL'), `cannot create ${ownDir}: ${(error as Error).message}`)
  }

  let fromSeeder = 0
  let fromPeers = 0
  client = newClient(job)
  client.on('error', (error: Error | string) => fail(codeFor(error, 'TORRENT_FAILED'), `BitTorrent client: ${String(error)}`))
  const added = client.add(Buffer.from(job.torrent, 'base64'), agentAddOptions(ownDir))
  spreadPieceOrder(added)
  torrent = added
  payloadFile = undefined
  added.on('error', (error: Error | string) => fail(codeFor(error, 'TORRENT_FAILED'), `torrent: ${String(error)}`))
  added.on('metadata', () => {
    payloadFile = path.join(ownDir, added.files[0]!.path)
  })
  added.on('wire', (wire: WebTorrent.Wire) => {
    wire.on('download', (bytes: number) => {
      if (wire.peerId === job.seederPeerId) fromSeeder += bytes
      else fromPeers += bytes
    })
  })
  const progress = setInterval(() => {
    if (released) return
    emit({
      type: 'progress',
      have: added.downloaded,
      total: added.length,
      fromSeeder,
      fromPeers,
      uploaded: added.uploaded,
      peers: added.numPeers,
    })
  }, job.progressIntervalMs)
  progress.unref()

  await new Promise<void>((resolve) => (added.done ? resolve() : added.once('done', () => resolve())))
  clearInterval(progress)
  payloadFile ??= path.join(ownDir, added.files[0]!.path)
  const actual = await sha256OfFile(payloadFile)
  if (actual !== job.sha256) {
    return fail('VERIFY_FAILED', `payload sha256 ${actual} is not the expected ${job.sha256}`)
  }
  try {
    await unpackRelease(payloadFile, layout, { contentId: job.contentId, mtimes: job.mtimes, key: job.key, iv: job.iv, overwrite: job.overwrite })
  } catch (error) {
    if (error instanceof TagExistsError) return fail('TAG_EXISTS', error.message)
    return fail(codeFor(error, 'UNPACK_FAILED'), `unpacking into ${layout.partialDir}: ${(error as Error).message}`)
  }
  released = true
  if (job.keepPayload) {
    const verified = payloadFile
    const releasedLayout = layout
    payloadToKeep = () => releasedLayout.keepPayload(verified, job.payloadName, job.sha256, job.contentId)
  }
  emit({ type: 'done', alreadyPresent: false, seeding: true, fromSeeder, fromPeers, seconds: (Date.now() - startedAt) / 1000 })
  // Keep seeding for the others until stdin closes.
}

/**
 * A host that already holds the release seeds it for the others when it kept the very payload this
 * deploy's torrent describes (the same build packs to the same bytes: pack.ts). Re-hashed first:
 * webtorrent is then told to trust the file, so a corrupt copy must never get that far.
 */
async function seedKeptPayload(job: AgentJob, releaseLayout: ReleaseLayout): Promise<boolean> {
  const kept = releaseLayout.keptPayloadFor(job.payloadName, job.sha256)
  if (kept === undefined) return false
  if ((await sha256OfFile(kept).catch(() => '')) !== job.sha256 || exiting) return false
  client = newClient(job)
  client.on('error', (error: Error | string) => emit({ type: 'error', code: 'TORRENT_FAILED', message: `seeding the kept payload: ${String(error)}` }))
  torrent = client.add(Buffer.from(job.torrent, 'base64'), keptPayloadSeedOptions(path.dirname(kept)))
  return true
}

function newClient(job: AgentJob): WebTorrent.Instance {
  return new WebTorrent(
    closedFleetClientOptions({
      torrentPort: 0,
      maxConns: job.maxConns,
      uploadLimit: job.uploadLimit && job.uploadLimit > 0 ? job.uploadLimit : -1,
    }),
  )
}

async function main(): Promise<void> {
  emit({ type: 'hello', v: PROTOCOL_VERSION, pid: process.pid, node: process.version })
  let job: AgentJob
  try {
    job = decodeJob(await readJobLine())
  } catch (error) {
    return fail('BAD_JOB', (error as Error).message)
  }
  // Heartbeats: any stdin data proves the controller is still there.
  let lastHeard = Date.now()
  process.stdin.on('data', () => (lastHeard = Date.now()))
  setInterval(() => {
    if (Date.now() - lastHeard < job.heartbeatTimeoutMs) return
    if (released) void shutdown(0)
    else fail('CONTROLLER_LOST', `no word from the controller for ${job.heartbeatTimeoutMs / 1000} s: the runner is unreachable`)
  }, 1000).unref()
  process.stdin.on('end', () => {
    if (!released) emit({ type: 'error', code: 'STOPPED', message: 'stopped by the controller before the release was complete' })
    void shutdown(released ? 0 : 1)
  })
  process.stdin.on('error', () => void shutdown(released ? 0 : 1))
  process.stdin.resume()
  setTimeout(() => {
    if (released) void shutdown(0)
    else fail('HARD_CAP', `the agent's own limit of ${job.hardCapSeconds} s passed`)
  }, job.hardCapSeconds * 1000)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (!released) emit({ type: 'error', code: 'STOPPED', message: `stopped by ${signal}` })
      void shutdown(released ? 0 : 1)
    })
  }
  await run(job)
}

main().catch((error: unknown) => fail(codeFor(error, 'INTERNAL'), (error as Error)?.stack ?? String(error)))
