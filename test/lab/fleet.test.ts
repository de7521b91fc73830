/**
 * Tests of the test fleet itself (root only):  node --import tsx --test test/lab/fleet.test.ts
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createFleet, cleanupStaleFleets, netnsPids, STATE_DIR, type Fleet, type FleetHost } from './fleet.js'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

function netnsNames(): string[] {
  const r = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' })
  return r.stdout.split('\n').map((l) => l.split(' ')[0]!).filter(Boolean)
}

function assertGone(f: { id: string; workdir: string; runnerNetns: string; hosts: FleetHost[] }) {
  const names = netnsNames().filter((n) => n.includes(f.id))
  assert.deepEqual(names, [], `namespaces left: ${names.join(' ')}`)
  const r = spawnSync('ip', ['netns', 'pids', f.runnerNetns], { encoding: 'utf8' })
  assert.notEqual(r.status, 0, '`ip netns pids` must fail for a deleted namespace')
  const left = netnsPids([f.runnerNetns, ...f.hosts.map((h) => h.netns)])
  assert.equal(left.size, 0)
  assert.equal(fs.existsSync(f.workdir), false, 'workdir removed')
  assert.equal(fs.existsSync(path.join(STATE_DIR, `${f.id}.json`)), false, 'state file removed')
}

/** ssh from the runner namespace, strict host key checking against the fleet's known_hosts */
function ssh(f: Fleet, h: FleetHost, remote: string, input?: string | Buffer, timeoutMs = 20_000) {
  return f.execInRunner(`exec ssh ${f.sshArgs(h).map((a) => `'${a}'`).join(' ')} ${shq(remote)}`, timeoutMs, { input })
}

/** bytes/s measured on the receiving host: from `cat` start to EOF (excludes ssh handshake) */
async function sshThroughput(f: Fleet, h: FleetHost, bytes: number): Promise<{ bitsPerSec: number; got: number }> {
  const r = await ssh(f, h, 'a=$(date +%s%N); n=$(cat | wc -c); b=$(date +%s%N); echo $n $a $b', Buffer.alloc(bytes, 7), 60_000)
  assert.equal(r.code, 0, r.stderr)
  const [n, a, b] = r.stdout.trim().split(' ').map(Number) as [number, number, number]
  return { got: n, bitsPerSec: (n * 8) / ((b - a) / 1e9) }
}

