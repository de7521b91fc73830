/** The read coalescer over real loopback TCP: every byte arrives, in order, in fewer reads. */
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import * as net from 'node:net'
import { once } from 'node:events'
import { parks, ReadCoalescer } from '../../../src/swarm/read-coalescer.js'

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

async function socketPair(): Promise<{ writer: net.Socket; reader: net.Socket; close(): void }> {
  const server = net.createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const accepted = once(server, 'connection')
  const writer = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1')
  writer.setNoDelay(true)
  const [reader] = (await accepted) as [net.Socket]
  return { writer, reader, close: () => (writer.destroy(), reader.destroy(), server.close()) }
}

const pairs: Array<{ close(): void }> = []
after(() => pairs.forEach((pair) => pair.close()))

async function readsOf(intervalMs: number): Promise<{ reads: Buffer[]; sent: Buffer }> {
  const pair = await socketPair()
  pairs.push(pair)
  const coalescer = new ReadCoalescer(intervalMs)
  coalescer.attach(pair.reader)
  const reads: Buffer[] = []
  pair.reader.on('data', (chunk: Buffer) => reads.push(chunk))
  const parts = ['first', 'second', 'third', 'fourth'].map((word) => Buffer.from(word))
  // The first read empties the socket and parks it; the next three come 40 ms apart, each a read of its own unless gathered.
  pair.writer.write(parts[0]!)
  while (reads.length === 0) await sleep(5)
  for (const part of parts.slice(1)) {
    await sleep(40)
    pair.writer.write(part)
  }
  const sent = Buffer.concat(parts)
  for (let waited = 0; Buffer.concat(reads).length < sent.length && waited < 5000; waited += 10) await sleep(10)
  coalescer.close()
  return { reads, sent }
}

test('bytes that arrive while a socket is parked are read together, once the interval is over', async () => {
  const { reads, sent } = await readsOf(600)
  assert.deepEqual(Buffer.concat(reads), sent, 'every byte, in order')
  assert.equal(reads.length, 2, `the three later writes gathered into one read: ${reads.map(String).join(' | ')}`)
})

test('an interval of 0 leaves the socket alone: each write is a read', async () => {
  const { reads, sent } = await readsOf(0)
  assert.deepEqual(Buffer.concat(reads), sent)
  assert.equal(reads.length, 4, reads.map(String).join(' | '))
})

test('only a read that emptied the socket, on a flow slower than 20 MB/s, parks it', () => {
  assert.equal(parks(3000, 12.5e6), true, 'a few packets at a time on a 100 Mbit/s link')
  assert.equal(parks(64 * 1024, 12.5e6), false, 'a full read: more is waiting')
  assert.equal(parks(3000, 80e6), false, 'a fast flow: a pause would overflow the receive window and stall the sender')
})
