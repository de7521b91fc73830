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
 * Link shaping: tbf (rate) on both ends of every veth; delay/loss with netem when the kernel has
 * it, otherwise with test/fleet/netdelay.c (NFQUEUE in the bridge namespace), see README.md.
 *
 * Needs root, iproute2, ethtool, util-linux (unshare, nsenter), openssh-server; for delay/loss on a
 * kernel without sch_netem also gcc + iptables.
 */
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export interface LinkShape {
  /** tc rate, e.g. '100mbit', '200kbit', '1gbit'; undefined = unshaped */
  rate?: string;
  /** one-way delay added in each direction of the link, e.g. '50ms' */
  delay?: string;
  /** loss probability in each direction of the link, e.g. '5%' */
  loss?: string;
}
export interface HostSpec extends LinkShape {
  /** default true; false = a host that is up on the network but has no sshd */
  sshd?: boolean;
}
export interface FleetOptions {
  hosts: number | HostSpec[];
  /** default shape for every host link and for the runner link */
  link?: LinkShape;
  /** overrides `link` for the runner */
  runnerLink?: LinkShape;
  /** if set, /srv of every host is a tmpfs of that size (MiB); else a bind mount of a directory */
  srvSizeMiB?: number;
}
export interface FleetHost {
  name: string;
  address: string;
  port: number;
  netns: string;
  /** path, seen from the root namespace, of the directory that is /srv inside the host */
  srvDir: string;
  sshdPid?: number;
  /** pid of the process anchoring the host's mount/UTS namespace (nsenter -t) */
  anchorPid: number;
  /** sshd's stderr log */
  sshdLog: string;
  /** the host's own private /tmp and /root, seen from the root namespace */
  tmpDir: string;
  rootDir: string;
  hasSshd: boolean;
}
export interface ExecResult { code: number; stdout: string; stderr: string; timedOut?: boolean }
export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
  stdio?: StdioOptions;
}
export interface Fleet {
  id: string;
  runnerNetns: string;
  runnerAddress: string;
  bridgeNetns: string;
  hosts: FleetHost[];
  workdir: string;
  knownHostsPath: string;
  knownHosts: string;
  clientKeyPath: string;
  clientKey: string;
  hostsInput: string;
  /** 'netem' if the kernel has sch_netem, else 'nfqueue' (userspace netdelay); undefined until first needed */
  readonly delayBackend: 'netem' | 'nfqueue' | undefined;
  runInRunner(cmd: string, args: string[], opts?: RunOptions): ChildProcess;
  /** `sh -c script` in the runner namespace, collected */
  execInRunner(script: string, timeoutMs?: number, opts?: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string | Buffer }): Promise<ExecResult>;
  execOnHost(host: FleetHost, script: string, timeoutMs?: number): Promise<ExecResult>;
  hostPids(host: FleetHost): number[];
  shape(host: FleetHost | 'runner', shape: LinkShape): Promise<void>;
  cut(host: FleetHost | 'runner'): Promise<void>;
  restore(host: FleetHost | 'runner'): Promise<void>;
  killSshd(host: FleetHost): Promise<void>;
  startSshd(host: FleetHost): Promise<void>;
  /** ssh argv (without the remote command) that logs into `host` from the runner namespace */
  sshArgs(host: FleetHost): string[];
  teardown(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

export const FLEET_PREFIX = 'mf';
export const STATE_DIR = process.env.MURDER_FLEET_STATE_DIR ?? '/run/murder-fleet';
/**
 * NOT below /tmp: every host bind-mounts its own directory over /tmp, which would hide the
 * fleet's files (sshd config, host key, authorized_keys) from the host itself.
 */
export const WORK_BASE = process.env.MURDER_FLEET_WORK_BASE ?? '/var/tmp/murder-fleet';
export const SUBNET_PREFIX = '198.18.0';
export const RUNNER_ADDRESS = `${SUBNET_PREFIX}.1`;
export const MAX_HOSTS = 240;
const hostAddress = (i: number) => `${SUBNET_PREFIX}.${10 + i}`;
const NAME_RE = /^mf([0-9a-f]{4})(br|r|h\d{1,3})$/;
const HERE = path.dirname(fileURLToPath(import.meta.url));
const MTU_FRAME = 1514;

// ---------------------------------------------------------------------------------------------
// Small process helpers
// ---------------------------------------------------------------------------------------------

interface RunOpts { input?: string | Buffer; timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string }

function run(cmd: string, args: string[], o: RunOpts = {}): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: o.env ?? process.env, cwd: o.cwd ?? '/', stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, o.timeoutMs ?? 30_000);
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.stdin!.on('error', () => { /* EPIPE if the child does not read */ });
    child.stdin!.end(o.input ?? '');
    child.on('error', (e) => err.push(Buffer.from(String(e))));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: code ?? (signal ? 128 + (signalNumber(signal) ?? 0) : -1),
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString() + (timedOut ? `\n[fleet] timed out after ${o.timeoutMs ?? 30_000} ms` : ''),
        ...(timedOut ? { timedOut } : {}),
      });
    });
  });
}

