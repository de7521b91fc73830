import { hkdfSync, randomBytes } from 'node:crypto'

export interface PayloadKey {
  /** AES-256 key, hex. Travels to the hosts only inside the SSH session. */
  key: string
  /** CTR initial counter block, hex. */
  iv: string
}

export const PAYLOAD_CIPHER = 'aes-256-ctr'

const KEY_INFO = 'murder-action payload key v1'

/**
 * The payload's key, derived (HKDF-SHA256) from a secret only the deploying side holds and the
 * sha256 of the exact plaintext it encrypts. Why not a fresh random key each deploy: the same build
 * must encrypt to the same bytes (same info hash), so hosts that kept an earlier deploy's payload
 * can seed it. Why the plaintext's hash and not the release's name or content digest: CTR must never
 * reuse a key stream for two different plaintexts, and the same content can compress to different
 * bytes (another zlib, another level). Keyed by the secret, equal ciphertexts reveal only that two
 * deploys carried the same bytes; a host that was given one release's key can read no other.
 */
export function derivePayloadKey(secret: string | Buffer, plaintextSha256: string): PayloadKey {
  const bytes = Buffer.from(hkdfSync('sha256', secret, Buffer.from(plaintextSha256, 'hex'), KEY_INFO, 48))
  return { key: bytes.subarray(0, 32).toString('hex'), iv: bytes.subarray(32, 48).toString('hex') }
}

/** A key no other deploy will have: used when there is no secret to derive one from. */
export function randomPayloadKey(): PayloadKey {
  return { key: randomBytes(32).toString('hex'), iv: randomBytes(16).toString('hex') }
}