test('3-host fleet: ssh into each host, private /srv, hostname', async () => {
  const f = await createFleet({ hosts: 3 })
  try {
    assert.equal(f.hosts.length, 3)
    assert.match(f.knownHosts, /^198\.18\.0\.11 ssh-ed25519 AAAA\S+$/m)
    assert.equal(f.hostsInput, 'root@198.18.0.11\nroot@198.18.0.12\nroot@198.18.0.13')
    assert.match(f.clientKey, /^-----BEGIN OPENSSH PRIVATE KEY-----/)
    for (const h of f.hosts) {
      const r = await ssh(f, h, `echo hi-${h.name} > /srv/x; hostname; cat /srv/x`)
      assert.equal(r.code, 0, r.stderr)
      assert.equal(r.stdout, `${h.name}\nhi-${h.name}\n`)
    }
    // each host's /srv is its own directory, visible from outside at srvDir
    for (const h of f.hosts) assert.equal(fs.readFileSync(path.join(h.srvDir, 'x'), 'utf8'), `hi-${h.name}\n`)
    await ssh(f, f.hosts[0]!, 'echo only1 > /srv/only1; echo t > /tmp/t1; echo r > /root/r1')
    assert.equal(fs.existsSync(path.join(f.hosts[0]!.srvDir, 'only1')), true)
    assert.equal(fs.existsSync(path.join(f.hosts[1]!.srvDir, 'only1')), false)
    assert.equal(fs.existsSync('/srv/only1'), false, 'root namespace /srv untouched')
    assert.equal(fs.existsSync(path.join(f.hosts[0]!.tmpDir, 't1')), true)
    assert.equal(fs.existsSync(path.join(f.hosts[0]!.rootDir, 'r1')), true)
    // execOnHost sees the host's private mounts; node is usable inside hosts
    const e = await f.execOnHost(f.hosts[1]!, 'ls /srv; cat /srv/x; hostname; /usr/bin/node -e "console.log(1+1)"')
    assert.equal(e.code, 0, e.stderr)
    assert.equal(e.stdout, `x\nhi-host2\nhost2\n2\n`)
    // wrong host key -> refused (StrictHostKeyChecking really checks)
    const withoutDestination = f.sshArgs(f.hosts[0]!).slice(0, -1).join(' ')
    const host1AsHost2 = `-o HostKeyAlias=${f.hosts[1]!.address} root@${f.hosts[0]!.address}`
    const wrong = await f.execInRunner(`ssh ${withoutDestination} ${host1AsHost2} true`)
    assert.notEqual(wrong.code, 0)
    assert.match(wrong.stderr, /HOST IDENTIFICATION HAS CHANGED|Host key verification failed/)

    // hostPids: nothing left behind at rest; a detached process shows up, and is gone after kill
    assert.deepEqual(f.hostPids(f.hosts[2]!), [])
    await ssh(f, f.hosts[2]!, 'nohup sleep 300 >/dev/null 2>&1 </dev/null & echo $! > /tmp/sleeper')
    const sleeper = Number(fs.readFileSync(path.join(f.hosts[2]!.tmpDir, 'sleeper'), 'utf8'))
    const comm = (pid: number) => {
      try {
        return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
      } catch {
        return ''
      }
    }
    // (the per-connection sshd and shell take a moment to exit after the client is gone)
    let left = f.hostPids(f.hosts[2]!)
    for (let i = 0; i < 60 && (left.length !== 1 || comm(sleeper) !== 'sleep'); i++) {
      await new Promise((r) => setTimeout(r, 50))
      left = f.hostPids(f.hosts[2]!)
    }
    assert.deepEqual(left, [sleeper], `left: ${left.map((p) => `${p}:${comm(p)}`)}`)
    assert.equal(comm(sleeper), 'sleep')
    process.kill(left[0]!, 'SIGKILL')

    // cut / restore
    await f.cut(f.hosts[0]!)
    const quickGiveUp = f.sshArgs(f.hosts[0]!).join(' ').replace('ConnectTimeout=10', 'ConnectTimeout=2')
    const cutRes = await f.execInRunner(`ssh ${quickGiveUp} true`, 10_000)
    assert.notEqual(cutRes.code, 0, 'host unreachable while cut')
    await f.restore(f.hosts[0]!)
    assert.equal((await ssh(f, f.hosts[0]!, 'true')).code, 0, 'reachable after restore')

    // killSshd / startSshd
    await f.killSshd(f.hosts[1]!)
    assert.equal(f.hosts[1]!.sshdPid, undefined)
    const down = await f.execInRunner(`ssh ${f.sshArgs(f.hosts[1]!).join(' ')} true`, 10_000)
    assert.match(down.stderr, /Connection refused/)
    assert.equal((await f.execOnHost(f.hosts[1]!, 'cat /srv/x')).stdout, 'hi-host2\n', 'execOnHost works without sshd')
    await f.startSshd(f.hosts[1]!)
    assert.equal((await ssh(f, f.hosts[1]!, 'true')).code, 0)
  } finally {
    await f.teardown()
  }
  assertGone(f)
  await f.teardown() // idempotent
})

test('isolation: no default route, nothing beyond the fleet', async () => {
  const f = await createFleet({ hosts: 1 })
  try {
    const h = f.hosts[0]!
    const routes = await f.execOnHost(h, 'ip -4 route')
    assert.equal(routes.stdout.trim(), '198.18.0.0/24 dev eth0 proto kernel scope link src 198.18.0.11')
    // `ip route get` only asks the kernel's FIB, it sends nothing
    const get = await f.execOnHost(h, 'ip route get 8.8.8.8')
    assert.notEqual(get.code, 0)
    assert.match(get.stderr, /unreachable/i)
    const getRunner = await f.execInRunner('ip route get 8.8.8.8')
    assert.notEqual(getRunner.code, 0)
    const links = await f.execOnHost(h, 'ip -o link show | cut -d: -f2')
    assert.deepEqual(links.stdout.split('\n').map((s) => s.trim().replace(/@.*/, '')).filter(Boolean), ['lo', 'eth0'])
    // the host's loopback is its own: the root namespace's sockets are not reachable there
    const lo = await f.execOnHost(h, 'ip -o addr show dev lo scope host | grep -c 127.0.0.1')
    assert.equal(lo.stdout.trim(), '1')
  } finally {
    await f.teardown()
  }
})

