import cliProgress from 'cli-progress'
import type { HostState } from '../fleet/host-state.js'
import { ProgressLine } from '../report/progress.js'
import { FleetWatch, newsLines } from './fleet-watch.js'
import type { ProgressDisplay } from './progress-display.js'
import type { Terminal } from './terminal.js'

const REDRAW_INTERVAL_MS = 1000
const STEPS = 1000

/**
 * A live bar on a terminal (stderr): the fleet's share of the release, then the same line the log
 * shows (hosts done, failed, rate into the fleet, slowest host). Failed hosts and every other log
 * line are printed above the bar as they come.
 */
export class ProgressBar implements ProgressDisplay {
  private multibar: cliProgress.MultiBar | undefined
  private bar: cliProgress.SingleBar | undefined
  private timer: NodeJS.Timeout | undefined
  private watch: FleetWatch | undefined
  private progress: ProgressLine | undefined
  private states: readonly HostState[] = []

  /** Once `cancelled` is aborted every host fails for that one reason, told once by the verdict: no news then. */
  constructor(
    private readonly terminal: Terminal,
    private readonly cancelled: AbortSignal,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  start(states: readonly HostState[], transferStart: number): void {
    this.states = states
    this.watch = new FleetWatch(states)
    this.progress = new ProgressLine(transferStart)
    this.multibar = new cliProgress.MultiBar(
      {
        stream: this.stream,
        format: '{bar} {percentage}% {status}',
        hideCursor: true,
        clearOnComplete: false,
        stopOnComplete: false,
        fps: 5,
        // Keep the terminal's own wrapping: the bar is cut to the width, the lines above it wrap whole.
        linewrap: true,
      },
      cliProgress.Presets.shades_classic,
    )
    this.bar = this.multibar.create(STEPS, 0, { status: '' })
    const multibar = this.multibar
    this.terminal.routeLines((line) => multibar.log(line + '\n'))
    this.timer = setInterval(() => this.redraw(), REDRAW_INTERVAL_MS)
    this.redraw()
  }

  /** The bar shows the same figures. */
  line(): void {}

  stop(): void {
    if (this.multibar === undefined) return
    clearInterval(this.timer)
    this.redraw()
    // Draws the lines still waiting above the bar: stop() alone would drop them.
    this.multibar.update()
    this.multibar.stop()
    this.multibar = undefined
    this.terminal.routeLines(undefined)
  }

  private redraw(): void {
    if (this.watch === undefined || this.bar === undefined || this.progress === undefined) return
    // Failures are told above the bar; the hosts done are counted in it.
    const news = this.watch.news()
    if (!this.cancelled.aborted) for (const line of newsLines({ ...news, done: [] }, this.watch.doneCount(), this.watch.size)) this.terminal.info(line)
    const status = this.progress.render([...this.states]).replace(/^\[\s*/, '[')
    this.bar.update(Math.round(this.watch.fraction() * STEPS), { status })
  }
}
