import { setTimeout as sleep } from 'node:timers/promises'
import type { ClientChannel } from 'ssh2'
import type { NodeSSH } from 'node-ssh'
import { HEARTBEAT_INTERVAL_MS, SSH_CONNECT_TIMEOUT_MS, SSH_KEEPALIVE } from '../policy.js'
import { decodeEvent, encodeJob, HEARTBEAT, hostText, type AgentJob, type OriginJob } from '../protocol/events.js'
import { LineSplitter } from '../protocol/line-splitter.js'
import { connectOnce, ConnectError, type SshCredentials } from '../ssh/connect.js'
import type { HostTarget } from '../ssh/hosts.js'
import { openExecChannel, writePaced } from '../ssh/paced-stdin.js'
import { countAsKeepaliveAnswer } from '../ssh/ssh2-internals.js'
import type { AgentBundle } from './agent-bundle.js'
import { installCommand, launchCommand, probeCommand, readProbe } from './agent-install.js'
import { HostSetupError, type AgentListener, type HostLink, type HostLinkFactory } from './host-link.js'
import { InFlightWindow } from './in-flight-window.js'

export interface SshLinkOptions {
  credentials: SshCredentials
  agent: AgentBundle
  nodePath: string
  /** Epoch ms after which connecting is pointless. */
  giveUpAt: number
  /**
   * Writes what follows the job line on the agent's stdin, before the first heartbeat (the origin's
   * objects, swarm/remote-origin.ts, or a host's with transport ssh), keeping no more than `window`
   * ahead of the agent's acks; start() resolves once it has.
   */
  afterJob?: (channel: ClientChannel, window: InFlightWindow) => Promise<unknown>
}

/** The factory the deploy hands the fleet runner: one SshHostLink per host and attempt. */
export function sshHostLinks(options: SshLinkOptions): HostLinkFactory {
  return (target, listener) => new SshHostLink(target, listener, options)
}

/**
 * One host's SSH session: connect, check Node, ship the agent if missing, run it with its job on
 * stdin, relay its events, write heartbeats. `stop()` ends the agent by closing its stdin and,
 * should it not go within the grace time, kills it by pid from a second channel.
 */
export class SshHostLink implements HostLink {
  private ssh?: NodeSSH
  private channel?: ClientChannel
  private agentPid?: number
  private stderrTail = ''
  private whenChannelClosed?: Promise<void>
  private exitCode: number | null = null
  private exitSignal?: string
  /** The last error on the SSH connection (e.g. 'Keepalive timeout' when the network to the host is gone). */
  private connectionError?: string
  private stopped = false
  private heartbeat?: NodeJS.Timeout
  /** What the agent has acknowledged of the objects written after its job (its `ack` events). */
  private readonly window = new InFlightWindow()

  constructor(
    private readonly target: HostTarget,
    private readonly listener: AgentListener,
    private readonly options: SshLinkOptions,
  ) {}

  async start(job: AgentJob | OriginJob): Promise<void> {
    const began = Date.now()
    const since = (): string => `${((Date.now() - began) / 1000).toFixed(1)} s`
    const { credentials, giveUpAt, agent, nodePath } = this.options
    const timeLeft = giveUpAt - Date.now()
    if (timeLeft < 1000) throw new HostSetupError(`no time left to connect to ${this.target.host}:${this.target.port}`, 'never')
    try {
      this.ssh = await connectOnce(this.target, credentials, Math.min(SSH_CONNECT_TIMEOUT_MS, timeLeft))
    } catch (error) {
      const connectError = error as ConnectError
      throw new HostSetupError(connectError.message, connectError.transient ? 'quietly' : 'never')
    }
    this.ssh.connection?.on('error', (error: Error) => (this.connectionError = error.message))
    const timeline = [`connected after ${since()}`]
    this.throwIfStopped()
    let step = 'checking Node on the host'
    try {
      const probe = await this.ssh.execCommand(probeCommand(nodePath, agent))
      this.throwIfConnectionLost(`while ${step}`)
      const { agentPresent, problem } = readProbe(probe.stdout, nodePath)
      if (problem !== undefined) throw new HostSetupError(problem, 'never')
      if (!agentPresent) {
        step = 'sending the agent'
        const ship = await writePaced(await openExecChannel(this.ssh.connection!, installCommand(nodePath, agent)), agent.gzipped)
        this.throwIfConnectionLost(`while ${step}`)
        if (ship.code !== 0) {
          throw new HostSetupError(`could not install the agent in ~/.murder-action: ${ship.stderr.trim() || (ship.signal ?? `exit ${ship.code}`)}`, 'never')
        }
        timeline.push(`agent sent after ${since()}`)
      }
      this.throwIfStopped()
      step = 'starting the agent'
      await this.launch(launchCommand(nodePath, agent), job)
      timeline.push(`agent started after ${since()}`)
      this.listener.log(timeline.join(', '))
    } catch (error) {
      if (error instanceof HostSetupError) throw error
      // A dropped connection makes ssh2 fail the pending call with a bare 'Keepalive timeout' or
      // 'Not connected': say what was going on and where to look instead.
      const lost = this.connectionLost(`while ${step}`)
      if (lost !== undefined) throw new HostSetupError(lost, 'loudly')
      throw new HostSetupError(`SSH failed while ${step}: ${(error as Error).message}`, 'never')
    }
  }

