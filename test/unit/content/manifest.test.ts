/**
 * The manifest: what travels to each host beside the torrent. It round-trips exactly, and a host
 * refuses any manifest that could put an entry outside the release, read outside an object, or
 * leave a file the wrong size — before anything is written.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { deflateRawSync } from 'node:zlib'
import { decodeManifest, encodeManifest, MANIFEST_VERSION, type Manifest, type ManifestEntry, type ObjectRecord } from '../../../src/content/manifest.js'

const CONTENT_ID = 'c0'.repeat(32)
const T = Date.parse('2026-11-24T10:11:12.345Z')

const plainObject: ObjectRecord = { id: '0a'.repeat(16), size: 30, plainSize: 30, sha256: '5a'.repeat(32), compressed: false }
const sealedObject: ObjectRecord = {
  id: '1b'.repeat(16),
  size: 700,
  plainSize: 5000,
  sha256: '6b'.repeat(32),
  compressed: true,
  key: '7c'.repeat(32),
  iv: '8d'.repeat(16),
}

/** A manifest with every kind of entry: dirs, files of 0, 1 and several segments, links; mtimes going back and forth, one before 1970. */
function sample(): Manifest {
  return {
    v: MANIFEST_VERSION,
    contentId: CONTENT_ID,
    objects: [plainObject, sealedObject],
    entries: [
      { type: 'dir', path: 'app', mode: 0o755, mtimeMs: T },
      { type: 'file', path: 'app/empty', mode: 0o644, mtimeMs: T - 86_400_000, size: 0, segments: [] },
      { type: 'file', path: 'app/one', mode: 0o600, mtimeMs: T + 1, size: 10, segments: [{ object: 0, offset: 20, length: 10 }] },
      {
        type: 'file',
        path: 'app/several',
        mode: 0o4755,
        mtimeMs: -1_000,
        size: 5020,
        segments: [
          { object: 1, offset: 0, length: 5000 },
          { object: 0, offset: 0, length: 20 },
        ],
      },
      { type: 'dir', path: 'app/sub dir', mode: 0o555, mtimeMs: T - 5 },
      { type: 'link', path: 'app/sub dir/up', target: '../one', mtimeMs: T },
      { type: 'link', path: 'top', target: 'app/sub dir', mtimeMs: 0 },
      { type: 'file', path: '@scope ü', mode: 0o664, mtimeMs: T, size: 10, segments: [{ object: 0, offset: 20, length: 10 }] },
    ],
  }
}

function withEntries(entries: ManifestEntry[], objects: ObjectRecord[] = [plainObject, sealedObject]): string {
  return encodeManifest({ v: MANIFEST_VERSION, contentId: CONTENT_ID, objects, entries })
}

type FileEntry = Extract<ManifestEntry, { type: 'file' }>
type DirEntry = Extract<ManifestEntry, { type: 'dir' }>

const file = (path: string, segments = [{ object: 0, offset: 0, length: 1 }], size = segments.reduce((sum, s) => sum + s.length, 0)): FileEntry => ({
  type: 'file',
  path,
  mode: 0o644,
  mtimeMs: T,
  size,
  segments,
})
const dir = (path: string): DirEntry => ({ type: 'dir', path, mode: 0o755, mtimeMs: T })
const link = (path: string, target: string): ManifestEntry => ({ type: 'link', path, target, mtimeMs: T })

/** Raw JSON as the encoder would send it, for rows encodeManifest cannot produce. */
function raw(json: unknown): string {
  return deflateRawSync(JSON.stringify(json)).toString('base64')
}

describe('encodeManifest / decodeManifest', () => {
  test('round-trips every kind of entry, segments and mtimes (negative deltas and times before 1970 included)', () => {
    const manifest = sample()
    assert.deepEqual(decodeManifest(encodeManifest(manifest)), manifest)
  })
  test('an unencrypted object decodes without key or iv; an encrypted one keeps both', () => {
    const decoded = decodeManifest(encodeManifest(sample()))
    assert.equal('key' in decoded.objects[0]!, false)
    assert.equal('iv' in decoded.objects[0]!, false)
    assert.equal(decoded.objects[1]!.key, sealedObject.key)
    assert.equal(decoded.objects[1]!.iv, sealedObject.iv)
  })
  test('an empty tree round-trips', () => {
    const empty: Manifest = { v: MANIFEST_VERSION, contentId: CONTENT_ID, objects: [], entries: [] }
    assert.deepEqual(decodeManifest(encodeManifest(empty)), empty)
  })
  test('mtimes are whole milliseconds: fractions are dropped, not rounded up', () => {
    const manifest = sample()
    manifest.entries[0]!.mtimeMs = T + 0.999
    assert.equal(decodeManifest(encodeManifest(manifest)).entries[0]!.mtimeMs, T)
  })
  test('compact: 20,000 similar entries take well under 20 bytes each', () => {
    const entries: ManifestEntry[] = [dir('d')]
    for (let index = 0; index < 20_000; index++) entries.push({ ...file(`d/f${index}.js`, [{ object: 0, offset: index % 30, length: 1 }]), mtimeMs: T + index })
    const encoded = withEntries(entries)
    assert.ok(encoded.length < 20 * 20_000, `${encoded.length} characters`)
    assert.equal(decodeManifest(encoded).entries.length, 20_001)
  })
})