test('shaping: 8mbit and 200kbit measured within 25 %', async () => {
  const f = await createFleet({ hosts: [{ rate: '8mbit' }, { rate: '200kbit' }] })
  try {
    const [h8, h200] = f.hosts as [FleetHost, FleetHost]
    const fast = await sshThroughput(f, h8, 2_000_000)
    assert.equal(fast.got, 2_000_000)
    const r8 = fast.bitsPerSec / 8e6
    const slow = await sshThroughput(f, h200, 60_000)
    assert.equal(slow.got, 60_000)
    const r200 = slow.bitsPerSec / 200e3
    console.log(
      `# measured ssh goodput: 8mbit link -> ${(fast.bitsPerSec / 1e6).toFixed(3)} Mbit/s (${(r8 * 100).toFixed(1)} %), ` +
        `200kbit link -> ${(slow.bitsPerSec / 1e3).toFixed(1)} kbit/s (${(r200 * 100).toFixed(1)} %)`,
    )
    assert.ok(r8 > 0.75 && r8 < 1.25, `8mbit measured ${fast.bitsPerSec}`)
    assert.ok(r200 > 0.75 && r200 < 1.25, `200kbit measured ${slow.bitsPerSec}`)
    // live reshape: host1 to 200kbit -> 60 kB takes ~2.4 s instead of 0.06 s
    await f.shape(h8, { rate: '200kbit' })
    const re = await sshThroughput(f, h8, 60_000)
    assert.ok(re.bitsPerSec / 200e3 > 0.75 && re.bitsPerSec / 200e3 < 1.25, `reshaped ${re.bitsPerSec}`)
  } finally {
    await f.teardown()
  }
})

test('delay and loss (netem or the nfqueue fallback)', async () => {
  const f = await createFleet({ hosts: [{ delay: '40ms' }, {}], runnerLink: { delay: '10ms' } })
  try {
    const [h1, h2] = f.hosts as [FleetHost, FleetHost]
    // RTT = 2 x (runner delay + host delay)
    // TCP connect time = 1 RTT; the minimum of 5 (a busy 2-core machine can only add time)
    const js = (addr: string) => `const net=require('net');(async()=>{let m=1e9;for(let i=0;i<5;i++){const t=process.hrtime.bigint();` +
      `await new Promise((ok,ko)=>{const c=net.connect(22,'${addr}',()=>{m=Math.min(m,Number(process.hrtime.bigint()-t)/1e6);c.destroy();ok()});c.on('error',ko)})}console.log(m)})()`
    const rtt1 = Number((await f.execInRunner(`${process.execPath} -e "${js(h1.address)}"`)).stdout)
    const rtt2 = Number((await f.execInRunner(`${process.execPath} -e "${js(h2.address)}"`)).stdout)
    console.log(
      `# delay backend ${f.delayBackend}: rtt runner->host1 ${rtt1.toFixed(1)} ms (want 100), ` +
        `runner->host2 ${rtt2.toFixed(1)} ms (want 20)`,
    )
    assert.ok(rtt1 > 95 && rtt1 < 130, `rtt1 ${rtt1}`)
    assert.ok(rtt2 > 19 && rtt2 < 40, `rtt2 ${rtt2}`)
    await f.shape(h1, {})
    await f.shape('runner', { loss: '20%' })
    // 2000 UDP datagrams runner -> host2 with 20 % loss on the runner's uplink (paced: 10 per 5 ms,
    // so the receiver's socket buffer never overflows)
    // the receiver stops 700 ms after the last datagram (or after 10 s without any)
    // The hosts' own Node (/usr/bin/node): a private /tmp inside the host hides a checkout under /tmp.
    const recv = f.execOnHost(h2, `node -e "const d=require('dgram').createSocket('udp4');let n=0,t;` +
      `const stop=()=>{console.log(n);process.exit(0)};t=setTimeout(stop,10000);` +
      `d.on('message',()=>{n++;clearTimeout(t);t=setTimeout(stop,700)});d.bind(6000,'${h2.address}')"`, 20_000)
    for (let i = 0; i < 100; i++) {
      if ((await f.execOnHost(h2, 'ss -Hlun | grep -q :6000')).code === 0) break
      await new Promise((r) => setTimeout(r, 50))
    }
    await f.execInRunner(`${process.execPath} -e "const d=require('dgram').createSocket('udp4');let i=0;` +
      `const s=()=>{if(i>=2000)return d.close();for(let k=0;k<10;k++,i++)d.send('x',6000,'${h2.address}');setTimeout(s,5)};s()"`)
    const got = Number((await recv).stdout.trim().split('\n').pop())
    console.log(`# loss 20 %: ${got}/2000 received`)
    assert.ok(got > 1450 && got < 1750, `received ${got}`)
  } finally {
    await f.teardown()
  }
})

