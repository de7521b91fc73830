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
import { openSwarm, type Swarm } from './swarm/swarm.js'
import type { AgentBundle } from './fleet/agent-bundle.js'
import { swarmDelivery, type Delivery } from './fleet/delivery.js'
import { directDelivery } from './fleet/direct-links.js'
import { runFleet } from './fleet/fleet-runner.js'
import type { HostState } from './fleet/host-state.js'
import type { SshLinkOptions } from './fleet/ssh-host-link.js'
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
 * The deploy, start to verdict: pack → delivery (the swarm, or each host's SSH session) → fleet →
 * (activation) → verdict → report. Whatever happens, the swarm is closed and the payload removed
 * before this returns.
 */
export async function deploy(settings: Settings, agent: AgentBundle, hooks: DeployHooks): Promise<DeployResult> {
  const started = Date.now()
  const policy = deployPolicy(settings.hosts.length, settings.deadlineMs)
  const workdir = fs.mkdtempSync(path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'murder-action-'))
  hooks.workdirCreated(workdir)
  let delivery: Delivery | undefined
  try {
    const release = await pack(settings, workdir, hooks)
    abortIfCancelled(hooks.signal)
    // The deadline counts from here: with a seeder host, sending it the objects is part of the transfer.
    const transferStart = Date.now()
    delivery = await openDelivery(settings, release, agent, policy, transferStart, hooks)
    hooks.info(`${delivery.describe}; deploying to ${settings.hosts.length} hosts (deadline ${settings.deadlineMs / 1000} s)`)
    abortIfCancelled(hooks.signal)
    const states = await deliver(settings, agentJob(settings, release, delivery, policy), delivery, transferStart, policy, withDeliveryLoss(hooks, delivery))
    const transferSeconds = (states.settledAt - transferStart) / 1000
    // Over SSH nobody seeds: hosts that held the release simply had nothing to receive.
    if (delivery.transport === 'swarm') reportHoldersThatSeeded(states.hosts, settings.tag, hooks)
    const verdict = judge(states.hosts, settings.maxFailedHosts)
    // The delivery's work is done (every agent has stopped): close it before the rollout, which may take long.
    const deliveryFacts = delivery.facts()
    await delivery.close()
    delivery = undefined
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
    await delivery?.close()
    fs.rmSync(workdir, { recursive: true, force: true })
  }
}

/** How the objects reach the hosts: each host's SSH session (transport ssh), or the deploy's swarm. */
async function openDelivery(
  settings: Settings,
  release: PackedRelease,
  agent: AgentBundle,
  policy: DeployPolicy,
  transferStart: number,
  hooks: DeployHooks,
): Promise<Delivery> {
  const { transport, why } = chooseTransport(settings.transport, settings.hosts.length, settings.seederHost !== undefined)
  const ssh = sshLinkOptions(settings, agent, transferStart)
  if (transport === 'ssh') {
    // The runner's writes are all a host receives, and all the runner sends: both caps are its pace.
    return directDelivery({
      ssh,
      objectsDir: release.objectsDir,
      layout: release.layout,
      pieces: release.pieces,
      why,
      perHostRate: settings.downloadLimit,
      totalRate: settings.seederUploadLimit,
    })
  }
  // Where the fleet finds the tracker and the seeder, and so the only addresses, with the hosts', let into the swarm.
  const address = settings.seederHost !== undefined ? (settings.trackerAddress ?? settings.seederHost.host) : (settings.trackerAddress ?? (await detectAddressTowardFleet(settings.hosts)))
  const allowedPeers = settings.swarmAllowAnyPeer ? undefined : await resolveFleetAddresses([...settings.hosts, { host: address }])
  const swarm = await openDeploySwarm(settings, release, agent, policy, transferStart, hooks, address, allowedPeers)
  const capped = settings.seederUploadLimit !== undefined ? `, seeder capped at ${formatRate(settings.seederUploadLimit)}` : ''
  return swarmDelivery(swarm, ssh, `${capped} (${why})`, allowedPeers)
}

/**
 * The deploy's tracker and first seeder: in this process (the hosts reach the runner), or on the
 * seeder host (seeder-host: the runner needs only outbound SSH). Either is a Swarm to the rest.
 */
