// One real OpenSSH sshd per host, inside the host's namespaces, with a fresh host key per fleet; the runner logs in
// with the fleet's client key and checks host keys strictly against the fleet's known_hosts.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { inPool, must, run } from './exec.js'
import type { FleetHost, SessionEnv } from './types.js'

export interface SshFiles {
  /** the fleet's id, in key comments */
  id: string
  workdir: string
  clientKeyPath: string
  knownHostsPath: string
  /** extra environment for every session (sshd's SetEnv), e.g. NODE_OPTIONS for a benchmark's profiler */
  sessionEnv?: SessionEnv
}

/**
 * The client key (its public half is every host's authorized_keys), a host key and sshd_config for each
 * host with sshd, and the known_hosts that lists those host keys, in host order.
 */
export async function generateKeys(files: SshFiles, hosts: FleetHost[]): Promise<{ clientKey: string; knownHosts: string }> {
  await must('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `murder-fleet-${files.id}`, '-f', files.clientKeyPath])
  const clientKey = fs.readFileSync(files.clientKeyPath, 'utf8')
  const publicKey = fs.readFileSync(`${files.clientKeyPath}.pub`, 'utf8')
  fs.writeFileSync(path.join(files.workdir, 'authorized_keys'), publicKey, { mode: 0o644 })
  const knownHostLines: string[] = []
  const withSshd = hosts.filter((host) => host.hasSshd)
  await inPool(withSshd, 8, async (host) => {
    const hostDir = path.join(files.workdir, host.name)
    const hostKey = path.join(hostDir, 'ssh_host_ed25519_key')
    await must('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${host.name}.${files.id}`, '-f', hostKey])
    const [type, base64] = fs.readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/)
    knownHostLines[hosts.indexOf(host)] = `${host.address} ${type} ${base64}`
    fs.writeFileSync(path.join(hostDir, 'sshd_config'), sshdConfig(files, host, hostKey))
  })
  const knownHosts = knownHostLines.filter(Boolean).join('\n') + '\n'
  fs.writeFileSync(files.knownHostsPath, knownHosts)
  return { clientKey, knownHosts }
}

function sshdConfig(files: SshFiles, host: FleetHost, hostKey: string): string {
  return [
    `# murder test fleet ${files.id} ${host.name}`,
    `Port 22`,
    `ListenAddress ${host.address}`,
    `AddressFamily inet`,
    `HostKey ${hostKey}`,
    `PidFile ${path.join(files.workdir, host.name, 'sshd.pid')}`,
    `PermitRootLogin prohibit-password`,
    `PubkeyAuthentication yes`,
    `AuthorizedKeysFile ${path.join(files.workdir, 'authorized_keys')}`,
    `PasswordAuthentication no`,
    `KbdInteractiveAuthentication no`,
    `UsePAM no`,
    `StrictModes no`,
    `UseDNS no`,
    `PrintMotd no`,
    `PrintLastLog no`,
    `Subsystem sftp /usr/lib/openssh/sftp-server`,
    ...Object.entries((typeof files.sessionEnv === 'function' ? files.sessionEnv(host) : files.sessionEnv) ?? {}).map(([name, value]) => `SetEnv ${name}="${value}"`),
    '',
  ].join('\n')
}

/**
 * sshd in the host's net + mount + UTS namespaces (joined through its anchor), so killing sshd leaves the host
 * up. host.sshdPid follows the process: cleared when it exits.
 */
export function spawnSshd(host: FleetHost, workdir: string): ChildProcess {
  const log = fs.openSync(host.sshdLog, 'a')
  const config = path.join(workdir, host.name, 'sshd_config')
  const sshd = ['/usr/sbin/sshd', '-D', '-e', '-f', config]
  const child = spawn('nsenter', ['-t', String(host.anchorPid), '-n', '-m', '-u', '--', ...sshd], {
    stdio: ['ignore', log, log],
    detached: true,
    cwd: '/',
  })
  fs.closeSync(log)
  if (!child.pid) throw new Error(`[fleet] cannot spawn sshd for ${host.name}`)
  host.sshdPid = child.pid
  child.on('exit', () => {
    if (host.sshdPid === child.pid) host.sshdPid = undefined
  })
  return child
}

/**
 * From the runner namespace, waits until each host's port 22 answers with an SSH banner: a listening socket
 * alone is not enough, and only the runner namespace has a route to the hosts.
 */
export async function waitForSsh(runnerNetns: string, hosts: FleetHost[], timeoutMs: number): Promise<void> {
  if (!hosts.length) return
  // run by `node -e` inside the runner namespace; argv[1] = [addresses, timeoutMs]
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
      })();`
  const argument = JSON.stringify([hosts.map((host) => host.address), timeoutMs])
  const result = await run('ip', ['netns', 'exec', runnerNetns, process.execPath, '-e', script, argument], {
    timeoutMs: timeoutMs + 5000,
  })
  if (result.code === 0) return
  let unreachable: string[]
  try {
    unreachable = JSON.parse(result.stdout) as string[]
  } catch {
    unreachable = hosts.map((host) => host.address)
  }
  const logTails = hosts
    .filter((host) => unreachable.includes(host.address))
    .slice(0, 3)
    .map((host) => `${host.name}: ${readTail(host.sshdLog, 500)}`)
  const reason = `[fleet] sshd not reachable on ${unreachable.join(', ')} within ${timeoutMs} ms ${result.stderr}`
  throw new Error(`${reason}\n${logTails.join('\n')}`)
}

function readTail(file: string, chars: number): string {
  try {
    return fs.readFileSync(file, 'utf8').slice(-chars)
  } catch {
    return ''
  }
}

/** ssh argv (without the remote command): the fleet's key, its known_hosts, strict checking, never a prompt. */
export function sshArgs(clientKeyPath: string, knownHostsPath: string, host: FleetHost): string[] {
  const options = ['-o', `UserKnownHostsFile=${knownHostsPath}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes']
  return ['-i', clientKeyPath, ...options, '-o', 'ConnectTimeout=10', '-p', String(host.port), `root@${host.address}`]
}
