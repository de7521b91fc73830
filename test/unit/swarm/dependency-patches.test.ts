/**
 * Pins the patches in patches/ (applied to node_modules by scripts/patch-deps.mjs): each test fails
 * on the unpatched dependency. Why each patch exists, and what it saved: patches/README.md.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import Wire from 'bittorrent-protocol'

const INFO_HASH = 'aa'.repeat(20)

/** A wire past its handshake, whose parser now waits for a message length. */
function wireAfterHandshake(): Wire {
  const wire = new Wire()
  const handshake = Buffer.concat([
    Buffer.from([19]),
    Buffer.from('BitTorrent protocol'),
    Buffer.alloc(8),
    Buffer.from(INFO_HASH, 'hex'),
    Buffer.from('bb'.repeat(20), 'hex'),
  ])
  feed(wire, handshake)
  return wire
}

function feed(wire: Wire, chunk: Uint8Array): void {
  ;(wire as unknown as { _write(data: Uint8Array, cb: (error: Error | null) => void): void })._write(chunk, () => {})
}

/** A "piece" message: <len><7><index><begin><block>. */
function pieceMessage(index: number, begin: number, block: Buffer): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(9 + block.length, 0)
  header[4] = 7
  header.writeUInt32BE(index, 5)
  header.writeUInt32BE(begin, 9)
  return Buffer.concat([header, block])
}

describe('bittorrent-protocol Wire (patches/bittorrent-protocol+*.patch)', () => {
  test('a message that lies within one chunk reaches the handler as a view of that chunk, even after a partial one', () => {
    const wire = wireAfterHandshake()
    const received: Array<{ index: number; block: Uint8Array }> = []
    wire.on('piece', (index: number, _offset: number, block: Uint8Array) => received.push({ index, block }))
    const first = pieceMessage(1, 0, Buffer.alloc(4000, 1))
    const second = pieceMessage(2, 0, Buffer.alloc(16384, 2))
    // Chunk A: all of `first` but its last 10 bytes. Chunk B: those 10 bytes, then all of `second`.
    const chunkB = Buffer.concat([first.subarray(first.length - 10), second])
    feed(wire, first.subarray(0, first.length - 10))
    feed(wire, chunkB)
    assert.equal(received.length, 2)
    assert.deepEqual(Buffer.from(received[0]!.block), Buffer.alloc(4000, 1))
    assert.deepEqual(Buffer.from(received[1]!.block), Buffer.alloc(16384, 2))
    // Unpatched, every write joined the leftover and the new chunk into a new buffer.
    assert.equal(received[1]!.block.buffer, chunkB.buffer, 'the block is a view of the chunk it arrived in')
  })

  test('a message split over many small chunks arrives whole and in order', () => {
    const wire = wireAfterHandshake()
    const blocks: Buffer[] = []
    wire.on('piece', (_index: number, _offset: number, block: Uint8Array) => blocks.push(Buffer.from(block)))
    const payload = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251))
    const stream = Buffer.concat([pieceMessage(0, 0, payload), pieceMessage(0, 3000, payload.subarray(0, 7))])
    for (let at = 0; at < stream.length; at += 97) feed(wire, stream.subarray(at, at + 97))
    assert.deepEqual(blocks, [payload, payload.subarray(0, 7)])
  })

  test('a piece goes out as one chunk, header and block together', () => {
    const wire = wireAfterHandshake()
    const pushed: Uint8Array[] = []
    const push = wire.push.bind(wire)
    wire.push = (data: Uint8Array) => {
      pushed.push(data)
      return push(data)
    }
    const block = Buffer.alloc(16384, 7)
    wire.piece(3, 16384, block)
    assert.equal(pushed.length, 1)
    assert.deepEqual(Buffer.from(pushed[0]!), pieceMessage(3, 16384, block))
  })
})
