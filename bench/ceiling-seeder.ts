/**
 * For `npm run bench:ceiling`, run in the fleet's runner namespace: packs a tree as the action does,
 * opens the action's own swarm (tracker + seeder, src/swarm/swarm.ts) on the runner's address,
 * writes the .torrent to <out>, prints "ready" and serves until stdin closes. A BitTorrent client
 * other than ours (aria2c) downloads from it.
 *
 *   tsx bench/ceiling-seeder.ts <source dir> <work dir> <runner address> <out .torrent>
 */
import * as fs from 'node:fs'
import { packRelease } from '../src/pack/release.js'
import { openSwarm } from '../src/swarm/swarm.js'

const [source, workdir, address, out] = process.argv.slice(2)
if (!source || !workdir || !address || !out) throw new Error('usage: ceiling-seeder.ts <source> <workdir> <address> <out.torrent>')
const release = await packRelease({ sourceDir: source, workdir, encrypt: true, compressionLevel: 0, keySecret: 'bench-ceiling' })
const swarm = await openSwarm({
  objectsDir: release.objectsDir,
  layout: release.layout,
  pieces: release.pieces,
  trackerPort: 0,
  address: async () => address,
  policy: { intervalMs: 5000, peersCacheLength: 1000 },
  hostCount: 4,
  onWarning: (message) => process.stderr.write(`${message}\n`),
})
fs.writeFileSync(out, swarm.torrent)
process.stdout.write(`ready ${release.storedBytes}\n`)
process.stdin.resume()
process.stdin.on('end', () => void swarm.close().then(() => process.exit(0)))
