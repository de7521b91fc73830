/**
 * murder test fleet CLI (root only).
 *
 *   npx tsx test/fleet/cli.ts up [--hosts 4] [--rate 100mbit] [--delay 20ms] [--loss 1%]
 *                               [--runner-rate 1gbit] [--runner-delay 0ms] [--srv-mib 64] [--no-sshd 3,4]
 *       prints the fleet as JSON on stdout, then keeps running until SIGINT/SIGTERM and tears down.
 *   npx tsx test/fleet/cli.ts cleanup    tear down fleets whose owner process is dead
 *   npx tsx test/fleet/cli.ts list       show the fleet state files
 */
import fs from 'node:fs';
import path from 'node:path';
import { createFleet, cleanupStaleFleetsSync, STATE_DIR, type HostSpec, type LinkShape } from './fleet.js';

function parseArgs(argv: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const eq = a.indexOf('=');
    if (eq > 0) m.set(a.slice(2, eq), a.slice(eq + 1));
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) m.set(a.slice(2), argv[++i]!);
    else m.set(a.slice(2), 'true');
  }
  return m;
}

function shapeFrom(args: Map<string, string>, prefix = ''): LinkShape | undefined {
  const s: LinkShape = {};
  for (const k of ['rate', 'delay', 'loss'] as const) { const v = args.get(prefix + k); if (v) s[k] = v; }
  return Object.keys(s).length ? s : undefined;
}

async function main() {
  const [cmd, ...rest] = process.argv.slice(2);
  if (cmd === 'cleanup') {
    const removed = cleanupStaleFleetsSync();
    console.log(JSON.stringify({ removed }));
    return;
  }
  if (cmd === 'list') {
    let files: string[] = [];
    try { files = fs.readdirSync(STATE_DIR).filter((f) => f.endsWith('.json')); } catch { /* none */ }
    console.log(JSON.stringify(files.map((f) => JSON.parse(fs.readFileSync(path.join(STATE_DIR, f), 'utf8'))), null, 2));
    return;
  }
  if (cmd !== 'up') {
    console.error('usage: cli.ts up [--hosts N] [--rate R] [--delay D] [--loss L] [--runner-rate R] [--runner-delay D] [--runner-loss L] [--srv-mib M] [--no-sshd i,j] | cleanup | list');
    process.exit(2);
  }
  const args = parseArgs(rest);
  const n = Number(args.get('hosts') ?? 4);
  const noSshd = new Set((args.get('no-sshd') ?? '').split(',').filter(Boolean).map(Number));
  const hosts: HostSpec[] = Array.from({ length: n }, (_, i) => (noSshd.has(i + 1) ? { sshd: false } : {}));
  const t0 = Date.now();
  const fleet = await createFleet({
    hosts,
    link: shapeFrom(args),
    runnerLink: shapeFrom(args, 'runner-'),
    srvSizeMiB: args.has('srv-mib') ? Number(args.get('srv-mib')) : undefined,
  });
  const out = {
    id: fleet.id, runnerNetns: fleet.runnerNetns, runnerAddress: fleet.runnerAddress, bridgeNetns: fleet.bridgeNetns,
    workdir: fleet.workdir, knownHostsPath: fleet.knownHostsPath, clientKeyPath: fleet.clientKeyPath,
    hostsInput: fleet.hostsInput, delayBackend: fleet.delayBackend, createMs: Date.now() - t0, ownerPid: process.pid,
    hosts: fleet.hosts,
    example: `ip netns exec ${fleet.runnerNetns} ssh ${fleet.sshArgs(fleet.hosts[0]!).join(' ')} hostname`,
  };
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  const stop = async (sig: string) => {
    await fleet.teardown();
    process.stderr.write(`[fleet] ${fleet.id} torn down (${sig})\n`);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  setInterval(() => { /* keep alive */ }, 1 << 30);
}

main().catch((e) => { console.error(e instanceof Error ? e.message : e); process.exit(1); });
