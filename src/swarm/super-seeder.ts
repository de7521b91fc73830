import type { SeederWire } from './webtorrent-internals.js'

/** Pieces a host is offered by the seeder and does not hold yet. */
const OUTSTANDING_OFFERS = 2
const TOP_UP_MS = 500

/**
 * Super-seeding (after BEP 16), so the seeder's uplink — the one link every byte must cross once —
 * carries each piece about once instead of the same early pieces to every host. The seeder tells
 * each host it holds nothing, then offers it OUTSTANDING_OFFERS pieces at a time: those the fewest
 * hosts hold or have been offered. A host that gets an offered piece (from us or a peer) is offered
 * the next. Requests are still served for any piece, and a timer tops every host up, so nobody can
 * starve. Measured in bench/README.md ("Where the time went").
 */
export class SuperSeeder {
  private readonly wires = new Set<SeederWire>()
  private readonly offered = new Map<SeederWire, Set<number>>()
  private readonly timer: NodeJS.Timeout

  constructor(private readonly pieces: number) {
    this.timer = setInterval(() => {
      for (const wire of this.wires) this.topUp(wire)
    }, TOP_UP_MS)
    this.timer.unref()
  }

  attach(wire: SeederWire): void {
    const sendBitfield = wire.bitfield.bind(wire)
    const sendHaveNone = wire.haveNone.bind(wire)
    const start = (): void => {
      this.wires.add(wire)
      this.offered.set(wire, new Set())
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
    wire.on('have', () => this.topUp(wire))
    wire.on('bitfield', () => this.topUp(wire))
    wire.on('uninterested', () => this.topUp(wire))
    wire.once('close', () => {
      this.wires.delete(wire)
      this.offered.delete(wire)
    })
  }

  close(): void {
    clearInterval(this.timer)
  }

  private topUp(wire: SeederWire): void {
    const offered = this.offered.get(wire)
    if (offered === undefined || wire.destroyed) return
    let outstanding = 0
    for (const index of offered) if (!wire.peerPieces.get(index)) outstanding++
    if (outstanding >= OUTSTANDING_OFFERS) return
    // How many hosts hold each piece, or have been offered it and not got it yet.
    const score = new Array<number>(this.pieces).fill(0)
    for (const other of this.wires) {
      const otherOffered = this.offered.get(other)!
      for (let index = 0; index < this.pieces; index++) {
        if (other.peerPieces.get(index) || otherOffered.has(index)) score[index]!++
      }
    }
    while (outstanding < OUTSTANDING_OFFERS) {
      let best = -1
      let ties = 0
      for (let index = 0; index < this.pieces; index++) {
        if (offered.has(index) || wire.peerPieces.get(index)) continue
        if (best === -1 || score[index]! < score[best]!) {
          best = index
          ties = 1
        } else if (score[index] === score[best] && Math.random() * ++ties < 1) {
          best = index
        }
      }
      if (best === -1) return
      offered.add(best)
      score[best]!++
      wire.have(best)
      outstanding++
    }
  }
}