test('srvSizeMiB tmpfs and sshd:false hosts', async () => {
  const f = await createFleet({ hosts: [{}, { sshd: false }], srvSizeMiB: 4 })
  try {
    const [h1, h2] = f.hosts as [FleetHost, FleetHost]
    assert.equal(h2.sshdPid, undefined)
    assert.doesNotMatch(f.knownHosts, /198\.18\.0\.12/)
    const full = await ssh(f, h1, 'df -k /srv | tail -1; head -c 6000000 /dev/zero > /srv/big; echo rc=$?')
    assert.match(full.stdout, /^mf\S+-host1-srv\s+4096\s/)
    assert.match(full.stdout, /rc=1/)
    assert.match(full.stderr, /No space left on device/)
    assert.equal(fs.statSync(path.join(h1.srvDir, 'big')).size, 4 * 1024 * 1024)
    const e = await f.execOnHost(h2, 'echo ok > /srv/y; df -k /srv | tail -1')
    assert.equal(e.code, 0, e.stderr)
    assert.equal(fs.readFileSync(path.join(h2.srvDir, 'y'), 'utf8'), 'ok\n')
    const refused = await f.execInRunner(`ssh ${f.sshArgs(h2).join(' ')} true`, 10_000)
    assert.match(refused.stderr, /Connection refused/)
  } finally {
    await f.teardown()
  }
  assertGone(f)
  assert.equal(fs.readFileSync('/proc/self/mountinfo', 'utf8').includes(f.workdir), false, 'tmpfs unmounted')
})

interface CliFleet {
  id: string
  ownerPid: number
  workdir: string
  runnerNetns: string
  hosts: FleetHost[]
}

/** start the CLI in a child process and wait for its JSON */
function cliUp(args: string[]): Promise<{ child: ReturnType<typeof spawn>; info: CliFleet }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'cli.ts'), 'up', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`cli up timed out: ${err}`))
    }, 20_000)
    child.stderr!.on('data', (b) => {
      err += b
    })
    child.stdout!.on('data', (b) => {
      out += b
      try {
        const info = JSON.parse(out)
        clearTimeout(timer)
        resolve({ child, info })
      } catch {
        // partial
      }
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`cli exited ${code}: ${err}`))
    })
  })
}

test('CLI: SIGTERM tears down; a SIGKILLed owner is cleaned by cleanupStaleFleets', async () => {
  const a = await cliUp(['--hosts', '2', '--rate', '100mbit'])
  assert.ok(netnsNames().includes(a.info.runnerNetns))
  assert.equal(a.child.pid, a.info.ownerPid)
  a.child.removeAllListeners('exit')
  const exited = new Promise((r) => a.child.on('exit', r))
  a.child.kill('SIGTERM')
  await exited
  assertGone(a.info)

  const b = await cliUp(['--hosts', '2'])
  b.child.removeAllListeners('exit')
  const exitedB = new Promise((r) => b.child.on('exit', r))
  b.child.kill('SIGKILL') // no handler runs: the fleet is left behind
  await exitedB
  // (a createFleet running concurrently in another test process may already have cleaned it up)
  const sshdLeft = netnsPids([b.info.hosts[0]!.netns]).get(b.info.hosts[0]!.netns)
  if (sshdLeft && fs.existsSync(path.join(STATE_DIR, `${b.info.id}.json`))) {
    assert.ok(netnsNames().includes(b.info.runnerNetns), 'fleet survives its killed owner')
  }
  await cleanupStaleFleets()
  assertGone(b.info)
})

