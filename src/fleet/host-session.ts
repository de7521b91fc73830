import type { ClientChannel } from 'ssh2'
import type { NodeSSH } from 'node-ssh'
import type { HostTarget } from '../inputs/hosts.js'
import { decodeEvent, encodeJob, HEARTBEAT, HEARTBEAT_INTERVAL_MS, LineSplitter, type AgentEvent, type AgentJob } from '../protocol/events.js'
import { connectWithRetry, KEEPALIVE_SILENCE_MS, type SshCredentials } from './connect.js'
import { installCommand, type AgentBundle } from './agent-bundle.js'
import { shellQuote } from './shell.js'
import { openExecChannel, writePaced } from './paced-stdin.js'


export const MIN_NODE_MAJOR = 20
const AGENT_DIR = '"$HOME"/.murder-action'

export interface HostSessionOptions {
  target: HostTarget
  credentials: SshCredentials
  agent: AgentBundle
  nodePath: string
  job: AgentJob
  /** Epoch ms after which connecting is pointless. */
  giveUpAt: number
  onEvent: (event: AgentEvent) => void
  /** Detail for debugging (step debug logs). */
  onLog: (message: string) => void
  /** Something an operator should see although the host may still succeed (a reconnect, a stubborn agent). */
  onNotice: (message: string) => void
}

/** A remote command failed before the agent could start; the message is for the operator. */
export class HostSetupError extends Error {}

/** The connection dropped while the host was being set up: worth connecting again. */
class SetupInterrupted extends HostSetupError {}

/** Connections tried for one host's setup; a link that drops three of them is not having a blip. */
const SETUP_ATTEMPTS = 3

/**
 * One host's SSH session: connect, check Node, ship the agent if missing, run it with its job on
 * stdin, relay its events. `stop()` ends the agent by closing its stdin and, should it not go
 * within a few seconds, kills it by pid from a second channel.
 */
export class HostSession {
  private ssh?: NodeSSH
  private channel?: ClientChannel
  private agentPid?: number
  private stderrTail = ''
  private closed?: Promise<void>
  private exitCode: number | null = null
  private exitSignal?: string
  /** The last error on the SSH connection (e.g. 'Keepalive timeout' when the network to the host is gone). */
  private connectionError?: string
  private stopped = false
  private heartbeat?: NodeJS.Timeout

  constructor(private readonly options: HostSessionOptions) {}

  get target(): HostTarget {
    return this.options.target
  }

  /**
   * Connects and starts the agent. A connection that drops on the way (a blip, a restarted sshd)
   * is tried again on a new one while the deadline allows: every step before the agent runs can
   * be repeated (the agent is installed under a temporary name and renamed only when whole), and
   * an agent whose session died with it stops by itself.
   */
  async start(): Promise<void> {
    const began = Date.now()
    for (let attempt = 1; ; attempt++) {
      try {
        await this.setUp(began)
        return
      } catch (error) {
        const again = error instanceof SetupInterrupted && attempt < SETUP_ATTEMPTS && !this.stopped && this.options.giveUpAt - Date.now() > 5_000
        if (!again) throw error
        this.options.onNotice(`${(error as Error).message}; connecting again (attempt ${attempt + 1} of ${SETUP_ATTEMPTS})`)
        this.ssh?.dispose()
        this.connectionError = undefined
      }
    }
  }

  private async setUp(began: number): Promise<void> {
    const { target, credentials, giveUpAt } = this.options
    const since = (): string => `${((Date.now() - began) / 1000).toFixed(1)} s`
    this.ssh = await connectWithRetry(target, credentials, { attempts: 5, timeoutMs: 20_000, giveUpAt })
    this.ssh.connection?.on('error', (error: Error) => (this.connectionError = error.message))
    const timeline = [`connected after ${since()}`]
    this.throwIfStopped()
    let step = 'checking Node on the host'
    try {
      const agentPath = `${AGENT_DIR}/agent-${this.options.agent.sha256.slice(0, 16)}.mjs`
      const node = shellQuote(this.options.nodePath)
      const probe = await this.ssh.execCommand(
        `v=$(${node} --version 2>/dev/null) || v=none; echo "node=$v"; if [ -f ${agentPath} ]; then echo agent=present; else echo agent=missing; fi`,
      )
      this.throwIfConnectionLost(`while ${step}`)
      const version = /node=(\S+)/.exec(probe.stdout)?.[1] ?? 'none'
      const major = /^v(\d+)\./.exec(version)?.[1]
      if (major === undefined) {
        throw new HostSetupError(`no Node.js at node-path "${this.options.nodePath}" on the host; install Node ≥ ${MIN_NODE_MAJOR} or set node-path`)
      }
      if (Number(major) < MIN_NODE_MAJOR) {
        throw new HostSetupError(`Node ${version} on the host is too old: the agent needs Node ≥ ${MIN_NODE_MAJOR} (set node-path to a newer one)`)
      }
      if (!probe.stdout.includes('agent=present')) {
        step = 'sending the agent'
        const { sha256, gzipped } = this.options.agent
        const ship = await writePaced(await openExecChannel(this.ssh.connection!, installCommand(node, AGENT_DIR, agentPath, sha256)), gzipped)
        this.throwIfConnectionLost(`while ${step}`)
        if (ship.code !== 0) {
          throw new HostSetupError(`could not install the agent in ~/.murder-action: ${ship.stderr.trim() || (ship.signal ?? `exit ${ship.code}`)}`)
        }
        timeline.push(`agent sent after ${since()}`)
      }
      this.throwIfStopped()
      step = 'starting the agent'
      await this.launch(`exec ${node} ${agentPath}`)
      timeline.push(`agent started after ${since()}`)
      this.options.onLog(timeline.join(', '))
    } catch (error) {
      if (error instanceof HostSetupError) throw error
      // A dropped connection makes ssh2 fail the pending call with a bare 'Keepalive timeout' or
      // 'Not connected': say what was going on and where to look instead.
      const lost = this.connectionLost(`while ${step}`)
      throw lost !== undefined ? new SetupInterrupted(lost) : new HostSetupError(`SSH failed while ${step}: ${(error as Error).message}`)
    }
  }

