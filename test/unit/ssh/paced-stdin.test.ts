/**
 * writePaced keeps what can queue ahead of an SSH keepalive small. (That the install script
 * acknowledges what it reads: fleet/agent-install.test.ts.)
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { ACK_EVERY_BYTES, WINDOW_BYTES, writePaced, type PacedChannel } from '../../../src/ssh/paced-stdin.js'

/** A remote reader that reads one chunk per tick and acknowledges as the install script does. */
class FakeRemote extends EventEmitter implements PacedChannel {
  readonly stderr = new EventEmitter()
  readonly received: Buffer[] = []
  private pending: Buffer[] = []
  private read = 0
  private acked = 0
  ended = 0
  maxUnacknowledged = 0
  private sent = 0

  constructor(private readonly exitCode: number | null) {
    super()
  }

  write(data: Buffer): boolean {
    this.sent += data.length
    this.maxUnacknowledged = Math.max(this.maxUnacknowledged, this.sent - this.acked)
    this.pending.push(Buffer.from(data))
    setImmediate(() => this.consume())
    return true
  }

  end(): void {
    this.ended++
    setImmediate(() => {
      this.stderr.emit('data', Buffer.from('a warning\n'))
      this.emit('exit', this.exitCode, this.exitCode === null ? 'SIGKILL' : undefined)
      this.emit('close')
    })
  }

  private consume(): void {
    const chunk = this.pending.shift()
    if (chunk === undefined) return
    this.received.push(chunk)
    this.read += chunk.length
    let dots = 0
    while (this.read - this.acked >= ACK_EVERY_BYTES) {
      this.acked += ACK_EVERY_BYTES
      dots++
    }
    if (dots > 0) this.emit('data', Buffer.from('.'.repeat(dots)))
  }
}

describe('writePaced', () => {
  for (const size of [0, 1, ACK_EVERY_BYTES, WINDOW_BYTES, WINDOW_BYTES + 1, 5 * WINDOW_BYTES + 12_345]) {
    test(`${size} bytes: all delivered in order, never more than the window unacknowledged, ended once`, async () => {
      const data = randomBytes(size)
      const remote = new FakeRemote(0)
      const result = await writePaced(remote, data)
      assert.deepEqual(result, { code: 0, signal: undefined, stderr: 'a warning\n' })
      assert.ok(Buffer.concat(remote.received).equals(data))
      assert.ok(remote.maxUnacknowledged <= WINDOW_BYTES, `${remote.maxUnacknowledged} bytes were unacknowledged at once`)
      assert.equal(remote.ended, 1)
    })
  }

  test('a command that dies says so: no exit code, the signal', async () => {
    const result = await writePaced(new FakeRemote(null), randomBytes(1000))
    assert.equal(result.code, null)
    assert.equal(result.signal, 'SIGKILL')
  })
})
