import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

/**
 * OpenSSH known_hosts, parsed and matched the way `ssh -o StrictHostKeyChecking=yes` does.
 * Written here rather than taken from npm: no maintained known_hosts parser exists there (checked
 * 2026-11), and this is a few dozen lines against a stable, documented format (sshd(8),
 * "SSH_KNOWN_HOSTS FILE FORMAT"). Supported: plain and hashed (`|1|salt|hmac`) names, `[host]:port`,
 * pattern lists with `*`, `?` and `!negation`, and `@revoked`. `@cert-authority` lines are not
 * supported (we verify host keys, not host certificates) and are ignored.
 */

export interface KnownHostEntry {
  marker: '' | '@revoked' | '@cert-authority'
  patterns: string
  keyType: string
  /** base64 of the key blob, as in the file. */
  key: string
  line: number
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = []
  const problems: string[] = []
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    const fields = line.split(/\s+/)
    let marker: KnownHostEntry['marker'] = ''
    if (fields[0]!.startsWith('@')) {
      const given = fields.shift()!
      if (given !== '@revoked' && given !== '@cert-authority') {
        problems.push(`line ${index + 1}: unknown marker ${given}`)
        return
      }
      marker = given
    }
    const [patterns, keyType, key] = fields
    if (patterns === undefined || keyType === undefined || key === undefined || !/^[A-Za-z0-9+/]+=*$/.test(key)) {
      problems.push(`line ${index + 1}: expected "host key-type base64-key"`)
      return
    }
    entries.push({ marker, patterns, keyType, key, line: index + 1 })
  })
  if (problems.length > 0) throw new Error(`is not in known_hosts format (${problems.join('; ')})`)
  return entries
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`
}

function globToRegExp(glob: string): RegExp {
  // Only * and ? are wildcards in known_hosts; everything else (brackets included) is literal.
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  return new RegExp(`^${escaped}$`, 'i')
}

function hashedNameMatches(pattern: string, name: string): boolean {
  const [, kind, salt, hash] = pattern.split('|')
  if (kind !== '1' || salt === undefined || hash === undefined) return false
  const expected = Buffer.from(hash, 'base64')
  const actual = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest()
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

/** Does this entry's host field name `host:port`? Negated patterns veto the entry. */
export function entryNamesHost(entry: KnownHostEntry, host: string, port: number): boolean {
  // OpenSSH lower-cases host names before matching or hashing them.
  const name = knownHostsName(host.toLowerCase(), port)
  if (entry.patterns.startsWith('|')) return hashedNameMatches(entry.patterns, name)
  let matched = false
  for (const pattern of entry.patterns.split(',')) {
    const negated = pattern.startsWith('!')
    const glob = negated ? pattern.slice(1) : pattern
    if (globToRegExp(glob).test(name)) {
      if (negated) return false
      matched = true
    }
  }
  return matched
}

export function fingerprint(keyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')
}

/** The key type named inside an SSH key blob (its first length-prefixed string). */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown'
  const length = keyBlob.readUInt32BE(0)
  return keyBlob.subarray(4, 4 + length).toString('latin1')
}

export type HostKeyVerdict = { ok: true } | { ok: false; reason: string }

/**
 * Checks a host's offered key. Matches across every line that names the host (a host may have
 * several key types), never just the first.
 */
export function verifyHostKey(entries: KnownHostEntry[], host: string, port: number, keyBlob: Buffer): HostKeyVerdict {
  const offered = keyBlob.toString('base64')
  const offeredType = keyTypeOf(keyBlob)
  const print = `${offeredType} ${fingerprint(keyBlob)}`
  const named = entries.filter((entry) => entry.marker !== '@cert-authority' && entryNamesHost(entry, host, port))
  if (named.some((entry) => entry.marker === '@revoked' && entry.key === offered)) {
    return { ok: false, reason: `its host key ${print} is marked @revoked in known-hosts` }
  }
  const trusted = named.filter((entry) => entry.marker === '')
  if (trusted.length === 0) {
    return {
      ok: false,
      reason: `it is not in known-hosts (it offered ${print}); add it, e.g. the output of: ssh-keyscan -p ${port} ${host}`,
    }
  }
  if (trusted.some((entry) => entry.key === offered && entry.keyType === offeredType)) return { ok: true }
  const known = [...new Set(trusted.map((entry) => entry.keyType))].join(', ')
  return {
    ok: false,
    reason: `HOST KEY MISMATCH: it offered ${print}, which is not the ${known} key known-hosts has for it. Someone may be intercepting the connection, or the host was reinstalled; check before updating known-hosts`,
  }
}

/** The signature algorithms ssh2 can verify a host key of each type with, strongest first. */
const ALGORITHMS_OF_TYPE: Readonly<Record<string, string[]>> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
  'ssh-dss': ['ssh-dss'],
}

/**
 * The host-key algorithms to ask `host:port` for: those of the key types known-hosts trusts for it,
 * in its order, as OpenSSH does. A host with an ed25519 and an RSA key, known by its RSA key only,
 * would otherwise offer ed25519 (the client's first choice) and be refused as a mismatch.
 * undefined when known-hosts trusts no key of a type ssh2 knows for the host: it is then refused
 * with the reason (not in known-hosts) whatever it offers.
 */
export function hostKeyAlgorithmsFor(entries: KnownHostEntry[], host: string, port: number): string[] | undefined {
  const algorithms = new Set<string>()
  for (const entry of entries) {
    if (entry.marker !== '' || !entryNamesHost(entry, host, port)) continue
    for (const algorithm of ALGORITHMS_OF_TYPE[entry.keyType] ?? []) algorithms.add(algorithm)
  }
  return algorithms.size > 0 ? [...algorithms] : undefined
}
