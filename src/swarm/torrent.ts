import { createHash } from 'node:crypto'
import bencode from 'bencode'
import type { ObjectLayout } from './object-layout.js'

export interface TorrentFile {
  torrent: Buffer
  infoHash: string
  pieceLength: number
}

export interface TorrentSpec {
  /** The torrent's name: the directory its files would go under (our chunk store ignores it). */
  name: string
  layout: ObjectLayout
  /** Concatenated SHA-1 of each piece, in piece order. */
  pieces: Buffer
  announceUrl: string
}

/**
 * A private multi-file torrent of a deploy's objects (object-layout.ts), in the fields and encoding
 * create-torrent writes (test/unit/swarm/torrent.test.ts checks the info hash against it). The info
 * dictionary holds no time and no tracker, so the same objects make the same info hash on every
 * re-run. `announce` is always ours: no public tracker, no DHT, no web seeds.
 */
export function makeTorrent(spec: TorrentSpec): TorrentFile {
  const { layout } = spec
  if (spec.pieces.length !== layout.pieceCount * 20) {
    throw new Error(`${spec.pieces.length / 20} piece hashes for ${layout.pieceCount} pieces of ${layout.pieceLength} bytes`)
  }
  const info = {
    files: layout.files.map((file) => ({ length: file.length, path: file.path })),
    name: spec.name,
    'piece length': layout.pieceLength,
    pieces: spec.pieces,
    private: 1,
  }
  const torrent = bencode.encode({
    announce: spec.announceUrl,
    'announce-list': [[spec.announceUrl]],
    'created by': 'murder-action',
    'creation date': Math.ceil(Date.now() / 1000),
    encoding: 'UTF-8',
    info,
    'url-list': [],
  })
  const infoHash = createHash('sha1').update(bencode.encode(info)).digest('hex')
  return { torrent: Buffer.from(torrent), infoHash, pieceLength: layout.pieceLength }
}
