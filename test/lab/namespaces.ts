// The fleet's network: one namespace per leaf (runner, hosts) with a veth to a bridge in a namespace of its own.
// No default route and no link to the root namespace: traffic stays among the fleet's namespaces.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { inPool, must, runSync, shellQuote, sleepSync, waitForLine } from './exec.js'
import type { Leaf, Trunk } from './layout.js'
import { tcCommands } from './shaping.js'
import type { FleetHost } from './types.js'

/** Names of every network namespace `ip netns` knows. */
export function listNetns(): string[] {
  try {
    return fs.readdirSync('/run/netns')
  } catch {
    return []
  }
}

/** pids of every process whose network namespace is one of `names` (what `ip netns pids` does). */
export function netnsPids(names: string[]): Map<string, number[]> {
  const nameByInode = new Map<number, string>()
  const pidsByName = new Map<string, number[]>()
  for (const name of names) {
    try {
      nameByInode.set(fs.statSync(`/run/netns/${name}`).ino, name)
      pidsByName.set(name, [])
    } catch {
      // gone
    }
  }
  if (!nameByInode.size) return pidsByName
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let inode: number
    try {
      inode = fs.statSync(`/proc/${entry}/ns/net`).ino
    } catch {
      continue
    }
    const name = nameByInode.get(inode)
    if (name) pidsByName.get(name)!.push(Number(entry))
  }
  return pidsByName
}

/** The bridge namespaces, every leaf's namespace and the veth pairs (trunks too), each end created directly in its namespace. */
export async function createNamespaces(bridges: string[], leaves: Leaf[], trunks: Trunk[] = []): Promise<void> {
  const batch = [
    ...bridges.map((bridge) => `netns add ${bridge}`),
    ...leaves.map((leaf) => `netns add ${leaf.netns}`),
    ...leaves.map((leaf) => `link add name eth0 netns ${leaf.netns} type veth peer name ${leaf.bridgePort} netns ${leaf.bridgeNetns}`),
    ...trunks.map((trunk) => `link add name ${trunk.port} netns ${trunk.hubNetns} type veth peer name ${trunk.port} netns ${trunk.zoneNetns}`),
  ]
  await must('ip', ['-batch', '-'], { input: batch.join('\n') + '\n' })
}

/**
 * Brings the network up: in each bridge namespace br0 with its leaves' ports (and its trunks'), addresses,
 * IPv6 off, offloads off (so tbf sees real frames), and each link's shape on both veth ends. The batch
 * files go to `netDir` for a look after a failure.
 */
export async function configureNetwork(bridges: string[], leaves: Leaf[], trunks: Trunk[], netDir: string, netem: boolean): Promise<void> {
  for (const bridge of bridges) {
    const ports = [
      ...leaves.filter((leaf) => leaf.bridgeNetns === bridge).map((leaf) => ({ name: leaf.bridgePort, shape: leaf.shape })),
      ...trunks.filter((trunk) => trunk.hubNetns === bridge || trunk.zoneNetns === bridge).map((trunk) => ({ name: trunk.port, shape: trunk.shape })),
    ]
    await configureBridge(bridge, ports, netDir, netem)
  }

  await inPool(leaves, 8, async (leaf) => {
    const tcBatch = path.join(netDir, `${leaf.key}.tc`)
    fs.writeFileSync(tcBatch, tcCommands('eth0', leaf.shape, netem).join('\n') + '\n')
    const leafScript = [
      'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6',
      'echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6',
      'ip link set lo up',
      `ip addr add ${leaf.address}/24 dev eth0`,
      'ip link set eth0 up',
      'ethtool -K eth0 tso off gso off gro off',
      `tc -batch ${shellQuote(tcBatch)}`,
    ].join('\n')
    await must('ip', ['netns', 'exec', leaf.netns, 'sh', '-ec', leafScript])
  })
}

