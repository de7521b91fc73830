// A fleet must not outlive its owner. Each fleet has a state file (owner pid + start time, namespaces, mounts)
// written before anything is created; a fleet whose owner is dead is torn down from that file alone.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { runSync } from './exec.js'
import { fleetIdOfNetns, isFleetId, STATE_DIR, WORK_BASE } from './layout.js'
import { deleteNamespacesSync, killNamespaceProcessesSync, listNetns } from './namespaces.js'

export interface FleetState {
  id: string
  ownerPid: number
  /** the owner's start time (/proc/<pid>/stat), so a recycled pid is not taken for the owner */
  ownerStart?: string
  workdir: string
  netns: string[]
  /** mounts made in the root namespace (tmpfs /srv) */
  mounts: string[]
  createdAt: string
}

/** The state of a fleet this process is about to create. */
export function newFleetState(id: string, workdir: string, netns: string[]): FleetState {
  return {
    id,
    ownerPid: process.pid,
    ownerStart: processStartTime(process.pid),
    workdir,
    netns,
    mounts: [],
    createdAt: new Date().toISOString(),
  }
}

export function saveState(state: FleetState): void {
  fs.mkdirSync(STATE_DIR, { recursive: true })
  const file = path.join(STATE_DIR, `${state.id}.json`)
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2))
  fs.renameSync(`${file}.tmp`, file)
}

function processStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
  } catch {
    return undefined
  }
}

function processAlive(pid: number, startTime?: string): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false
  }
  if (startTime !== undefined) {
    const now = processStartTime(pid)
    if (now !== undefined && now !== startTime) return false
  }
  return true
}

const namespacesOfFleet = (id: string) => listNetns().filter((name) => fleetIdOfNetns(name) === id)

/** What can be known of a fleet without its state file: its namespaces (by name) and its workdir. */
function ownerlessState(id: string): FleetState {
  return { id, ownerPid: -1, workdir: path.join(WORK_BASE, id), netns: namespacesOfFleet(id), mounts: [], createdAt: '' }
}

function readStates(): FleetState[] {
  let files: string[] = []
  try {
    files = fs.readdirSync(STATE_DIR).filter((file) => /^[0-9a-f]{4}\.json$/.test(file))
  } catch {
    return []
  }
  const states: FleetState[] = []
  for (const file of files) {
    try {
      states.push(JSON.parse(fs.readFileSync(path.join(STATE_DIR, file), 'utf8')) as FleetState)
    } catch {
      // unreadable state file: derive what we can from its name
      states.push(ownerlessState(file.slice(0, 4)))
    }
  }
  return states
}

/** Mount points at or below dir, deepest first, so they can be unmounted in that order. */
function mountsUnder(dir: string): string[] {
  let mountinfo = ''
  try {
    mountinfo = fs.readFileSync('/proc/self/mountinfo', 'utf8')
  } catch {
    return []
  }
  const found: string[] = []
  for (const line of mountinfo.split('\n')) {
    const mountPoint = line.split(' ')[4]
    if (!mountPoint) continue
    // mountinfo escapes space, tab, newline and backslash as \ooo
    const unescaped = mountPoint.replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))
    if (unescaped === dir || unescaped.startsWith(dir + '/')) found.push(unescaped)
  }
  return found.sort((a, b) => b.length - a.length)
}

/** Tears a fleet down from its state alone (used by teardown, exit handlers and stale cleanup). Synchronous. */
export function destroyFleetSync(state: FleetState): void {
  killNamespaceProcessesSync(state.netns)
  // only a workdir that is plainly one of ours (WORK_BASE/<id>) is unmounted below and removed
  const safeWorkdir = state.workdir.startsWith(WORK_BASE + '/') && path.basename(state.workdir) === state.id
  if (safeWorkdir) {
    for (const mount of mountsUnder(state.workdir)) runSync('umount', ['-l', mount])
  }
  for (const mount of state.mounts) runSync('umount', ['-l', mount])
  deleteNamespacesSync(state.netns)
  // never remove a workdir with something still mounted in it: rm would empty the mounted filesystem too
  if (safeWorkdir && mountsUnder(state.workdir).length === 0) {
    try {
      fs.rmSync(state.workdir, { recursive: true, force: true, maxRetries: 3 })
    } catch {
      // ignore
    }
  }
  try {
    fs.unlinkSync(path.join(STATE_DIR, `${state.id}.json`))
  } catch {
    // ignore
  }
}

/**
 * Tear down every fleet whose owner process is dead, and any namespace/workdir carrying the
 * fleet prefix that no state file claims (state files are written before anything is created).
 */
export async function cleanupStaleFleets(): Promise<void> {
  cleanupStaleFleetsSync()
}

/** cleanupStaleFleets, synchronously; returns the ids of the fleets it removed. */
export function cleanupStaleFleetsSync(): string[] {
  const removed: string[] = []
  const claimed = new Set<string>()
  for (const state of readStates()) {
    if (state.ownerPid > 0 && processAlive(state.ownerPid, state.ownerStart)) {
      claimed.add(state.id)
      continue
    }
    // include namespaces with the id even if the state predates their creation
    state.netns = [...new Set([...state.netns, ...namespacesOfFleet(state.id)])]
    destroyFleetSync(state)
    removed.push(state.id)
  }
  // orphans without a state file
  const orphanIds = new Set<string>()
  for (const name of listNetns()) {
    const id = fleetIdOfNetns(name)
    if (id && !claimed.has(id)) orphanIds.add(id)
  }
  try {
    for (const dir of fs.readdirSync(WORK_BASE)) if (isFleetId(dir) && !claimed.has(dir)) orphanIds.add(dir)
  } catch {
    // no base yet
  }
  for (const id of orphanIds) {
    if (liveFleets.has(id) || claimed.has(id) || fs.existsSync(path.join(STATE_DIR, `${id}.json`))) continue
    destroyFleetSync(ownerlessState(id))
    removed.push(id)
  }
  return removed
}

/** A random 4-hex-digit id that no namespace, state file or workdir uses yet. */
export function pickFleetId(): string {
  const taken = new Set([...listNetns().map(fleetIdOfNetns), ...readStates().map((state) => state.id)])
  for (let attempt = 0; attempt < 100; attempt++) {
    const id = crypto.randomBytes(2).toString('hex')
    if (!taken.has(id) && !fs.existsSync(path.join(WORK_BASE, id))) return id
  }
  throw new Error('[fleet] cannot pick a free fleet id')
}

interface LiveFleet {
  readonly id: string
  teardownSync(): void
}

// this process's fleets: never taken for orphans, and torn down by the exit handlers
const liveFleets = new Map<string, LiveFleet>()
let exitHandlersInstalled = false

/** From now until forgetLiveFleet, the fleet is torn down when this process exits or gets SIGINT/SIGTERM/SIGHUP. */
export function trackLiveFleet(fleet: LiveFleet): void {
  installExitHandlers()
  liveFleets.set(fleet.id, fleet)
}

export function forgetLiveFleet(id: string): void {
  liveFleets.delete(id)
}

function installExitHandlers(): void {
  if (exitHandlersInstalled) return
  exitHandlersInstalled = true
  const teardownAll = () => {
    for (const fleet of [...liveFleets.values()]) fleet.teardownSync()
  }
  process.on('exit', teardownAll)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = () => {
      teardownAll()
      // if nobody else handles the signal, die of it as if this handler had never been there
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, handler)
        process.kill(process.pid, signal)
      }
    }
    process.on(signal, handler)
  }
}
