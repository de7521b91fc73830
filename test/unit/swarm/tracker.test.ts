/** The ephemeral tracker, for real on loopback: it serves this deploy's info hash and nothing else. */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import * as http from 'node:http'
import type { EphemeralTracker } from '../../../src/swarm/tracker.js'
import { settled, TRACKER_KINDS } from './tracker-kinds.js'

const OURS = 'aa'.repeat(20)
const FOREIGN = 'bb'.repeat(20)

function announce(port: number, infoHashHex: string, peerPort: number): Promise<string> {
  const escape = (hex: string): string => hex.replace(/../g, '%$&')
  const query = `info_hash=${escape(infoHashHex)}&peer_id=${escape('cc'.repeat(20))}&port=${peerPort}&uploaded=0&downloaded=0&left=100&compact=1&event=started`
  return new Promise((resolve, reject) => {
    http
      .get(`http://127.0.0.1:${port}/announce?${query}`, (response) => {
        let body = ''
        response.setEncoding('latin1')
        response.on('data', (chunk: string) => (body += chunk))
        response.on('end', () => resolve(body))
      })
      .on('error', reject)
  })
}

for (const kind of TRACKER_KINDS) describe(`the ephemeral tracker, ${kind.name}`, () => {
  let tracker: EphemeralTracker
  before(async () => {
    tracker = await kind.start({ port: 0, intervalMs: 5000, peersCacheLength: 1000 })
    await tracker.allow(OURS)
  })
  after(async () => tracker?.close())

  test('answers a foreign info hash with a failure and keeps no state for it', async () => {
    const body = await announce(tracker.port, FOREIGN, 6881)
    assert.match(body, /failure reason/)
    assert.match(body, /serves one deploy only/)
    assert.equal(tracker.swarmsKnown(), 0)
  })

  test('registers a peer of its own deploy and tells it the short interval', async () => {
    const body = await announce(tracker.port, OURS, 6882)
    assert.doesNotMatch(body, /failure reason/)
    assert.match(body, /8:intervali5e/)
    assert.equal(await settled(() => tracker.swarmCounts().incomplete, 1), 1)
    assert.equal(await settled(() => tracker.swarmsKnown(), 1), 1)
  })

  test('counts the announces it answered for its deploy, not the refused ones', async () => {
    const before = tracker.announces()
    await announce(tracker.port, OURS, 6883)
    await announce(tracker.port, FOREIGN, 6884)
    assert.equal(await settled(() => tracker.announces(), before + 1), before + 1)
    await new Promise((resolve) => setTimeout(resolve, 100))
    assert.equal(tracker.announces(), before + 1, 'the refused announce is not counted, later either')
  })

  test('announce URLs bracket IPv6 addresses', () => {
    assert.equal(tracker.announceUrl('198.18.0.1'), `http://198.18.0.1:${tracker.port}/announce`)
    assert.equal(tracker.announceUrl('fd00::1'), `http://[fd00::1]:${tracker.port}/announce`)
  })
})

describe('the action\'s tracker, in a thread of its own', () => {
  test('answers an announce while the controller\'s thread is busy and never yields', async () => {
    const tracker = await TRACKER_KINDS[1]!.start({ port: 0, intervalMs: 5000, peersCacheLength: 1000 })
    await tracker.allow(OURS)
    const escape = (hex: string): string => hex.replace(/../g, '%$&')
    const url = `http://127.0.0.1:${tracker.port}/announce?info_hash=${escape(OURS)}&peer_id=${escape('dd'.repeat(20))}&port=6890&uploaded=0&downloaded=0&left=100&compact=1&event=started`
    // Another process announces, so that nothing in this thread has to run for the announce to be made.
    const announcer = spawn(process.execPath, ['-e', `require('http').get(${JSON.stringify(url)}, (r) => { r.resume(); r.on('end', () => process.exit(0)) }).on('error', () => process.exit(2))`], { stdio: 'ignore' })
    const exited = new Promise<number | null>((resolve) => announcer.on('exit', resolve))
    try {
      const before = tracker.announces()
      // Busy for up to 10 s without returning to the event loop: only another thread can answer.
      const nap = new Int32Array(new SharedArrayBuffer(4))
      const started = Date.now()
      while (tracker.announces() === before && Date.now() - started < 10_000) Atomics.wait(nap, 0, 0, 20)
      assert.equal(tracker.announces(), before + 1, 'answered while this thread was busy')
      assert.equal(tracker.swarmCounts().incomplete, 1)
      assert.equal(await exited, 0, 'the announcer had its answer')
    } finally {
      announcer.kill()
      await tracker.close()
    }
  })

  test('a listen that fails rejects with its code, which swarm.ts falls back on', async () => {
    const first = await TRACKER_KINDS[1]!.start({ port: 0, intervalMs: 5000, peersCacheLength: 1000, host: '127.0.0.1' })
    try {
      await assert.rejects(TRACKER_KINDS[1]!.start({ port: first.port, intervalMs: 5000, peersCacheLength: 1000, host: '127.0.0.1' }), (error: NodeJS.ErrnoException) => {
        assert.equal(error.code, 'EADDRINUSE')
        assert.match(error.message, /EADDRINUSE/)
        return true
      })
    } finally {
      await first.close()
    }
  })

  test('once the thread has ended, allow answers at once instead of leaving the deploy waiting', async () => {
    const tracker = await TRACKER_KINDS[1]!.start({ port: 0, intervalMs: 5000, peersCacheLength: 1000 })
    await tracker.close()
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<'waiting'>((resolve) => (timer = setTimeout(() => resolve('waiting'), 3000)))
    const outcome = await Promise.race([tracker.allow(OURS).then(() => 'answered' as const), late])
    clearTimeout(timer)
    assert.equal(outcome, 'answered')
  })
})
