import { NodeSSH } from 'node-ssh'
import type { HostTarget } from '../inputs/hosts.js'
import { verifyHostKey, type KnownHostEntry } from './known-hosts.js'

export interface SshCredentials {
  privateKey: string
  passphrase?: string
  /** undefined = host keys not checked (insecure-skip-host-key-check). */
  knownHosts?: KnownHostEntry[]
}

/** An error with the reason a person can act on, and whether trying again could help. */
export class ConnectError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message)
    this.name = 'ConnectError'
  }
}

/**
 * A host is given up as gone after this long without a reply to an SSH keepalive. A reply queues
 * behind whatever we sent before the ping (the job, a paced agent upload: tens of KB), so on a slow
 * or lossy link a live host can be silent for many seconds; 30 s still drops a dead one well
 * inside any deadline, and the agent's own heartbeat watch (15 s) stops it on its side sooner.
 */
export const KEEPALIVE_SILENCE_MS = 30_000
const KEEPALIVE_INTERVAL_MS = 5_000

const TRANSIENT = /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|Timed out while waiting for handshake|Connection lost before handshake|kex_exchange_identification|Not connected/i

/**
 * Opens one SSH connection, verifying the host key against known-hosts before anything else
 * happens on it. The ssh2 client gets a permanent 'error' listener: node-ssh leaves none after
 * connect, and a socket error mid-command would otherwise crash the whole action.
 */
export async function connectOnce(target: HostTarget, credentials: SshCredentials, timeoutMs: number): Promise<NodeSSH> {
  const ssh = new NodeSSH()
  let hostKeyProblem: string | undefined
  try {
    await ssh.connect({
      host: target.host,
      port: target.port,
      username: target.user,
      privateKey: credentials.privateKey,
      passphrase: credentials.passphrase,
      readyTimeout: timeoutMs,
      keepaliveInterval: KEEPALIVE_INTERVAL_MS,
      keepaliveCountMax: KEEPALIVE_SILENCE_MS / KEEPALIVE_INTERVAL_MS,
      hostVerifier:
        credentials.knownHosts === undefined
          ? undefined
          : (key: Buffer) => {
              const verdict = verifyHostKey(credentials.knownHosts!, target.host, target.port, key)
              if (!verdict.ok) hostKeyProblem = verdict.reason
              return verdict.ok
            },
    })
  } catch (error) {
    ssh.dispose()
    if (hostKeyProblem !== undefined) throw new ConnectError(`refused: ${hostKeyProblem}`, false)
    throw describeConnectError(error, target)
  }
  ssh.connection?.on('error', () => {
    // Recorded by HostSession (host-session.ts) to explain the channel's close.
  })
  return ssh
}

function describeConnectError(error: unknown, target: HostTarget): ConnectError {
  const code = (error as NodeJS.ErrnoException).code
  const message = (error as Error).message
  const where = `${target.host}:${target.port}`
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ConnectError(`the name ${target.host} does not resolve (DNS ${code}); check the hosts list`, false)
  }
  if (/All configured authentication methods failed/i.test(message)) {
    return new ConnectError(`${target.user}@${where} did not accept ssh-key; add its public key to ${target.user}'s authorized_keys`, false)
  }
  if (code === 'ECONNREFUSED') {
    return new ConnectError(`nothing accepts SSH on ${where} (connection refused); is sshd running, is the port right?`, true)
  }
  if (/Timed out while waiting for handshake/i.test(message) || code === 'ETIMEDOUT') {
    return new ConnectError(`no SSH answer from ${where} (timed out); is the host up and reachable from the runner?`, true)
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new ConnectError(`${where} is unreachable from the runner (${code})`, true)
  }
  return new ConnectError(`SSH to ${where} failed: ${message}`, TRANSIENT.test(message) || TRANSIENT.test(code ?? ''))
}

export interface RetryPolicy {
  attempts: number
  timeoutMs: number
  /** Gives up retrying once this time (epoch ms) is near. */
  giveUpAt: number
}

/**
 * Connects with bounded retries on transient failures. sshd's MaxStartups (10:30:100 by default)
 * drops a share of simultaneous handshakes to one host; a retry after a jittered pause gets through.
 */
export async function connectWithRetry(target: HostTarget, credentials: SshCredentials, policy: RetryPolicy): Promise<NodeSSH> {
  let lastError: ConnectError | undefined
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    const remaining = policy.giveUpAt - Date.now()
    if (remaining < 1000) break
    try {
      return await connectOnce(target, credentials, Math.min(policy.timeoutMs, remaining))
    } catch (error) {
      lastError = error as ConnectError
      if (!lastError.transient) throw lastError
      const pause = Math.min(8000, 500 * 2 ** (attempt - 1)) * (0.5 + Math.random())
      if (attempt < policy.attempts) await new Promise((resolve) => setTimeout(resolve, Math.min(pause, Math.max(0, policy.giveUpAt - Date.now() - 1000))))
    }
  }
  throw lastError ?? new ConnectError(`no time left to connect to ${target.host}:${target.port}`, false)
}