async function must(cmd: string, args: string[], o: RunOpts = {}): Promise<string> {
  const r = await run(cmd, args, o);
  if (r.code !== 0) throw new Error(`[fleet] ${cmd} ${args.join(' ')} failed (${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

function runSync(cmd: string, args: string[], input?: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', timeout: 20_000, cwd: '/' });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function signalNumber(sig: string): number | undefined {
  const n: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return n[sig];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
function sleepSync(ms: number) { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); }

async function pool<T>(items: T[], width: number, fn: (t: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      try { await fn(items[i]!, i); } catch (e) { errors.push(e); }
    }
  }));
  if (errors.length) throw errors[0];
}

const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

// ---------------------------------------------------------------------------------------------
// Shape parsing / tc commands
// ---------------------------------------------------------------------------------------------

/** tc rate string -> bit/s (tc semantics: kbit = 1000 bit/s, kbps = 1000 bytes/s, kibit = 1024). */
export function parseRate(rate: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?)(bit|bps)?\s*$/i.exec(rate);
  if (!m) throw new Error(`[fleet] bad rate ${JSON.stringify(rate)}`);
  const p = m[2]!.toLowerCase();
  const base = p.endsWith('i') ? 1024 : 1000;
  const exp = { '': 0, k: 1, m: 2, g: 3, t: 4 }[p.replace('i', '') as '' | 'k' | 'm' | 'g' | 't'];
  const unit = (m[3] ?? 'bit').toLowerCase() === 'bps' ? 8 : 1;
  const v = Number(m[1]) * base ** exp * unit;
  if (!(v >= 8)) throw new Error(`[fleet] rate too small: ${rate}`);
  return v;
}
/** '50ms' | '1s' | '200us' | '0' -> microseconds */
export function parseDelay(d: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(us|usec|ms|msec|s|sec)?\s*$/i.exec(d);
  if (!m) throw new Error(`[fleet] bad delay ${JSON.stringify(d)}`);
  const mult = { us: 1, usec: 1, ms: 1000, msec: 1000, s: 1e6, sec: 1e6 }[(m[2] ?? 'ms').toLowerCase() as 'us'];
  return Math.round(Number(m[1]) * mult);
}
/** '5%' | '0.05' -> parts per million */
export function parseLoss(l: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%)?\s*$/.exec(l);
  if (!m) throw new Error(`[fleet] bad loss ${JSON.stringify(l)}`);
  const frac = m[2] ? Number(m[1]) / 100 : Number(m[1]);
  if (frac < 0 || frac > 1) throw new Error(`[fleet] loss out of range: ${l}`);
  return Math.round(frac * 1e6);
}

/**
 * tbf parameters. burst: at least two full frames, and 2 ms worth of tokens so that high rates
 * are not limited by timer granularity; queue: 100 ms worth, at least 32 frames.
 */
export function tbfParams(bitsPerSec: number): { burst: number; limit: number } {
  const Bps = bitsPerSec / 8;
  const burst = Math.max(2 * MTU_FRAME + 100, Math.ceil(Bps * 0.002));
  const queueSec = Number(process.env.MURDER_FLEET_TBF_QUEUE_MS ?? 100) / 1000;
  const limit = Math.max(32 * MTU_FRAME, Math.ceil(Bps * queueSec)) + burst;
  return { burst, limit };
}

function tcCommands(dev: string, s: LinkShape, netem: boolean, replace = false): string[] {
  // on a live change, delete the old root first (fails harmlessly if there is none: run with -force)
  const cmds = replace ? [`qdisc del dev ${dev} root`] : [];
  const rate = s.rate ? parseRate(s.rate) : undefined;
  const delayUs = s.delay ? parseDelay(s.delay) : 0;
  const lossPpm = s.loss ? parseLoss(s.loss) : 0;
  const wantNetem = netem && (delayUs > 0 || lossPpm > 0);
  let netemArgs = '';
  if (wantNetem) {
    // limit in packets: enough for 2 x (delay x rate) so netem itself never drops at line rate
    const pps = (rate ?? 10e9) / 8 / MTU_FRAME;
    const limit = Math.max(1000, Math.ceil(2 * pps * (delayUs / 1e6)));
    netemArgs = `netem limit ${limit}` + (delayUs ? ` delay ${delayUs}us` : '') + (lossPpm ? ` loss ${(lossPpm / 1e4).toFixed(4)}%` : '');
  }
  if (rate) {
    const { burst, limit } = tbfParams(rate);
    cmds.push(`qdisc add dev ${dev} root handle 1: tbf rate ${Math.round(rate)}bit burst ${burst} limit ${limit}`);
    if (wantNetem) cmds.push(`qdisc add dev ${dev} parent 1:1 handle 10: ${netemArgs}`);
  } else if (wantNetem) {
    cmds.push(`qdisc add dev ${dev} root handle 1: ${netemArgs}`);
  }
  return cmds;
}

// ---------------------------------------------------------------------------------------------
// Namespace / process bookkeeping
// ---------------------------------------------------------------------------------------------

interface FleetState {
  id: string;
  ownerPid: number;
  ownerStart?: string;
  workdir: string;
  netns: string[];
  mounts: string[];
  createdAt: string;
}

function procStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch { return undefined; }
}

function pidAlive(pid: number, start?: string): boolean {
  try { process.kill(pid, 0); } catch (e) { if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false; }
  if (start !== undefined) { const s = procStartTime(pid); if (s !== undefined && s !== start) return false; }
  return true;
}

function listNetns(): string[] {
  try { return fs.readdirSync('/run/netns'); } catch { return []; }
}

/** pids of every process whose network namespace is one of `names` (what `ip netns pids` does). */
export function netnsPids(names: string[]): Map<string, number[]> {
  const byIno = new Map<number, string>();
  const res = new Map<string, number[]>();
  for (const n of names) {
    try { byIno.set(fs.statSync(`/run/netns/${n}`).ino, n); res.set(n, []); } catch { /* gone */ }
  }
  if (!byIno.size) return res;
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    let ino: number;
    try { ino = fs.statSync(`/proc/${e}/ns/net`).ino; } catch { continue; }
    const n = byIno.get(ino);
    if (n) res.get(n)!.push(Number(e));
  }
  return res;
}

function mountsUnder(dir: string): string[] {
  let txt = '';
  try { txt = fs.readFileSync('/proc/self/mountinfo', 'utf8'); } catch { return []; }
  const out: string[] = [];
  for (const line of txt.split('\n')) {
    const mp = line.split(' ')[4];
    if (!mp) continue;
    const p = mp.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    if (p === dir || p.startsWith(dir + '/')) out.push(p);
  }
  return out.sort((a, b) => b.length - a.length);
}

/** Tear a fleet down from its state alone (used by teardown, exit handlers and stale cleanup). Synchronous. */
function destroyFleetSync(st: FleetState): void {
  const names = st.netns;
  // 1. kill every process in the fleet's namespaces, bounded
  for (let round = 0; round < 60; round++) {
    const pids = [...netnsPids(names).values()].flat();
    if (!pids.length) break;
    for (const p of pids) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
    sleepSync(round < 10 ? 10 : 50);
  }
  // 2. unmount whatever is mounted below the workdir (tmpfs /srv)
  const safeWorkdir = st.workdir.startsWith(WORK_BASE + '/') && path.basename(st.workdir) === st.id;
  if (safeWorkdir) {
    for (const m of mountsUnder(st.workdir)) runSync('umount', ['-l', m]);
  }
  for (const m of st.mounts) runSync('umount', ['-l', m]);
  // 3. delete the namespaces
  const existing = new Set(listNetns());
  const del = names.filter((n) => existing.has(n));
  if (del.length) runSync('ip', ['-force', '-batch', '-'], del.map((n) => `netns del ${n}\n`).join(''));
  // 4. workdir + state file
  if (safeWorkdir && mountsUnder(st.workdir).length === 0) {
    try { fs.rmSync(st.workdir, { recursive: true, force: true, maxRetries: 3 }); } catch { /* ignore */ }
  }
  try { fs.unlinkSync(path.join(STATE_DIR, `${st.id}.json`)); } catch { /* ignore */ }
}

function readStates(): FleetState[] {
  let files: string[] = [];
  try { files = fs.readdirSync(STATE_DIR).filter((f) => /^[0-9a-f]{4}\.json$/.test(f)); } catch { return []; }
  const out: FleetState[] = [];
  for (const f of files) {
    try { out.push(JSON.parse(fs.readFileSync(path.join(STATE_DIR, f), 'utf8')) as FleetState); } catch {
      // unreadable state file: derive what we can from its name
      const id = f.slice(0, 4);
      out.push({ id, ownerPid: -1, workdir: path.join(WORK_BASE, id), netns: listNetns().filter((n) => NAME_RE.exec(n)?.[1] === id), mounts: [], createdAt: '' });
    }
  }
  return out;
}

/**
 * Tear down every fleet whose owner process is dead, and any namespace/workdir carrying the
 * fleet prefix that no state file claims (state files are written before anything is created).
 */
export async function cleanupStaleFleets(): Promise<void> {
  cleanupStaleFleetsSync();
}

export function cleanupStaleFleetsSync(): string[] {
  const removed: string[] = [];
  const states = readStates();
  const claimed = new Set<string>();
  for (const st of states) {
    if (st.ownerPid > 0 && pidAlive(st.ownerPid, st.ownerStart)) { claimed.add(st.id); continue; }
    // include namespaces with the id even if the state predates their creation
    st.netns = [...new Set([...st.netns, ...listNetns().filter((n) => NAME_RE.exec(n)?.[1] === st.id)])];
    destroyFleetSync(st);
    removed.push(st.id);
  }
  // orphans without a state file
  const orphanIds = new Set<string>();
  for (const n of listNetns()) { const id = NAME_RE.exec(n)?.[1]; if (id && !claimed.has(id)) orphanIds.add(id); }
  try {
    for (const d of fs.readdirSync(WORK_BASE)) if (/^[0-9a-f]{4}$/.test(d) && !claimed.has(d)) orphanIds.add(d);
  } catch { /* no base yet */ }
  for (const id of orphanIds) {
    if (live.has(id) || claimed.has(id) || fs.existsSync(path.join(STATE_DIR, `${id}.json`))) continue;
    destroyFleetSync({ id, ownerPid: -1, workdir: path.join(WORK_BASE, id), netns: listNetns().filter((n) => NAME_RE.exec(n)?.[1] === id), mounts: [], createdAt: '' });
    removed.push(id);
  }
  return removed;
}

// live fleets of this process, for the exit handlers
const live = new Map<string, FleetImpl>();
let handlersInstalled = false;
function installExitHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => { for (const f of [...live.values()]) f.teardownSync(); });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = () => {
      for (const f of [...live.values()]) f.teardownSync();
      if (process.listenerCount(sig) === 1) { process.removeListener(sig, handler); process.kill(process.pid, sig); }
    };
    process.on(sig, handler);
  }
}

// ---------------------------------------------------------------------------------------------
// Delay backend
// ---------------------------------------------------------------------------------------------

let netemSupported: boolean | undefined;
async function probeNetem(ns: string): Promise<boolean> {
  if (process.env.MURDER_FLEET_DELAY_BACKEND === 'nfqueue') return false;
  if (process.env.MURDER_FLEET_DELAY_BACKEND === 'netem') return true;
  if (netemSupported !== undefined) return netemSupported;
  const r = await run('tc', ['-n', ns, 'qdisc', 'add', 'dev', 'lo', 'root', 'handle', '1:', 'netem', 'delay', '1ms']);
  if (r.code === 0) await run('tc', ['-n', ns, 'qdisc', 'del', 'dev', 'lo', 'root']);
  netemSupported = r.code === 0;
  return netemSupported;
}

let netdelayBin: Promise<string> | undefined;
function netdelayBinary(): Promise<string> {
  netdelayBin ??= (async () => {
    const src = path.join(HERE, 'netdelay.c');
    const hash = crypto.createHash('sha256').update(fs.readFileSync(src)).digest('hex').slice(0, 12);
    const dir = path.join(WORK_BASE, '.bin');
    const bin = path.join(dir, `netdelay-${hash}`);
    if (fs.existsSync(bin)) return bin;
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${bin}.${process.pid}.tmp`;
    await must('gcc', ['-O2', '-o', tmp, src], { timeoutMs: 60_000 }).catch((e: Error) => {
      throw new Error(`${e.message}\n[fleet] this kernel has no sch_netem; delay/loss need gcc to build test/fleet/netdelay.c`);
    });
    fs.renameSync(tmp, bin);
    return bin;
  })();
  netdelayBin.catch(() => { netdelayBin = undefined; });
  return netdelayBin;
}

