import type { HostState } from '../fleet/host-state.js'

/** How the CLI shows a deploy in flight: a bar on a terminal, plain lines otherwise. */
export interface ProgressDisplay {
  /** The hosts are being driven: their states change in place from here on. */
  start(states: readonly HostState[], transferStart: number): void
  /** The engine's one-line progress of the whole fleet, once per interval. */
  line(text: string): void
  /** The fleet is settled (or the deploy ended otherwise): stop drawing, tell what is left to tell. */
  stop(): void
}
