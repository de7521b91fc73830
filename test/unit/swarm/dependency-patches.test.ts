/**
 * Pins the patches in patches/ (applied to node_modules by scripts/patch-deps.mjs): each test fails
 * on the unpatched dependency. Why each patch exists, and what it saved: patches/README.md.
 */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import Wire from 'bittorrent-protocol'
import WebTorrent from 'webtorrent'
import { removeTemporaryDirs, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

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

describe('webtorrent Peer (patches/webtorrent+*.patch)', () => {
  /** Two clients on loopback: one seeds 256 KiB, the other downloads it; returns both clients, done. */
  async function transfer(limits: { uploadLimit?: number; downloadLimit?: number }): Promise<WebTorrent.Instance[]> {
    const options = { dht: false, lsd: false, utPex: false, natUpnp: false, natPmp: false, webSeeds: false, utp: false, secure: 0, tracker: false }
    const seeder = new WebTorrent({ ...options, ...limits })
    const leecher = new WebTorrent({ ...options, ...limits })
    const data = Buffer.alloc(256 * 1024, 9)
    const seeded = await new Promise<WebTorrent.Torrent>((resolve) => (seeder as unknown as { seed(input: Buffer, options: object, ready: (torrent: WebTorrent.Torrent) => void): void }).seed(data, { name: 'x.bin', announce: [], private: true }, resolve))
    await new Promise<void>((resolve) => (seeder.listening ? resolve() : seeder.once('listening', () => resolve())))
    const torrentFile = (seeded as unknown as { torrentFile: Uint8Array }).torrentFile
    const added = leecher.add(Buffer.from(torrentFile), { path: temporaryDir() })
    added.once('ready', () => (added as unknown as { addPeer(addr: string): void }).addPeer(`127.0.0.1:${seeder.address()!.port}`))
    await new Promise<void>((resolve) => added.once('done', () => resolve()))
    return [seeder, leecher]
  }
  const throttlesOf = (client: WebTorrent.Instance): number => {
    const groups = (client as unknown as { throttleGroups: { down: { throttles: unknown[] }; up: { throttles: unknown[] } } }).throttleGroups
    return groups.down.throttles.length + groups.up.throttles.length
  }

  test('without a rate limit, a peer connection has no throttle stages', async (t) => {
    const clients = await transfer({})
    t.after(() => clients.forEach((client) => client.destroy()))
    for (const client of clients) assert.equal(throttlesOf(client), 0)
  })

  test('with a rate limit, it has them (and the limit still applies)', async (t) => {
    const clients = await transfer({ downloadLimit: 50e6, uploadLimit: 50e6 })
    t.after(() => clients.forEach((client) => client.destroy()))
    for (const client of clients) assert.ok(throttlesOf(client) >= 2, `${throttlesOf(client)} throttles`)
  })
})

describe('ssh2: AES-GCM (its JavaScript cipher, used when its native addon is not built) reuses one buffer for big packets', () => {
  type Cipher = { allocPacket(length: number): Buffer; encrypt(packet: Buffer): void }
  type Decipher = { decrypt(data: Buffer, start: number, end: number): void }
  const crypto = createRequire(import.meta.url)('ssh2/lib/protocol/crypto.js') as {
    CIPHER_INFO: Record<string, unknown>
    createCipher(config: unknown): Cipher
    createDecipher(config: unknown): Decipher
  }
  const info = crypto.CIPHER_INFO['aes128-gcm@openssh.com']
  const key = Buffer.alloc(16, 3)
  const iv = Buffer.alloc(12, 5)
  const writes: Uint8Array[] = []
  const cipher = crypto.createCipher({ outbound: { onWrite: (data: Uint8Array) => writes.push(data), cipherInfo: info, cipherKey: key, cipherIV: Buffer.from(iv), seqno: 0, forceNative: true } })

  test('two big packets in turn are built in the same memory; small ones are not', () => {
    const first = cipher.allocPacket(32_768)
    const second = cipher.allocPacket(32_768)
    assert.equal(second.buffer, first.buffer, 'one buffer for both')
    assert.notEqual(cipher.allocPacket(100).buffer, first.buffer, 'a small packet has its own')
  })
  test('what it wrote for each packet stays right after later packets reuse the buffer: every payload decrypts', () => {
    writes.length = 0
    const payloads = [100, 32_768, 20, 32_768, 16_000, 30_000, 17_000].map((length, index) => Buffer.alloc(length, index + 1))
    const fresh = crypto.createCipher({ outbound: { onWrite: (data: Uint8Array) => writes.push(data), cipherInfo: info, cipherKey: key, cipherIV: Buffer.from(iv), seqno: 0, forceNative: true } })
    for (const payload of payloads) {
      const packet = fresh.allocPacket(payload.length)
      payload.copy(packet, 5)
      fresh.encrypt(packet)
    }
    // Only now, as a socket that took the writes and sends them later would.
    const wire = Buffer.concat(writes)
    const received: Buffer[] = []
    const decipher = crypto.createDecipher({
      inbound: { onPayload: (payload: Buffer) => void received.push(Buffer.from(payload)), decipherInfo: info, decipherKey: key, decipherIV: Buffer.from(iv), seqno: 0, forceNative: true },
    })
    decipher.decrypt(wire, 0, wire.length)
    assert.equal(received.length, payloads.length)
    received.forEach((payload, index) => assert.ok(payload.equals(payloads[index]!), `packet ${index} (${payloads[index]!.length} bytes)`))
  })
})
