import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { Settings } from './inputs/settings.js'
import { InputError } from './inputs/errors.js'
import { packDirectory } from './pack/pack.js'
import { treeDigest } from './pack/tree-digest.js'
import { detectAddressToward } from './swarm/address.js'
import { startSeeder, type Seeder } from './swarm/seeder.js'
import { makeTorrent } from './swarm/torrent.js'
import { hashPiecesOfFile } from './swarm/pieces.js'
import { swarmPieceLength } from './swarm/client-options.js'
import { startTracker, type EphemeralTracker } from './swarm/tracker.js'
import { runFleet } from './fleet/fleet.js'
import { makeAgentBundle, type AgentBundle } from './fleet/agent-bundle.js'
import { PROTOCOL_VERSION, type AgentJob } from './protocol/events.js'
import { judge } from './verdict/verdict.js'
import { buildReport, type DeployReport } from './report/report.js'
import { ProgressLine } from './report/progress.js'

/**
 * Outgoing peer connections each agent opens (webtorrent's `maxConns`; incoming ones come on top, so
 * a host ends up with about twice this many peers). webtorrent's default, 55, makes a full mesh of a
 * fleet, and its request scheduler does work per peer for every message. Measured (bench/README.md,
 * 16 MiB to 32 hosts on 20 Mbit/s): 55 → 69 s, 6 → 34 s, 3 → 51 s (too few sources per host).
 */
const AGENT_MAX_CONNS = 6

export interface DeployHooks {
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
  /** Registers a value that must never appear in logs. */
  secret(value: string): void
  /** Called with the work directory as soon as it exists, so the post step can remove it. */
  workdirCreated(dir: string): void
  signal: AbortSignal
}

export interface DeployResult {
  report: DeployReport
  details: string[]
}

/** Loads the agent bundle that ships beside this file in dist/. */
export function loadAgentBundle(file = new URL('../agent/murder-agent.mjs', import.meta.url)): AgentBundle {
  return makeAgentBundle(fs.readFileSync(file, 'utf8'))
}

/**
 * The deploy, start to verdict: pack → tracker → torrent → seeder → fleet → verdict. Whatever
 * happens, the seeder and tracker are closed and the payload is removed before this returns.
 */
