import { setTimeout as sleep } from 'node:timers/promises'
import type { NodeSSH } from 'node-ssh'
import type { AgentBundle } from '../fleet/agent-bundle.js'
import { installCommand, launchCommand, probeCommand, readProbe } from '../fleet/agent-install.js'
import { HEARTBEAT_INTERVAL_MS, SSH_CONNECT_TIMEOUT_MS, SSH_KEEPALIVE } from '../policy.js'
import { decodeActivationEvent, encodeActivationJob, HEARTBEAT, PROTOCOL_VERSION, type ActivationEvent, type ActivationJob } from '../protocol/events.js'
import { LineSplitter } from '../protocol/line-splitter.js'
import { connectOnce, ConnectError, type SshCredentials } from '../ssh/connect.js'
import type { HostTarget } from '../ssh/hosts.js'
import { openExecChannel, writePaced } from '../ssh/paced-stdin.js'
import type { ActivateOutcome, ActivationTarget, StepOutcome } from './activation-target.js'
import { ACTIVATE_COMMAND_TIMEOUT_MS, activationHardCapSeconds, healthAttemptMs } from './policy.js'

export interface SshActivationOptions {
  credentials: SshCredentials
  agent: AgentBundle
  nodePath: string
  destination: string
  tag: string
  sharedPaths: string[]
  activateCommand?: string
  healthCheck?: string
  healthTimeoutMs: number
  rollbackOnFailure: boolean
  keepReleases: number
}

/** Connecting is tried this many times when a new connection may get through (a dropped handshake). */
const CONNECT_ATTEMPTS = 3

/** One ActivationTarget per host, over SSH: each operation is one run of the agent's activation mode. */
export function sshActivationTargets(options: SshActivationOptions): (host: HostTarget) => ActivationTarget {
  return (host) => new SshActivationTarget(host, options)
}

/**
 * Each operation opens its own connection (a rollout may run for many minutes, and a connection
 * held per host through all of it is one more thing to lose), runs the agent — the one the deploy
 * just installed; sent again if missing — with an ActivationJob on stdin, and reads its events.
 */
class SshActivationTarget implements ActivationTarget {
  readonly label: string

  constructor(
    private readonly host: HostTarget,
    private readonly options: SshActivationOptions,
  ) {
    this.label = host.label
  }

  async activate(): Promise<ActivateOutcome> {
    const started = Date.now()
    const run = await this.runJob('activate', null)
    const seconds = (Date.now() - started) / 1000
    const switched = run.events.find((event) => event.type === 'switched')
    const previousTag = switched?.type === 'switched' ? switched.previousTag : undefined
    const final = run.events.find((event) => event.type === 'activated' || event.type === 'error')
    if (final?.type === 'activated') return { ok: true, switched: 'yes', previousTag: final.previousTag, seconds }
    const restored = run.events.some((event) => event.type === 'restored' && event.tag === (previousTag ?? null))
    if (final?.type === 'error') {
      return { ok: false, switched: switched === undefined ? 'no' : restored ? 'restored' : 'yes', previousTag, error: `${final.code}: ${final.message}`, seconds }
    }
    // No outcome: the session ended under it.
    return {
      ok: false,
      switched: switched === undefined ? 'no' : 'unknown',
      previousTag,
      error: `${run.lost ?? 'the activation ended without a result'}` + (switched !== undefined ? ' (after its link switched; its agent puts the previous release back itself)' : ''),
      seconds,
    }
  }

  async restore(previousTag: string | null): Promise<StepOutcome> {
    const run = await this.runJob('restore', previousTag)
    const final = run.events.find((event) => event.type === 'restored' || event.type === 'error')
    if (final?.type === 'restored') return { ok: true, note: final.note }
    if (final?.type === 'error') return { ok: false, note: `${final.code}: ${final.message}` }
    return { ok: false, note: run.lost ?? 'the rollback ended without a result' }
  }

  async prune(previousTag: string | null): Promise<StepOutcome & { removed?: string[] }> {
    const run = await this.runJob('prune', previousTag)
    const final = run.events.find((event) => event.type === 'pruned' || event.type === 'error')
    if (final?.type === 'pruned') return { ok: true, removed: final.removed }
    if (final?.type === 'error') return { ok: false, note: `${final.code}: ${final.message}` }
    return { ok: false, note: run.lost ?? 'pruning ended without a result' }
  }

