import type { NodeSSH } from 'node-ssh'
import { SSH_CONNECT_TIMEOUT_MS, SSH_KEEPALIVE } from '../policy.js'
import { connectOnce, ConnectError, type SshCredentials } from '../ssh/connect.js'
import type { HostTarget } from '../ssh/hosts.js'
import { openExecChannel, writePaced } from '../ssh/paced-stdin.js'
import type { AgentBundle } from './agent-bundle.js'
import { installCommand, probeCommand, readProbe } from './agent-install.js'
import { HostSetupError } from './host-link.js'

export interface SessionOptions {
  credentials: SshCredentials
  agent: AgentBundle
  nodePath: string
  /** Epoch ms after which connecting is pointless. */
  giveUpAt: number
}

/**
 * One host's SSH connection, readied for its agent: connected, Node checked, the agent shipped if it
 * was missing — everything before the job, which is why it can be done while the pack still runs
 * (warm-sessions.ts). The link (ssh-host-link.ts) starts the agent on it.
 */
export class HostSession {
  /** The last error on the connection (e.g. 'Keepalive timeout' when the network to the host is gone). */
  private connectionError?: string
  /** What was done, and how long after the session was opened: for the link's debug line. */
  readonly timeline: string[] = []

  private constructor(readonly ssh: NodeSSH) {
    ssh.connection?.on('error', (error: Error) => (this.connectionError = error.message))
  }

  /** Rejects with a HostSetupError saying whether trying again could help. */
  static async open(target: HostTarget, options: SessionOptions, stopped: () => boolean = () => false): Promise<HostSession> {
    const began = Date.now()
    const since = (): string => `${((Date.now() - began) / 1000).toFixed(1)} s`
    const { credentials, giveUpAt, agent, nodePath } = options
    const timeLeft = giveUpAt - Date.now()
    if (timeLeft < 1000) throw new HostSetupError(`no time left to connect to ${target.host}:${target.port}`, 'never')
    let ssh: NodeSSH
    try {
      ssh = await connectOnce(target, credentials, Math.min(SSH_CONNECT_TIMEOUT_MS, timeLeft))
    } catch (error) {
      const connectError = error as ConnectError
      throw new HostSetupError(connectError.message, connectError.transient ? 'quietly' : 'never')
    }
    const session = new HostSession(ssh)
    session.timeline.push(`connected after ${since()}`)
    let step = 'checking Node on the host'
    try {
      if (stopped()) return session
      const probe = await ssh.execCommand(probeCommand(nodePath, agent))
      session.throwIfLost(`while ${step}`)
      const { agentPresent, problem } = readProbe(probe.stdout, nodePath)
      if (problem !== undefined) throw new HostSetupError(problem, 'never')
      if (!agentPresent && !stopped()) {
        step = 'sending the agent'
        const ship = await writePaced(await openExecChannel(ssh.connection!, installCommand(nodePath, agent)), agent.gzipped)
        session.throwIfLost(`while ${step}`)
        if (ship.code !== 0) {
          throw new HostSetupError(`could not install the agent in ~/.murder-action: ${ship.stderr.trim() || (ship.signal ?? `exit ${ship.code}`)}`, 'never')
        }
        session.timeline.push(`agent sent after ${since()}`)
      }
      return session
    } catch (error) {
      // Said before the connection is closed, which would make any failure look like a lost connection.
      const failure = session.setupError(error, step)
      ssh.dispose()
      throw failure
    }
  }

  /** A failure while `step`, as the HostSetupError the fleet runner acts on. */
  setupError(error: unknown, step: string): HostSetupError {
    if (error instanceof HostSetupError) return error
    // A dropped connection makes ssh2 fail the pending call with a bare 'Keepalive timeout' or
    // 'Not connected': say what was going on and where to look instead.
    const lost = this.lost(`while ${step}`)
    if (lost !== undefined) return new HostSetupError(lost, 'loudly')
    return new HostSetupError(`SSH failed while ${step}: ${(error as Error).message}`, 'never')
  }

  /** Why the connection is gone, for a person (`when` says what it interrupted); undefined while it is up. */
  lost(when: string): string | undefined {
    if (this.connectionError !== undefined && /keepalive/i.test(this.connectionError)) {
      return (
        `lost the SSH connection ${when}: the host stopped answering SSH keepalives for ${SSH_KEEPALIVE.silenceMs / 1000} s ` +
        '(the host or the network between it and the runner went down)'
      )
    }
    if (this.connectionError !== undefined) return `lost the SSH connection ${when} (${this.connectionError}): the host or the network to it may be down`
    if (!this.ssh.isConnected()) return `lost the SSH connection ${when} (sshd closed it)`
    return undefined
  }

  throwIfLost(when: string): void {
    const lost = this.lost(when)
    if (lost !== undefined) throw new HostSetupError(lost, 'loudly')
  }
}
