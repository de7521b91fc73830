/** Objects start on piece boundaries, pads fill the gaps, and every piece belongs to one object. */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { layObjects, objectOfPiece, PAD_DIR } from '../../../src/swarm/object-layout.js'

const P = 1024

describe('layObjects', () => {
  test('each object starts on a piece boundary, spans ceil(size / pieceLength) pieces', () => {
    const layout = layObjects(
      [
        { id: 'a', size: 1 },
        { id: 'b', size: P },
        { id: 'c', size: P + 1 },
        { id: 'd', size: 3 * P - 1 },
      ],
      P,
    )
    assert.deepEqual(
      layout.objects.map(({ id, firstPiece, pieces }) => [id, firstPiece, pieces]),
      [
        ['a', 0, 1],
        ['b', 1, 1],
        ['c', 2, 2],
        ['d', 4, 3],
      ],
    )
    assert.equal(layout.pieceCount, 7)
    assert.equal(layout.pieceLength, P)
  })

  test('a pad after each object that does not end on a boundary, the last one included: every piece is whole', () => {
    const layout = layObjects(
      [
        { id: 'a', size: 1 },
        { id: 'b', size: P },
        { id: 'c', size: P + 1 },
        { id: 'd', size: 3 * P - 1 },
      ],
      P,
    )
    assert.deepEqual(layout.files, [
      { path: ['a'], length: 1 },
      { path: [PAD_DIR, '0'], length: P - 1 },
      { path: ['b'], length: P },
      { path: ['c'], length: P + 1 },
      { path: [PAD_DIR, '2'], length: P - 1 },
      { path: ['d'], length: 3 * P - 1 },
      { path: [PAD_DIR, '3'], length: 1 },
    ])
    assert.equal(layout.padBytes, 2 * (P - 1) + 1)
    // Torrent offsets: every object's first byte is at firstPiece * pieceLength.
    let offset = 0
    for (const file of layout.files) {
      const object = layout.objects.find((candidate) => candidate.id === file.path[0])
      if (object) assert.equal(offset, object.firstPiece * P, `${object.id} is aligned`)
      offset += file.length
    }
    assert.equal(offset, layout.pieceCount * P, 'the torrent ends on a piece boundary')
  })

  test('an object that ends on a boundary gets no pad, the last one neither', () => {
    const layout = layObjects(
      [
        { id: 'a', size: 2 * P },
        { id: 'b', size: P },
      ],
      P,
    )
    assert.deepEqual(layout.files, [
      { path: ['a'], length: 2 * P },
      { path: ['b'], length: P },
    ])
    assert.equal(layout.padBytes, 0)
  })

  test('pad names are the index of the object they follow, so they are unique and stable', () => {
    const layout = layObjects(
      [
        { id: 'a', size: 10 },
        { id: 'b', size: P },
        { id: 'c', size: 10 },
      ],
      P,
    )
    assert.deepEqual(
      layout.files.map((file) => file.path.join('/')),
      ['a', `${PAD_DIR}/0`, 'b', 'c', `${PAD_DIR}/2`],
    )
  })

  test('an empty object is refused', () => {
    assert.throws(() => layObjects([{ id: 'a', size: 5 }, { id: 'empty', size: 0 }], P), /object empty is empty/)
  })
})

describe('objectOfPiece', () => {
  const layout = layObjects(
    [
      { id: 'a', size: 1 },
      { id: 'b', size: 2 * P },
      { id: 'c', size: 2 * P + 1 },
      { id: 'd', size: 5 },
    ],
    P,
  )

  test('first and last piece of each object, at the boundaries', () => {
    const owners = Array.from({ length: layout.pieceCount }, (_, piece) => objectOfPiece(layout, piece).id)
    assert.deepEqual(owners, ['a', 'b', 'b', 'c', 'c', 'c', 'd'])
  })

  test('pieces outside the layout are refused', () => {
    assert.throws(() => objectOfPiece(layout, -1), RangeError)
    assert.throws(() => objectOfPiece(layout, layout.pieceCount), RangeError)
    assert.throws(() => objectOfPiece(layObjects([], P), 0), RangeError)
  })

  test('binary search agrees with a scan over many objects', () => {
    const sizes = Array.from({ length: 500 }, (_, i) => ((i * 7919) % (4 * P)) + 1)
    const many = layObjects(
      sizes.map((size, i) => ({ id: `o${i}`, size })),
      P,
    )
    for (let piece = 0; piece < many.pieceCount; piece++) {
      const scanned = many.objects.find((object) => piece >= object.firstPiece && piece < object.firstPiece + object.pieces)
      assert.equal(objectOfPiece(many, piece), scanned)
    }
  })
})