export async function deploy(settings: Settings, agent: AgentBundle, hooks: DeployHooks): Promise<DeployResult> {
  const started = Date.now()
  const workdir = fs.mkdtempSync(path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'murder-action-'))
  hooks.workdirCreated(workdir)
  let tracker: EphemeralTracker | undefined
  let seeder: Seeder | undefined
  try {
    // Also refuses symlinks out of the tree, which every host would refuse after the whole transfer.
    const contentId = await treeDigest(settings.sourceDir).catch((error: Error) => {
      throw new InputError('path', error.message)
    })
    hooks.info(`Packing ${settings.sourceDir} …`)
    const payloadName = `${settings.tag}.tar.gz${settings.encrypt ? '.enc' : ''}`
    const payload = await packDirectory(settings.sourceDir, path.join(workdir, payloadName), {
      gzipLevel: settings.compressionLevel,
      encrypt: settings.encrypt,
      // The same secret and build give the same payload, which hosts that kept it can seed (pack/payload-key.ts).
      keySecret: `${settings.sshKey}\0${settings.sshKeyPassphrase ?? ''}`,
    })
    if (payload.encryption) {
      hooks.secret(payload.encryption.key)
      hooks.secret(payload.encryption.iv)
    }
    hooks.info(
      `Packed ${payload.entries} entries, ${(payload.bytes / 1e6).toFixed(1)} MB in ${payload.seconds.toFixed(1)} s (sha256 ${payload.sha256})` +
        (payload.encryption ? ', encrypted' : ''),
    )
    abortIfCancelled(hooks.signal)

    tracker = await startTracker({
      port: settings.trackerPort,
      intervalMs: Math.max(5_000, Math.min(60_000, settings.hosts.length * 20)),
      peersCacheLength: Math.max(1000, settings.hosts.length * 2),
      onWarning: (message) => hooks.debug(`tracker: ${message}`),
    })
    const address = settings.trackerAddress ?? (await detectRunnerAddress(settings))
    const announceUrl = tracker.announceUrl(address)
    const pieceLength = swarmPieceLength(payload.bytes)
    const torrent = makeTorrent({
      name: payloadName,
      length: payload.bytes,
      pieceLength,
      pieces: await hashPiecesOfFile(payload.file, pieceLength),
      announceUrl,
    })
    tracker.allow(torrent.infoHash)
    seeder = await startSeeder({
      file: payload.file,
      torrent: torrent.torrent,
      onWarning: (message) => hooks.debug(message),
    })
    hooks.info(
      `Tracker ${announceUrl}, seeder on port ${seeder.port}, info hash ${torrent.infoHash}, ` +
        `${torrent.pieceLength / 1024} KiB pieces; deploying to ${settings.hosts.length} hosts (deadline ${settings.deadlineMs / 1000} s)`,
    )
    abortIfCancelled(hooks.signal)

    const hostCount = settings.hosts.length
    const job: AgentJob = {
      v: PROTOCOL_VERSION,
      tag: settings.tag,
      destination: settings.destination,
      torrent: torrent.torrent.toString('base64'),
      payloadName,
      sha256: payload.sha256,
      contentId,
      mtimes: payload.mtimes,
      keepPayload: settings.keepPayload,
      key: payload.encryption?.key,
      iv: payload.encryption?.iv,
      seederPeerId: seeder.peerId,
      overwrite: settings.overwrite,
      hardCapSeconds: Math.ceil(settings.deadlineMs / 1000) + 120,
      progressIntervalMs: Math.max(1000, Math.min(10_000, hostCount * 10)),
      heartbeatTimeoutMs: 15_000,
      maxConns: AGENT_MAX_CONNS,
    }
    const transferStart = Date.now()
    const fleet = runFleet({
      hosts: settings.hosts,
      credentials: { privateKey: settings.sshKey, passphrase: settings.sshKeyPassphrase, knownHosts: settings.knownHosts },
      agent,
      nodePath: settings.nodePath,
      job,
      concurrency: settings.concurrency,
      transferStart,
      deadlineMs: settings.deadlineMs,
      signal: hooks.signal,
      log: (message) => hooks.debug(message),
      notice: (message) => hooks.info(message),
    })
    const progress = new ProgressLine(transferStart)
    const ticker = setInterval(() => hooks.info(progress.render(fleet.states)), hostCount > 100 ? 15_000 : 5_000)
    try {
      await fleet.finished
    } finally {
      clearInterval(ticker)
    }
    const transferSeconds = (fleet.settledAt() - transferStart) / 1000
    const present = fleet.states.filter((state) => state.phase === 'done' && state.alreadyPresent)
    if (present.length > 0) {
      const seeding = present.filter((state) => state.seeding)
      const sent = seeding.reduce((sum, state) => sum + state.uploaded, 0)
      hooks.info(
        `${present.length} hosts already held ${settings.tag}; ${seeding.length} of them seeded it from the payload they kept ` +
          `(${(sent / 1e6).toFixed(1)} MB sent to the others)` +
          (seeding.length < present.length ? '; the others kept no copy of this exact payload (keep-payload off, or it was packed differently)' : ''),
      )
    }
    const verdict = judge(fleet.states, settings.maxFailedHosts)
    const report = buildReport(
      {
        tag: settings.tag,
        infoHash: torrent.infoHash,
        sha256: payload.sha256,
        payloadBytes: payload.bytes,
        encrypted: payload.encryption !== undefined,
        packSeconds: payload.seconds,
        transferSeconds,
        durationSeconds: (Date.now() - started) / 1000,
        seederUploaded: seeder.uploaded(),
        trackerUrl: announceUrl,
      },
      fleet.states,
      verdict,
    )
    return { report, details: verdict.details }
  } finally {
    await Promise.allSettled([seeder?.close(), tracker?.close()])
    fs.rmSync(workdir, { recursive: true, force: true })
  }
}

/** The runner's address toward the fleet, from the first few hosts whose names resolve. */
async function detectRunnerAddress(settings: Settings): Promise<string> {
  const problems: string[] = []
  for (const host of settings.hosts.slice(0, 10)) {
    try {
      return await detectAddressToward(host.host, host.port)
    } catch (error) {
      problems.push(`${host.label}: ${(error as Error).message}`)
    }
  }
  throw new Error(`Could not detect the address the hosts reach the runner at (${problems.join('; ')}); set tracker-address.`)
}

export class CancelledError extends Error {
  constructor() {
    super('The deploy was cancelled.')
    this.name = 'CancelledError'
  }
}

function abortIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new CancelledError()
}
