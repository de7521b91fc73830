import * as path from 'node:path'
import createTorrent from 'create-torrent'
import parseTorrent from 'parse-torrent'
import { swarmPieceLength } from './client-options.js'

export interface TorrentFile {
  torrent: Buffer
  infoHash: string
  pieceLength: number
}

/**
 * A private torrent of one payload file. `announce` is always given: create-torrent otherwise
 * bakes in public trackers, which would tell the world about the deploy.
 */
export async function makeTorrent(file: string, bytes: number, announceUrl: string): Promise<TorrentFile> {
  const pieceLength = swarmPieceLength(bytes)
  const torrent = await new Promise<Buffer>((resolve, reject) => {
    createTorrent(
      file,
      {
        name: path.basename(file),
        announceList: [[announceUrl]],
        urlList: [],
        private: true,
        pieceLength,
        createdBy: 'murder-action',
        creationDate: new Date(),
      },
      (error: Error | null, result: Buffer) => (error ? reject(error) : resolve(result)),
    )
  })
  const parsed = (await parseTorrent(torrent)) as { infoHash: string }
  return { torrent: Buffer.from(torrent), infoHash: parsed.infoHash, pieceLength }
}