/** One bridge namespace: br0 with these ports, each shaped on its bridge-side end. */
async function configureBridge(bridgeNetns: string, ports: { name: string; shape: Leaf['shape'] }[], netDir: string, netem: boolean): Promise<void> {
  const bridgeIpBatch = path.join(netDir, `${bridgeNetns}.ip`)
  fs.writeFileSync(
    bridgeIpBatch,
    [
      'link set lo up',
      'link add name br0 type bridge stp_state 0 forward_delay 0 mcast_snooping 0',
      'link set br0 up',
      ...ports.flatMap((port) => [`link set ${port.name} master br0`, `link set ${port.name} up`]),
    ].join('\n') + '\n',
  )
  const bridgeTcBatch = path.join(netDir, `${bridgeNetns}.tc`)
  fs.writeFileSync(bridgeTcBatch, ports.flatMap((port) => tcCommands(port.name, port.shape, netem)).join('\n') + '\n')
  const bridgeScript = [
    'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6',
    'echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6',
    `echo 0 > /proc/sys/net/bridge/bridge-nf-call-iptables 2>/dev/null || true`,
    `echo 0 > /proc/sys/net/bridge/bridge-nf-call-ip6tables 2>/dev/null || true`,
    `echo 0 > /proc/sys/net/bridge/bridge-nf-call-arptables 2>/dev/null || true`,
    `ip -batch ${shellQuote(bridgeIpBatch)}`,
    `for d in ${ports.map((port) => port.name).join(' ')}; do ethtool -K $d tso off gso off gro off; done`,
    `tc -batch ${shellQuote(bridgeTcBatch)}`,
  ].join('\n')
  await must('ip', ['netns', 'exec', bridgeNetns, 'sh', '-ec', bridgeScript])
}

/** Bytes a trunk has carried each way, from the counters of its end in the first zone's bridge namespace. */
export async function trunkCounters(trunk: Trunk): Promise<{ into: number; outOf: number }> {
  const json = await must('ip', ['-n', trunk.hubNetns, '-j', '-s', 'link', 'show', 'dev', trunk.port])
  const [link] = JSON.parse(json) as { stats64: { rx: { bytes: number }; tx: { bytes: number } } }[]
  if (link === undefined) throw new Error(`[fleet] no trunk ${trunk.port} in ${trunk.hubNetns}`)
  return { into: link.stats64.tx.bytes, outOf: link.stats64.rx.bytes }
}

/** Down = the link is cut: the leaf sees NO-CARRIER and packets vanish both ways. */
export async function setBridgePortUp(bridgeNetns: string, bridgePort: string, up: boolean): Promise<void> {
  await must('ip', ['-n', bridgeNetns, 'link', 'set', 'dev', bridgePort, up ? 'up' : 'down'])
}

/**
 * A host's private mount + UTS namespace, with its own /srv, /tmp, /root and hostname. It lives as long as
 * the `sleep infinity` the returned child becomes: sshd and execOnHost join it with nsenter -t <its pid>.
 */
export async function startHostAnchor(host: FleetHost, logPath: string): Promise<ChildProcess> {
  const script = [
    'set -e',
    `mount --bind ${shellQuote(host.srvDir)} /srv`,
    `mount --bind ${shellQuote(host.tmpDir)} /tmp`,
    `mount --bind ${shellQuote(host.rootDir)} /root`,
    `hostname ${host.name}`,
    'echo ready',
    'exec sleep infinity',
  ].join('\n')
  const log = fs.openSync(logPath, 'a')
  const child = spawn(
    'ip',
    ['netns', 'exec', host.netns, 'unshare', '--mount', '--uts', '--propagation', 'private', 'sh', '-c', script],
    { stdio: ['ignore', 'pipe', log], detached: true, cwd: '/' },
  )
  fs.closeSync(log)
  await waitForLine(child, 'ready', 10_000, `${host.name} anchor`)
  return child
}

/** SIGKILLs every process in the namespaces until none is left, for at most ~2.6 s. */
export function killNamespaceProcessesSync(names: string[]): void {
  for (let round = 0; round < 60; round++) {
    const pids = [...netnsPids(names).values()].flat()
    if (!pids.length) break
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // gone
      }
    }
    sleepSync(round < 10 ? 10 : 50)
  }
}

/** Deletes those of the namespaces that still exist; their veths go with them. */
export function deleteNamespacesSync(names: string[]): void {
  const existing = new Set(listNetns())
  const doomed = names.filter((name) => existing.has(name))
  if (doomed.length) runSync('ip', ['-force', '-batch', '-'], doomed.map((name) => `netns del ${name}\n`).join(''))
}

/**
 * The kernel's ARP table is ONE table for every network namespace, capped by gc_thresh3 (1024 by
 * default). A 32-host fleet's full mesh beside another fleet fills it, and then a new fleet's runner
 * cannot resolve any host ("neighbor table overflow" in dmesg, sshd unreachable). Only ever raise
 * the limits (root namespace sysctls), never lower them.
 */
export function raiseNeighbourTableLimits(): void {
  const wanted: Record<string, number> = { gc_thresh3: 8192, gc_thresh2: 4096, gc_thresh1: 1024 }
  for (const [name, value] of Object.entries(wanted)) {
    const file = `/proc/sys/net/ipv4/neigh/default/${name}`
    try {
      if (Number(fs.readFileSync(file, 'utf8').trim()) < value) fs.writeFileSync(file, String(value))
    } catch {
      // not writable here: setup will say what fails
    }
  }
}
