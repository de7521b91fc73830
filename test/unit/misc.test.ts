import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { shellQuote } from '../../src/fleet/shell.js'
import { closedFleetClientOptions, newPeerId, swarmPieceLength } from '../../src/swarm/client-options.js'

/** The piece-length rule with ~1024 pieces and a 4 MiB cap (deploys use swarmPieceLength's tuned defaults). */
const pieceLengthFor = (bytes: number): number => swarmPieceLength(bytes, 1024, 4 * 1024 * 1024)

const KiB = 1024
const MiB = 1024 * KiB
const GiB = 1024 * MiB

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

describe('swarmPieceLength', () => {
  test('tiny payloads get the 32 KiB minimum', () => {
    assert.equal(pieceLengthFor(0), 32 * KiB)
    assert.equal(pieceLengthFor(1), 32 * KiB)
    assert.equal(pieceLengthFor(32 * MiB), 32 * KiB)
  })
  test('about 1024 pieces in between', () => {
    assert.equal(pieceLengthFor(32 * MiB + 1), 64 * KiB)
    assert.equal(pieceLengthFor(64 * MiB), 64 * KiB)
    assert.equal(pieceLengthFor(100 * MiB), 128 * KiB)
    assert.equal(pieceLengthFor(1 * GiB), 1 * MiB)
    assert.equal(pieceLengthFor(2 * GiB), 2 * MiB)
  })
  test('huge payloads are capped at 4 MiB', () => {
    assert.equal(pieceLengthFor(4 * GiB), 4 * MiB)
    assert.equal(pieceLengthFor(100 * GiB), 4 * MiB)
    assert.equal(pieceLengthFor(Number.MAX_SAFE_INTEGER), 4 * MiB)
  })
  test('always a power of two, never more than ~2048 pieces below the cap', () => {
    for (const bytes of [1, 1000, 12_345_678, 777 * MiB, 3.3 * GiB, 50 * GiB]) {
      const length = pieceLengthFor(bytes)
      assert.equal(length & (length - 1), 0, `${length} is a power of two`)
      if (length < 4 * MiB && length > 32 * KiB) assert.ok(bytes / length <= 1024 && bytes / length > 512, `${bytes}: ${bytes / length} pieces`)
    }
  })
})

describe('newPeerId', () => {
  const prefixHex = Buffer.from('-MA0100-').toString('hex')
  test('40 hex characters (20 bytes) starting with -MA0100- in hex', () => {
    const id = newPeerId()
    assert.match(id, /^[0-9a-f]{40}$/)
    assert.equal(prefixHex, '2d4d41303130302d')
    assert.ok(id.startsWith(prefixHex), id)
    assert.equal(Buffer.from(id, 'hex').subarray(0, 8).toString('latin1'), '-MA0100-')
  })
  test('the random part differs from id to id', () => {
    const ids = new Set(Array.from({ length: 50 }, newPeerId))
    assert.equal(ids.size, 50)
  })
})

describe('closedFleetClientOptions', () => {
  test('everything that reaches outside the fleet is off', () => {
    assert.deepEqual(closedFleetClientOptions(), {
      dht: false,
      lsd: false,
      utPex: false,
      natUpnp: false,
      natPmp: false,
      webSeeds: false,
      utp: false,
      // BitTorrent's own obfuscation (MSE) costs a DH per connection; confidentiality is our AES.
      secure: 0,
    })
  })
  test('overrides are added, and may replace a default', () => {
    const options = closedFleetClientOptions({ torrentPort: 0, maxConns: 10, utp: true })
    assert.equal(options.torrentPort, 0)
    assert.equal(options.maxConns, 10)
    assert.equal(options.utp, true)
    assert.equal(options.dht, false)
  })
})
