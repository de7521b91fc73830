// The lab's public contract: what createFleet takes and gives back. fleet.ts re-exports it.
import type { ChildProcess, StdioOptions } from 'node:child_process'

export interface LinkShape {
  /** tc rate, e.g. '100mbit', '200kbit', '1gbit'; undefined = unshaped */
  rate?: string
  /** one-way delay added in each direction of the link, e.g. '50ms' */
  delay?: string
  /** loss probability in each direction of the link, e.g. '5%' */
  loss?: string
}

export interface HostSpec extends LinkShape {
  /** default true; false = a host that is up on the network but has no sshd */
  sshd?: boolean
}

export interface FleetOptions {
  hosts: number | HostSpec[]
  /** default shape for every host link and for the runner link */
  link?: LinkShape
  /** overrides `link` for the runner */
  runnerLink?: LinkShape
  /** if set, /srv of every host is a tmpfs of that size (MiB); else a bind mount of a directory */
  srvSizeMiB?: number
  /**
   * environment sshd sets in every session on every host, or on the hosts a function picks
   * (diagnostics, e.g. a profiler preloaded through NODE_OPTIONS)
   */
  sessionEnv?: SessionEnv
  /**
   * Zones: the hosts, in order, split among bridges of their own (the first zone's holds the runner),
   * each other zone's bridge joined to the first's by a trunk link. Their host counts add up to `hosts`.
   */
  zones?: { name: string; hosts: number }[]
  /** shape of every trunk (both directions), e.g. { rate: '20mbit' }; delay and loss need netem */
  trunk?: LinkShape
}

/** Bytes that crossed a trunk, each way, since the fleet came up (counted at the first zone's end). */
export interface TrunkBytes {
  /** from the first zone (the runner's) into the zone */
  into: number
  /** from the zone into the first zone */
  outOf: number
}

export type SessionEnv = Record<string, string> | ((host: FleetHost) => Record<string, string> | undefined)

export interface FleetHost {
  name: string
  address: string
  port: number
  netns: string
  /** path, seen from the root namespace, of the directory that is /srv inside the host */
  srvDir: string
  sshdPid?: number
  /** pid of the process anchoring the host's mount/UTS namespace (nsenter -t) */
  anchorPid: number
  /** its zone's name (FleetOptions.zones); undefined without zones */
  zone?: string
  /** sshd's stderr log */
  sshdLog: string
  /** the host's own private /tmp and /root, seen from the root namespace */
  tmpDir: string
  rootDir: string
  hasSshd: boolean
}

export interface ExecResult {
  code: number
  stdout: string
  stderr: string
  timedOut?: boolean
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv
  cwd?: string
  timeoutMs?: number
  stdio?: StdioOptions
}

export interface Fleet {
  id: string
  runnerNetns: string
  runnerAddress: string
  bridgeNetns: string
  hosts: FleetHost[]
  workdir: string
  knownHostsPath: string
  knownHosts: string
  clientKeyPath: string
  clientKey: string
  hostsInput: string
  /** the zones' names in order, the first being the runner's; [] without zones */
  zones: string[]
  /** bytes across the trunk that joins `zone` to the first zone */
  trunkBytes(zone: string): Promise<TrunkBytes>
  /** 'netem' if the kernel has sch_netem, else 'nfqueue' (userspace netdelay); undefined until first needed */
  readonly delayBackend: DelayBackend | undefined
  runInRunner(cmd: string, args: string[], opts?: RunOptions): ChildProcess
  /** `sh -c script` in the runner namespace, collected */
  execInRunner(
    script: string,
    timeoutMs?: number,
    opts?: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string | Buffer },
  ): Promise<ExecResult>
  execOnHost(host: FleetHost, script: string, timeoutMs?: number): Promise<ExecResult>
  hostPids(host: FleetHost): number[]
  shape(host: FleetHost | 'runner', shape: LinkShape): Promise<void>
  cut(host: FleetHost | 'runner'): Promise<void>
  restore(host: FleetHost | 'runner'): Promise<void>
  killSshd(host: FleetHost): Promise<void>
  startSshd(host: FleetHost): Promise<void>
  /** ssh argv (without the remote command) that logs into `host` from the runner namespace */
  sshArgs(host: FleetHost): string[]
  teardown(): Promise<void>
}

/** How delay and loss are made: the kernel's netem qdisc, or netdelay.c behind an NFQUEUE when the kernel lacks it. */
export type DelayBackend = 'netem' | 'nfqueue'
