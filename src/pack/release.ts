import * as path from 'node:path'
import { treeDigest } from '../content/tree-digest.js'
import { InputError } from '../inputs/errors.js'
import { packDirectory, type PackedPayload } from './pack.js'

export interface PackedRelease extends PackedPayload {
  /** The payload's file name, as the torrent and the hosts name it. */
  name: string
  /** Digest of the tree's content (content/tree-digest.ts): how a host knows it already holds the release. */
  contentId: string
}

export interface ReleaseSource {
  sourceDir: string
  tag: string
  /** Where the payload is written. */
  workdir: string
  encrypt: boolean
  compressionLevel: number
  /** What the payload key is derived from (content/payload-key.ts). */
  keySecret: string
}

/** Names the release by its content, then packs it into one payload file. */
export async function packRelease(source: ReleaseSource): Promise<PackedRelease> {
  // Also refuses symlinks out of the tree, which every host would refuse after the whole transfer.
  const contentId = await treeDigest(source.sourceDir).catch((error: Error) => {
    throw new InputError('path', error.message)
  })
  const name = `${source.tag}.tar.gz${source.encrypt ? '.enc' : ''}`
  const payload = await packDirectory(source.sourceDir, path.join(source.workdir, name), {
    gzipLevel: source.compressionLevel,
    encrypt: source.encrypt,
    // The same secret and build give the same payload, which hosts that kept it can seed.
    keySecret: source.keySecret,
  })
  return { ...payload, name, contentId }
}