// ---------------------------------------------------------------------------------------------
// The fleet
// ---------------------------------------------------------------------------------------------

interface Leaf {
  key: string;           // 'runner' | host name
  netns: string;
  address: string;
  bridgePort: string;    // veth end in the bridge namespace
  shape: LinkShape;
}

class FleetImpl implements Fleet {
  id: string;
  runnerNetns: string;
  runnerAddress = RUNNER_ADDRESS;
  bridgeNetns: string;
  hosts: FleetHost[] = [];
  workdir: string;
  knownHostsPath: string;
  knownHosts = '';
  clientKeyPath: string;
  clientKey = '';
  hostsInput = '';
  delayBackend: 'netem' | 'nfqueue' | undefined;

  private state: FleetState;
  private leaves = new Map<string, Leaf>();
  private children = new Map<number, ChildProcess>();
  private infraPids = new Set<number>();
  private delayer?: { pid: number; cfg: string; rulesOn: boolean };
  private tornDown = false;
  private srvSizeMiB?: number;

  constructor(id: string, specs: HostSpec[], opts: FleetOptions) {
    this.id = id;
    this.workdir = path.join(WORK_BASE, id);
    this.bridgeNetns = `${FLEET_PREFIX}${id}br`;
    this.runnerNetns = `${FLEET_PREFIX}${id}r`;
    this.knownHostsPath = path.join(this.workdir, 'known_hosts');
    this.clientKeyPath = path.join(this.workdir, 'client', 'id_ed25519');
    this.srvSizeMiB = opts.srvSizeMiB;
    this.leaves.set('runner', {
      key: 'runner', netns: this.runnerNetns, address: RUNNER_ADDRESS, bridgePort: `${FLEET_PREFIX}${id}r`,
      shape: { ...opts.link, ...opts.runnerLink },
    });
    specs.forEach((spec, idx) => {
      const i = idx + 1;
      const name = `host${i}`;
      const dir = path.join(this.workdir, name);
      const { sshd, ...hostShape } = spec;
      this.hosts.push({
        name, address: hostAddress(i), port: 22, netns: `${FLEET_PREFIX}${id}h${i}`,
        srvDir: path.join(dir, 'srv'), tmpDir: path.join(dir, 'tmp'), rootDir: path.join(dir, 'root'),
        sshdLog: path.join(dir, 'sshd.log'), anchorPid: 0, hasSshd: sshd !== false,
      });
      this.leaves.set(name, {
        key: name, netns: `${FLEET_PREFIX}${id}h${i}`, address: hostAddress(i), bridgePort: `${FLEET_PREFIX}${id}h${i}`,
        shape: { ...opts.link, ...hostShape },
      });
    });
    this.hostsInput = this.hosts.map((h) => `root@${h.address}`).join('\n');
    this.state = {
      id, ownerPid: process.pid, ownerStart: procStartTime(process.pid), workdir: this.workdir,
      netns: [this.bridgeNetns, ...[...this.leaves.values()].map((l) => l.netns)], mounts: [],
      createdAt: new Date().toISOString(),
    };
  }

