/** The CLI's output: log lines on stderr, the summary on stdout, secrets never shown. */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { Terminal } from '../../../src/cli/terminal.js'

function capture(verbose = false): { terminal: Terminal; out: () => string; err: () => string } {
  let out = ''
  let err = ''
  const terminal = new Terminal({ out: (text) => void (out += text), err: (text) => void (err += text) }, verbose)
  return { terminal, out: () => out, err: () => err }
}

describe('Terminal', () => {
  test('a registered secret is replaced in every line, a longer one first', () => {
    const { terminal, err, out } = capture()
    terminal.secret('b3BlbnNzaC1rZXk')
    terminal.secret('b3BlbnNzaC1rZXktdjEAAAAA')
    terminal.info('key b3BlbnNzaC1rZXktdjEAAAAA and b3BlbnNzaC1rZXk')
    terminal.error('again: b3BlbnNzaC1rZXk')
    terminal.result('| b3BlbnNzaC1rZXk |\n')
    assert.equal(err(), 'key *** and ***\nerror: again: ***\n')
    assert.equal(out(), '| *** |\n')
  })
  test('log lines go to stderr with their level; debug only when verbose', () => {
    const quiet = capture()
    quiet.terminal.warning('two\nlines')
    quiet.terminal.debug('detail')
    assert.equal(quiet.err(), 'warning: two\nwarning: lines\n')
    const verbose = capture(true)
    verbose.terminal.debug('detail')
    assert.equal(verbose.err(), 'debug: detail\n')
  })
  test('a progress display can take the lines over, and give them back', () => {
    const { terminal, err } = capture()
    const above: string[] = []
    terminal.routeLines((line) => above.push(line))
    terminal.info('above the bar')
    terminal.routeLines(undefined)
    terminal.info('after')
    assert.deepEqual(above, ['above the bar'])
    assert.equal(err(), 'after\n')
  })
})