async function openDeploySwarm(
  settings: Settings,
  release: PackedRelease,
  agent: AgentBundle,
  policy: DeployPolicy,
  transferStart: number,
  hooks: DeployHooks,
  address: string,
  allowedPeers: Set<string> | undefined,
): Promise<Swarm> {
  if (settings.seederHost === undefined) {
    return openSwarm({
      objectsDir: release.objectsDir,
      layout: release.layout,
      pieces: release.pieces,
      trackerPort: settings.trackerPort,
      address: async () => address,
      policy: policy.tracker,
      seederUploadLimit: settings.seederUploadLimit,
      allowedPeers,
      hostCount: settings.hosts.length,
      onWarning: hooks.debug,
    })
  }
  hooks.info(`Sending ${formatMB(release.storedBytes)} MB to the seeder host ${settings.seederHost.label}, which runs the tracker and the seeder …`)
  try {
    return await openRemoteOrigin({
      target: settings.seederHost,
      ssh: sshLinkOptions(settings, agent, transferStart),
      objectsDir: release.objectsDir,
      layout: release.layout,
      pieces: release.pieces,
      announceAddress: settings.trackerAddress ?? settings.seederHost.host,
      trackerPort: settings.trackerPort,
      policy,
      seederUploadLimit: settings.seederUploadLimit,
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

/** The fleet is stopped, each host failed with the reason, when the delivery goes away (a seeder host that died). */
function withDeliveryLoss(hooks: DeployHooks, delivery: Delivery): DeployHooks {
  if (delivery.lost === undefined) return hooks
  const lost = new AbortController()
  void delivery.lost.then((why) => {
    hooks.warning(why)
    lost.abort(why)
  })
  return { ...hooks, signal: AbortSignal.any([hooks.signal, lost.signal]) }
}

function sshLinkOptions(settings: Settings, agent: AgentBundle, transferStart: number): SshLinkOptions {
  return {
    credentials: { privateKey: settings.sshKey, passphrase: settings.sshKeyPassphrase, knownHosts: settings.knownHosts },
    agent,
    nodePath: settings.nodePath,
    giveUpAt: transferStart + settings.deadlineMs,
  }
}

async function pack(settings: Settings, workdir: string, hooks: DeployHooks): Promise<PackedRelease> {
  hooks.info(`Packing ${settings.sourceDir} …`)
  const release = await packRelease({
    sourceDir: settings.sourceDir,
    workdir,
    encrypt: settings.encrypt,
    compressionLevel: settings.compressionLevel,
    // The same secret and build give the same objects, which hosts that hold them need not download.
    keySecret: `${settings.sshKey}\0${settings.sshKeyPassphrase ?? ''}`,
    preserveSpecialModes: settings.preserveSpecialModes,
  })
  if (release.strippedModes.length > 0) hooks.warning(describeStrippedModes(release.strippedModes))
  hooks.info(
    `Packed ${release.entries} entries into ${release.manifest.objects.length} objects, ${formatMB(release.storedBytes)} MB ` +
      `(${formatMB(release.plainBytes)} MB of files) in ${release.seconds.toFixed(1)} s, content ${release.contentId.slice(0, 16)}` +
      (release.encrypted ? ', encrypted' : ''),
  )
  return release
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
    ...policy.agent,
  }
}

/** Runs the fleet to the end, with one progress line per interval in the log. */
async function deliver(
  settings: Settings,
  job: AgentJob,
  delivery: Delivery,
  transferStart: number,
  policy: DeployPolicy,
  hooks: DeployHooks,
): Promise<{ hosts: HostState[]; settledAt: number }> {
  const fleet = runFleet({
    hosts: settings.hosts,
    connect: delivery.links,
    job,
    concurrency: settings.concurrency,
    transferStart,
    deadlineMs: settings.deadlineMs,
    signal: hooks.signal,
    log: hooks.debug,
    notice: hooks.info,
  })
  hooks.fleetStarted?.(fleet.states, transferStart)
  const progress = new ProgressLine(transferStart)
  const tell = hooks.progress ?? hooks.info
  const ticker = setInterval(() => tell(progress.render(fleet.states)), policy.progressLogIntervalMs)
  try {
    await fleet.finished
  } finally {
    clearInterval(ticker)
  }
  return { hosts: fleet.states, settledAt: fleet.settledAt() }
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