describe('decodeManifest refuses', () => {
  const refuses = (encoded: string, message: RegExp): void => {
    assert.throws(() => decodeManifest(encoded), message)
  }

  test('what is not a manifest at all', () => {
    refuses('not base64 deflate!', /^Error: the manifest cannot be read$/)
    refuses(raw('a string'), /manifest version undefined is not 1/)
    refuses(Buffer.from('{"v":1}').toString('base64'), /cannot be read/)
  })
  test('another version', () => {
    refuses(encodeManifest({ ...sample(), v: 2 as typeof MANIFEST_VERSION }), /manifest version 2 is not 1/)
    refuses(raw({ ...JSON.parse('{}'), v: '1' }), /manifest version 1 is not 1/)
  })
  test('a missing or malformed content id, missing lists', () => {
    refuses(encodeManifest({ ...sample(), contentId: 'C0'.repeat(32) }), /no content id/)
    refuses(encodeManifest({ ...sample(), contentId: '' }), /no content id/)
    refuses(raw({ v: 1, contentId: CONTENT_ID, objects: [] }), /lists no objects or entries/)
  })

  describe('paths that could land outside the release, or twice', () => {
    for (const [name, badPath] of [
      ['..', '..'],
      ['../x', '../x'],
      ['a/../../x', 'app/../../x'],
      ['.', '.'],
      ['./x', './x'],
      ['an absolute path', '/etc/passwd'],
      ['an empty path', ''],
      ['an empty segment', 'app//x'],
      ['a trailing slash', 'app/'],
      ['a NUL byte', 'app/x\0y'],
      ['a backslash', 'app\\..\\x'],
    ] as const) {
      test(name, () => refuses(withEntries([dir('app'), file(badPath)]), /is not a plain relative path/))
    }
    test('an entry before its directory', () => {
      refuses(withEntries([file('app/x'), dir('app')]), /"app\/x" comes before its directory/)
    })
    test('an entry whose parent is not listed at all', () => {
      refuses(withEntries([file('nowhere/x')]), /comes before its directory/)
    })
    test('an entry under a link (a write through a symlink)', () => {
      refuses(withEntries([dir('real'), link('alias', 'real'), file('alias/x')]), /"alias\/x" comes before its directory/)
    })
    test('an entry under a file', () => {
      refuses(withEntries([file('f'), file('f/x')]), /comes before its directory/)
    })
    test('the same path twice, whatever the types', () => {
      refuses(withEntries([file('x'), file('x')]), /"x" is listed twice/)
      refuses(withEntries([dir('x'), file('x')]), /"x" is listed twice/)
      refuses(withEntries([dir('d'), dir('d')]), /"d" is listed twice/)
    })
  })

  describe('links that point outside the release', () => {
    for (const [name, linkPath, target] of [
      ['an absolute target', 'l', '/var/log/app'],
      ['../x from the root', 'l', '../x'],
      ['.. from the root', 'l', '..'],
      ['a/../../x from the root', 'l', 'a/../../x'],
      ['../../x one level down', 'app/l', '../../x'],
      ['a NUL in the target', 'l', 'x\0'],
    ] as const) {
      test(name, () => refuses(withEntries([dir('app'), link(linkPath, target)]), /points outside the release/))
    }
    test('links that stay inside are fine: ../x one level down, . at the root, a dangling name', () => {
      const manifest = withEntries([dir('app'), link('app/l', '../x'), link('l', '.'), link('dangling', 'does-not-exist')])
      assert.equal(decodeManifest(manifest).entries.length, 4)
    })
    test('an empty target', () => {
      refuses(withEntries([link('l', '')]), /manifest entry .* is malformed/)
    })
  })

  describe('segments that read outside an object, or do not make the file', () => {
    test('a segment reaching past the object\'s plainSize', () => {
      refuses(withEntries([file('x', [{ object: 0, offset: 25, length: 6 }])]), /manifest entry .*"x".* is malformed/)
      refuses(withEntries([file('x', [{ object: 0, offset: 31, length: 1 }])]), /is malformed/)
      // The edge itself is fine.
      assert.equal(decodeManifest(withEntries([file('x', [{ object: 0, offset: 25, length: 5 }])])).entries.length, 1)
    })
    test('a segment of an object that is not listed', () => {
      refuses(withEntries([file('x', [{ object: 2, offset: 0, length: 1 }])]), /is malformed/)
      refuses(withEntries([file('x', [{ object: -1, offset: 0, length: 1 }])]), /is malformed/)
      refuses(withEntries([file('x', [{ object: 0.5, offset: 0, length: 1 }])]), /is malformed/)
    })
    test('a negative offset, or an empty segment', () => {
      refuses(withEntries([file('x', [{ object: 0, offset: -1, length: 2 }])]), /is malformed/)
      refuses(withEntries([file('x', [{ object: 0, offset: 0, length: 0 }], 0)]), /is malformed/)
    })
    test('segment lengths that do not sum to the size', () => {
      refuses(withEntries([file('x', [{ object: 0, offset: 0, length: 10 }], 11)]), /is malformed/)
      refuses(withEntries([file('x', [{ object: 0, offset: 0, length: 10 }], 9)]), /is malformed/)
      refuses(withEntries([file('x', [], 1)]), /is malformed/)
    })
    test('modes beyond 07777, negative sizes', () => {
      refuses(withEntries([{ ...file('x'), mode: 0o10000 }]), /is malformed/)
      refuses(withEntries([{ ...dir('d'), mode: -1 }]), /is malformed/)
      refuses(withEntries([file('x', [], -1)]), /is malformed/)
    })
    test('rows of the wrong shape', () => {
      const entries = (rows: unknown[]) => raw({ v: 1, contentId: CONTENT_ID, objects: [], entries: rows })
      refuses(entries([['d', 'x', 0o755]]), /is malformed/)
      refuses(entries([['d', 'x', 0o755, 1.5]]), /is malformed/)
      refuses(entries([['x', 'x', 0o755, 0]]), /is malformed/)
      refuses(entries([['f', 'x', 0o644, 0, 0, [0, 0]]]), /is malformed/)
      refuses(entries(['d x']), /is malformed/)
    })
  })

  describe('malformed object records', () => {
    for (const [name, change] of [
      ['an id of 31 hex digits', { id: 'a'.repeat(31) }],
      ['an id in upper case', { id: 'A'.repeat(32) }],
      ['an id with a path in it', { id: '../' + 'a'.repeat(29) }],
      ['an empty object', { size: 0 }],
      ['a negative plainSize', { plainSize: -1 }],
      ['a short sha256', { sha256: 'ab'.repeat(31) }],
      ['a key without an iv', { key: '7c'.repeat(32), iv: undefined }],
      ['an iv without a key', { key: undefined, iv: '8d'.repeat(16) }],
      ['a 128-bit key', { key: '7c'.repeat(16), iv: '8d'.repeat(16) }],
      ['a key that is not hex', { key: 'zz'.repeat(32), iv: '8d'.repeat(16) }],
      ['an iv of 8 bytes', { key: '7c'.repeat(32), iv: '8d'.repeat(8) }],
    ] as [string, Partial<ObjectRecord>][]) {
      test(name, () => refuses(withEntries([], [{ ...plainObject, ...change }]), /manifest object 0 is malformed/))
    }
    test('a compressed flag that is not 0 or 1, a row of the wrong length', () => {
      const objects = (rows: unknown[]) => raw({ v: 1, contentId: CONTENT_ID, objects: rows, entries: [] })
      refuses(objects([['a'.repeat(32), 1, 1, 'b'.repeat(64), 2, '', '']]), /manifest object 0 is malformed/)
      refuses(objects([['a'.repeat(32), 1, 1, 'b'.repeat(64), 0, '']]), /manifest object 0 is malformed/)
      assert.equal(decodeManifest(objects([['a'.repeat(32), 1, 1, 'b'.repeat(64), 0, '', '']])).objects.length, 1, 'the control row is fine')
    })
  })
})
