import { setTimeout as sleep } from 'node:timers/promises'
import type { ClientChannel } from 'ssh2'
import type { NodeSSH } from 'node-ssh'
import { HEARTBEAT_INTERVAL_MS } from '../policy.js'
import { decodeEvent, encodeJob, HEARTBEAT, hostText, type AgentJob, type OriginJob } from '../protocol/events.js'
import { LineSplitter } from '../protocol/line-splitter.js'
import type { HostTarget } from '../ssh/hosts.js'
import { openExecChannel } from '../ssh/paced-stdin.js'
import { countAsKeepaliveAnswer } from '../ssh/ssh2-internals.js'
import { launchCommand } from './agent-install.js'
import { HostSetupError, type AgentListener, type HostLink, type HostLinkFactory } from './host-link.js'
import { HostSession, type SessionOptions } from './host-session.js'
import { InFlightWindow } from './in-flight-window.js'
import type { WarmSessions } from './warm-sessions.js'

export interface SshLinkOptions extends SessionOptions {
  /** Sessions opened while the pack ran: a host's link takes its own instead of opening one. */
  warm?: WarmSessions
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
  private session?: HostSession
  private channel?: ClientChannel
  private agentPid?: number
  private stderrTail = ''
  private whenChannelClosed?: Promise<void>
  private exitCode: number | null = null
  private exitSignal?: string
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
    const open = (): Promise<HostSession> => HostSession.open(this.target, this.options, () => this.stopped)
    const warm = this.options.warm?.take(this.target)
    let session = await (warm ?? open())
    let whilePacking = warm !== undefined
    // A session opened while packing may have gone stale meanwhile (the host restarted): one of its own.
    if (whilePacking && session.lost('') !== undefined) {
      session.ssh.dispose()
      session = await open()
      whilePacking = false
    }
    this.session = session
    this.ssh = session.ssh
    this.throwIfStopped()
    try {
      await this.launch(launchCommand(this.options.nodePath, this.options.agent), job)
      const steps = session.timeline.join(', ')
      const started = `agent started after ${((Date.now() - began) / 1000).toFixed(1)} s`
      this.listener.log(whilePacking ? `opened while packing (${steps}), ${started}` : `${steps}, ${started}`)
    } catch (error) {
      throw session.setupError(error, 'starting the agent')
    }
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
    this.session!.throwIfLost('while sending the objects')
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
      what = this.session?.lost('before the agent finished') ?? 'the SSH session ended before the agent finished (no exit status: sshd or the connection went away)'
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
