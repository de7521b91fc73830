/**
 * Test fleet: N simulated SSH hosts on this machine, each in its own network + mount + UTS
 * namespace, all attached to a bridge that lives in a namespace of its own, plus a "runner"
 * namespace where the action under test runs. No default route, no link to the root namespace:
 * traffic stays among the fleet's namespaces.
 *
 *   mf<id>br   bridge namespace: br0 + one veth per leaf (mf<id>r, mf<id>h1, mf<id>h2, ...)
 *   mf<id>r    runner namespace: eth0 = 198.18.0.1/24
 *   mf<id>h<i> host i namespace: eth0 = 198.18.0.(10+i)/24, sshd on :22, private /srv /tmp /root
 *
 * With zones, each zone after the first has a bridge namespace of its own (mf<id>b<k>) for its hosts,
 * joined to the first zone's bridge (the runner's) by a trunk veth (mf<id>t<k> at both ends), shaped
 * like any link: a slow link between datacenters. One subnet still; traffic between zones crosses a trunk.
 *
 * Link shaping: tbf (rate) on both ends of every veth; delay/loss with netem when the kernel has
 * it, otherwise with test/lab/netdelay.c (NFQUEUE in the bridge namespace), see README.md.
 *
 * Needs root, iproute2, ethtool, util-linux (unshare, nsenter), openssh-server; for delay/loss on a
 * kernel without sch_netem also gcc + iptables.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { inPool, must, run, sleep } from './exec.js'
import { FLEET_PREFIX, hostAddress, MAX_HOSTS, MAX_ZONES, RUNNER_ADDRESS, WORK_BASE, type Leaf, type Trunk } from './layout.js'
import {
  configureNetwork,
  createNamespaces,
  netnsPids,
  raiseNeighbourTableLimits,
  setBridgePortUp,
  startHostAnchor,
  trunkCounters,
} from './namespaces.js'
import { NetDelay } from './netdelay.js'
import { chooseDelayBackend, hasDelayOrLoss, reshapeLink, validateShape, verifyQdiscs } from './shaping.js'
import { generateKeys, spawnSshd, sshArgs, waitForSsh } from './sshd.js'
import {
  cleanupStaleFleets,
  destroyFleetSync,
  forgetLiveFleet,
  newFleetState,
  pickFleetId,
  saveState,
  trackLiveFleet,
  type FleetState,
} from './stale.js'
import type { DelayBackend, ExecResult, Fleet, FleetHost, FleetOptions, HostSpec, LinkShape, RunOptions, SessionEnv, TrunkBytes } from './types.js'

export type { ExecResult, Fleet, FleetHost, FleetOptions, HostSpec, LinkShape, RunOptions, TrunkBytes } from './types.js'
export { FLEET_PREFIX, MAX_HOSTS, RUNNER_ADDRESS, STATE_DIR, SUBNET_PREFIX, WORK_BASE } from './layout.js'
export { netnsPids } from './namespaces.js'
export { parseDelay, parseLoss, parseRate, tbfParams } from './shaping.js'
export { cleanupStaleFleets, cleanupStaleFleetsSync } from './stale.js'

const SSH_READY_TIMEOUT_MS = 10_000

class FleetImpl implements Fleet {
  id: string
  runnerNetns: string
  runnerAddress = RUNNER_ADDRESS
  bridgeNetns: string
  hosts: FleetHost[] = []
  workdir: string
  knownHostsPath: string
  knownHosts = ''
  clientKeyPath: string
  clientKey = ''
  hostsInput = ''
  zones: string[] = []
  delayBackend: DelayBackend | undefined

  private state: FleetState
  /** the runner's and every host's link, by 'runner' or host name */
  private leaves = new Map<string, Leaf>()
  /** the bridge namespaces: the fleet's (the first zone's), then one per further zone */
  private bridges: string[]
  private trunks: Trunk[] = []
  private children = new Map<number, ChildProcess>()
  /** the fleet's own processes (anchors, sshd, netdelay): not what hostPids reports */
  private infraPids = new Set<number>()
  private netDelay: NetDelay
  private tornDown = false
  private srvSizeMiB?: number
  private sessionEnv?: SessionEnv

  constructor(id: string, specs: HostSpec[], options: FleetOptions) {
    this.id = id
    this.workdir = path.join(WORK_BASE, id)
    this.bridgeNetns = `${FLEET_PREFIX}${id}br`
    this.runnerNetns = `${FLEET_PREFIX}${id}r`
    this.knownHostsPath = path.join(this.workdir, 'known_hosts')
    this.clientKeyPath = path.join(this.workdir, 'client', 'id_ed25519')
    this.srvSizeMiB = options.srvSizeMiB
    this.sessionEnv = options.sessionEnv
    this.netDelay = new NetDelay(this.bridgeNetns, this.workdir, (child) => this.track(child))
    this.bridges = [this.bridgeNetns]
    const zoneOf = zoneOfEachHost(options.zones, specs.length)
    options.zones?.forEach((zone, index) => {
      if (index === 0) return
      const zoneNetns = `${FLEET_PREFIX}${id}b${index + 1}`
      this.bridges.push(zoneNetns)
      this.trunks.push({ zone: zone.name, hubNetns: this.bridgeNetns, zoneNetns, port: `${FLEET_PREFIX}${id}t${index + 1}`, shape: { ...options.trunk } })
    })
    this.zones = options.zones?.map((zone) => zone.name) ?? []
    this.leaves.set('runner', {
      key: 'runner',
      netns: this.runnerNetns,
      bridgeNetns: this.bridgeNetns,
      address: RUNNER_ADDRESS,
      bridgePort: `${FLEET_PREFIX}${id}r`,
      shape: { ...options.link, ...options.runnerLink },
    })
    specs.forEach((spec, index) => {
      const i = index + 1
      const name = `host${i}`
      const dir = path.join(this.workdir, name)
      const netns = `${FLEET_PREFIX}${id}h${i}`
      const { sshd, ...hostShape } = spec
      this.hosts.push({
        name,
        address: hostAddress(i),
        port: 22,
        netns,
        srvDir: path.join(dir, 'srv'),
        tmpDir: path.join(dir, 'tmp'),
        rootDir: path.join(dir, 'root'),
        sshdLog: path.join(dir, 'sshd.log'),
        anchorPid: 0,
        hasSshd: sshd !== false,
        ...(zoneOf[index] !== undefined && { zone: options.zones![zoneOf[index]!]!.name }),
      })
      // the host's port on the bridge has the same name as its namespace
      const shape = { ...options.link, ...hostShape }
      const bridgeNetns = this.bridges[zoneOf[index] ?? 0]!
      this.leaves.set(name, { key: name, netns, address: hostAddress(i), bridgeNetns, bridgePort: netns, shape })
    })
    this.hostsInput = this.hosts.map((host) => `root@${host.address}`).join('\n')
    const namespaces = [...this.bridges, ...[...this.leaves.values()].map((leaf) => leaf.netns)]
    this.state = newFleetState(id, this.workdir, namespaces)
  }

  // ---- setup ------------------------------------------------------------------------------

  async setup(): Promise<void> {
    saveState(this.state) // before anything exists, so a crash mid-setup is cleanable
    fs.mkdirSync(path.join(this.workdir, 'client'), { recursive: true, mode: 0o700 })
    fs.mkdirSync(path.join(this.workdir, 'net'), { recursive: true })
    fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 })
    for (const host of this.hosts) {
      fs.mkdirSync(host.srvDir, { recursive: true, mode: 0o755 })
      fs.mkdirSync(host.tmpDir, { recursive: true })
      fs.chmodSync(host.tmpDir, 0o1777)
      fs.mkdirSync(host.rootDir, { recursive: true, mode: 0o700 })
    }

    // keys are made while the network comes up
    const { id, workdir, clientKeyPath, knownHostsPath, sessionEnv } = this
    const keys = generateKeys({ id, workdir, clientKeyPath, knownHostsPath, sessionEnv }, this.hosts).then(({ clientKey, knownHosts }) => {
      this.clientKey = clientKey
      this.knownHosts = knownHosts
    })
    keys.catch(() => {
      // awaited below
    })
    await this.createNetwork()
    if (this.srvSizeMiB) {
      for (const host of this.hosts) {
        const device = `mf${this.id}-${host.name}-srv`
        await must('mount', ['-t', 'tmpfs', '-o', `size=${this.srvSizeMiB}m,mode=0755`, device, host.srvDir])
        this.state.mounts.push(host.srvDir)
      }
      saveState(this.state)
    }
    await inPool(this.hosts, 16, (host) => this.startAnchor(host))
    await keys
    const withSshd = this.hosts.filter((host) => host.hasSshd)
    await inPool(withSshd, 16, async (host) => this.track(spawnSshd(host, this.workdir)))
    await waitForSsh(this.runnerNetns, withSshd, SSH_READY_TIMEOUT_MS)
  }

  private async createNetwork(): Promise<void> {
    const leaves = [...this.leaves.values()]
    await createNamespaces(this.bridges, leaves, this.trunks)
    // the netem probe needs a namespace to try in: the bridge's, now that it exists
    const needDelay = [...leaves.map((leaf) => leaf.shape), ...this.trunks.map((trunk) => trunk.shape)].some(hasDelayOrLoss)
    if (needDelay) this.delayBackend = await chooseDelayBackend(this.bridgeNetns)
    const netem = this.delayBackend === 'netem'
    if (needDelay && !netem) this.refuseNfqueueWithZones()
    await configureNetwork(this.bridges, leaves, this.trunks, path.join(this.workdir, 'net'), netem)
    await verifyQdiscs(leaves, netem)
    await this.verifyTrunks()
    if (needDelay && !netem) await this.netDelay.update(leaves)
  }

  /** netdelay runs in one bridge namespace and sees the packets of that bridge only. */
  private refuseNfqueueWithZones(): void {
    if (this.trunks.length > 0) throw new Error('[fleet] delay or loss with zones needs the kernel\'s netem (netdelay sees one bridge only)')
  }

  private async verifyTrunks(): Promise<void> {
    for (const trunk of this.trunks) {
      if (!trunk.shape.rate) continue
      for (const netns of [trunk.hubNetns, trunk.zoneNetns]) {
        const shown = await must('tc', ['-n', netns, 'qdisc', 'show', 'dev', trunk.port])
        if (!/qdisc tbf 1: (dev \S+ )?root/.test(shown)) throw new Error(`[fleet] tbf missing on trunk ${netns}/${trunk.port}:\n${shown}`)
      }
    }
  }

  private async startAnchor(host: FleetHost): Promise<void> {
    const child = await startHostAnchor(host, path.join(this.workdir, host.name, 'anchor.log'))
    host.anchorPid = child.pid!
    this.track(child)
  }

  /** Every process the fleet starts is tracked, so hostPids can leave it out and teardown can drop its pipes. */
  private track(child: ChildProcess): void {
    const pid = child.pid!
    this.children.set(pid, child)
    this.infraPids.add(pid)
    child.on('exit', () => {
      this.children.delete(pid)
      this.infraPids.delete(pid)
    })
    child.unref()
  }

  // ---- API ------------------------------------------------------------------------------

  runInRunner(cmd: string, args: string[], options: RunOptions = {}): ChildProcess {
    return spawn('ip', ['netns', 'exec', this.runnerNetns, cmd, ...args], {
      env: options.env ?? process.env,
      cwd: options.cwd ?? process.cwd(),
      stdio: options.stdio ?? 'pipe',
      ...(options.timeoutMs ? { timeout: options.timeoutMs, killSignal: 'SIGKILL' as const } : {}),
    })
  }

  execInRunner(
    script: string,
    timeoutMs = 30_000,
    options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string | Buffer } = {},
  ): Promise<ExecResult> {
    return run('ip', ['netns', 'exec', this.runnerNetns, 'sh', '-c', script], {
      timeoutMs,
      env: options.env,
      cwd: options.cwd ?? process.cwd(),
      input: options.input,
    })
  }

  execOnHost(target: FleetHost, script: string, timeoutMs = 30_000): Promise<ExecResult> {
    const host = this.host(target)
    return run('nsenter', ['-t', String(host.anchorPid), '-n', '-m', '-u', '--', 'sh', '-c', script], { timeoutMs })
  }

  hostPids(target: FleetHost): number[] {
    const host = this.host(target)
    const pids = netnsPids([host.netns]).get(host.netns) ?? []
    return pids.filter((pid) => !this.infraPids.has(pid)).sort((a, b) => a - b)
  }

  async shape(target: FleetHost | 'runner', shape: LinkShape): Promise<void> {
    const leaf = this.leaf(target)
    validateShape(shape) // before touching anything
    leaf.shape = { ...shape }
    // the backend is chosen on the first link that needs delay or loss
    if (hasDelayOrLoss(leaf.shape) && this.delayBackend === undefined) {
      this.delayBackend = await chooseDelayBackend(this.bridgeNetns)
    }
    if (hasDelayOrLoss(leaf.shape) && this.delayBackend === 'nfqueue') this.refuseNfqueueWithZones()
    await reshapeLink(leaf, this.delayBackend === 'netem')
    if (this.delayBackend === 'nfqueue') await this.netDelay.update([...this.leaves.values()])
  }

  async cut(target: FleetHost | 'runner'): Promise<void> {
    const leaf = this.leaf(target)
    await setBridgePortUp(leaf.bridgeNetns, leaf.bridgePort, false)
  }

  async restore(target: FleetHost | 'runner'): Promise<void> {
    const leaf = this.leaf(target)
    await setBridgePortUp(leaf.bridgeNetns, leaf.bridgePort, true)
  }

  async trunkBytes(zone: string): Promise<TrunkBytes> {
    const trunk = this.trunks.find((candidate) => candidate.zone === zone)
    if (!trunk) throw new Error(`[fleet] no trunk joins zone ${JSON.stringify(zone)} (zones: ${this.zones.join(', ') || 'none'}; the first has none)`)
    if (this.tornDown) throw new Error(`[fleet] fleet ${this.id} is torn down`)
    return trunkCounters(trunk)
  }

  async killSshd(target: FleetHost): Promise<void> {
    const host = this.host(target)
    const pid = host.sshdPid
    if (!pid) return
    const child = this.children.get(pid)
    const exited = child ? new Promise<void>((resolve) => child.once('exit', () => resolve())) : Promise.resolve()
    signal(pid, 'SIGTERM')
    const escalation = setTimeout(() => signal(pid, 'SIGKILL'), 2000)
    await Promise.race([exited, sleep(4000)])
    clearTimeout(escalation)
    host.sshdPid = undefined
    this.infraPids.delete(pid)
  }

  async startSshd(target: FleetHost): Promise<void> {
    const host = this.host(target)
    if (!host.hasSshd) throw new Error(`[fleet] ${host.name} was created with sshd:false`)
    if (host.sshdPid) return
    this.track(spawnSshd(host, this.workdir))
    await waitForSsh(this.runnerNetns, [host], SSH_READY_TIMEOUT_MS)
  }

  sshArgs(host: FleetHost): string[] {
    return sshArgs(this.clientKeyPath, this.knownHostsPath, host)
  }

  async teardown(): Promise<void> {
    this.teardownSync()
  }

  /** Idempotent; synchronous so that exit handlers can run it. */
  teardownSync(): void {
    if (this.tornDown) return
    this.tornDown = true
    forgetLiveFleet(this.id)
    destroyFleetSync(this.state)
    for (const child of this.children.values()) child.stdout?.destroy()
    this.children.clear()
  }

  /** The fleet's own record of a host given by a caller; throws for a stranger or after teardown. */
  private host(target: FleetHost): FleetHost {
    const found = this.hosts.find((host) => host.name === target.name && host.netns === target.netns)
    if (!found) throw new Error(`[fleet] ${target.name} is not a host of fleet ${this.id}`)
    if (this.tornDown) throw new Error(`[fleet] fleet ${this.id} is torn down`)
    return found
  }

  private leaf(target: FleetHost | 'runner'): Leaf {
    const leaf = this.leaves.get(target === 'runner' ? 'runner' : this.host(target).name)
    if (!leaf) throw new Error('[fleet] unknown link')
    return leaf
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch {
    // gone
  }
}

