import type { HostState } from '../fleet/host-state.js'
import { FleetWatch, newsLines } from './fleet-watch.js'
import type { ProgressDisplay } from './progress-display.js'
import type { Terminal } from './terminal.js'

/** How often the plain display looks at the fleet for hosts that settled. */
const LOOK_INTERVAL_MS = 2000

/**
 * Progress as plain lines, for a log file or a CI console: the engine's one progress line per
 * interval, each failed host with its reason, and the hosts done since the last look on one line.
 * Bounded however large the fleet: at most a few lines every two seconds.
 */
export class ProgressLines implements ProgressDisplay {
  private watch: FleetWatch | undefined
  private timer: NodeJS.Timeout | undefined

  /** Once `cancelled` is aborted every host fails for that one reason, told once by the verdict: no news then. */
  constructor(
    private readonly terminal: Terminal,
    private readonly cancelled: AbortSignal,
  ) {}

  start(states: readonly HostState[]): void {
    this.watch = new FleetWatch(states)
    this.timer = setInterval(() => this.look(), LOOK_INTERVAL_MS)
  }

  line(text: string): void {
    this.terminal.info(text)
  }

  stop(): void {
    clearInterval(this.timer)
    this.timer = undefined
    this.look()
  }

  private look(): void {
    if (this.watch === undefined) return
    const news = this.watch.news()
    if (this.cancelled.aborted) return
    for (const line of newsLines(news, this.watch.doneCount(), this.watch.size)) this.terminal.info(line)
  }
}
