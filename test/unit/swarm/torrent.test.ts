/** Our torrents are the ones create-torrent would write: same info dictionary, so the same info hash. */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import createTorrent from 'create-torrent'
import parseTorrent from 'parse-torrent'
import { layObjects, PAD_DIR, type ObjectLayout } from '../../../src/swarm/object-layout.js'
import { makeTorrent } from '../../../src/swarm/torrent.js'

const ANNOUNCE = 'http://198.18.0.1:8000/announce'
const NAME = 'v1'

/** Random objects of these sizes, laid out, with every torrent file's bytes (pads as zeros). */
function objectsOf(sizes: number[], pieceLength: number): { layout: ObjectLayout; files: Buffer[] } {
  const contents = new Map(sizes.map((size) => [randomBytes(16).toString('hex'), randomBytes(size)]))
  const layout = layObjects(
    [...contents].map(([id, data]) => ({ id, size: data.length })),
    pieceLength,
  )
  const files = layout.files.map((file) => (file.path[0] === PAD_DIR ? Buffer.alloc(file.length) : contents.get(file.path[0]!)!))
  return { layout, files }
}

/** SHA-1 of every piece of the files laid end to end: the pads make each object start a piece. */
function pieceHashes(files: Buffer[], pieceLength: number): Buffer {
  const whole = Buffer.concat(files)
  const hashes: Buffer[] = []
  for (let offset = 0; offset < whole.length; offset += pieceLength) {
    hashes.push(createHash('sha1').update(whole.subarray(offset, offset + pieceLength)).digest())
  }
  return Buffer.concat(hashes)
}

/**
 * What create-torrent makes of the same files, given as Buffers named `<name>/<path>`, in layout order
 * (it keeps the input order; `filterJunkFiles: false` so it would not drop dotfiles, though it drops
 * only known junk names and pads are named by number). The common `<name>/` prefix is taken off, as a
 * directory's would be. create-torrent's types say one input: the array is cast.
 */
function referenceTorrent(layout: ObjectLayout, files: Buffer[]): Promise<Buffer> {
  const named = files.map((data, i) => Object.assign(Buffer.from(data), { name: [NAME, ...layout.files[i]!.path].join('/') }))
  const create = createTorrent as unknown as (input: Buffer[], options: Record<string, unknown>, cb: (error: Error | null, torrent: Buffer) => void) => void
  return new Promise((resolve, reject) =>
    create(
      named,
      { name: NAME, announceList: [[ANNOUNCE]], urlList: [], private: true, pieceLength: layout.pieceLength, createdBy: 'murder-action', filterJunkFiles: false },
      (error, torrent) => (error ? reject(error) : resolve(torrent)),
    ),
  )
}

interface Parsed {
  infoHash: string
  private: boolean
  announce: string[]
  urlList: string[]
  length: number
  pieceLength: number
  name: string
  pieces: string[]
  files: { path: string; length: number; offset: number }[]
}

describe('makeTorrent', () => {
  const pieceLength = 16 * 1024
  const cases: [string, number[]][] = [
    ['objects that end mid-piece: pads after them', [1, pieceLength - 1, pieceLength + 1, 7 * pieceLength + 12_345]],
    ['objects that fill their pieces: no pad at all', [pieceLength, 3 * pieceLength, pieceLength]],
    ['a mix, the last one a whole piece', [100, 2 * pieceLength, 5_000, pieceLength]],
    ['many small objects', Array.from({ length: 40 }, (_, i) => 1 + i * 397)],
    ['one object that ends mid-piece (it and its pad)', [2 * pieceLength + 5]],
  ]
  for (const [title, sizes] of cases) {
    test(`${title}: the info hash create-torrent gives, private, only our tracker`, async () => {
      const { layout, files } = objectsOf(sizes, pieceLength)
      const ours = makeTorrent({ name: NAME, layout, pieces: pieceHashes(files, pieceLength), announceUrl: ANNOUNCE })
      const reference = (await parseTorrent(await referenceTorrent(layout, files))) as unknown as Parsed
      assert.equal(reference.files.length, layout.files.length, 'create-torrent kept every file, pads included')
      assert.equal(ours.infoHash, reference.infoHash)
      const parsed = (await parseTorrent(ours.torrent)) as unknown as Parsed
      assert.equal(parsed.infoHash, ours.infoHash)
      assert.equal(parsed.private, true)
      assert.deepEqual(parsed.announce, [ANNOUNCE])
      assert.deepEqual(parsed.urlList, [])
      assert.equal(parsed.name, NAME)
      assert.equal(parsed.pieceLength, pieceLength)
      assert.equal(parsed.pieces.length, layout.pieceCount)
      assert.equal(parsed.length, sizes.reduce((sum, size) => sum + size, 0) + layout.padBytes)
      assert.deepEqual(
        parsed.files.map((file) => [file.path, file.length]),
        layout.files.map((file) => [[NAME, ...file.path].join('/'), file.length]),
        'the objects and their pads, in order, under the name',
      )
      for (const object of layout.objects) {
        const file = parsed.files.find((candidate) => candidate.path === `${NAME}/${object.id}`)!
        assert.equal(file.offset, object.firstPiece * pieceLength, `${object.id} starts on its first piece`)
      }
    })
  }

  test('a single object of whole pieces: still a multi-file torrent, of one file', async () => {
    // No pad, so one file: create-torrent would make of it a single-file torrent (`info.length`), so
    // it cannot be the reference here. The info dictionary is checked against one built by hand.
    const { layout, files } = objectsOf([3 * pieceLength], pieceLength)
    assert.equal(layout.files.length, 1)
    const pieces = pieceHashes(files, pieceLength)
    const ours = makeTorrent({ name: NAME, layout, pieces, announceUrl: ANNOUNCE })
    const id = layout.objects[0]!.id
    // Keys in bencode's sorted order, written out: d5:filesl d6:lengthi..e4:pathl32:<id>e e e 4:name... e
    const info = Buffer.concat([
      Buffer.from(`d5:filesld6:lengthi${files[0]!.length}e4:pathl32:${id}eee4:name${NAME.length}:${NAME}12:piece lengthi${pieceLength}e6:pieces${pieces.length}:`),
      pieces,
      Buffer.from('7:privatei1ee'),
    ])
    assert.equal(ours.infoHash, createHash('sha1').update(info).digest('hex'))
    const parsed = (await parseTorrent(ours.torrent)) as unknown as Parsed
    assert.deepEqual(
      parsed.files.map((file) => file.path),
      [`${NAME}/${id}`],
    )
  })

  test('the same objects make the same info hash on every run', () => {
    const { layout, files } = objectsOf([10, 20_000, 5], pieceLength)
    const pieces = pieceHashes(files, pieceLength)
    const first = makeTorrent({ name: NAME, layout, pieces, announceUrl: ANNOUNCE })
    const second = makeTorrent({ name: NAME, layout, pieces, announceUrl: 'http://198.18.0.2:8000/announce' })
    assert.equal(first.infoHash, second.infoHash, 'the tracker is not in the info dictionary')
    assert.equal(first.pieceLength, pieceLength)
  })

  test('refuses piece hashes that do not fit the layout', () => {
    const { layout } = objectsOf([pieceLength, pieceLength, pieceLength], pieceLength)
    assert.throws(() => makeTorrent({ name: NAME, layout, pieces: Buffer.alloc(40), announceUrl: ANNOUNCE }), /2 piece hashes for 3 pieces/)
    assert.throws(() => makeTorrent({ name: NAME, layout, pieces: Buffer.alloc(80), announceUrl: ANNOUNCE }), /4 piece hashes for 3 pieces/)
  })
})
