/**
 * yieldCpu: the agent's process takes the nice value it is given, and so does its session's
 * autogroup, read back from a process that really ran it (in a session of its own, so the test
 * runner's own autogroup is left alone).
 */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { AUTOGROUP_FILE, yieldCpu } from '../../../src/agent/cpu-share.js'
import { removeTemporaryDirs, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

const MODULE = path.resolve('src/agent/cpu-share.ts')

/** Runs yieldCpu(nice, file) in a new Node process in a session of its own; returns what it saw after. */
function inChild(nice: number, file: string): { notice: string | null; priority: number; autogroup: string | null } {
  const script =
    `import { yieldCpu } from ${JSON.stringify(MODULE)}; import * as os from 'node:os'; import * as fs from 'node:fs';` +
    `const notice = yieldCpu(${nice}, ${JSON.stringify(file)}) ?? null;` +
    `let autogroup = null; try { autogroup = fs.readFileSync(${JSON.stringify(file)}, 'utf8') } catch {}` +
    `process.stdout.write(JSON.stringify({ notice, priority: os.getPriority(), autogroup }))`
  // setsid(1): a session, so an autogroup, of its own.
  const child = spawnSync('setsid', ['--wait', process.execPath, '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' })
  assert.equal(child.status, 0, child.stderr)
  return JSON.parse(child.stdout)
}

describe('yieldCpu', () => {
  test('nice 0 changes nothing and says nothing', () => {
    const file = path.join(temporaryDir(), 'autogroup')
    fs.writeFileSync(file, 'untouched')
    assert.equal(yieldCpu(0, file), undefined)
    assert.equal(fs.readFileSync(file, 'utf8'), 'untouched')
  })
  test("the process's nice value and the autogroup file both take the value", () => {
    const file = path.join(temporaryDir(), 'autogroup')
    fs.writeFileSync(file, '')
    assert.deepEqual(inChild(7, file), { notice: null, priority: 7, autogroup: '7' })
  })
  test('no autogroup file (a kernel without autogroups): the nice value alone, no notice', () => {
    const result = inChild(5, path.join(temporaryDir(), 'missing', 'autogroup'))
    assert.deepEqual(result, { notice: null, priority: 5, autogroup: null })
  })
  test('an autogroup file that cannot be written: said in the notice, the nice value still set', () => {
    const result = inChild(3, temporaryDir())
    assert.match(result.notice ?? '', /^could not lower the agent's CPU priority \(autogroup nice 3: .*EISDIR/)
    assert.equal(result.priority, 3)
  })
  test("this kernel's own file: the session's autogroup reads back the nice value (or, without autogroups, nothing is said)", () => {
    const result = inChild(9, AUTOGROUP_FILE)
    assert.equal(result.notice, null)
    assert.equal(result.priority, 9)
    if (fs.existsSync(AUTOGROUP_FILE)) assert.match(result.autogroup ?? '', /^\/autogroup-\d+ nice 9\n$/)
    else assert.equal(result.autogroup, null)
  })
})