  private job(mode: ActivationJob['mode'], restoreTo: string | null): ActivationJob {
    const { options } = this
    return {
      v: PROTOCOL_VERSION,
      mode,
      destination: options.destination,
      tag: options.tag,
      restoreTo,
      sharedPaths: options.sharedPaths,
      activateCommand: options.activateCommand,
      healthCheck: options.healthCheck,
      healthTimeoutMs: options.healthTimeoutMs,
      healthAttemptMs: healthAttemptMs(options.healthTimeoutMs),
      commandTimeoutMs: ACTIVATE_COMMAND_TIMEOUT_MS,
      restoreOnFailure: options.rollbackOnFailure,
      keepReleases: options.keepReleases,
      hardCapSeconds: activationHardCapSeconds(options.healthTimeoutMs),
      heartbeatTimeoutMs: SSH_KEEPALIVE.silenceMs,
    }
  }

  /** Runs one job on the host; `lost` says why, when the session ended before the agent finished. */
  private async runJob(mode: ActivationJob['mode'], restoreTo: string | null): Promise<{ events: ActivationEvent[]; lost?: string }> {
    const events: ActivationEvent[] = []
    let ssh: NodeSSH
    try {
      ssh = await this.connect()
    } catch (error) {
      return { events, lost: (error as Error).message }
    }
    let connectionError: string | undefined
    ssh.connection?.on('error', (error: Error) => (connectionError = error.message))
    const lost = (when: string): string =>
      connectionError !== undefined && /keepalive/i.test(connectionError)
        ? `lost the SSH connection ${when}: the host stopped answering SSH keepalives for ${SSH_KEEPALIVE.silenceMs / 1000} s`
        : `lost the SSH connection ${when}${connectionError !== undefined ? ` (${connectionError})` : ' (sshd closed it)'}`
    try {
      const { agent, nodePath } = this.options
      const probe = await ssh.execCommand(probeCommand(nodePath, agent))
      const { agentPresent, problem } = readProbe(probe.stdout, nodePath)
      if (problem !== undefined) return { events, lost: problem }
      if (!agentPresent) {
        const ship = await writePaced(await openExecChannel(ssh.connection!, installCommand(nodePath, agent)), agent.gzipped)
        if (ship.code !== 0) return { events, lost: `could not install the agent: ${ship.stderr.trim() || (ship.signal ?? 'no exit status')}` }
      }
      const channel = await openExecChannel(ssh.connection!, launchCommand(nodePath, agent))
      let stderr = ''
      let exited = false
      const lines = new LineSplitter((line) => {
        const event = decodeActivationEvent(line)
        if (event !== undefined) events.push(event)
      })
      channel.on('data', (chunk: Buffer) => lines.push(chunk))
      channel.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)))
      const closed = new Promise<void>((resolve) => {
        channel.on('exit', () => (exited = true))
        channel.on('close', () => {
          lines.end()
          resolve()
        })
      })
      channel.write(encodeActivationJob(this.job(mode, restoreTo)))
      const heartbeat = setInterval(() => channel.write(HEARTBEAT), HEARTBEAT_INTERVAL_MS)
      await closed
      clearInterval(heartbeat)
      const finished = events.some((event) => event.type !== 'hello' && event.type !== 'switched')
      if (finished) return { events }
      const tail = stderr.trim().split('\n').slice(-3).join(' | ')
      return { events, lost: exited ? `the agent exited without a result${tail ? `: ${tail}` : ''}` : lost(`during ${mode === 'activate' ? 'activation' : mode}`) }
    } catch (error) {
      return { events, lost: connectionError !== undefined || !ssh.isConnected() ? lost(`during ${mode}`) : `SSH failed: ${(error as Error).message}` }
    } finally {
      ssh.dispose()
    }
  }

  private async connect(): Promise<NodeSSH> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await connectOnce(this.host, this.options.credentials, SSH_CONNECT_TIMEOUT_MS)
      } catch (error) {
        if (!(error instanceof ConnectError) || !error.transient || attempt >= CONNECT_ATTEMPTS) throw error
        await sleep(1000 * attempt)
      }
    }
  }
}
