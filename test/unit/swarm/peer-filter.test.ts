/**
 * Peers an agent or the seeder deals with, for real on loopback (several source addresses in
 * 127.0.0.0/8): connections from outside the fleet are closed before the handshake, a remote
 * address gets few connections and all remotes together a bounded number, the seeder listens on
 * the fleet's address only, and a peer that sends a piece failing its hash is dropped and never
 * dialled again.
 */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as path from 'node:path'
import WebTorrent from 'webtorrent'
import { pieceHashes } from '../../../src/pack/encode-task.js'
import { closedFleetClientOptions } from '../../../src/swarm/client-options.js'
import { objectChunkStore } from '../../../src/swarm/object-chunk-store.js'
import { layObjects, type ObjectLayout } from '../../../src/swarm/object-layout.js'
import { guardPeers, listenOnly } from '../../../src/swarm/peer-filter.js'
import { makeTorrent } from '../../../src/swarm/torrent.js'
import { handshake, knock, poisonOn, startPoisoner } from '../../e2e/intruder.js'
import { removeTemporaryDirs, temporaryDir } from '../helpers.js'

const SIZE = 200 * 1024 + 77
const PIECE = 16 * 1024

const clients: WebTorrent.Instance[] = []
after(async () => {
  await Promise.all(clients.map((client) => new Promise<void>((resolve) => client.destroy(() => resolve()))))
  removeTemporaryDirs()
})

function newClient(): WebTorrent.Instance {
  const client = new WebTorrent(closedFleetClientOptions({ torrentPort: 0 }))
  client.on('error', () => {})
  clients.push(client)
  return client
}

interface OneObject {
  id: string
  bytes: Buffer
  dir: string
  layout: ObjectLayout
  torrentFile: Buffer
  infoHash: Buffer
}

function oneObject(size = SIZE): OneObject {
  const dir = temporaryDir()
  const id = randomBytes(16).toString('hex')
  const bytes = randomBytes(size)
  fs.writeFileSync(path.join(dir, id), bytes)
  const layout = layObjects([{ id, size }], PIECE)
  const made = makeTorrent({ name: 'v1', layout, pieces: pieceHashes(bytes, PIECE, true), announceUrl: 'http://127.0.0.1:9/announce' })
  return { id, bytes, dir, layout, torrentFile: made.torrent, infoHash: Buffer.from(made.infoHash, 'hex') }
}

async function seed(object: OneObject, client = newClient()): Promise<{ client: WebTorrent.Instance; torrent: WebTorrent.Torrent }> {
  const torrent = client.add(object.torrentFile, { path: object.dir, store: objectChunkStore(object.dir, object.layout, { readOnly: true }) })
  await new Promise<void>((resolve) => (torrent.done ? resolve() : torrent.once('done', () => resolve())))
  await new Promise<void>((resolve) => (client.listening ? resolve() : client.once('listening', () => resolve())))
  return { client, torrent }
}

/** A connection from `localAddress` whose handshake was answered, held open. */
function holdOpen(port: number, infoHash: Buffer, localAddress: string): Promise<net.Socket | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress })
    let received = 0
    socket.on('connect', () => socket.write(handshake(infoHash)))
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length
      if (received >= 68) resolve(socket)
    })
    socket.on('error', () => {})
    socket.on('close', () => resolve(undefined))
  })
}

describe('guardPeers: who may connect', () => {
  test('a connection from an address outside the fleet is closed before any handshake; one from the fleet is answered', async () => {
    const object = oneObject()
    const { client } = await seed(object)
    guardPeers(client, { allowed: new Set(['127.0.0.1']), maxIncoming: 8, maxPerAddress: 4 })
    const port = client.address()!.port
    assert.equal(await knock('127.0.0.1', port, object.infoHash, '127.0.0.3'), 'refused')
    assert.equal(await knock('127.0.0.1', port, object.infoHash, '127.0.0.1'), 'answered')
  })
  test('an address gets maxPerAddress connections; all together get maxIncoming', async () => {
    const object = oneObject()
    const { client } = await seed(object)
    guardPeers(client, { maxIncoming: 3, maxPerAddress: 2 })
    const port = client.address()!.port
    const held: (net.Socket | undefined)[] = [await holdOpen(port, object.infoHash, '127.0.0.6'), await holdOpen(port, object.infoHash, '127.0.0.6')]
    assert.equal(held.filter((socket) => socket !== undefined).length, 2, 'two from one address')
    assert.equal(await knock('127.0.0.1', port, object.infoHash, '127.0.0.6'), 'refused', 'a third from it is refused')
    held.push(await holdOpen(port, object.infoHash, '127.0.0.7'))
    assert.ok(held[2] !== undefined, 'another address still gets in')
    assert.equal(await knock('127.0.0.1', port, object.infoHash, '127.0.0.8'), 'refused', 'past maxIncoming nobody does')
    for (const socket of held) socket?.destroy()
    // Once they close, their places are free again (bounded wait: the server sees the close a moment later).
    let again: 'answered' | 'refused' = 'refused'
    for (let attempt = 0; attempt < 50 && again === 'refused'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      again = await knock('127.0.0.1', port, object.infoHash, '127.0.0.6')
    }
    assert.equal(again, 'answered')
  })
})