  /** Why the connection is gone, for a person (`when` says what it interrupted); undefined while it is up. */
  private connectionLost(when: string): string | undefined {
    if (this.connectionError !== undefined && /keepalive/i.test(this.connectionError)) {
      return (
        `lost the SSH connection ${when}: the host stopped answering SSH keepalives for ${KEEPALIVE_SILENCE_MS / 1000} s ` +
        '(the host or the network between it and the runner went down)'
      )
    }
    if (this.connectionError !== undefined) return `lost the SSH connection ${when} (${this.connectionError}): the host or the network to it may be down`
    if (this.ssh !== undefined && !this.ssh.isConnected()) return `lost the SSH connection ${when} (sshd closed it)`
    return undefined
  }

  private throwIfConnectionLost(when: string): void {
    const lost = this.connectionLost(when)
    if (lost !== undefined) throw new SetupInterrupted(lost)
  }

  /** stop() may come while start() is still connecting: then nothing must be started after it. */
  private throwIfStopped(): void {
    if (this.stopped) {
      this.ssh?.dispose()
      throw new HostSetupError('stopped before the agent started')
    }
  }

  private async launch(command: string): Promise<void> {
    const channel = await openExecChannel(this.ssh!.connection!, command)
    this.channel = channel
    const lines = new LineSplitter((line) => {
      const event = decodeEvent(line)
      if (event === undefined) {
        if (line.trim() !== '') this.options.onLog(`stdout: ${line.slice(0, 500)}`)
        return
      }
      if (event.type === 'hello') this.agentPid = event.pid
      this.options.onEvent(event)
    })
    channel.on('data', (chunk: Buffer) => lines.push(chunk))
    channel.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-4096)
    })
    this.closed = new Promise<void>((resolve) => {
      // A signal arrives as exit(null, 'SIGKILL'): keep it, or a killed agent looks like a lost session.
      channel.on('exit', (code: number | null, signal?: string) => {
        this.exitCode = code
        this.exitSignal = signal ?? undefined
      })
      channel.on('close', () => {
        lines.end()
        resolve()
      })
    })
    channel.write(encodeJob(this.options.job))
    this.heartbeat = setInterval(() => channel.write(HEARTBEAT), HEARTBEAT_INTERVAL_MS)
    void this.closed.then(() => clearInterval(this.heartbeat))
  }

  /** Resolves when the agent's channel has closed (the agent has exited or the session died). */
  whenClosed(): Promise<void> {
    return this.closed ?? Promise.resolve()
  }

  /**
   * Why the agent went away, for a host that ended without reporting: killed on the host, exited
   * by itself, or the connection to the host was lost (no exit status at all) — each points a
   * person at a different place to look.
   */
  describeExit(): string {
    const tail = this.stderrTail.trim().split('\n').slice(-3).join(' | ')
    let what: string
    if (this.exitSignal !== undefined) what = `the agent was killed by ${this.exitSignal} on the host before finishing`
    else if (this.exitCode !== null) what = `the agent exited with code ${this.exitCode} before finishing`
    else {
      what = this.connectionLost('before the agent finished') ?? 'the SSH session ended before the agent finished (no exit status: sshd or the connection went away)'
    }
    return tail !== '' ? `${what}: ${tail}` : what
  }

  /**
   * Ends the agent: close its stdin (it stops seeding, cleans up, exits), wait up to graceMs for
   * the channel to close, then kill the pid from a second channel, then drop the connection.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true
    clearInterval(this.heartbeat)
    if (this.channel !== undefined) {
      this.channel.end()
      const gone = await Promise.race([this.whenClosed().then(() => true), sleep(graceMs).then(() => false)])
      if (!gone && this.agentPid !== undefined && this.ssh?.isConnected()) {
        this.options.onNotice(`agent pid ${this.agentPid} did not exit after its stdin closed; sending SIGTERM`)
        await Promise.race([this.ssh.execCommand(`kill -TERM ${this.agentPid} 2>/dev/null; true`), sleep(3000)])
        await Promise.race([this.whenClosed(), sleep(2000)])
      }
    }
    this.ssh?.dispose()
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
