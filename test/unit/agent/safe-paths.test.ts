/**
 * The agent's own paths on a host (<destination>, .murder and what is under it) are never followed
 * through a symlink: a user who could plant links there could otherwise make the deploy user
 * (often root) delete or overwrite any file. A destination or .murder that someone else owns or
 * may write is refused, as sshd's StrictModes refuses such a home directory.
 */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { ObjectStore } from '../../../src/agent/object-store.js'
import { ReleaseLayout } from '../../../src/agent/release-layout.js'
import { checkDestination, UnsafePathError } from '../../../src/agent/safe-paths.js'
import { removeTemporaryDirs, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

const asRoot = process.geteuid?.() === 0
const OBJECT = 'a'.repeat(32)

/** A directory with two files that nothing may touch. */
function victim(): string {
  const dir = temporaryDir('murder-victim-')
  fs.writeFileSync(path.join(dir, 'precious.txt'), 'precious\n')
  fs.writeFileSync(path.join(dir, '12345'), 'looks like a pid\n')
  return dir
}

function assertIntact(dir: string): void {
  assert.deepEqual(fs.readdirSync(dir).sort(), ['12345', 'precious.txt'])
  assert.equal(fs.readFileSync(path.join(dir, 'precious.txt'), 'utf8'), 'precious\n')
}

describe('checkDestination', () => {
  test('a destination writable by group or others is refused, saying what to fix', () => {
    const destination = path.join(temporaryDir(), 'releases')
    fs.mkdirSync(destination)
    fs.chmodSync(destination, 0o775)
    assert.throws(() => checkDestination(destination), (error: Error) => {
      assert.ok(error instanceof UnsafePathError)
      assert.match(error.message, /releases is writable by its group \(mode 775\)/)
      assert.match(error.message, /chmod go-w /)
      return true
    })
    fs.chmodSync(destination, 0o755)
    checkDestination(destination)
  })
  test('a destination inside a directory others may write (not sticky) is refused', () => {
    const parent = path.join(temporaryDir(), 'shared')
    fs.mkdirSync(path.join(parent, 'releases'), { recursive: true })
    fs.chmodSync(parent, 0o777)
    assert.throws(() => checkDestination(path.join(parent, 'releases')), /shared is writable by its group and others \(mode 777\)/)
    fs.chmodSync(parent, 0o1777) // like /tmp: nobody can rename or remove what is not theirs
    checkDestination(path.join(parent, 'releases'))
  })
  test('a destination owned by another user is refused', { skip: !asRoot && 'needs root to chown' }, () => {
    const destination = path.join(temporaryDir(), 'app')
    fs.mkdirSync(destination)
    fs.chownSync(destination, 65534, 65534)
    assert.throws(() => checkDestination(destination), /app is owned by uid 65534.*chown/)
  })
  test('a missing destination is created readable by everyone (0755 at every level), whatever the umask', () => {
    const destination = path.join(temporaryDir(), 'a', 'b', 'releases')
    const umask = process.umask(0o077)
    try {
      checkDestination(destination)
    } finally {
      process.umask(umask)
    }
    for (const dir of [destination, path.dirname(destination), path.dirname(path.dirname(destination))]) {
      assert.equal(fs.statSync(dir).mode & 0o777, 0o755, dir)
    }
  })
})

describe('the agent\'s own directories', () => {
  test('.murder/incoming as a link is refused and what it points at is untouched', () => {
    const layout = new ReleaseLayout(temporaryDir(), 'v1', 4242)
    const target = victim()
    fs.mkdirSync(layout.stateDir)
    fs.symlinkSync(target, layout.incomingDir)
    assert.throws(() => layout.prepareWorkDir(), (error: Error) => error instanceof UnsafePathError && /incoming is a symbolic link/.test(error.message))
    assertIntact(target)
  })
  test('.murder as a link is refused', () => {
    const layout = new ReleaseLayout(temporaryDir(), 'v1', 4242)
    const target = victim()
    fs.symlinkSync(target, layout.stateDir)
    assert.throws(() => layout.prepareWorkDir(), /\.murder is a symbolic link/)
    assertIntact(target)
  })
  test('.murder writable by others is refused', () => {
    const layout = new ReleaseLayout(temporaryDir(), 'v1', 4242)
    fs.mkdirSync(layout.stateDir)
    fs.chmodSync(layout.stateDir, 0o777)
    assert.throws(() => layout.prepareWorkDir(), /\.murder is writable by its group and others/)
  })
  test('a leftover that is a link is not adopted: the link goes, its target stays', () => {
    const layout = new ReleaseLayout(temporaryDir(), 'v1', 4242)
    layout.prepareWorkDir()
    const target = victim()
    const dead = new ReleaseLayout(layout.destination, 'v1', 2 ** 22 + 7)
    fs.mkdirSync(dead.workObjectsDir, { recursive: true })
    fs.symlinkSync(path.join(target, 'precious.txt'), path.join(dead.workObjectsDir, OBJECT))
    fs.symlinkSync(target, path.join(layout.incomingDir, '999998'))
    layout.sweepIncoming()
    assert.deepEqual(fs.readdirSync(layout.workObjectsDir), [], 'nothing adopted')
    assert.deepEqual(fs.readdirSync(layout.incomingDir), ['4242'], 'the dead agents\' entries are gone')
    assertIntact(target)
  })
  test('a leftover another user owns is not adopted', { skip: !asRoot && 'needs root to chown' }, () => {
    const layout = new ReleaseLayout(temporaryDir(), 'v1', 4242)
    layout.prepareWorkDir()
    const dead = new ReleaseLayout(layout.destination, 'v1', 2 ** 22 + 7)
    fs.mkdirSync(dead.workObjectsDir, { recursive: true })
    fs.writeFileSync(path.join(dead.workObjectsDir, OBJECT), 'someone else\'s')
    fs.chownSync(path.join(dead.workObjectsDir, OBJECT), 65534, 65534)
    layout.sweepIncoming()
    assert.deepEqual(fs.readdirSync(layout.workObjectsDir), [])
  })
  test('the legacy payloads directory as a link: the link goes, its target stays', () => {
    const layout = new ReleaseLayout(temporaryDir(), 'v1', 4242)
    const target = victim()
    fs.mkdirSync(layout.stateDir)
    fs.symlinkSync(target, path.join(layout.stateDir, 'payloads'))
    layout.removeLegacyPayloads()
    assert.equal(fs.lstatSync(path.join(layout.stateDir, 'payloads'), { throwIfNoEntry: false }), undefined)
    assertIntact(target)
  })
  test('a marker written where a link was planted replaces the link, never writes through it', () => {
    const layout = new ReleaseLayout(temporaryDir(), 'v1', 4242)
    layout.prepareWorkDir()
    const target = victim()
    fs.symlinkSync(path.join(target, 'precious.txt'), `${layout.markerFile}.tmp-4242`)
    const elsewhere = path.join(temporaryDir(), 'marker.json')
    fs.writeFileSync(elsewhere, JSON.stringify({ contentId: 'e'.repeat(64), tag: 'v1', at: 'then' }))
    fs.symlinkSync(elsewhere, layout.markerFile)
    assert.equal(layout.readMarker(), undefined, 'a marker that is a link is not read')
    layout.writeMarker({ contentId: 'c'.repeat(64), tag: 'v1', at: 'now' })
    assertIntact(target)
    assert.equal(layout.readMarker()?.contentId, 'c'.repeat(64))
    assert.ok(fs.lstatSync(layout.markerFile).isFile())
  })
  test('the store lends only regular files, never a link planted in it', () => {
    const layout = new ReleaseLayout(temporaryDir(), 'v1', 4242)
    layout.prepareWorkDir()
    const target = victim()
    fs.symlinkSync(path.join(target, 'precious.txt'), path.join(layout.storeDir, OBJECT))
    const store = new ObjectStore(layout.storeDir)
    assert.equal(store.lendTo(layout.workObjectsDir, [{ id: OBJECT, size: 9 }]), 0)
    assert.deepEqual(fs.readdirSync(layout.workObjectsDir), [])
    assertIntact(target)
  })
})
