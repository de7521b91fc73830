import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { formatRate } from './inputs/rate.js'
import type { Settings } from './inputs/settings.js'
import { deployPolicy, type DeployPolicy } from './policy.js'
import { describeStrippedModes } from './pack/modes.js'
import { packRelease, type PackedRelease } from './pack/release.js'
import { detectAddressTowardFleet } from './swarm/address.js'
import { resolveFleetAddresses } from './swarm/fleet-addresses.js'
import pLimit, { type LimitFunction } from 'p-limit'
import { openSwarm, type Swarm } from './swarm/swarm.js'
import type { Zone } from './swarm/zones.js'
import type { HostTarget } from './ssh/hosts.js'
import type { AgentBundle } from './fleet/agent-bundle.js'
import { swarmDelivery, type Delivery } from './fleet/delivery.js'
import { directDelivery } from './fleet/direct-links.js'
import { runFleet } from './fleet/fleet-runner.js'
import { markFailed, newHostState, type HostState } from './fleet/host-state.js'
import type { SshLinkOptions } from './fleet/ssh-host-link.js'
import { WarmSessions } from './fleet/warm-sessions.js'
import { closeZoneDeliveries, zoneDeliveryFacts, type ZoneDelivery } from './fleet/zone-deliveries.js'
import { chooseTransport } from './inputs/transport.js'
import { openRemoteOrigin } from './swarm/remote-origin.js'
import { PROTOCOL_VERSION, type AgentJob } from './protocol/events.js'
import { judge, judgeActivation } from './verdict/verdict.js'
import { buildReport, type ActivationReport, type DeployReport } from './report/report.js'
import { activateRelease } from './activation/activate-release.js'
import { activationOutcome } from './activation/outcome.js'
import type { ActivationVerdict } from './verdict/verdict.js'
import { formatMB } from './report/format.js'
import { ProgressLine } from './report/progress.js'

/** How the engine reaches the outside world: the action wires these to @actions/core, the CLI to its terminal. */
export interface DeployHooks {
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
  /** Registers a value that must never appear in logs. */
  secret(value: string): void
  /** Called with the work directory as soon as it exists, so the post step can remove it. */
  workdirCreated(dir: string): void
  signal: AbortSignal
  /** Called once the hosts are being driven, with their live states (the CLI draws its progress display from them). */
  fleetStarted?(states: readonly HostState[], transferStart: number): void
  /** The fleet's one-line progress, once per interval; default: info. */
  progress?(line: string): void
}

export interface DeployResult {
  report: DeployReport
  details: string[]
}

/**
 * The deploy, start to verdict: pack → delivery (the swarm, one per zone, or each host's SSH
 * session) → fleet → (activation) → verdict → report. Whatever happens, every swarm is closed and
 * the payload removed before this returns.
 */
export async function deploy(settings: Settings, agent: AgentBundle, hooks: DeployHooks): Promise<DeployResult> {
  const started = Date.now()
  const policy = deployPolicy(settings.hosts.length, settings.deadlineMs)
  const workdir = fs.mkdtempSync(path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'murder-action-'))
  hooks.workdirCreated(workdir)
  // Every zone's delivery once it is open, so that whatever happens they are closed.
  const deliveries: ZoneDelivery[] = []
  const warm = new WarmSessions(sshLinkOptions(settings, agent, Date.now()))
  try {
    const release = await pack(settings, workdir, hooks, () => warm.open(firstHosts(settings)))
    abortIfCancelled(hooks.signal)
    // The deadline counts from here: with a seeder host, sending it the objects is part of the transfer.
    const transferStart = Date.now()
    const states = await deliver(settings, release, agent, transferStart, policy, hooks, deliveries, warm)
    const transferSeconds = (states.settledAt - transferStart) / 1000
    // Over SSH nobody seeds: hosts that held the release simply had nothing to receive.
    if (deliveries.some(({ delivery }) => delivery.transport === 'swarm')) reportHoldersThatSeeded(states.hosts, settings.tag, hooks)
    const verdict = judge(states.hosts, settings.maxFailedHosts)
    // The deliveries' work is done (every agent has stopped): close them before the rollout, which may take long.
    const closed = deliveries.splice(0)
    await closeZoneDeliveries(closed)
    // Then what they did: an origin on a seeder host reports its last counts as it stops, where before
    // they were as of its last progress event (a zone done in 5 s reported 0 bytes sent).
    const deliveryFacts = zoneDeliveryFacts(closed)
    let activation: { report: ActivationReport; verdict: ActivationVerdict } | undefined
    const details = [...verdict.details]
    if (settings.activate && !verdict.ok) details.push(`Nothing was activated: ${settings.tag} did not reach enough hosts.`)
    else if (settings.activate) {
      hooks.info(`Activating ${settings.tag} on ${verdict.succeeded.length} hosts …`)
      const rollout = await activateRelease(settings, states.hosts, verdict.failed.length, agent, { info: hooks.info, signal: hooks.signal })
      const activationVerdict = judgeActivation(rollout, verdict, settings.maxFailedHosts, settings.tag)
      activation = {
        report: { batches: rollout.batches, hosts: rollout.hosts, stopped: rollout.stopped, ...activationOutcome(rollout) },
        verdict: activationVerdict,
      }
      details.push(...activationVerdict.details)
    }
    const report = buildReport(
      {
        tag: settings.tag,
        ...deliveryFacts,
        contentId: release.contentId,
        payloadBytes: release.storedBytes,
        objects: release.manifest.objects.length,
        padBytes: release.layout.padBytes,
        encrypted: release.encrypted,
        packSeconds: release.seconds,
        transferSeconds,
        durationSeconds: (Date.now() - started) / 1000,
      },
      states.hosts,
      verdict,
      activation,
    )
    return { report, details }
  } finally {
    warm.close()
    await closeZoneDeliveries(deliveries)
    fs.rmSync(workdir, { recursive: true, force: true })
  }
}