describe('dropSeeds', () => {
  test('the seeder drops a peer posing as a seed (it holds every piece: nothing to give it)', async () => {
    const object = oneObject()
    const { client, torrent } = await seed(object)
    guardPeers(client, { maxIncoming: 8, maxPerAddress: 4, dropSeeds: true }).watch(torrent)
    const socket = net.connect({ host: '127.0.0.1', port: client.address()!.port })
    const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 10_000).unref())
    const seen = await Promise.race([poisonOn(socket, object.infoHash, 'seeder'), timeout])
    socket.destroy()
    assert.ok(seen?.answered, 'it was connected, then dropped within the bound')
  })
})

describe('listenOnly', () => {
  test('the client listens on the given address only', async () => {
    const object = oneObject()
    const { client } = await seed(object)
    await listenOnly(client, '127.0.0.1')
    const port = client.address()!.port
    assert.equal(await knock('127.0.0.1', port, object.infoHash), 'answered')
    assert.equal(await knock('127.0.0.2', port, object.infoHash), 'refused')
  })
})

describe('a peer that sends pieces failing their hash', () => {
  test('is dropped, never dialled again, and the download completes from an honest peer', async () => {
    const object = oneObject()
    const { client: seeder } = await seed(object)
    const poisoner = await startPoisoner('127.0.0.5')
    const downloader = newClient()
    let onBan: (ban: { address: string; why: string }) => void = () => {}
    const banned = new Promise<{ address: string; why: string }>((resolve) => (onBan = resolve))
    const guard = guardPeers(downloader, { maxIncoming: 8, maxPerAddress: 4, onBan: (address: string, why: string) => onBan({ address, why }) })
    const into = temporaryDir()
    const torrent = downloader.add(object.torrentFile, { path: into, store: objectChunkStore(into, object.layout) })
    guard.watch(torrent)
    const peers = torrent as unknown as { addPeer(peer: string): boolean }
    await new Promise<void>((resolve) => (torrent.infoHash ? resolve() : torrent.once('infoHash', () => resolve())))
    peers.addPeer(`127.0.0.5:${poisoner.port}`)
    const ban = await banned
    assert.equal(ban.address, '127.0.0.5')
    assert.match(ban.why, /failed its hash/)
    const first = await poisoner.connections[0]!
    assert.ok(first.answered && first.blocksSent > 0, 'the poisoner was connected and sent garbage')
    assert.equal(peers.addPeer(`127.0.0.5:${poisoner.port}`), false, 'not dialled again')
    peers.addPeer(`127.0.0.1:${seeder.address()!.port}`)
    await new Promise<void>((resolve) => (torrent.done ? resolve() : torrent.once('done', () => resolve())))
    assert.ok(fs.readFileSync(path.join(into, object.id)).equals(object.bytes), 'the object is whole and right')
    assert.equal(poisoner.connections.length, 1, 'one connection to the poisoner in all')
    poisoner.close()
  })
  test('sharing pieces with an honest peer: only the poisoner is dropped, once its blocks are compared with the good bytes', async () => {
    const object = oneObject(2 * 1024 * 1024)
    const { client: seeder } = await seed(object)
    const poisoner = await startPoisoner('127.0.0.5')
    const downloader = newClient()
    const bans: string[] = []
    const guard = guardPeers(downloader, { maxIncoming: 8, maxPerAddress: 4, onBan: (address: string) => bans.push(address) })
    const into = temporaryDir()
    const torrent = downloader.add(object.torrentFile, { path: into, store: objectChunkStore(into, object.layout) })
    guard.watch(torrent)
    const peers = torrent as unknown as { addPeer(peer: string): boolean }
    await new Promise<void>((resolve) => (torrent.infoHash ? resolve() : torrent.once('infoHash', () => resolve())))
    // Both at once: pieces get blocks from each.
    peers.addPeer(`127.0.0.5:${poisoner.port}`)
    peers.addPeer(`127.0.0.1:${seeder.address()!.port}`)
    await new Promise<void>((resolve) => (torrent.done ? resolve() : torrent.once('done', () => resolve())))
    assert.ok(fs.readFileSync(path.join(into, object.id)).equals(object.bytes), 'the object is whole and right')
    poisoner.close()
    const sent = (await Promise.all(poisoner.connections)).reduce((sum, connection) => sum + connection.blocksSent, 0)
    assert.ok(sent > 0, 'the poisoner was asked for blocks (else this test shows nothing)')
    assert.deepEqual(bans, ['127.0.0.5'], 'the poisoner, and no one else')
  })
})
