import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { describe, test } from 'node:test'
import { SuperSeeder } from '../../../src/swarm/super-seeder.js'
import type { SeederWire } from '../../../src/swarm/webtorrent-internals.js'

/** A wire as webtorrent hands it to the seeder, recording what the seeder tells the host. */
class FakeWire extends EventEmitter implements SeederWire {
  readonly held = new Set<number>()
  readonly offers: number[] = []
  sentBitfields = 0
  hasFast = true
  destroyed = false
  peerPieces = { get: (index: number) => this.held.has(index) }
  bitfield(): void {
    this.sentBitfields++
  }
  haveAll(): void {
    throw new Error('the seeder must never tell a host it holds everything')
  }
  haveNone(): void {}
  have(index: number): void {
    this.offers.push(index)
  }
  /** The host got piece `index` (from anyone) and says so. */
  gets(index: number): void {
    this.held.add(index)
    this.emit('have', index)
  }
}

/** Attaches a wire the way webtorrent does right after the handshake. */
async function connect(seeder: SuperSeeder, wire: FakeWire = new FakeWire()): Promise<FakeWire> {
  seeder.attach(wire)
  wire.haveAll()
  await new Promise((resolve) => queueMicrotask(() => resolve(undefined)))
  return wire
}

describe('SuperSeeder', () => {
  test('hides what it holds and offers each host two pieces at a time', async () => {
    const seeder = new SuperSeeder(16)
    const wire = await connect(seeder)
    assert.equal(wire.offers.length, 2)
    wire.gets(wire.offers[0]!)
    assert.equal(wire.offers.length, 3, 'a piece received is replaced by a new offer')
    const unoffered = [...Array(16).keys()].find((index) => !wire.offers.includes(index))!
    wire.gets(unoffered)
    assert.equal(wire.offers.length, 3, 'a piece from a peer that was not on offer leaves two offers outstanding')
    assert.equal(new Set(wire.offers).size, 3, 'no piece is offered twice')
    seeder.close()
  })

  test('offers the pieces the fewest hosts hold or were offered, so the first copies are all different', async () => {
    const seeder = new SuperSeeder(8)
    const wires = [await connect(seeder), await connect(seeder), await connect(seeder), await connect(seeder)]
    const offered = wires.flatMap((wire) => wire.offers)
    assert.equal(offered.length, 8)
    assert.equal(new Set(offered).size, 8, `4 hosts × 2 offers cover all 8 pieces once: ${offered}`)
    for (let index = 0; index < 8; index++) assert.equal(seeder.spreadOf(index), 1)
    seeder.close()
  })

  test('spread follows haves, bitfields and closes, so it stays right without rescanning the fleet', async () => {
    const seeder = new SuperSeeder(4)
    const first = await connect(seeder)
    const second = new FakeWire()
    second.held.add(3)
    await connect(seeder, second)
    // second announced piece 3 before the seeder watched it: counted once, never offered to it.
    assert.ok(!second.offers.includes(3), `${second.offers}`)
    const before = [0, 1, 2, 3].map((index) => seeder.spreadOf(index))
    const offeredBefore = first.offers.length
    first.gets(first.offers[0]!)
    const newOffers = first.offers.slice(offeredBefore)
    assert.deepEqual(
      [0, 1, 2, 3].map((index) => seeder.spreadOf(index)),
      before.map((count, index) => count + (newOffers.includes(index) ? 1 : 0)),
      'a have of an offered piece changes nothing; a new offer adds one',
    )
    const total = (): number => [0, 1, 2, 3].reduce((sum, index) => sum + seeder.spreadOf(index), 0)
    const withBoth = total()
    second.emit('close')
    assert.equal(total(), withBoth - new Set([...second.offers, 3]).size, 'a closed wire no longer counts')
    seeder.close()
  })

  test('a piece on its way to one host is offered to no other until it arrives or REOFFER_MS passes', async () => {
    let now = 0
    const seeder = new SuperSeeder(2, () => now)
    const wires: FakeWire[] = []
    for (let index = 0; index < 8; index++) wires.push(await connect(seeder))
    const offers = wires.flatMap((wire) => wire.offers)
    assert.deepEqual([...offers].sort(), [0, 1], `8 hosts, 2 pieces: each offered once (${offers})`)
    // The host offered piece 0 gets it: the others now get it from that host, not from the seeder.
    const holder = wires.find((wire) => wire.offers.includes(0))!
    holder.gets(0)
    assert.deepEqual(wires.flatMap((wire) => wire.offers).sort(), [0, 1], 'nobody is offered a piece that is in flight')
    // Fifteen seconds on, piece 1 has still not arrived at its host: another host is offered it.
    now = 15_001
    for (const wire of wires) wire.emit('uninterested')
    assert.equal(wires.flatMap((wire) => wire.offers).filter((index) => index === 1).length, 2, 'a stalled offer is made again, once')
    seeder.close()
  })

  test('a piece one host got from the seeder is not offered to the others for HELD_REOFFER_MS: they get it from that host', async () => {
    // A hotfix: 8 hosts hold all but 2 pieces. Without this rule, each top-up once the first host
    // held a piece offered it to every other host, which then took it from the seeder as often as from the holder.
    let now = 0
    const seeder = new SuperSeeder(2, () => now)
    const wires: FakeWire[] = []
    for (let index = 0; index < 8; index++) wires.push(await connect(seeder))
    const holder = wires.find((wire) => wire.offers.includes(0))!
    holder.gets(0)
    now = 2_900
    for (const wire of wires) wire.emit('uninterested')
    assert.equal(wires.flatMap((wire) => wire.offers).filter((index) => index === 0).length, 1, 'piece 0 was offered once, to the host that now serves it')
    now = 3_001
    for (const wire of wires) wire.emit('uninterested')
    assert.ok(wires.flatMap((wire) => wire.offers).filter((index) => index === 0).length > 1, 'after HELD_REOFFER_MS the seeder offers it again: a host with no peer holding it does not wait on the seeder')
    seeder.close()
  })

  test('a host that holds everything is offered nothing more', async () => {
    const seeder = new SuperSeeder(3)
    const wire = await connect(seeder)
    for (let index = 0; index < 3; index++) wire.gets(index)
    const offersWhenComplete = wire.offers.length
    assert.ok(offersWhenComplete <= 3 && new Set(wire.offers).size === offersWhenComplete, `each piece offered once at most: ${wire.offers}`)
    await new Promise((resolve) => setTimeout(resolve, 600))
    assert.equal(wire.offers.length, offersWhenComplete, 'the top-up timer offers it nothing either')
    seeder.close()
  })

  test('a host that announces it holds everything (HAVE ALL) is counted for every piece', async () => {
    const seeder = new SuperSeeder(5)
    const wire = await connect(seeder)
    for (let index = 0; index < 5; index++) wire.held.add(index)
    wire.emit('have-all')
    const newcomer = await connect(seeder)
    assert.equal(newcomer.offers.length, 2)
    for (const index of newcomer.offers) assert.equal(seeder.spreadOf(index), 2)
    seeder.close()
  })
})