/**
 * The hosts the fleet runner starts first, whose SSH sessions are opened while the pack hashes and
 * encodes the tree (fleet/warm-sessions.ts): the first `concurrency` of the zones whose delivery
 * opens at once (a seeder host's zone waits for its upload first).
 */
function firstHosts(settings: Settings): HostTarget[] {
  return settings.zones.filter((zone) => zone.seederHost === undefined).flatMap((zone) => zone.hosts).slice(0, settings.concurrency)
}

/**
 * How the objects reach one zone's hosts (the whole fleet's, without zones): each host's SSH
 * session (transport ssh, never with zones: settings.ts refuses seeder hosts with it), or the
 * zone's swarm, whose tracker and seeder the hosts reach at the runner or at its seeder host.
 */
async function openZone(run: ZoneRun, zone: Zone): Promise<Delivery> {
  const { settings, release, agent, transferStart } = run
  const { transport, why } = chooseTransport(settings.transport, settings.hosts.length, zone.seederHost !== undefined)
  const ssh = { ...sshLinkOptions(settings, agent, transferStart), warm: run.warm }
  if (transport === 'ssh') {
    // The runner's writes are all a host receives, and all the runner sends: both caps are its pace.
    return directDelivery({
      ssh,
      reader: release.reader,
      sealed: release.sealed,
      layout: release.layout,
      why,
      perHostRate: settings.downloadLimit,
      totalRate: settings.seederUploadLimit,
    })
  }
  const address = settings.trackerAddress ?? zone.seederHost?.host ?? (await detectAddressTowardFleet(zone.hosts))
  // Its hosts and its seeder (the runner, or the seeder host under whatever address it is reached at): the only addresses let into the zone's swarm.
  const seeders = [{ host: address }, ...(zone.seederHost !== undefined ? [zone.seederHost] : [])]
  const allowedPeers = settings.swarmAllowAnyPeer ? undefined : await resolveFleetAddresses([...zone.hosts, ...seeders])
  const swarm = await openDeploySwarm(run, zone, address, allowedPeers)
  const capped = settings.seederUploadLimit !== undefined ? `, seeder capped at ${formatRate(settings.seederUploadLimit)}` : ''
  return swarmDelivery(swarm, ssh, `${capped} (${why})`, allowedPeers)
}

/**
 * A swarm's tracker and first seeder: in this process (the hosts reach the runner), or on the
 * zone's seeder host (seeder-host: the runner needs only outbound SSH). Either is a Swarm to the rest.
 */
async function openDeploySwarm(run: ZoneRun, zone: Zone, address: string, allowedPeers: Set<string> | undefined): Promise<Swarm> {
  const { settings, release, agent, policy, transferStart, hooks } = run
  if (release.pieces.length === 0) throw new Error('internal: a swarm needs the pieces hashed (whatThePackMustMake)')
  if (zone.seederHost === undefined) {
    if (!release.allWritten) throw new Error('internal: a seeder on the runner needs every object written (whatThePackMustMake)')
    return openSwarm({
      objectsDir: release.objectsDir,
      layout: release.layout,
      pieces: release.pieces,
      trackerPort: settings.trackerPort,
      address: async () => address,
      policy: policy.tracker,
      seederUploadLimit: settings.seederUploadLimit,
      allowedPeers,
      hostCount: zone.hosts.length,
      onWarning: hooks.debug,
    })
  }
  const inZone = zone.name !== undefined ? ` (zone ${zone.name})` : ''
  hooks.info(`Sending ${formatMB(release.storedBytes)} MB to the seeder host ${zone.seederHost.label}${inZone}, which runs the tracker and the seeder …`)
  try {
    return await openRemoteOrigin({
      target: zone.seederHost,
      zone: zone.name,
      ssh: sshLinkOptions(settings, agent, transferStart),
      reader: release.reader,
      layout: release.layout,
      pieces: release.pieces,
      announceAddress: address,
      trackerPort: settings.trackerPort,
      policy,
      seederUploadLimit: settings.seederUploadLimit,
      allowedPeers,
      hostCount: zone.hosts.length,
      destination: settings.destination,
      signal: hooks.signal,
      log: hooks.debug,
      notice: hooks.info,
    })
  } catch (error) {
    abortIfCancelled(hooks.signal)
    throw error
  }
}

