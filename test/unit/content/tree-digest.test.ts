/** treeDigest, the content id: what a tree holds and nothing else; and the entries no deploy can carry, refused up front. */
import { after, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as path from 'node:path'
import { treeDigest } from '../../../src/content/tree-digest.js'
import { removeTemporaryDirs, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

describe('treeDigest (the content id)', () => {
  async function digestAfter(change: (dir: string) => void): Promise<string> {
    const dir = temporaryDir('murder-unit-digest-')
    fs.mkdirSync(path.join(dir, 'sub'))
    fs.writeFileSync(path.join(dir, 'sub/a.txt'), 'a')
    fs.writeFileSync(path.join(dir, 'b.sh'), 'b')
    fs.chmodSync(path.join(dir, 'b.sh'), 0o644)
    fs.symlinkSync('sub/a.txt', path.join(dir, 'link'))
    change(dir)
    return treeDigest(dir)
  }

  test('the same content gives the same digest, whatever the mtimes', async () => {
    const base = await digestAfter(() => {})
    assert.match(base, /^[0-9a-f]{64}$/)
    const touched = await digestAfter((dir) => fs.utimesSync(path.join(dir, 'b.sh'), new Date(0), new Date(0)))
    assert.equal(touched, base)
  })
  test('content, modes, names, link targets and empty directories all count', async () => {
    const base = await digestAfter(() => {})
    const changes: [string, (dir: string) => void][] = [
      ['content', (dir) => fs.writeFileSync(path.join(dir, 'b.sh'), 'B')],
      ['mode', (dir) => fs.chmodSync(path.join(dir, 'b.sh'), 0o755)],
      ['name', (dir) => fs.renameSync(path.join(dir, 'b.sh'), path.join(dir, 'c.sh'))],
      ['link target', (dir) => (fs.unlinkSync(path.join(dir, 'link')), fs.symlinkSync('b.sh', path.join(dir, 'link')))],
      ['empty directory', (dir) => fs.mkdirSync(path.join(dir, 'empty'))],
      ['directory mode', (dir) => fs.chmodSync(path.join(dir, 'sub'), 0o700)],
    ]
    for (const [what, change] of changes) assert.notEqual(await digestAfter(change), base, what)
  })
})

describe('entries that cannot be deployed are refused before any host is contacted', () => {
  test('a FIFO and a socket in the build output: named, with what to do', async () => {
    const dir = temporaryDir()
    fs.writeFileSync(path.join(dir, 'ok.txt'), 'ok')
    execFileSync('mkfifo', [path.join(dir, 'a.fifo')])
    const server = net.createServer().listen(path.join(dir, 'app.sock'))
    await new Promise((resolve) => server.once('listening', resolve))
    try {
      await assert.rejects(treeDigest(dir), /neither files, directories nor symlinks .*: a\.fifo, app\.sock\. Remove them/)
    } finally {
      server.close()
    }
  })
  test('a symlink out of the tree: named', async () => {
    const dir = temporaryDir()
    fs.symlinkSync('/etc/passwd', path.join(dir, 'passwd'))
    await assert.rejects(treeDigest(dir), /symlinks that point outside the directory cannot be deployed .*: passwd -> \/etc\/passwd\. Make them relative/)
  })
  test('a relative link that climbs out (sub/up -> ../../x) is named; one to the tree root itself is fine', async () => {
    const dir = temporaryDir()
    fs.mkdirSync(path.join(dir, 'sub'))
    fs.symlinkSync('..', path.join(dir, 'sub/top'))
    assert.match(await treeDigest(dir), /^[0-9a-f]{64}$/)
    fs.symlinkSync('../../x', path.join(dir, 'sub/up'))
    await assert.rejects(treeDigest(dir), /symlinks that point outside the directory cannot be deployed .*: sub\/up -> \.\.\/\.\.\/x\./)
  })
})
