/**
 * How a deploy's objects lie in its torrent: one after another, each starting on a piece boundary.
 * The gap after an object's last byte is filled by a pad file of zeros (BEP 47's idea; webtorrent
 * does not know pad files, so they are ordinary files to it and no file at all to our chunk store,
 * which answers zeros for them). Aligned, every piece belongs to exactly one object: a host that
 * holds an object holds all of its pieces, a changed object moves only its own pieces, and each
 * object's piece hashes can be taken on its own (in parallel) while it is encoded.
 */

export interface LaidObject {
  id: string
  /** Stored (encoded) bytes. */
  size: number
  /** Index of the object's first piece. */
  firstPiece: number
  /** Number of pieces the object spans (0 for an empty object: there are none). */
  pieces: number
}

export interface ObjectLayout {
  pieceLength: number
  objects: LaidObject[]
  /** Torrent files in order: each object, then its pad when it does not end on a boundary. */
  files: { path: string[]; length: number }[]
  pieceCount: number
  /** Bytes of zeros the pads add (they travel with the last piece of each object). */
  padBytes: number
}

/** The directory pad files are listed under in the torrent (BEP 47 uses the same name). */
export const PAD_DIR = '.pad'

export function layObjects(objects: { id: string; size: number }[], pieceLength: number): ObjectLayout {
  const laid: LaidObject[] = []
  const files: ObjectLayout['files'] = []
  let piece = 0
  let padBytes = 0
  for (const object of objects) {
    if (object.size <= 0) throw new Error(`object ${object.id} is empty: empty files need no object`)
    const pieces = Math.ceil(object.size / pieceLength)
    laid.push({ id: object.id, size: object.size, firstPiece: piece, pieces })
    files.push({ path: [object.id], length: object.size })
    // The last object gets its pad too: every piece is whole, and an object's piece hashes do not
    // depend on whether it happens to be last (encode-task.ts hashes each object on its own).
    const pad = pieces * pieceLength - object.size
    if (pad > 0) {
      files.push({ path: [PAD_DIR, String(laid.length - 1)], length: pad })
      padBytes += pad
    }
    piece += pieces
  }
  return { pieceLength, objects: laid, files, pieceCount: piece, padBytes }
}

/** The object a piece belongs to (binary search: objects are in piece order). */
export function objectOfPiece(layout: ObjectLayout, piece: number): LaidObject {
  const objects = layout.objects
  let low = 0
  let high = objects.length - 1
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if (objects[middle]!.firstPiece <= piece) low = middle
    else high = middle - 1
  }
  const object = objects[low]
  if (object === undefined || piece < object.firstPiece || piece >= object.firstPiece + object.pieces) {
    throw new RangeError(`piece ${piece} is outside the layout`)
  }
  return object
}
