import type { HostTarget } from '../ssh/hosts.js'
import { HostSession, type SessionOptions } from './host-session.js'

/**
 * SSH sessions opened while the pack runs, for the hosts the fleet runner starts first: connecting,
 * checking Node and shipping the agent need no job, so they need not wait for the pack either. The
 * link for such a host takes its session (or the error opening it ended in, which counts as the
 * link's first attempt) instead of opening one; a session nobody takes is closed by close(). Never
 * more than `concurrency` of them, and no agent is started on any: only the link does that, with
 * the job.
 */
export class WarmSessions {
  private readonly opening = new Map<HostTarget, Promise<HostSession>>()
  private closed = false

  constructor(private readonly options: SessionOptions) {}

  /** Starts opening the sessions of `targets` (nothing once closed). */
  open(targets: readonly HostTarget[]): void {
    const { options } = this
    for (const target of targets) {
      if (this.closed || this.opening.has(target)) continue
      const session = HostSession.open(target, options, () => this.closed)
      // Taken or not, a failure must not be an unhandled rejection: the link that takes it reports it.
      session.catch(() => {})
      this.opening.set(target, session)
    }
  }

  /** The session opened for `target`, once; undefined if there is none (or it was taken). */
  take(target: HostTarget): Promise<HostSession> | undefined {
    const session = this.opening.get(target)
    this.opening.delete(target)
    return session
  }

  /** Closes every session not taken, those still opening as soon as they are open. */
  close(): void {
    this.closed = true
    for (const session of this.opening.values()) void session.then((opened) => opened.ssh.dispose(), () => {})
    this.opening.clear()
  }
}
