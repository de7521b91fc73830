import { NodeSSH } from 'node-ssh'
import type ssh2 from 'ssh2'
import { SSH_KEEPALIVE } from '../policy.js'
import type { HostTarget } from './hosts.js'
import { hostKeyAlgorithmsFor, verifyHostKey, type KnownHostEntry } from './known-hosts.js'
import { batchSocketWrites } from './ssh2-internals.js'

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

const TRANSIENT = /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|Timed out while waiting for handshake|Connection lost before handshake|kex_exchange_identification|Not connected/i

/**
 * Opens one SSH connection, verifying the host key against known-hosts before anything else
 * happens on it. The ssh2 client gets a permanent 'error' listener: node-ssh leaves none after
 * connect, and a socket error mid-command would otherwise crash the whole action.
 */
export async function connectOnce(target: HostTarget, credentials: SshCredentials, timeoutMs: number): Promise<NodeSSH> {
  const ssh = new NodeSSH()
  let hostKeyProblem: string | undefined
  const serverHostKey = credentials.knownHosts === undefined ? undefined : hostKeyAlgorithmsFor(credentials.knownHosts, target.host, target.port)
  try {
    await ssh.connect({
      host: target.host,
      port: target.port,
      username: target.user,
      privateKey: credentials.privateKey,
      passphrase: credentials.passphrase,
      readyTimeout: timeoutMs,
      keepaliveInterval: SSH_KEEPALIVE.intervalMs,
      keepaliveCountMax: SSH_KEEPALIVE.silenceMs / SSH_KEEPALIVE.intervalMs,
      // Ask for the key types known-hosts holds for this host (known-hosts.ts says why).
      ...(serverHostKey !== undefined ? { algorithms: { serverHostKey: serverHostKey as ssh2.ServerHostKeyAlgorithm[] } } : {}),
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
    // Recorded by the host link (fleet/ssh-host-link.ts) to explain the channel's close.
  })
  if (ssh.connection !== null) batchSocketWrites(ssh.connection)
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