  private saveState() {
    fs.mkdirSync(STATE_DIR, { recursive: true });
    const f = path.join(STATE_DIR, `${this.id}.json`);
    fs.writeFileSync(`${f}.tmp`, JSON.stringify(this.state, null, 2));
    fs.renameSync(`${f}.tmp`, f);
  }

  private hostDir(h: FleetHost) { return path.join(this.workdir, h.name); }

  // ---- setup ------------------------------------------------------------------------------

  async setup(): Promise<void> {
    this.saveState(); // before anything exists, so a crash mid-setup is cleanable
    fs.mkdirSync(path.join(this.workdir, 'client'), { recursive: true, mode: 0o700 });
    fs.mkdirSync(path.join(this.workdir, 'net'), { recursive: true });
    fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    for (const h of this.hosts) {
      fs.mkdirSync(h.srvDir, { recursive: true, mode: 0o755 });
      fs.mkdirSync(h.tmpDir, { recursive: true });
      fs.chmodSync(h.tmpDir, 0o1777);
      fs.mkdirSync(h.rootDir, { recursive: true, mode: 0o700 });
    }

    const keys = this.generateKeys();
    keys.catch(() => { /* awaited below */ });
    await this.createNetwork();
    if (this.srvSizeMiB) {
      for (const h of this.hosts) {
        await must('mount', ['-t', 'tmpfs', '-o', `size=${this.srvSizeMiB}m,mode=0755`, `mf${this.id}-${h.name}-srv`, h.srvDir]);
        this.state.mounts.push(h.srvDir);
      }
      this.saveState();
    }
    await pool(this.hosts, 16, (h) => this.startAnchor(h));
    await keys;
    await pool(this.hosts.filter((h) => h.hasSshd), 16, (h) => this.spawnSshd(h));
    await this.waitForSsh(this.hosts.filter((h) => h.hasSshd), 10_000);
  }