/** Each host's zone index (hosts in order fill the zones in order); [] without zones. Throws on zones that do not fit. */
function zoneOfEachHost(zones: FleetOptions['zones'], hostCount: number): number[] {
  if (zones === undefined) return []
  if (zones.length < 1 || zones.length > MAX_ZONES) throw new Error(`[fleet] zones must be 1..${MAX_ZONES}, got ${zones.length}`)
  const names = new Set<string>()
  for (const zone of zones) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(zone.name) || names.has(zone.name)) throw new Error(`[fleet] bad or repeated zone name ${JSON.stringify(zone.name)}`)
    if (!Number.isInteger(zone.hosts) || zone.hosts < 1) throw new Error(`[fleet] zone ${zone.name} needs at least one host`)
    names.add(zone.name)
  }
  const total = zones.reduce((sum, zone) => sum + zone.hosts, 0)
  if (total !== hostCount) throw new Error(`[fleet] the zones hold ${total} hosts, but the fleet has ${hostCount}`)
  return zones.flatMap((zone, index) => Array.from({ length: zone.hosts }, () => index))
}

function normalizeHosts(hosts: number | HostSpec[]): HostSpec[] {
  const specs = typeof hosts === 'number' ? Array.from({ length: hosts }, () => ({})) : hosts
  if (!Number.isInteger(specs.length) || specs.length < 1 || specs.length > MAX_HOSTS) {
    throw new Error(`[fleet] hosts must be 1..${MAX_HOSTS}, got ${specs.length}`)
  }
  return specs.map((spec) => ({ ...spec }))
}

export async function createFleet(options: FleetOptions): Promise<Fleet> {
  if (process.getuid?.() !== 0) throw new Error('[fleet] createFleet needs root')
  const specs = normalizeHosts(options.hosts)
  // validate shapes early
  for (const shape of [options.link, options.runnerLink, options.trunk, ...specs]) validateShape(shape)
  await cleanupStaleFleets()
  raiseNeighbourTableLimits()
  fs.mkdirSync(WORK_BASE, { recursive: true, mode: 0o755 })
  const fleet = new FleetImpl(pickFleetId(), specs, options)
  trackLiveFleet(fleet)
  try {
    await fleet.setup()
  } catch (error) {
    fleet.teardownSync()
    throw error
  }
  return fleet
}
