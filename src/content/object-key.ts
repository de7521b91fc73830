import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto'

export interface ObjectKey {
  /** AES-256 key, hex. Travels to the hosts only inside the SSH session (in the manifest). */
  key: string
  /** CTR initial counter block, hex. */
  iv: string
}

/** The key a manifest's record carries; none for a release packed without encryption. */
export function keyOf(record: { key?: string; iv?: string }): ObjectKey | undefined {
  return record.key !== undefined && record.iv !== undefined ? { key: record.key, iv: record.iv } : undefined
}

export const OBJECT_CIPHER = 'aes-256-ctr'

const KEY_INFO = 'murder-action object key v1'
const ID_INFO = 'murder-action object id v1'

/**
 * An object's key, derived (HKDF-SHA256) from a secret only the deploying side holds and the sha256
 * of the exact bytes it encrypts (the object after compression). Why not a random key per deploy:
 * the same bytes must encrypt the same way on every deploy, so a host that holds an object from an
 * earlier release never downloads it again. Why the hash of the compressed bytes and not of the
 * file: CTR must never use one key stream for two different plaintexts, and the same file can
 * compress to different bytes (another zlib, another level). A host is given the keys of the
 * objects of the releases it receives, and no other.
 */
export function deriveObjectKey(secret: string | Buffer, encodedSha256: string): ObjectKey {
  const bytes = Buffer.from(hkdfSync('sha256', secret, Buffer.from(encodedSha256, 'hex'), KEY_INFO, 48))
  return { key: bytes.subarray(0, 32).toString('hex'), iv: bytes.subarray(32, 48).toString('hex') }
}

/**
 * An object's name in the torrent and in the hosts' stores: a keyed hash (HMAC-SHA256, 128 bits) of
 * the object's bytes. Keyed, so that someone who sees the names (a host's directory listing, a
 * .torrent) cannot check whether a file they know is part of the build.
 */
export function objectId(secret: string | Buffer, encodedSha256: string): string {
  return createHmac('sha256', secret).update(ID_INFO).update(Buffer.from(encodedSha256, 'hex')).digest('hex').slice(0, 32)
}

/**
 * What one cipher update is given at most. Each update returns a new buffer of the slice's size:
 * OpenSSL through Node ran 10× slower on 16 MiB at once than on 1 MiB slices, and 1 MiB slices
 * still 6× (Node 20) to 16× (Node 24) slower than 64 KiB ones (256 MiB: 1.6–2.1 s against
 * 0.13–0.32 s of CPU), buffers of a MiB being fresh memory each time while 64 KiB ones are reused.
 */
export const CIPHER_SLICE = 64 << 10

/**
 * Encrypts or decrypts a whole object (AES-256-CTR keeps the length), a slice at a time, into `out`
 * (a reused buffer: see ScratchBuffer) or a new buffer.
 */
export function applyObjectKey(bytes: Buffer, key: ObjectKey, decrypt = false, out: Buffer = Buffer.allocUnsafe(bytes.length)): Buffer {
  const keyBytes = Buffer.from(key.key, 'hex')
  const iv = Buffer.from(key.iv, 'hex')
  const cipher = decrypt ? createDecipheriv(OBJECT_CIPHER, keyBytes, iv) : createCipheriv(OBJECT_CIPHER, keyBytes, iv)
  const result = out.subarray(0, bytes.length)
  for (let offset = 0; offset < bytes.length; offset += CIPHER_SLICE) {
    cipher.update(bytes.subarray(offset, offset + CIPHER_SLICE)).copy(result, offset)
  }
  return result
}

/**
 * Decrypts an object as its bytes come (transport ssh), in the same slices as applyObjectKey. Each
 * call returns the decrypted bytes as buffers of their own, which the caller may keep: copying them
 * into one object-sized buffer would cost as much as the decryption.
 */
export function objectDecipher(key: ObjectKey): (bytes: Buffer) => Buffer[] {
  return streamingCipher(createDecipheriv(OBJECT_CIPHER, Buffer.from(key.key, 'hex'), Buffer.from(key.iv, 'hex')))
}

/** Encrypts an object as its bytes come (a host sealing what came encoded over SSH), as objectDecipher decrypts. */
export function objectCipher(key: ObjectKey): (bytes: Buffer) => Buffer[] {
  return streamingCipher(createCipheriv(OBJECT_CIPHER, Buffer.from(key.key, 'hex'), Buffer.from(key.iv, 'hex')))
}

function streamingCipher(cipher: { update(bytes: Buffer): Buffer }): (bytes: Buffer) => Buffer[] {
  return (bytes) => {
    const parts: Buffer[] = []
    for (let offset = 0; offset < bytes.length; offset += CIPHER_SLICE) parts.push(cipher.update(bytes.subarray(offset, offset + CIPHER_SLICE)))
    return parts
  }
}

/**
 * A buffer kept for the next object instead of a new one each time: on the machines measured,
 * touching 16 MiB of fresh memory (page faults) cost more than decrypting it (bench/README.md,
 * "Objects"). One per purpose and per thread; whoever takes it is done with the last use.
 */
export class ScratchBuffer {
  private buffer = Buffer.alloc(0)

  take(size: number): Buffer {
    if (this.buffer.length < size) this.buffer = Buffer.allocUnsafe(size)
    return this.buffer.subarray(0, size)
  }
}
