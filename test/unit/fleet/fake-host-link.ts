/**
 * A HostLink with a script instead of SSH: the fleet runner's logic (scheduling, retries, deadline,
 * cancel, stop) runs against it in unit tests, with no root and no network.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { AgentEvent, AgentJob } from '../../../src/protocol/events.js'
import type { HostTarget } from '../../../src/ssh/hosts.js'
import { HostSetupError, type AgentListener, type HostLink, type HostLinkFactory } from '../../../src/fleet/host-link.js'

export interface HostScript {
  /** One entry per attempt: how start() ends. Missing entries: success. */
  attempts?: (HostSetupError | 'ok')[]
  /** How long start() takes. */
  startMs?: number
  /** Events the agent sends after a successful start, each after the given delay from the previous one. */
  events?: [number, AgentEvent][]
  /** The agent's channel closes by itself this long after start (else only when stopped), with this reason. */
  closeAfterMs?: number
  closeReason?: string
}

export interface FakeFleet {
  connect: HostLinkFactory
  /** Links made per host label (one per attempt). */
  linksMade: Map<string, number>
  stopped: Set<string>
  /** Most start() calls in flight at once. */
  maxInFlight(): number
  jobsSeen: AgentJob[]
}

export function fakeFleet(scripts: Record<string, HostScript>): FakeFleet {
  const linksMade = new Map<string, number>()
  const stopped = new Set<string>()
  const jobsSeen: AgentJob[] = []
  let inFlight = 0
  let maxInFlight = 0
  const connect: HostLinkFactory = (target: HostTarget, listener: AgentListener): HostLink => {
    const script = scripts[target.label] ?? {}
    const attempt = linksMade.get(target.label) ?? 0
    linksMade.set(target.label, attempt + 1)
    let close: (reason: string) => void = () => {}
    const closed = new Promise<string>((resolve) => (close = resolve))
    let isStopped = false
    return {
      async start(job) {
        jobsSeen.push(job)
        inFlight++
        maxInFlight = Math.max(maxInFlight, inFlight)
        try {
          await sleep(script.startMs ?? 1)
        } finally {
          inFlight--
        }
        const outcome = script.attempts?.[attempt] ?? 'ok'
        if (outcome !== 'ok') throw outcome
        void (async () => {
          for (const [delayMs, event] of script.events ?? []) {
            await sleep(delayMs)
            if (isStopped) return
            listener.event(event)
          }
        })()
        if (script.closeAfterMs !== undefined) {
          setTimeout(() => close(script.closeReason ?? 'the agent exited with code 1 before finishing'), script.closeAfterMs)
        }
      },
      closed: () => closed,
      async stop() {
        isStopped = true
        stopped.add(target.label)
        close('stopped')
      },
    }
  }
  return { connect, linksMade, stopped, maxInFlight: () => maxInFlight, jobsSeen }
}

export const progress = (have: number, total: number): AgentEvent => ({ type: 'progress', have, total, fromSeeder: have, fromPeers: 0, uploaded: 0, peers: 1 })
export const done = (fromPeers = 0, fromStore = 0): AgentEvent => ({ type: 'done', alreadyPresent: false, seeding: true, fromSeeder: 100 - fromPeers, fromPeers, fromStore, seconds: 1 })
export const agentError = (code: 'DISK_FULL' | 'VERIFY_FAILED', message: string): AgentEvent => ({ type: 'error', code, message })
