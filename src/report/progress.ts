import type { HostState } from '../fleet/host-state.js'
import { formatMB } from './format.js'

/**
 * One progress line for the log: hosts done / total, the fleet's aggregate download rate since
 * the last line, and who is slowest. One line per interval, however large the fleet.
 */
export class ProgressLine {
  private lastBytes = 0
  private lastAt: number

  constructor(
    private readonly transferStart: number,
    now = Date.now(),
  ) {
    this.lastAt = now
  }

  render(states: HostState[], now = Date.now()): string {
    const done = states.filter((state) => state.phase === 'done').length
    const failed = states.filter((state) => state.phase === 'failed').length
    const bytes = states.reduce((sum, state) => sum + state.have, 0)
    const rate = (bytes - this.lastBytes) / Math.max(0.001, (now - this.lastAt) / 1000)
    this.lastBytes = bytes
    this.lastAt = now
    const pending = states.filter((state) => state.phase === 'transferring' || state.phase === 'connecting')
    let slowest = ''
    if (pending.length > 0) {
      const worst = pending.reduce((a, b) => (fraction(a) <= fraction(b) ? a : b))
      slowest = ` · slowest: ${worst.target.label} ${worst.phase === 'connecting' ? '(connecting)' : `${Math.floor(fraction(worst) * 100)} %`}`
    }
    const elapsed = ((now - this.transferStart) / 1000).toFixed(0).padStart(4)
    return `[${elapsed} s] ${done}/${states.length} done${failed > 0 ? `, ${failed} failed` : ''} · ${formatMB(rate)} MB/s into the fleet${slowest}`
  }
}

function fraction(state: HostState): number {
  return state.total > 0 ? state.have / state.total : 0
}