  private async generateKeys(): Promise<void> {
    await must('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `murder-fleet-${this.id}`, '-f', this.clientKeyPath]);
    this.clientKey = fs.readFileSync(this.clientKeyPath, 'utf8');
    const pub = fs.readFileSync(`${this.clientKeyPath}.pub`, 'utf8');
    fs.writeFileSync(path.join(this.workdir, 'authorized_keys'), pub, { mode: 0o644 });
    const lines: string[] = [];
    await pool(this.hosts.filter((h) => h.hasSshd), 8, async (h) => {
      const key = path.join(this.hostDir(h), 'ssh_host_ed25519_key');
      await must('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${h.name}.${this.id}`, '-f', key]);
      const [type, b64] = fs.readFileSync(`${key}.pub`, 'utf8').trim().split(/\s+/);
      lines[this.hosts.indexOf(h)] = `${h.address} ${type} ${b64}`;
      fs.writeFileSync(path.join(this.hostDir(h), 'sshd_config'), this.sshdConfig(h, key));
    });
    this.knownHosts = lines.filter(Boolean).join('\n') + '\n';
    fs.writeFileSync(this.knownHostsPath, this.knownHosts);
  }

  private sshdConfig(h: FleetHost, hostKey: string): string {
    return [
      `# murder test fleet ${this.id} ${h.name}`,
      `Port 22`,
      `ListenAddress ${h.address}`,
      `AddressFamily inet`,
      `HostKey ${hostKey}`,
      `PidFile ${path.join(this.hostDir(h), 'sshd.pid')}`,
      `PermitRootLogin prohibit-password`,
      `PubkeyAuthentication yes`,
      `AuthorizedKeysFile ${path.join(this.workdir, 'authorized_keys')}`,
      `PasswordAuthentication no`,
      `KbdInteractiveAuthentication no`,
      `UsePAM no`,
      `StrictModes no`,
      `UseDNS no`,
      `PrintMotd no`,
      `PrintLastLog no`,
      `Subsystem sftp /usr/lib/openssh/sftp-server`,
      '',
    ].join('\n');
  }

  private async createNetwork(): Promise<void> {
    const leaves = [...this.leaves.values()];
    // 1. namespaces + veth pairs, created directly into their namespaces
    const batch = [`netns add ${this.bridgeNetns}`, ...leaves.map((l) => `netns add ${l.netns}`),
      ...leaves.map((l) => `link add name eth0 netns ${l.netns} type veth peer name ${l.bridgePort} netns ${this.bridgeNetns}`)];
    await must('ip', ['-batch', '-'], { input: batch.join('\n') + '\n' });

    const needDelay = leaves.some((l) => l.shape.delay || l.shape.loss);
    const netem = needDelay ? await probeNetem(this.bridgeNetns) : false;
    if (needDelay) this.delayBackend = netem ? 'netem' : 'nfqueue';

    // 2. bridge namespace
    const net = path.join(this.workdir, 'net');
    const ipBr = path.join(net, 'bridge.ip');
    fs.writeFileSync(ipBr, [
      'link set lo up',
      'link add name br0 type bridge stp_state 0 forward_delay 0 mcast_snooping 0',
      'link set br0 up',
      ...leaves.flatMap((l) => [`link set ${l.bridgePort} master br0`, `link set ${l.bridgePort} up`]),
    ].join('\n') + '\n');
    const tcBr = path.join(net, 'bridge.tc');
    fs.writeFileSync(tcBr, leaves.flatMap((l) => tcCommands(l.bridgePort, l.shape, netem)).join('\n') + '\n');
    await must('ip', ['netns', 'exec', this.bridgeNetns, 'sh', '-ec', [
      'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6',
      'echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6',
      `echo 0 > /proc/sys/net/bridge/bridge-nf-call-iptables 2>/dev/null || true`,
      `echo 0 > /proc/sys/net/bridge/bridge-nf-call-ip6tables 2>/dev/null || true`,
      `echo 0 > /proc/sys/net/bridge/bridge-nf-call-arptables 2>/dev/null || true`,
      `ip -batch ${shq(ipBr)}`,
      `for d in ${leaves.map((l) => l.bridgePort).join(' ')}; do ethtool -K $d tso off gso off gro off; done`,
      `tc -batch ${shq(tcBr)}`,
    ].join('\n')]);

    // 3. leaves (runner + hosts)
    await pool(leaves, 8, async (l) => {
      const tcFile = path.join(net, `${l.key}.tc`);
      fs.writeFileSync(tcFile, tcCommands('eth0', l.shape, netem).join('\n') + '\n');
      await must('ip', ['netns', 'exec', l.netns, 'sh', '-ec', [
        'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6',
        'echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6',
        'ip link set lo up',
        `ip addr add ${l.address}/24 dev eth0`,
        'ip link set eth0 up',
        'ethtool -K eth0 tso off gso off gro off',
        `tc -batch ${shq(tcFile)}`,
      ].join('\n')]);
    });
    await this.verifyQdiscs();
    if (needDelay && !netem) await this.updateDelayer();
  }

  /** tc -force hides the expected "nothing to delete" errors; check the wanted root qdiscs exist. */
  private async verifyQdiscs(only?: Leaf): Promise<void> {
    const netem = this.delayBackend === 'netem';
    const want = (s: LinkShape) => (s.rate ? 'tbf' : netem && (s.delay || s.loss) ? 'netem' : undefined);
    const leaves = only ? [only] : [...this.leaves.values()];
    const br = await must('tc', ['-n', this.bridgeNetns, 'qdisc', 'show']);
    for (const l of leaves) {
      const w = want(l.shape);
      if (!w) continue;
      if (!new RegExp(`qdisc ${w} 1: dev ${l.bridgePort} root`).test(br)) throw new Error(`[fleet] ${w} missing on ${l.bridgePort}:\n${br}`);
      const leaf = await must('tc', ['-n', l.netns, 'qdisc', 'show', 'dev', 'eth0']);
      if (!new RegExp(`qdisc ${w} 1: (dev eth0 )?root`).test(leaf)) throw new Error(`[fleet] ${w} missing on ${l.netns}/eth0:\n${leaf}`);
    }
  }

  private async applyTc(l: Leaf): Promise<void> {
    const needDelay = !!(l.shape.delay || l.shape.loss);
    if (needDelay && this.delayBackend === undefined) this.delayBackend = (await probeNetem(this.bridgeNetns)) ? 'netem' : 'nfqueue';
    const netem = this.delayBackend === 'netem';
    const brCmds = tcCommands(l.bridgePort, l.shape, netem, true);
    const leafCmds = tcCommands('eth0', l.shape, netem, true);
    await Promise.all([
      run('tc', ['-n', this.bridgeNetns, '-force', '-batch', '-'], { input: brCmds.join('\n') + '\n' }),
      run('tc', ['-n', l.netns, '-force', '-batch', '-'], { input: leafCmds.join('\n') + '\n' }),
    ]);
    await this.verifyQdiscs(l);
    if (this.delayBackend === 'nfqueue') await this.updateDelayer();
  }

  /** netdelay in the bridge namespace (kernel without sch_netem). */
  private async updateDelayer(): Promise<void> {
    const leaves = [...this.leaves.values()];
    const any = leaves.some((l) => l.shape.delay || l.shape.loss);
    const cfg = path.join(this.workdir, 'net', 'netdelay.conf');
    fs.writeFileSync(`${cfg}.tmp`, leaves.map((l) =>
      `${l.address} ${l.shape.delay ? parseDelay(l.shape.delay) : 0} ${l.shape.loss ? parseLoss(l.shape.loss) : 0}`).join('\n') + '\n');
    fs.renameSync(`${cfg}.tmp`, cfg);
    if (!any && !this.delayer) return;
    if (!this.delayer) {
      const bin = await netdelayBinary();
      const log = fs.openSync(path.join(this.workdir, 'netdelay.log'), 'a');
      const child = spawn('ip', ['netns', 'exec', this.bridgeNetns, bin, '0', cfg], { stdio: ['ignore', 'pipe', log], detached: true, cwd: '/' });
      fs.closeSync(log);
      await this.waitLine(child, 'ready', 5000, 'netdelay');
      this.delayer = { pid: child.pid!, cfg, rulesOn: false };
      this.track(child);
    } else {
      process.kill(this.delayer.pid, 'SIGHUP');
    }
    if (any !== this.delayer.rulesOn) {
      const op = any ? '-I' : '-D';
      await must('ip', ['netns', 'exec', this.bridgeNetns, 'sh', '-ec', [
        any ? 'echo 1 > /proc/sys/net/bridge/bridge-nf-call-iptables' : ':',
        `iptables -w 5 ${op} FORWARD -m physdev --physdev-is-bridged -j NFQUEUE --queue-num 0`,
        any ? ':' : 'echo 0 > /proc/sys/net/bridge/bridge-nf-call-iptables',
      ].join('\n')]).catch((e: Error) => {
        throw new Error(`${e.message}\n[fleet] this kernel has no sch_netem; delay/loss need iptables (apt-get install iptables)`);
      });
      this.delayer.rulesOn = any;
    }
    if (!any) return;
    await sleep(20); // let SIGHUP be processed before traffic relies on it
  }

  private waitLine(child: ChildProcess, want: string, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      let buf = '';
      const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`[fleet] ${what}: no "${want}" within ${timeoutMs} ms: ${buf}`)); }, timeoutMs);
      child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`[fleet] ${what} exited (${code}) before "${want}": ${buf}`)); });
      child.stdout!.on('data', (b: Buffer) => {
        buf += b.toString();
        if (buf.split('\n').includes(want)) {
          clearTimeout(timer);
          child.removeAllListeners('exit');
          child.stdout!.destroy();
          resolve();
        }
      });
    });
  }

  private track(child: ChildProcess) {
    const pid = child.pid!;
    this.children.set(pid, child);
    this.infraPids.add(pid);
    child.on('exit', () => { this.children.delete(pid); this.infraPids.delete(pid); });
    child.unref();
  }

  private async startAnchor(h: FleetHost): Promise<void> {
    const script = [
      'set -e',
      `mount --bind ${shq(h.srvDir)} /srv`,
      `mount --bind ${shq(h.tmpDir)} /tmp`,
      `mount --bind ${shq(h.rootDir)} /root`,
      `hostname ${h.name}`,
      'echo ready',
      'exec sleep infinity',
    ].join('\n');
    const log = fs.openSync(path.join(this.hostDir(h), 'anchor.log'), 'a');
    const child = spawn('ip', ['netns', 'exec', h.netns, 'unshare', '--mount', '--uts', '--propagation', 'private', 'sh', '-c', script],
      { stdio: ['ignore', 'pipe', log], detached: true, cwd: '/' });
    fs.closeSync(log);
    await this.waitLine(child, 'ready', 10_000, `${h.name} anchor`);
    h.anchorPid = child.pid!;
    this.track(child);
  }

  private async spawnSshd(h: FleetHost): Promise<void> {
    const log = fs.openSync(h.sshdLog, 'a');
    const child = spawn('nsenter', ['-t', String(h.anchorPid), '-n', '-m', '-u', '--', '/usr/sbin/sshd', '-D', '-e', '-f', path.join(this.hostDir(h), 'sshd_config')],
      { stdio: ['ignore', log, log], detached: true, cwd: '/' });
    fs.closeSync(log);
    if (!child.pid) throw new Error(`[fleet] cannot spawn sshd for ${h.name}`);
    h.sshdPid = child.pid;
    this.track(child);
    child.on('exit', () => { if (h.sshdPid === child.pid) h.sshdPid = undefined; });
  }

  /** From the runner namespace, wait until each host's port 22 answers with an SSH banner. */
  private async waitForSsh(hosts: FleetHost[], timeoutMs: number): Promise<void> {
    if (!hosts.length) return;
    const script = `
      const net = require('net');
      const [addrs, timeoutMs] = JSON.parse(process.argv[1]);
      const deadline = Date.now() + timeoutMs;
      const one = (a) => new Promise((res) => {
        const s = net.connect({ host: a, port: 22 });
        let buf = '';
        const done = (ok) => { s.destroy(); res(ok); };
        s.setTimeout(Math.max(200, deadline - Date.now()), () => done(false));
        s.on('data', (b) => { buf += b; if (buf.includes('SSH-')) done(true); });
        s.on('error', () => done(false));
        s.on('close', () => done(buf.includes('SSH-')));
      });
      (async () => {
        const bad = [];
        await Promise.all(addrs.map(async (a) => {
          for (let i = 0; i < 1000; i++) {
            if (await one(a)) return;
            if (Date.now() > deadline) { bad.push(a); return; }
            await new Promise((r) => setTimeout(r, 50));
          }
          bad.push(a);
        }));
        process.stdout.write(JSON.stringify(bad));
        process.exit(bad.length ? 1 : 0);
      })();`;
    const r = await run('ip', ['netns', 'exec', this.runnerNetns, process.execPath, '-e', script, JSON.stringify([hosts.map((h) => h.address), timeoutMs])],
      { timeoutMs: timeoutMs + 5000 });
    if (r.code !== 0) {
      const bad = (() => { try { return JSON.parse(r.stdout) as string[]; } catch { return hosts.map((h) => h.address); } })();
      const logs = hosts.filter((h) => bad.includes(h.address)).slice(0, 3)
        .map((h) => `${h.name}: ${(() => { try { return fs.readFileSync(h.sshdLog, 'utf8').slice(-500); } catch { return ''; } })()}`);
      throw new Error(`[fleet] sshd not reachable on ${bad.join(', ')} within ${timeoutMs} ms ${r.stderr}\n${logs.join('\n')}`);
    }
  }

  // ---- API ------------------------------------------------------------------------------

  runInRunner(cmd: string, args: string[], opts: RunOptions = {}): ChildProcess {
    return spawn('ip', ['netns', 'exec', this.runnerNetns, cmd, ...args], {
      env: opts.env ?? process.env, cwd: opts.cwd ?? process.cwd(), stdio: opts.stdio ?? 'pipe',
      ...(opts.timeoutMs ? { timeout: opts.timeoutMs, killSignal: 'SIGKILL' as const } : {}),
    });
  }

  execInRunner(script: string, timeoutMs = 30_000, opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string | Buffer } = {}): Promise<ExecResult> {
    return run('ip', ['netns', 'exec', this.runnerNetns, 'sh', '-c', script], { timeoutMs, env: opts.env, cwd: opts.cwd ?? process.cwd(), input: opts.input });
  }

  execOnHost(host: FleetHost, script: string, timeoutMs = 30_000): Promise<ExecResult> {
    const h = this.host(host);
    return run('nsenter', ['-t', String(h.anchorPid), '-n', '-m', '-u', '--', 'sh', '-c', script], { timeoutMs });
  }

  hostPids(host: FleetHost): number[] {
    const h = this.host(host);
    const pids = netnsPids([h.netns]).get(h.netns) ?? [];
    return pids.filter((p) => !this.infraPids.has(p)).sort((a, b) => a - b);
  }

  async shape(target: FleetHost | 'runner', shape: LinkShape): Promise<void> {
    const l = this.leaf(target);
    // validate before touching anything
    if (shape.rate) parseRate(shape.rate);
    if (shape.delay) parseDelay(shape.delay);
    if (shape.loss) parseLoss(shape.loss);
    l.shape = { ...shape };
    await this.applyTc(l);
  }

  async cut(target: FleetHost | 'runner'): Promise<void> {
    await must('ip', ['-n', this.bridgeNetns, 'link', 'set', 'dev', this.leaf(target).bridgePort, 'down']);
  }

  async restore(target: FleetHost | 'runner'): Promise<void> {
    await must('ip', ['-n', this.bridgeNetns, 'link', 'set', 'dev', this.leaf(target).bridgePort, 'up']);
  }

  async killSshd(host: FleetHost): Promise<void> {
    const h = this.host(host);
    const pid = h.sshdPid;
    if (!pid) return;
    const child = this.children.get(pid);
    const exited = child ? new Promise<void>((r) => child.once('exit', () => r())) : Promise.resolve();
    try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ }
    const t = setTimeout(() => { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }, 2000);
    await Promise.race([exited, sleep(4000)]);
    clearTimeout(t);
    h.sshdPid = undefined;
    this.infraPids.delete(pid);
  }

  async startSshd(host: FleetHost): Promise<void> {
    const h = this.host(host);
    if (!h.hasSshd) throw new Error(`[fleet] ${h.name} was created with sshd:false`);
    if (h.sshdPid) return;
    await this.spawnSshd(h);
    await this.waitForSsh([h], 10_000);
  }

  sshArgs(host: FleetHost): string[] {
    return ['-i', this.clientKeyPath, '-o', `UserKnownHostsFile=${this.knownHostsPath}`, '-o', 'StrictHostKeyChecking=yes',
      '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-p', String(host.port), `root@${host.address}`];
  }

  async teardown(): Promise<void> { this.teardownSync(); }

  teardownSync(): void {
    if (this.tornDown) return;
    this.tornDown = true;
    live.delete(this.id);
    destroyFleetSync(this.state);
    for (const c of this.children.values()) c.stdout?.destroy();
    this.children.clear();
  }

  private host(h: FleetHost): FleetHost {
    const found = this.hosts.find((x) => x.name === h.name && x.netns === h.netns);
    if (!found) throw new Error(`[fleet] ${h.name} is not a host of fleet ${this.id}`);
    if (this.tornDown) throw new Error(`[fleet] fleet ${this.id} is torn down`);
    return found;
  }
  private leaf(t: FleetHost | 'runner'): Leaf {
    const l = this.leaves.get(t === 'runner' ? 'runner' : this.host(t).name);
    if (!l) throw new Error('[fleet] unknown link');
    return l;
  }
}

