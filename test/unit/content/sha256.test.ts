/** sha256OfFile reads a file a MiB at a time into one buffer: the digest must be the whole file's, whatever its size. */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { sha256OfFile } from '../../../src/content/sha256.js'
import { removeTemporaryDirs, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

describe('sha256OfFile', () => {
  for (const size of [0, 1, (1 << 20) - 1, 1 << 20, (5 << 20) / 2 + 7]) {
    test(`${size} bytes`, async () => {
      const bytes = randomBytes(size)
      const file = path.join(temporaryDir(), 'file')
      fs.writeFileSync(file, bytes)
      assert.equal(await sha256OfFile(file), createHash('sha256').update(bytes).digest('hex'))
    })
  }
  test('a file that is not there: the error of the open', async () => {
    await assert.rejects(sha256OfFile(path.join(temporaryDir(), 'missing')), { code: 'ENOENT' })
  })
})
