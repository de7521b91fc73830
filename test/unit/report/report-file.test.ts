/**
 * The JSON report file: a name nobody can guess in advance (the directory may be the shared temp
 * directory when RUNNER_TEMP is unset), created new, never written through a link planted there.
 */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { writeReportFile } from '../../../src/report/report-file.js'
import { removeTemporaryDirs, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

const report = { tag: 'v1', ok: true } as unknown as Parameters<typeof writeReportFile>[0]

describe('writeReportFile', () => {
  test('a link planted at the old, predictable name is not followed; the name is new every time', () => {
    const dir = temporaryDir()
    const victim = path.join(temporaryDir(), 'victim.conf')
    fs.writeFileSync(victim, 'precious\n')
    fs.symlinkSync(victim, path.join(dir, 'murder-action-report-v1.json'))
    const first = writeReportFile(report, dir)
    const second = writeReportFile(report, dir)
    assert.equal(fs.readFileSync(victim, 'utf8'), 'precious\n')
    assert.notEqual(first, second)
    for (const file of [first, second]) {
      assert.equal(path.dirname(file), dir)
      assert.match(path.basename(file), /^murder-action-report-v1-[0-9a-f]{16}\.json$/)
      assert.ok(fs.lstatSync(file).isFile())
      assert.equal(fs.statSync(file).mode & 0o077, 0, 'readable by the runner\'s user only')
      assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), report)
    }
  })
})
