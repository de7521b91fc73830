// Just the parts of these untyped packages that murder-action uses.

declare module 'webtorrent' {
  import { EventEmitter } from 'node:events'
  namespace WebTorrent {
    interface Wire extends EventEmitter {
      peerId: string
      remoteAddress: string
      destroy(): void
    }
    interface TorrentFile extends EventEmitter {
      path: string
      length: number
    }
    interface Torrent extends EventEmitter {
      infoHash: string
      length: number
      downloaded: number
      uploaded: number
      received: number
      done: boolean
      numPeers: number
      files: TorrentFile[]
      wires: Wire[]
    }
    interface Instance extends EventEmitter {
      listening: boolean
      peerId: string
      add(torrent: Buffer | string, options?: Record<string, unknown>): Torrent
      address(): { address: string; port: number } | null
      destroy(callback?: (error?: Error) => void): void
    }
  }
  const WebTorrent: new (options?: Record<string, unknown>) => WebTorrent.Instance
  export default WebTorrent
}

declare module 'bittorrent-tracker' {
  import { EventEmitter } from 'node:events'
  import type { Server as HttpServer } from 'node:http'
  export class Server extends EventEmitter {
    constructor(options: Record<string, unknown>)
    http: HttpServer
    torrents: Record<string, { complete: number; incomplete: number } | undefined>
    listen(port: number, hostname: string | undefined, callback?: () => void): void
    listen(port: number, callback?: () => void): void
    close(callback?: () => void): void
  }
}

declare module 'create-torrent' {
  function createTorrent(
    input: string | Buffer,
    options: Record<string, unknown>,
    callback: (error: Error | null, torrent: Buffer) => void,
  ): void
  export default createTorrent
}

declare module 'bencode' {
  const bencode: {
    encode(value: unknown): Uint8Array
    decode(data: Uint8Array | Buffer, encoding?: string): unknown
  }
  export default bencode
}

declare module 'parse-torrent' {
  function parseTorrent(torrent: Buffer | string): Promise<Record<string, unknown>>
  export default parseTorrent
}

declare module 'bittorrent-protocol' {
  import { EventEmitter } from 'node:events'
  /** A BitTorrent peer connection (the tests of patches/ drive one directly). */
  class Wire extends EventEmitter {
    push(data: Uint8Array): boolean
    piece(index: number, offset: number, block: Uint8Array): void
  }
  export default Wire
}