function normalizeHosts(hosts: number | HostSpec[]): HostSpec[] {
  const specs = typeof hosts === 'number' ? Array.from({ length: hosts }, () => ({})) : hosts;
  if (!Number.isInteger(specs.length) || specs.length < 1 || specs.length > MAX_HOSTS) {
    throw new Error(`[fleet] hosts must be 1..${MAX_HOSTS}, got ${specs.length}`);
  }
  return specs.map((s) => ({ ...s }));
}

function pickId(): string {
  const taken = new Set([...listNetns().map((n) => NAME_RE.exec(n)?.[1]), ...readStates().map((s) => s.id)]);
  for (let i = 0; i < 100; i++) {
    const id = crypto.randomBytes(2).toString('hex');
    if (!taken.has(id) && !fs.existsSync(path.join(WORK_BASE, id))) return id;
  }
  throw new Error('[fleet] cannot pick a free fleet id');
}

/**
 * The kernel's ARP table is ONE table for every network namespace, capped by gc_thresh3 (1024 by
 * default). A 32-host fleet's full mesh beside another fleet fills it, and then a new fleet's runner
 * cannot resolve any host ("neighbor table overflow" in dmesg, sshd unreachable). Only ever raise
 * the limits (root namespace sysctls), never lower them.
 */
function raiseNeighbourTableLimits(): void {
  const wanted: Record<string, number> = { gc_thresh3: 8192, gc_thresh2: 4096, gc_thresh1: 1024 };
  for (const [name, value] of Object.entries(wanted)) {
    const file = `/proc/sys/net/ipv4/neigh/default/${name}`;
    try {
      if (Number(fs.readFileSync(file, 'utf8').trim()) < value) fs.writeFileSync(file, String(value));
    } catch {
      // not writable here: setup will say what fails
    }
  }
}

export async function createFleet(opts: FleetOptions): Promise<Fleet> {
  if (process.getuid?.() !== 0) throw new Error('[fleet] createFleet needs root');
  const specs = normalizeHosts(opts.hosts);
  // validate shapes early
  for (const s of [opts.link, opts.runnerLink, ...specs]) {
    if (s?.rate) parseRate(s.rate);
    if (s?.delay) parseDelay(s.delay);
    if (s?.loss) parseLoss(s.loss);
  }
  await cleanupStaleFleets();
  raiseNeighbourTableLimits();
  fs.mkdirSync(WORK_BASE, { recursive: true, mode: 0o755 });
  const fleet = new FleetImpl(pickId(), specs, opts);
  installExitHandlers();
  live.set(fleet.id, fleet);
  try {
    await fleet.setup();
  } catch (e) {
    fleet.teardownSync();
    throw e;
  }
  return fleet;
}
