import { createCipheriv } from 'node:crypto'
import * as fs from 'node:fs'
import { pipeline } from 'node:stream/promises'
import * as tar from 'tar'
import { encodeMtimes } from '../content/mtimes.js'
import { derivePayloadKey, PAYLOAD_CIPHER, randomPayloadKey, type PayloadKey } from '../content/payload-key.js'
import { hashingCounter } from '../content/sha256.js'
import { walkTree } from '../content/tree-walk.js'
import { canonicalHeader } from './tar-internals.js'

export interface PackedPayload {
  file: string
  bytes: number
  /** sha256 (hex) of the file as written: what the agents verify before they unpack. */
  sha256: string
  encryption?: PayloadKey
  /** The entries' modification times (see mtimes.ts): the archive itself carries none. */
  mtimes: string
  entries: number
  seconds: number
}

export interface PackOptions {
  /** 0 stores without compressing: incompressible builds pack ~6× faster on 2 cores. */
  gzipLevel: number
  encrypt: boolean
  /**
   * What the payload key is derived from (see payload-key.ts); the same secret and build give the
   * same payload. Without it the key is random: correct, but no host can seed a kept copy.
   */
  keySecret?: string
}

/**
 * tar (+gzip) (+AES-256-CTR) a directory into one file, streaming, hashing as it writes. The archive
 * is a function of the tree's content alone — paths in walkTree order, types, exact modes, sizes,
 * link targets, bytes — so the same build packs to the same payload on every re-run: no owners,
 * no atime/ctime/inode, mtimes set aside (returned as `mtimes`). Empty directories and symlinks
 * (never followed) are kept. Not node-tar's `portable` mode: it strips group/world write bits
 * (0664 would land as 0644).
 */
export async function packDirectory(sourceDir: string, file: string, options: PackOptions): Promise<PackedPayload> {
  const started = Date.now()
  const tree = walkTree(sourceDir)
  // `./name`: node-tar reads an entry that starts with `@` (node_modules/@scope) as "append the archive at this path".
  const entries = tree.map((entry) => `./${entry.relative}`)
  const archive = tar.c(
    {
      cwd: sourceDir,
      follow: false,
      noDirRecurse: true,
      gzip: options.gzipLevel > 0 ? { level: options.gzipLevel } : false,
      onWriteEntry: canonicalHeader,
    } as tar.TarOptionsWithAliasesAsyncNoFile,
    entries,
  )
  const plain = hashingCounter()
  await pipeline(archive as unknown as NodeJS.ReadableStream, plain.stage, fs.createWriteStream(file, { mode: 0o600 }))
  const result: PackedPayload = {
    file,
    bytes: plain.bytes(),
    sha256: plain.sha256(),
    mtimes: encodeMtimes(tree.map((entry) => entry.stat.mtimeMs)),
    entries: tree.length,
    seconds: 0,
  }
  if (options.encrypt) {
    const encryption = options.keySecret !== undefined ? derivePayloadKey(options.keySecret, result.sha256) : randomPayloadKey()
    result.sha256 = await encryptInPlace(file, encryption)
    result.encryption = encryption
  }
  result.seconds = (Date.now() - started) / 1000
  return result
}

/**
 * Encrypts the file where it lies, returning the sha256 of the ciphertext. CTR keeps lengths, so
 * each chunk is written back over bytes already read: no second copy of the payload on disk.
 */
async function encryptInPlace(file: string, encryption: PayloadKey): Promise<string> {
  const cipher = createCipheriv(PAYLOAD_CIPHER, Buffer.from(encryption.key, 'hex'), Buffer.from(encryption.iv, 'hex'))
  const sealed = hashingCounter()
  await pipeline(fs.createReadStream(file), cipher, sealed.stage, fs.createWriteStream(file, { flags: 'r+' }))
  return sealed.sha256()
}
