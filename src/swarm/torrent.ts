import { createHash } from 'node:crypto'
import bencode from 'bencode'

export interface TorrentFile {
  torrent: Buffer
  infoHash: string
  pieceLength: number
}

export interface TorrentSpec {
  /** The payload's file name: the agents download it under this name. */
  name: string
  length: number
  pieceLength: number
  /** Concatenated SHA-1 of each piece (see pieces.ts). */
  pieces: Buffer
  announceUrl: string
}

/**
 * A private single-file torrent from its piece hashes (pieces.ts). The same fields, in the same
 * encoding, as create-torrent writes — test/unit/torrent.test.ts checks the info hash against it —
 * but without its slower hashing (see hashPiecesOfFile). `announce` is always ours: no public
 * tracker, no DHT, no web seeds.
 */
export function makeTorrent(spec: TorrentSpec): TorrentFile {
  const expectedPieces = Math.ceil(spec.length / spec.pieceLength)
  if (spec.pieces.length !== expectedPieces * 20) {
    throw new Error(`${spec.pieces.length / 20} piece hashes for ${expectedPieces} pieces of ${spec.pieceLength} bytes`)
  }
  const info = {
    length: spec.length,
    name: spec.name,
    'piece length': spec.pieceLength,
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
  return { torrent: Buffer.from(torrent), infoHash, pieceLength: spec.pieceLength }
}
