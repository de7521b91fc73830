import type { HostTarget } from '../ssh/hosts.js'
import type { AgentEvent, AgentJob } from '../protocol/events.js'

/** What a link tells the fleet runner about its host's agent. */
export interface AgentListener {
  event(event: AgentEvent): void
  /** Detail for debugging (step debug logs). */
  log(message: string): void
  /** Something an operator should see although the host may still succeed (a stubborn agent). */
  notice(message: string): void
}

/**
 * The controller's line to one host's agent. The fleet runner only ever talks to hosts through
 * this; fleet/ssh-host-link.ts is the real one, unit tests use fakes.
 */
export interface HostLink {
  /**
   * One attempt at starting the agent: connect, check the host, send the agent if it is missing,
   * start it with the job. Rejects with a HostSetupError; the runner decides whether to try again
   * (with a new link).
   */
  start(job: AgentJob): Promise<void>
  /** Resolves when the agent's channel has closed (it exited, or the session died), with why, for a person. */
  closed(): Promise<string>
  /**
   * Ends the agent — close its stdin, give it graceMs to exit, then kill it — and the connection.
   * Safe at any moment, more than once, and while start() is still running.
   */
  stop(graceMs: number): Promise<void>
}

export type HostLinkFactory = (target: HostTarget, listener: AgentListener) => HostLink

/** Setting a host up failed; the message is for the operator. */
export class HostSetupError extends Error {
  constructor(
    message: string,
    /**
     * 'quietly': a new connection may get through (a dropped handshake) — tried again, logged at
     * debug; 'loudly': a connection was lost mid-way — tried again, and the operator is told;
     * 'never': trying again cannot help (no Node, wrong key, host key mismatch).
     */
    readonly retry: 'quietly' | 'loudly' | 'never',
  ) {
    super(message)
    this.name = 'HostSetupError'
  }
}
