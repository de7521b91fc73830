import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import type { ObjectRecord } from '../content/manifest.js'
import { keyOf, objectCipher, objectDecipher } from '../content/object-key.js'
import type { DirectForm } from '../protocol/events.js'
import { readEachMiB } from '../content/sha256.js'
import type { ObjectCheck } from './object-receiver.js'

/**
 * An object's decoded bytes (decrypted, still compressed if it was) as a list of buffers one after
 * another, the way they were decrypted: nothing is copied to put them in one piece.
 */
export class DecodedBytes {
  /** Where each part starts in the object. */
  private readonly starts: number[] = []
  readonly length: number

  constructor(private readonly parts: readonly Buffer[]) {
    let at = 0
    for (const part of parts) {
      this.starts.push(at)
      at += part.length
    }
    this.length = at
  }

  /** The bytes at [offset, offset + length), as views of the parts. */
  pick(offset: number, length: number): Buffer[] {
    const picked: Buffer[] = []
    let index = this.partAt(offset)
    for (let at = offset, end = offset + length; at < end; index++) {
      const part = this.parts[index]!
      const from = at - this.starts[index]!
      const view = part.subarray(from, Math.min(part.length, from + end - at))
      picked.push(view)
      at += view.length
    }
    return picked
  }

  /** All of it in one buffer (what inflate needs). */
  whole(): Buffer {
    return this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts as Buffer[], this.length)
  }

  /** The part that holds `offset` (binary search over the starts). */
  private partAt(offset: number): number {
    let low = 0
    let high = this.parts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (this.starts[middle]! <= offset) low = middle
      else high = middle - 1
    }
    return low
  }
}

/** The check of an object that arrives on the agent's own SSH session, which keeps what it decoded. */
export interface DecodingCheck extends ObjectCheck {
  /** Once mismatch() has said the object is good: its decoded bytes. */
  decoded(): DecodedBytes
}

/**
 * Transport ssh's check of an arriving object, made as its bytes come, in the one pass over them:
 * hash what the manifest's sha256 is of, keeping those decoded bytes for the release writer. Sealed
 * objects (as a swarm holds them) are decrypted first; encoded ones are those bytes already, and are
 * sealed under their key for the store's file, so the store holds what it would from a swarm and
 * seeds it later (AgentJob.direct). The bytes come over the host's own SSH session, which already
 * keeps them from outsiders and authenticates every byte, from the runner that sent the manifest in
 * the job on the same session: the manifest's sha256 is the only check they need before use. The
 * object takes its name only if it passes (object-receiver.ts).
 */
export function decodingCheck(record: ObjectRecord, form: DirectForm): DecodingCheck {
  const key = keyOf(record)
  const check = manifestCheck(record, true, form === 'sealed' && key !== undefined ? objectDecipher(key) : undefined)
  if (form === 'sealed' || key === undefined) return check
  const seal = objectCipher(key)
  return { ...check, toFile: seal }
}

function manifestCheck(record: ObjectRecord, keep: boolean, decipher: ((bytes: Buffer) => Buffer[]) | undefined): DecodingCheck {
  const hash = createHash('sha256')
  let parts: Buffer[] = []
  return {
    update(bytes) {
      for (const part of decipher !== undefined ? decipher(bytes) : [bytes]) {
        hash.update(part)
        if (keep) parts.push(part)
      }
    },
    mismatch() {
      const sha256 = hash.digest('hex')
      if (sha256 === record.sha256) return undefined
      parts = []
      return `object ${record.id} arrived with sha256 ${sha256}, not the manifest's ${record.sha256}`
    },
    decoded: () => new DecodedBytes(parts),
  }
}

/**
 * Whether a file holds the object the manifest names (one in the host's store, before transport ssh
 * counts it as held): its size, and its bytes decrypted to the manifest's sha256 — the same check an
 * arriving object passes.
 */
export async function holdsObject(file: string, record: ObjectRecord): Promise<boolean> {
  if (fs.statSync(file, { throwIfNoEntry: false })?.size !== record.size) return false
  const key = keyOf(record)
  const check = manifestCheck(record, false, key !== undefined ? objectDecipher(key) : undefined)
  await readEachMiB(file, (bytes) => check.update(bytes))
  return check.mismatch() === undefined
}
