/** transport ssh's rate limits: the runner's writes held to download-limit per host and seeder-upload-limit in all. */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { RatePacer, streamPace } from '../../../src/fleet/stream-pace.js'

/** Feeds `chunks` writes of `size` bytes through `take`; resolves with the ms it took. */
async function stream(take: (bytes: number) => Promise<void>, chunks: number, size: number): Promise<number> {
  const started = Date.now()
  for (let i = 0; i < chunks; i++) await take(size)
  return Date.now() - started
}

describe('RatePacer', () => {
  test('holds one stream to its rate: the first write goes at once, each after waits its share', async () => {
    const pacer = new RatePacer(200_000)
    const first = await stream((bytes) => pacer.take(bytes), 1, 20_000)
    assert.ok(first < 50, `the first write waited ${first} ms`)
    // 5 more of 20 kB at 200 kB/s: 0.5 s after the first.
    const rest = await stream((bytes) => pacer.take(bytes), 5, 20_000)
    assert.ok(rest >= 450 && rest < 1500, `5 × 20 kB at 200 kB/s took ${rest} ms`)
  })
  test('one pacer shared by two streams holds their sum to the rate', async () => {
    const pacer = new RatePacer(200_000)
    const started = Date.now()
    await Promise.all([stream((bytes) => pacer.take(bytes), 5, 20_000), stream((bytes) => pacer.take(bytes), 5, 20_000)])
    const took = Date.now() - started
    // 200 kB at 200 kB/s, the first write free: at least 0.9 s.
    assert.ok(took >= 850 && took < 2500, `2 × 5 × 20 kB at 200 kB/s together took ${took} ms`)
  })
  test('time a stream left unused is not saved up for a burst', async () => {
    let now = 1_000_000
    const pacer = new RatePacer(1000, () => now)
    await pacer.take(1000)
    now += 60_000
    const reservedAt = Date.now()
    // A minute idle, then 1 kB: goes at once, and the next kB waits its full second, not the idle minute's credit.
    await pacer.take(1000)
    assert.ok(Date.now() - reservedAt < 50)
    assert.equal((pacer as unknown as { free: number }).free, now + 1000)
  })
})

describe('streamPace', () => {
  test('none without a pacer; writes cut to a tenth of a second at the slowest rate, within 1 KiB and 256 KiB', () => {
    assert.equal(streamPace([undefined, undefined]), undefined)
    assert.equal(streamPace([new RatePacer(4_000_000), undefined])!.slice, 256 << 10)
    assert.equal(streamPace([new RatePacer(4_000_000), new RatePacer(1_000_000)])!.slice, 100_000)
    assert.equal(streamPace([new RatePacer(500)])!.slice, 1024)
  })
  test('waits on every pacer: the slower one sets the pace', async () => {
    const pace = streamPace([new RatePacer(10_000_000), new RatePacer(100_000)])!
    const took = await stream((bytes) => pace.take(bytes), 4, 10_000)
    assert.ok(took >= 250 && took < 1500, `4 × 10 kB under 100 kB/s took ${took} ms`)
  })
})
