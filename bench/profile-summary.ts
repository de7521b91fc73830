/**
 * Where the CPU of a deploy goes, per delivered MB: reads V8 CPU profiles (.cpuprofile) of the
 * agents and of the action (the seeder's process), puts each sample's own time into a stage of the
 * data path, and scales the shares to the CPU the bench measured (user + kernel, from /proc).
 * Profiles weigh samples by wall time; the shares, not the sums, are what to trust.
 *
 * Module names come from the unminified bundle's `// node_modules/…` and `// src/…` markers.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
}
interface Profile {
  nodes: Array<{ id: number; callFrame: CallFrame }>
  samples: number[]
  timeDeltas: number[]
}

/** Stages of the data path, first match wins: [name, test on "<module or url> <function>"]. */
const STAGES: Array<[string, RegExp]> = [
  ['idle', /^\S* \(idle\)$/],
  ['garbage collection', /\(garbage collector\)$/],
  ['start-up (loading the bundle)', /node:internal\/(modules|bootstrap)|^\S* (compileSourceTextModule|compileForInternalLoader|wrapSafe|__require2?|decode)$|undici/],
  ['socket writes (syscalls)', / (writeBuffer|writev|writeUtf8String|handleWriteReq|writeGeneric|Socket\._writeGeneric)$/],
  ['socket reads', / (onStreamRead|readStart|readStop)$/],
  ['disk reads and writes', / (read|write|open|openFileHandle|close|fsCall)$|node:internal\/fs|random-access|object-chunk-store|fs-chunk-store|cache-chunk-store|immediate-chunk-store/],
  ['piece hashing (SHA-1)', /crypto\/hash.*update|uint8-util.* hash$/],
  ['decrypt, verify, write the release', /crypto\/cipher|src\/agent\/materialize|src\/content\/object-key|_copyActual|zlib/],
  ['copies and allocations', /uint8-util.* concat$|FastBuffer|createUnsafeBuffer|allocUnsafe|_takeBuffered/],
  ['peer wire (bittorrent-protocol)', /bittorrent-protocol/],
  ['stream stages (streamx, Node streams)', /streamx|fast-fifo|node:internal\/streams|node:stream|speed-limiter/],
  ['request scheduling (webtorrent)', /webtorrent\/lib\/torrent|torrent-piece|webtorrent\/lib\/peer/],
  ['super-seeding', /src\/swarm\/super-seeder/],
  ['tracker and announces', /bittorrent-tracker|torrent-discovery|node-fetch|simple-get/],
  ['SSH (controller)', /ssh2|node-ssh/],
  ['event loop and timers', /node:internal\/(process|timers)|\(program\)|runMicrotasks|processTicksAndRejections|nextTick/],
]

/** For a bundle: the module each line belongs to, from esbuild's markers. */
function moduleLines(bundle: string): (line: number) => string {
  const starts: Array<{ line: number; module: string }> = []
  fs.readFileSync(bundle, 'utf8')
    .split('\n')
    .forEach((text, index) => {
      const match = /^\/\/ ((?:node_modules|src)\/\S+)$/.exec(text)
      if (match) starts.push({ line: index, module: match[1]! })
    })
  return (line) => {
    let low = 0
    let high = starts.length - 1
    let found = ''
    while (low <= high) {
      const mid = (low + high) >> 1
      if (starts[mid]!.line <= line) {
        found = starts[mid]!.module
        low = mid + 1
      } else high = mid - 1
    }
    return found
  }
}

/** Own time per stage, milliseconds, over every profile given. */
export function stagesOf(files: string[], bundle?: string): Map<string, number> {
  const moduleAt = bundle !== undefined && fs.existsSync(bundle) ? moduleLines(bundle) : () => ''
  const totals = new Map<string, number>()
  for (const file of files) {
    const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile
    const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]))
    profile.samples.forEach((id, index) => {
      const frame = frames.get(id)!
      const where = frame.url.includes('murder-agent') || frame.url.includes('/.murder-action/agent-') || frame.url.endsWith('index.js') ? moduleAt(frame.lineNumber) || frame.url : frame.url
      const key = `${where.replace(/^.*node_modules\//, 'node_modules/')} ${frame.functionName || '(anonymous)'}`
      const stage = STAGES.find(([, test]) => test.test(key))?.[0] ?? 'other'
      totals.set(stage, (totals.get(stage) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000)
    })
  }
  return totals
}

/** A markdown table: each stage's share of the busy samples, and that share of `cpuSeconds` per delivered MB. */
export function stageTable(title: string, totals: Map<string, number>, cpuSeconds: number, deliveredMB: number): string {
  const busy = [...totals].filter(([stage]) => stage !== 'idle')
  const sum = busy.reduce((total, [, ms]) => total + ms, 0)
  const rows = busy.sort((a, b) => b[1] - a[1]).map(([stage, ms]) => `| ${stage} | ${((100 * ms) / sum).toFixed(1)} % | ${((ms / sum) * ((cpuSeconds * 1000) / deliveredMB)).toFixed(2)} |`)
  return [`${title}: ${cpuSeconds.toFixed(1)} CPU s for ${deliveredMB.toFixed(0)} MB delivered = ${((cpuSeconds * 1000) / deliveredMB).toFixed(1)} ms/MB`, '', '| stage | share of busy samples | ms per delivered MB |', '| --- | ---: | ---: |', ...rows].join('\n')
}

export function cpuProfilesIn(dir: string, mainThreadOnly = false): string[] {
  if (!fs.existsSync(dir)) return []
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile') && (!mainThreadOnly || /\.\d+\.0\.\d+\.cpuprofile$/.test(name)))
    .map((name) => path.join(dir, name))
}