/** A zone's hosts are stopped, each failed with the reason, when its delivery goes away (a seeder host that died). */
function withDeliveryLoss(hooks: DeployHooks, delivery: Delivery): AbortSignal {
  if (delivery.lost === undefined) return hooks.signal
  const lost = new AbortController()
  void delivery.lost.then((why) => {
    hooks.warning(why)
    lost.abort(why)
  })
  return AbortSignal.any([hooks.signal, lost.signal])
}

function sshLinkOptions(settings: Settings, agent: AgentBundle, transferStart: number): SshLinkOptions {
  return {
    credentials: { privateKey: settings.sshKey, passphrase: settings.sshKeyPassphrase, knownHosts: settings.knownHosts },
    agent,
    nodePath: settings.nodePath,
    giveUpAt: transferStart + settings.deadlineMs,
  }
}

/** `accepted`: called once the tree passed the pack's checks (no host is contacted before that). */
async function pack(settings: Settings, workdir: string, hooks: DeployHooks, accepted: () => void): Promise<PackedRelease> {
  hooks.info(`Packing ${settings.sourceDir} …`)
  const release = await packRelease({
    accepted,
    sourceDir: settings.sourceDir,
    workdir,
    encrypt: settings.encrypt,
    compressionLevel: settings.compressionLevel,
    // The same secret and build give the same objects, which hosts that hold them need not download.
    keySecret: `${settings.sshKey}\0${settings.sshKeyPassphrase ?? ''}`,
    preserveSpecialModes: settings.preserveSpecialModes,
    ...whatThePackMustMake(settings),
  })
  if (release.strippedModes.length > 0) hooks.warning(describeStrippedModes(release.strippedModes))
  hooks.info(
    `Packed ${release.entries} entries into ${release.manifest.objects.length} objects, ${formatMB(release.storedBytes)} MB ` +
      `(${formatMB(release.plainBytes)} MB of files) in ${release.seconds.toFixed(1)} s, content ${release.contentId.slice(0, 16)}` +
      (release.encrypted ? ', encrypted' : ''),
  )
  return release
}

/**
 * Only a seeder on the runner reads the objects from files; SSH streams (transport ssh, a seeder
 * host's) are fed from the tree itself, so that the payload is not written a second time for them.
 * Only a swarm's torrent needs the pieces' SHA-1s: without one (transport ssh) they are not made.
 * Only a swarm needs the objects sealed on the runner: without one, SSH carries them encoded and
 * each host seals them for its store (protocol/events.ts, AgentJob.direct).
 * Each zone's transport is chosen as openZone will choose it.
 */
function whatThePackMustMake(settings: Settings): { objectFiles: 'all' | 'compressed'; pieceHashes: boolean; sealObjects: boolean } {
  const transports = settings.zones.map((zone) => ({
    seederOnRunner: zone.seederHost === undefined,
    transport: chooseTransport(settings.transport, settings.hosts.length, zone.seederHost !== undefined).transport,
  }))
  const swarm = transports.some((zone) => zone.transport === 'swarm')
  return {
    objectFiles: transports.some((zone) => zone.seederOnRunner && zone.transport === 'swarm') ? 'all' : 'compressed',
    pieceHashes: swarm,
    sealObjects: swarm,
  }
}

function agentJob(settings: Settings, release: PackedRelease, delivery: Delivery, policy: DeployPolicy): AgentJob {
  return {
    v: PROTOCOL_VERSION,
    tag: settings.tag,
    destination: settings.destination,
    ...delivery.source,
    pieceLength: release.layout.pieceLength,
    manifest: release.encodedManifest,
    keepObjects: settings.keepPayload,
    overwrite: settings.overwrite,
    ...(settings.uploadLimit !== undefined && { uploadLimit: settings.uploadLimit }),
    ...(settings.downloadLimit !== undefined && { downloadLimit: settings.downloadLimit }),
    nice: settings.agentNice,
    ...policy.agent,
  }
}

/**
 * Runs the fleet to the end: each zone (the whole fleet, without zones) opens its delivery and, once
 * it is up, runs its hosts with its job — a zone does not wait for another's seeder host — all
 * under one concurrency limit and one deadline, with one progress line per interval in the log. The
 * hosts' states come back in the order of `hosts`; the deliveries opened are put in `deliveries`.
 */