test('zones: a bridge per zone joined by a shaped trunk; what crosses it is counted; teardown removes it all', async () => {
  const f = await createFleet({
    hosts: 4,
    link: { rate: '1gbit' },
    zones: [
      { name: 'dc1', hosts: 2 },
      { name: 'dc2', hosts: 2 },
    ],
    trunk: { rate: '8mbit' },
  })
  try {
    assert.deepEqual(f.zones, ['dc1', 'dc2'])
    assert.deepEqual(f.hosts.map((h) => h.zone), ['dc1', 'dc1', 'dc2', 'dc2'])
    const [near, near2, far, far2] = f.hosts as [FleetHost, FleetHost, FleetHost, FleetHost]
    // the second zone's bridge has a namespace of its own, with no address and no route
    const zoneBridge = netnsNames().filter((n) => n === `mf${f.id}b2`)
    assert.equal(zoneBridge.length, 1, 'zone dc2 has its own bridge namespace')
    const routes = spawnSync('ip', ['-n', zoneBridge[0]!, '-4', 'route'], { encoding: 'utf8' })
    assert.equal(routes.stdout.trim(), '', 'a bridge namespace routes nothing')
    await assert.rejects(f.trunkBytes('dc1'), /no trunk joins zone "dc1"/)

    // runner -> a host across the trunk: at the trunk's rate, and counted going into the zone
    const before = await f.trunkBytes('dc2')
    const across = await sshThroughput(f, far, 2_000_000)
    assert.equal(across.got, 2_000_000)
    const afterAcross = await f.trunkBytes('dc2')
    const crossed = afterAcross.into - before.into
    assert.ok(crossed >= 2_000_000 && crossed < 2_300_000, `into dc2: ${crossed} bytes for 2 MB sent`)
    const ratio = across.bitsPerSec / 8e6
    assert.ok(ratio > 0.75 && ratio < 1.25, `across the 8mbit trunk: ${across.bitsPerSec} bit/s`)

    // runner -> a host in its own zone: fast, and nothing of it on the trunk
    const local = await sshThroughput(f, near, 2_000_000)
    assert.ok(local.bitsPerSec > 4 * across.bitsPerSec, `the runner's own zone is not behind the trunk: ${local.bitsPerSec} bit/s`)
    const afterLocal = await f.trunkBytes('dc2')
    assert.ok(afterLocal.into - afterAcross.into < 50_000, `into dc2 while sending within dc1: ${afterLocal.into - afterAcross.into} bytes`)

    // a host of dc2 sending to one of dc1 crosses the trunk the other way; within dc2 it does not
    const send = (from: FleetHost, to: FleetHost) =>
      f.execOnHost(from, `head -c 1000000 /dev/zero | ssh ${f.sshArgs(to).map(shq).join(' ')} 'cat > /dev/null'`, 30_000)
    const out0 = (await f.trunkBytes('dc2')).outOf
    const up = await send(far, near2)
    assert.equal(up.code, 0, up.stderr)
    const out1 = (await f.trunkBytes('dc2')).outOf
    assert.ok(out1 - out0 >= 1_000_000, `out of dc2: ${out1 - out0} bytes for 1 MB sent`)
    const inside = await send(far, far2)
    assert.equal(inside.code, 0, inside.stderr)
    const out2 = (await f.trunkBytes('dc2')).outOf
    assert.ok(out2 - out1 < 50_000, `out of dc2 while sending within dc2: ${out2 - out1} bytes`)
  } finally {
    await f.teardown()
  }
  assertGone(f)
  assert.deepEqual(netnsNames().filter((n) => n.includes(f.id)), [], 'the zone bridge namespace is gone too')
})

test('zones that do not add up to the hosts are refused before anything is made', async () => {
  await assert.rejects(createFleet({ hosts: 3, zones: [{ name: 'a', hosts: 1 }, { name: 'b', hosts: 1 }] }), /the zones hold 2 hosts, but the fleet has 3/)
  await assert.rejects(createFleet({ hosts: 2, zones: [{ name: 'a', hosts: 1 }, { name: 'a', hosts: 1 }] }), /bad or repeated zone name "a"/)
})
