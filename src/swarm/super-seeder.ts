import type { SeederWire } from './webtorrent-internals.js'

/** Pieces a host is offered by the seeder and does not hold yet. */
const OUTSTANDING_OFFERS = 2
const TOP_UP_MS = 500
/** A piece on its way to one host is offered to another only after this long (unless that host got it). */
const REOFFER_MS = 15_000
/**
 * Once that host holds it, the others are offered it only this long after it was offered: time for
 * that host's peers to take it from that host, but not so long that a host with no peer that holds
 * it yet (a newcomer still finding its peers) waits on the seeder.
 */
const HELD_REOFFER_MS = 3000

interface WireView {
  /** Pieces this wire counts for in `spread`: it holds them, or was offered them. */
  counted: Set<number>
  /** Offered and not yet held. */
  pending: Set<number>
}

/**
 * Super-seeding (after BEP 16), so the seeder's uplink — the one link every byte must cross once —
 * carries each piece about once instead of the same early pieces to every host. The seeder tells
 * each host it holds nothing, then offers it OUTSTANDING_OFFERS pieces at a time: those the fewest
 * hosts hold or have been offered. A host that gets an offered piece (from us or a peer) is offered
 * the next. A piece on its way to one host is not offered to a second for REOFFER_MS, nor for
 * HELD_REOFFER_MS after it was offered once that host holds it: the others get it from that host —
 * what keeps a hotfix of a few pieces to many hosts from crossing the seeder's link once per host
 * (offered to every host as soon as the first held it, it went from the seeder about as often as
 * from that host). Requests are still served for any piece, and
 * a timer tops every host up, so nobody can starve. Measured in bench/README.md ("Where the time went").
 *
 * The cost of an event does not grow with the fleet: `spread` (how many hosts hold or were offered
 * each piece) is kept up to date as haves, bitfields, offers and closes arrive, so choosing a
 * host's next offer is one pass over the pieces, whatever the number of wires.
 */
export class SuperSeeder {
  private readonly views = new Map<SeederWire, WireView>()
  private readonly spread: Uint32Array
  /** Hosts each piece is offered to and not yet held by, and when it was last offered. */
  private readonly inFlight: Uint32Array
  private readonly offeredAt: Float64Array
  private readonly timer: NodeJS.Timeout

  constructor(
    private readonly pieces: number,
    private readonly now: () => number = Date.now,
  ) {
    this.spread = new Uint32Array(pieces)
    this.inFlight = new Uint32Array(pieces)
    this.offeredAt = new Float64Array(pieces)
    this.timer = setInterval(() => {
      for (const wire of this.views.keys()) this.topUp(wire)
    }, TOP_UP_MS)
    this.timer.unref()
  }

  attach(wire: SeederWire): void {
    const sendBitfield = wire.bitfield.bind(wire)
    const sendHaveNone = wire.haveNone.bind(wire)
    const start = (): void => {
      if (this.views.has(wire)) return
      const view: WireView = { counted: new Set(), pending: new Set() }
      this.views.set(wire, view)
      // What the host announced before we started watching it.
      for (let index = 0; index < this.pieces; index++) if (wire.peerPieces.get(index)) this.count(view, index)
      queueMicrotask(() => this.topUp(wire))
    }
    // webtorrent announces what we hold right after the handshake, with one of these two.
    wire.haveAll = () => {
      if (wire.hasFast) sendHaveNone()
      else sendBitfield(new Uint8Array(Math.ceil(this.pieces / 8)))
      start()
    }
    wire.bitfield = () => {
      sendBitfield(new Uint8Array(Math.ceil(this.pieces / 8)))
      start()
    }
    wire.on('have', (index: unknown) => {
      const view = this.views.get(wire)
      if (view === undefined || typeof index !== 'number') return
      this.holds(view, index)
      this.topUp(wire)
    })
    wire.on('bitfield', () => {
      const view = this.views.get(wire)
      if (view === undefined) return
      for (let index = 0; index < this.pieces; index++) if (wire.peerPieces.get(index)) this.holds(view, index)
      this.topUp(wire)
    })
    wire.on('have-all', () => {
      const view = this.views.get(wire)
      if (view === undefined) return
      for (let index = 0; index < this.pieces; index++) this.holds(view, index)
    })
    wire.on('uninterested', () => this.topUp(wire))
    wire.once('close', () => {
      const view = this.views.get(wire)
      if (view === undefined) return
      for (const index of view.counted) this.spread[index]!--
      for (const index of view.pending) this.inFlight[index]!--
      this.views.delete(wire)
    })
  }

  /** How many hosts hold or were offered each piece (for tests and diagnostics). */
  spreadOf(index: number): number {
    return this.spread[index]!
  }

  close(): void {
    clearInterval(this.timer)
  }

  /** The host holds the piece now (from us or a peer). */
  private holds(view: WireView, index: number): void {
    this.count(view, index)
    if (view.pending.delete(index)) this.inFlight[index]!--
  }

  private count(view: WireView, index: number): void {
    if (index < 0 || index >= this.pieces || view.counted.has(index)) return
    view.counted.add(index)
    this.spread[index]!++
  }

  private topUp(wire: SeederWire): void {
    const view = this.views.get(wire)
    if (view === undefined || wire.destroyed) return
    const reofferBefore = this.now() - REOFFER_MS
    const heldReofferBefore = this.now() - HELD_REOFFER_MS
    while (view.pending.size < OUTSTANDING_OFFERS) {
      let best = -1
      let ties = 0
      for (let index = 0; index < this.pieces; index++) {
        if (view.counted.has(index)) continue
        if (this.inFlight[index]! > 0 && this.offeredAt[index]! > reofferBefore) continue
        // Held by the host it was offered to (or by others): they serve it.
        if (this.inFlight[index] === 0 && this.spread[index]! > 0 && this.offeredAt[index]! > heldReofferBefore) continue
        const spread = this.spread[index]!
        if (best === -1 || spread < this.spread[best]!) {
          best = index
          ties = 1
        } else if (spread === this.spread[best] && Math.random() * ++ties < 1) {
          best = index
        }
      }
      if (best === -1) return
      this.count(view, best)
      view.pending.add(best)
      this.inFlight[best]!++
      this.offeredAt[best] = this.now()
      wire.have(best)
    }
  }
}
