import { Readable } from 'node:stream'
import type { ClientChannel } from 'ssh2'
import type { NodeSSH } from 'node-ssh'
import type { HostTarget } from '../inputs/hosts.js'
import { decodeEvent, encodeJob, HEARTBEAT, HEARTBEAT_INTERVAL_MS, LineSplitter, type AgentEvent, type AgentJob } from '../protocol/events.js'
import { connectWithRetry, type SshCredentials } from './connect.js'
import { installCommand, type AgentBundle } from './agent-bundle.js'
import { shellQuote } from './shell.js'


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
  onLog: (message: string) => void
}

/** A remote command failed before the agent could start; the message is for the operator. */
export class HostSetupError extends Error {}

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

  async start(): Promise<void> {
    const { target, credentials, giveUpAt } = this.options
    this.ssh = await connectWithRetry(target, credentials, { attempts: 5, timeoutMs: 20_000, giveUpAt })
    this.ssh.connection?.on('error', (error: Error) => (this.connectionError = error.message))
    this.throwIfStopped()
    const agentPath = `${AGENT_DIR}/agent-${this.options.agent.sha256.slice(0, 16)}.mjs`
    const node = shellQuote(this.options.nodePath)
    const probe = await this.ssh.execCommand(
      `v=$(${node} --version 2>/dev/null) || v=none; echo "node=$v"; if [ -f ${agentPath} ]; then echo agent=present; else echo agent=missing; fi`,
    )
    const version = /node=(\S+)/.exec(probe.stdout)?.[1] ?? 'none'
    const major = /^v(\d+)\./.exec(version)?.[1]
    if (major === undefined) {
      throw new HostSetupError(`no Node.js at node-path "${this.options.nodePath}" on the host; install Node ≥ ${MIN_NODE_MAJOR} or set node-path`)
    }
    if (Number(major) < MIN_NODE_MAJOR) {
      throw new HostSetupError(`Node ${version} on the host is too old: the agent needs Node ≥ ${MIN_NODE_MAJOR} (set node-path to a newer one)`)
    }
    if (!probe.stdout.includes('agent=present')) {
      const { sha256, gzipped } = this.options.agent
      const ship = await this.ssh.execCommand(installCommand(node, AGENT_DIR, agentPath, sha256), { stdin: Readable.from([gzipped]) })
      if (ship.code !== 0) throw new HostSetupError(`could not install the agent in ~/.murder-action: ${ship.stderr.trim() || `exit ${ship.code}`}`)
    }
    this.throwIfStopped()
    await this.launch(`exec ${node} ${agentPath}`)
  }

  /** stop() may come while start() is still connecting: then nothing must be started after it. */
  private throwIfStopped(): void {
    if (this.stopped) {
      this.ssh?.dispose()
      throw new HostSetupError('stopped before the agent started')
    }
  }

  private async launch(command: string): Promise<void> {
    const connection = this.ssh!.connection!
    const channel = await new Promise<ClientChannel>((resolve, reject) =>
      connection.exec(command, (error, opened) => (error ? reject(error) : resolve(opened))),
    )
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
    else if (this.connectionError !== undefined && /keepalive/i.test(this.connectionError)) {
      what = 'lost the SSH connection before finishing: the host stopped answering SSH keepalives (the host or the network between it and the runner went down)'
    } else if (this.connectionError !== undefined) what = `lost the SSH connection before finishing (${this.connectionError}); is the host or the network to it down?`
    else what = 'the SSH session ended before the agent finished (no exit status: sshd or the connection went away)'
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
        this.options.onLog(`agent pid ${this.agentPid} did not exit after its stdin closed; sending SIGTERM`)
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
