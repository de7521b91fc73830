import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { sha256OfFile } from './sha256.js'
import { walkTree } from './tree-walk.js'

/**
 * A digest of what a tree holds — paths, types, modes, link targets and file contents — and of
 * nothing else. It names a release's content: a re-run of the same build has the same digest even
 * though its files' modification times differ, so hosts that already
 * hold it can say so without downloading anything.
 */
export async function treeDigest(dir: string): Promise<string> {
  const root = path.resolve(dir)
  const manifest = createHash('sha256')
  const escaping: string[] = []
  const special: string[] = []
  for (const { relative, full, stat } of walkTree(root)) {
    const mode = (stat.mode & 0o7777).toString(8)
    if (stat.isSymbolicLink()) {
      const target = fs.readlinkSync(full)
      const resolved = path.resolve(path.dirname(full), target)
      if (path.isAbsolute(target) || (resolved !== root && !resolved.startsWith(root + path.sep))) escaping.push(`${relative} -> ${target}`)
      manifest.update(`l ${JSON.stringify(relative)} ${JSON.stringify(target)}\n`)
    } else if (stat.isDirectory()) {
      manifest.update(`d ${JSON.stringify(relative)} ${mode}\n`)
    } else if (stat.isFile()) {
      manifest.update(`f ${JSON.stringify(relative)} ${mode} ${stat.size} ${await sha256OfFile(full)}\n`)
    } else special.push(relative)
  }
  if (special.length > 0) {
    // node-tar would not unpack them on the hosts: refuse now, not after the whole transfer.
    throw new Error(
      `holds entries that are neither files, directories nor symlinks (sockets, FIFOs, devices), which cannot be deployed: ` +
        `${listSome(special)}. Remove them from the build output, or create them on the hosts after the deploy.`,
    )
  }
  if (escaping.length > 0) {
    // The agents refuse such links (a release must not reach outside itself); say so before any host is contacted.
    throw new Error(
      `symlinks that point outside the directory cannot be deployed (the hosts would refuse them): ${listSome(escaping)}. ` +
        'Make them relative links inside it, or create them on the hosts after the deploy.',
    )
  }
  return manifest.digest('hex')
}

function listSome(items: string[]): string {
  return items.slice(0, 5).join(', ') + (items.length > 5 ? ` and ${items.length - 5} more` : '')
}
