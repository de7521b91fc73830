/** The two progress displays: plain lines for a log, a bar on a terminal. */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { ProgressBar } from '../../../src/cli/progress-bar.js'
import { ProgressLines } from '../../../src/cli/progress-lines.js'
import { Terminal } from '../../../src/cli/terminal.js'
import type { HostState } from '../../../src/fleet/host-state.js'
import { doneHost, failedHost, hostState } from '../helpers.js'

function captured(): { terminal: Terminal; err: () => string } {
  let err = ''
  return { terminal: new Terminal({ out: () => {}, err: (text) => void (err += text) }, false), err: () => err }
}

function fleetOf(count: number): HostState[] {
  return Array.from({ length: count }, (_, index) => hostState(`web${index + 1}`, { phase: 'transferring', have: 1, total: 4 }))
}

describe('ProgressLines', () => {
  test('the engine\'s progress line as it is; failures and the hosts done told when it stops', () => {
    const { terminal, err } = captured()
    const display = new ProgressLines(terminal, new AbortController().signal)
    const states = fleetOf(3)
    display.start(states)
    display.line('[   5 s] 0/3 done · 1.0 MB/s into the fleet')
    Object.assign(states[0]!, doneHost('web1', 4))
    Object.assign(states[2]!, failedHost('web3', 'DISK_FULL: no space left'))
    display.stop()
    assert.equal(err(), '[   5 s] 0/3 done · 1.0 MB/s into the fleet\nweb3 FAILED: DISK_FULL: no space left\n1/3 hosts done: web1 4.0 s\n')
  })
  test('cancelled: no host news (each would say "cancelled"); the verdict says it once', () => {
    const { terminal, err } = captured()
    const cancel = new AbortController()
    const display = new ProgressLines(terminal, cancel.signal)
    const states = fleetOf(2)
    display.start(states)
    cancel.abort()
    for (const state of states) Object.assign(state, failedHost(state.target.label, 'the deploy was cancelled'))
    display.stop()
    assert.equal(err(), '')
  })
})

describe('ProgressBar', () => {
  /** Enough of a terminal's WriteStream for cli-progress. */
  function fakeTty(): { stream: NodeJS.WriteStream; written: () => string } {
    let written = ''
    const stream = {
      isTTY: true,
      columns: 120,
      write: (text: string) => {
        written += text
        return true
      },
      cursorTo: () => true,
      moveCursor: () => true,
      clearLine: () => true,
      clearScreenDown: () => true,
      on: () => stream,
      removeListener: () => stream,
    }
    return { stream: stream as unknown as NodeJS.WriteStream, written: () => written }
  }

  test('draws the share of the fleet and the progress line; log lines go above it, and back to stderr after', () => {
    const { terminal, err } = captured()
    const tty = fakeTty()
    const display = new ProgressBar(terminal, new AbortController().signal, tty.stream)
    const states = fleetOf(2)
    display.start(states, Date.now())
    terminal.info('a notice while the bar is drawn')
    Object.assign(states[0]!, doneHost('web1', 3))
    Object.assign(states[1]!, failedHost('web2', 'HOST KEY MISMATCH'))
    display.stop()
    terminal.info('after the bar')
    const screen = tty.written().replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    assert.match(screen, /a notice while the bar is drawn\n/)
    assert.match(screen, /web2 FAILED: HOST KEY MISMATCH\n/, 'a failed host is told above the bar')
    assert.doesNotMatch(screen, /hosts done:/, 'the hosts done are counted in the bar, not told one by one')
    assert.match(screen, /100% \[\d+ s\] 1\/2 done, 1 failed/)
    assert.equal(err(), 'after the bar\n')
  })
})
