/**
 * Every number a deploy derives rather than reads from its inputs, in one place, each with its
 * reason. Measured figures behind them are in bench/README.md.
 */

/** The controller writes a heartbeat to each agent this often. */
export const HEARTBEAT_INTERVAL_MS = 2000

/**
 * A host is given up as gone after this long without a reply to an SSH keepalive. A reply queues
 * behind whatever we sent before the ping (the job, a paced agent upload: tens of KB), so on a slow
 * or lossy link a live host can be silent for many seconds; 30 s still drops a dead one well inside
 * any deadline, and the agent's own heartbeat watch stops it on its side sooner.
 */
export const SSH_KEEPALIVE = { intervalMs: 5000, silenceMs: 30_000 } as const

/**
 * Setting a host up (connect, check Node, send the agent, start it) is tried this many times when
 * the failure is one a new connection can mend: a handshake sshd dropped (MaxStartups 10:30:100
 * drops a share of simultaneous ones), a connection lost mid-way. Pauses grow from 0.5 s to 8 s,
 * jittered, and no attempt starts with less than `minTimeLeftMs` before the deadline.
 */
export const SETUP_RETRY = { attempts: 5, minDelayMs: 500, maxDelayMs: 8000, minTimeLeftMs: 5000 } as const
export const SSH_CONNECT_TIMEOUT_MS = 20_000

/** How long an agent may take to exit after its stdin closes before it is killed by pid. */
export const AGENT_STOP_GRACE_MS = 4000

export interface DeployPolicy {
  tracker: {
    /** How often peers re-announce; short, so late joiners are found fast (Murder used 15 s). */
    intervalMs: number
    /** Peers remembered per swarm; the library default (1000, LRU) would forget hosts in a larger fleet. */
    peersCacheLength: number
  }
  agent: {
    /** The agent exits by itself after this long, whatever happens: the last line of defence against orphans. */
    hardCapSeconds: number
    /** Progress events per agent: one a second at most, fewer in big fleets so the controller's input stays bounded. */
    progressIntervalMs: number
    /**
     * An agent that hears nothing from the controller (heartbeat, tracker answer, seeder bytes) for
     * this long stops: the controller is gone. As long as the controller gives a silent host
     * (SSH_KEEPALIVE.silenceMs), so neither side gives up on a link the other still trusts.
     */
    heartbeatTimeoutMs: number
    /**
     * Outgoing peer connections (webtorrent's maxConns; incoming ones come on top). The default, 55,
     * makes a full mesh of a fleet, and webtorrent's scheduler works per peer for every message;
     * 6 was the fastest measured.
     */
    maxConns: number
  }
  /** How often the controller logs one progress line for the whole fleet. */
  progressLogIntervalMs: number
}

export function deployPolicy(hostCount: number, deadlineMs: number): DeployPolicy {
  return {
    tracker: {
      intervalMs: clamp(hostCount * 20, 5000, 60_000),
      peersCacheLength: Math.max(1000, hostCount * 2),
    },
    agent: {
      // Past the deadline the controller has given up on the host; two minutes more covers stopping.
      hardCapSeconds: Math.ceil(deadlineMs / 1000) + 120,
      progressIntervalMs: clamp(hostCount * 10, 1000, 10_000),
      heartbeatTimeoutMs: SSH_KEEPALIVE.silenceMs,
      maxConns: 6,
    },
    progressLogIntervalMs: hostCount > 100 ? 15_000 : 5000,
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value))
}
