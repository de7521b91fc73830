/** shellQuote: every word reaches the remote shell as itself. */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { shellQuote } from '../../../src/ssh/shell.js'

/** What `sh -c "printf %s <quoted>"` prints: the word as the remote shell sees it. */
function throughShell(quoted: string): string {
  const result = spawnSync('sh', ['-c', `printf %s ${quoted}`], { encoding: 'utf8' })
  assert.equal(result.status, 0, result.stderr)
  return result.stdout
}

describe('shellQuote', () => {
  const nasty = [
    "it's",
    "'",
    "''",
    "a'b'c",
    '"double"',
    '$(id)',
    '`id`',
    '${HOME}',
    '$HOME',
    'two words',
    '  leading and trailing  ',
    'line1\nline2',
    'tab\there',
    'semi;colon && rm -rf / || true',
    'glob * ? [a-z]',
    '~',
    '~root',
    'back\\slash',
    '!history',
    '#comment',
    'a|b>c<d',
    '-n',
    '%s%d',
    'ünïcødé ✓',
    '',
    "'; echo pwned; '",
    '\\\'',
  ]
  for (const word of nasty) {
    test(`${JSON.stringify(word)} survives sh -c unchanged`, () => {
      assert.equal(throughShell(shellQuote(word)), word)
    })
  }
  test('the empty string becomes an empty argument, not nothing', () => {
    assert.equal(shellQuote(''), "''")
    const result = spawnSync('sh', ['-c', `set -- ${shellQuote('')} x; printf %s "$#"`], { encoding: 'utf8' })
    assert.equal(result.stdout, '2')
  })
  test('a whole command line keeps its argument boundaries', () => {
    const args = ['a b', "c'd", '$(id)', '', 'e\nf']
    const result = spawnSync('sh', ['-c', `for a in ${args.map(shellQuote).join(' ')}; do printf '<%s>' "$a"; done`], { encoding: 'utf8' })
    assert.equal(result.stdout, args.map((a) => `<${a}>`).join(''))
  })
  test('safe words are left bare', () => {
    for (const word of ['node', '/usr/local/bin/node', 'v1.2.3', 'user@host:22', 'a=b', '50%', 'x+y', '-rf']) {
      assert.equal(shellQuote(word), word)
    }
  })
  test('anything else is single-quoted, with embedded quotes as \'\\\'\'', () => {
    assert.equal(shellQuote('a b'), "'a b'")
    assert.equal(shellQuote("it's"), "'it'\\''s'")
    assert.equal(shellQuote('$(id)'), "'$(id)'")
  })
})
