/** The object stream's window: how far the runner writes ahead of what a host's agent has acknowledged. */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { FIRST_BYTES, InFlightWindow, MAX_BYTES, MIN_BYTES, TARGET_MS } from '../../../src/fleet/in-flight-window.js'

/** True when room() resolved within a turn of the event loop. */
async function hasRoom(window: InFlightWindow): Promise<boolean> {
  let resolved = false
  void window.room().then(() => (resolved = true))
  await new Promise((resolve) => setImmediate(resolve))
  return resolved
}

describe('InFlightWindow', () => {
  test('writes go until a window is in flight, then wait for an ack', async () => {
    const window = new InFlightWindow(() => 0)
    assert.equal(window.window, FIRST_BYTES)
    window.sent(FIRST_BYTES - 1)
    assert.equal(await hasRoom(window), true)
    window.sent(1)
    assert.equal(await hasRoom(window), false, 'a whole window in flight: wait')
    const waiting = window.room()
    window.ack(1)
    await waiting
    assert.equal(window.inFlight, FIRST_BYTES - 1)
  })

  test('on a slow link the window is half a second of the rate the host takes, not below the minimum', () => {
    for (const [bytesPerSecond, expected] of [
      [2_000_000, 1_000_000],
      // 4 Mbit/s: half a second is 250 kB, under the floor.
      [500_000, MIN_BYTES],
    ] as const) {
      let now = 0
      const window = new InFlightWindow(() => now)
      window.sent(100 * FIRST_BYTES)
      for (let step = 1; step <= 10; step++) {
        now = step * 250
        window.ack((step * bytesPerSecond) / 4)
      }
      assert.equal(window.window, expected, `at ${bytesPerSecond} B/s`)
    }
    assert.equal(TARGET_MS, 500)
  })

  test('on a fast link it grows from one measure to the next, to the maximum', () => {
    let now = 0
    const window = new InFlightWindow(() => now)
    let acked = 0
    // Each round trip takes 20 ms and moves whatever the window allows.
    const sizes: number[] = []
    for (let trip = 0; trip < 40; trip++) {
      window.sent(window.window)
      now += 20
      acked += window.inFlight
      window.ack(acked)
      sizes.push(window.window)
    }
    assert.equal(sizes.at(-1), MAX_BYTES)
    assert.ok(sizes.findIndex((size) => size === MAX_BYTES) < 25, `reached the maximum within 25 round trips: ${sizes.join(', ')}`)
  })

  test('an ack beyond what was sent counts only what was sent; one that goes back is ignored', () => {
    const window = new InFlightWindow(() => 0)
    window.sent(1000)
    window.ack(10 ** 12)
    assert.equal(window.inFlight, 0)
    window.sent(500)
    window.ack(200)
    assert.equal(window.inFlight, 500)
  })

  test('close() releases whoever waits and lets every later write through', async () => {
    const window = new InFlightWindow(() => 0)
    window.sent(MAX_BYTES)
    const waiting = window.room()
    window.close()
    await waiting
    assert.equal(await hasRoom(window), true)
  })
})