  /** Why the connection is gone, for a person (`when` says what it interrupted); undefined while it is up. */
  private connectionLost(when: string): string | undefined {
    if (this.connectionError !== undefined && /keepalive/i.test(this.connectionError)) {
      return (
        `lost the SSH connection ${when}: the host stopped answering SSH keepalives for ${SSH_KEEPALIVE.silenceMs / 1000} s ` +
        '(the host or the network between it and the runner went down)'
      )
    }
    if (this.connectionError !== undefined) return `lost the SSH connection ${when} (${this.connectionError}): the host or the network to it may be down`
    if (this.ssh !== undefined && !this.ssh.isConnected()) return `lost the SSH connection ${when} (sshd closed it)`
    return undefined
  }

  private throwIfConnectionLost(when: string): void {
    const lost = this.connectionLost(when)
    if (lost !== undefined) throw new HostSetupError(lost, 'loudly')
  }

  /** stop() may come while start() is still connecting: then nothing must be started after it. */
  private throwIfStopped(): void {
    if (this.stopped) {
      this.ssh?.dispose()
      throw new HostSetupError('stopped before the agent started', 'never')
    }
  }

  private async launch(command: string, job: AgentJob | OriginJob): Promise<void> {
    const channel = await openExecChannel(this.ssh!.connection!, command)
    this.channel = channel
    const lines = new LineSplitter((line) => {
      const event = decodeEvent(line)
      if (event === undefined) {
        if (line.trim() !== '') this.listener.log(`stdout: ${hostText(line, 500)}`)
        return
      }
      if (event.type === 'hello') this.agentPid = event.pid
      // Acks are the stream's business alone: up to one per 20 ms, no one else needs them.
      if (event.type === 'ack') return this.window.ack(event.bytes)
      this.listener.event(event)
    })
    const connection = this.ssh!.connection!
    channel.on('data', (chunk: Buffer) => {
      // The agent's events prove the connection alive as well as a keepalive answer would.
      countAsKeepaliveAnswer(connection)
      lines.push(chunk)
    })
    channel.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-4096)
    })
    this.whenChannelClosed = new Promise<void>((resolve) => {
      // A signal arrives as exit(null, 'SIGKILL'): keep it, or a killed agent looks like a lost session.
      channel.on('exit', (code: number | null, signal?: string) => {
        this.exitCode = code
        this.exitSignal = signal ?? undefined
      })
      channel.on('close', () => {
        this.window.close()
        lines.end()
        resolve()
      })
    })
    channel.write(encodeJob(job))
    await this.options.afterJob?.(channel, this.window)
    this.throwIfConnectionLost('while sending the objects')
    if (this.stopped) return
    this.heartbeat = setInterval(() => channel.write(HEARTBEAT), HEARTBEAT_INTERVAL_MS)
    void this.whenChannelClosed.then(() => clearInterval(this.heartbeat))
  }

  async closed(): Promise<string> {
    await (this.whenChannelClosed ?? Promise.resolve())
    return this.describeExit()
  }

  /**
   * Why the agent went away, for a host that ended without reporting: killed on the host, exited
   * by itself, or the connection to the host was lost (no exit status at all) — each points a
   * person at a different place to look.
   */
  private describeExit(): string {
    const tail = hostText(this.stderrTail.trim().split('\n').slice(-3).join(' | '))
    let what: string
    if (this.exitSignal !== undefined) what = `the agent was killed by ${this.exitSignal} on the host before finishing`
    else if (this.exitCode !== null) what = `the agent exited with code ${this.exitCode} before finishing`
    else {
      what = this.connectionLost('before the agent finished') ?? 'the SSH session ended before the agent finished (no exit status: sshd or the connection went away)'
    }
    return tail !== '' ? `${what}: ${tail}` : what
  }

  async stop(graceMs: number): Promise<void> {
    this.stopped = true
    this.window.close()
    clearInterval(this.heartbeat)
    if (this.channel !== undefined && this.whenChannelClosed !== undefined) {
      this.channel.end()
      const gone = await Promise.race([this.whenChannelClosed.then(() => true), sleep(graceMs).then(() => false)])
      // decodeEvent let only a positive integer through as the pid: nothing else reaches the shell.
      if (!gone && Number.isSafeInteger(this.agentPid) && this.agentPid! > 0 && this.ssh?.isConnected()) {
        this.listener.notice(`agent pid ${this.agentPid} did not exit after its stdin closed; sending SIGTERM`)
        await Promise.race([this.ssh.execCommand(`kill -TERM ${this.agentPid} 2>/dev/null; true`), sleep(3000)])
        await Promise.race([this.whenChannelClosed, sleep(2000)])
      }
    }
    this.ssh?.dispose()
  }
}
