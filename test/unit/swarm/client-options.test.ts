/** The BitTorrent client options of a closed fleet: nothing reaches outside it. */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { agentAddOptions, closedFleetClientOptions, storeSeedOptions, UPLOAD_SLOTS } from '../../../src/swarm/client-options.js'

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
      // A seed dials no one; those still downloading dial it.
      seedOutgoingConnections: false,
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

describe('agentAddOptions and storeSeedOptions', () => {
  test('an agent downloads into its directory with nothing selected yet, and unchokes the whole fleet', () => {
    assert.deepEqual(agentAddOptions('/srv/releases/.murder/incoming/42'), {
      path: '/srv/releases/.murder/incoming/42',
      strategy: 'sequential',
      deselect: true,
      uploads: UPLOAD_SLOTS,
      storeCacheSlots: 0, // no whole-piece cache: a block a peer asks for is read alone
    })
    assert.ok(UPLOAD_SLOTS > 10, `${UPLOAD_SLOTS} unchoke slots: more than webtorrent's default 10, which chokes all but the 9 best peers`)
  })
  test('a host that already holds the release seeds it from its work directory, and webtorrent verifies every piece first (no skipVerify)', () => {
    const options = storeSeedOptions('/srv/releases/.murder/incoming/42')
    assert.deepEqual(options, {
      path: '/srv/releases/.murder/incoming/42',
      uploads: UPLOAD_SLOTS,
      storeCacheSlots: 0, // no whole-piece cache: a block a peer asks for is read alone
    })
    assert.equal('skipVerify' in options, false, 'a damaged object in the store must not be offered')
  })
})