async function deliver(
  settings: Settings,
  release: PackedRelease,
  agent: AgentBundle,
  transferStart: number,
  policy: DeployPolicy,
  hooks: DeployHooks,
  deliveries: ZoneDelivery[],
  warm: WarmSessions,
): Promise<{ hosts: HostState[]; settledAt: number }> {
  const states = settings.hosts.map(newHostState)
  const stateOf = new Map(states.map((state) => [state.target, state]))
  const progress = watchProgress(states, transferStart, policy, hooks)
  const limit = pLimit(settings.concurrency)
  const zoneRun = { settings, release, agent, transferStart, policy, hooks, limit, deliveries, warm, started: progress.start }
  const results = await Promise.allSettled(settings.zones.map((zone) => deliverZone(zoneRun, zone, zone.hosts.map((host) => stateOf.get(host)!))))
  progress.stop()
  // Every zone is settled (its agents stopped) before a failure is passed on.
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected')
  if (failed !== undefined) throw failed.reason
  if (deliveries.length === 0) throw new Error(`No zone's seeder host could take the objects: ${states[0]?.error ?? 'no zone'}`)
  return { hosts: states, settledAt: Math.max(...results.map((result) => (result as PromiseFulfilledResult<number>).value)) }
}

interface ZoneRun {
  settings: Settings
  release: PackedRelease
  agent: AgentBundle
  transferStart: number
  policy: DeployPolicy
  hooks: DeployHooks
  /** One limit for every zone's hosts: `concurrency` bounds them all together. */
  limit: LimitFunction
  deliveries: ZoneDelivery[]
  /** The sessions opened while packing, for the hosts' links to take. */
  warm: WarmSessions
  /** Called as each zone's hosts start: the first call shows the fleet's progress. */
  started: () => void
}

/** One zone: its delivery, then its hosts, to the end; resolves with when its last host settled. */
async function deliverZone(run: ZoneRun, zone: Zone, states: HostState[]): Promise<number> {
  const { settings, release, agent, transferStart, policy, hooks } = run
  let delivery: Delivery
  try {
    delivery = await openZone(run, zone)
  } catch (error) {
    // Without zones, or cancelled, the deploy stops here as it always has; a zone's hosts fail on their own.
    if (zone.name === undefined || hooks.signal.aborted) throw error
    const why = (error as Error).message
    hooks.warning(why)
    for (const state of states) {
      markFailed(state, why)
      state.agentExited = true // none was started
    }
    return Date.now()
  }
  run.deliveries.push({ zone, delivery })
  hooks.info(`${zone.name !== undefined ? `Zone ${zone.name}: ` : ''}${delivery.describe}; deploying to ${zone.hosts.length} hosts (deadline ${settings.deadlineMs / 1000} s)`)
  run.started()
  const fleet = runFleet({
    hosts: zone.hosts,
    states,
    connect: delivery.links,
    job: agentJob(settings, release, delivery, policy),
    concurrency: settings.concurrency,
    limit: run.limit,
    transferStart,
    deadlineMs: settings.deadlineMs,
    signal: withDeliveryLoss(hooks, delivery),
    log: hooks.debug,
    notice: hooks.info,
  })
  await fleet.finished
  return fleet.settledAt()
}

/** The fleet's progress: shown (the CLI's display, the log's line per interval) from the first zone's start until stop. */
function watchProgress(states: HostState[], transferStart: number, policy: DeployPolicy, hooks: DeployHooks): { start: () => void; stop: () => void } {
  let ticker: NodeJS.Timeout | undefined
  let stopped = false
  return {
    start: () => {
      if (ticker !== undefined || stopped) return
      hooks.fleetStarted?.(states, transferStart)
      const progress = new ProgressLine(transferStart)
      const tell = hooks.progress ?? hooks.info
      ticker = setInterval(() => tell(progress.render(states)), policy.progressLogIntervalMs)
    },
    stop: () => {
      stopped = true
      clearInterval(ticker)
    },
  }
}

/** Hosts that already held the release: say how many of them served it to the others from their store. */
function reportHoldersThatSeeded(states: HostState[], tag: string, hooks: DeployHooks): void {
  const present = states.filter((state) => state.phase === 'done' && state.alreadyPresent)
  if (present.length === 0) return
  const seeding = present.filter((state) => state.seeding)
  const sent = seeding.reduce((sum, state) => sum + state.uploaded, 0)
  hooks.info(
    `${present.length} hosts already held ${tag}; ${seeding.length} of them seeded it from their object store ` +
      `(${formatMB(sent)} MB sent to the others)` +
      (seeding.length < present.length ? '; the others no longer hold all of its objects (keep-payload off, or they were packed differently)' : ''),
  )
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
