// Delay and loss on kernels without sch_netem: netdelay.c, built once with gcc, runs in the bridge namespace and
// iptables there hands it every bridged IPv4 packet (NFQUEUE). In the bridge, not in the hosts: an NFQUEUE on the
// sender's OUTPUT hook keeps skbs charged to the socket, and TCP Small Queues would cap throughput.
import { spawn, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { must, sleep, waitForLine } from './exec.js'
import { WORK_BASE, type Leaf } from './layout.js'
import { hasDelayOrLoss, parseDelay, parseLoss } from './shaping.js'

const SOURCE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'netdelay.c')

let building: Promise<string> | undefined

/** The netdelay binary, built into WORK_BASE/.bin under the source's hash, so an edit of netdelay.c rebuilds it. */
function netdelayBinary(): Promise<string> {
  building ??= (async () => {
    const hash = crypto.createHash('sha256').update(fs.readFileSync(SOURCE)).digest('hex').slice(0, 12)
    const dir = path.join(WORK_BASE, '.bin')
    const binary = path.join(dir, `netdelay-${hash}`)
    if (fs.existsSync(binary)) return binary
    fs.mkdirSync(dir, { recursive: true })
    const partial = `${binary}.${process.pid}.tmp`
    await must('gcc', ['-O2', '-o', partial, SOURCE], { timeoutMs: 60_000 }).catch((error: Error) => {
      throw new Error(`${error.message}\n[fleet] this kernel has no sch_netem; delay/loss need gcc to build test/lab/netdelay.c`)
    })
    fs.renameSync(partial, binary)
    return binary
  })()
  // a failed build is tried again by the next caller
  building.catch(() => {
    building = undefined
  })
  return building
}

/**
 * One fleet's netdelay: started on the first link with delay or loss, told of every change with SIGHUP
 * after its config file is rewritten; the iptables rule is there only while some link needs it.
 */
export class NetDelay {
  private running?: { pid: number; rulesOn: boolean }

  constructor(
    private readonly bridgeNetns: string,
    private readonly workdir: string,
    /** the fleet's record of its own processes, which teardown and hostPids rely on */
    private readonly onSpawn: (child: ChildProcess) => void,
  ) {}

  async update(leaves: Leaf[]): Promise<void> {
    const needed = leaves.some((leaf) => hasDelayOrLoss(leaf.shape))
    const config = path.join(this.workdir, 'net', 'netdelay.conf')
    // one line per leaf: address, delay (us), loss (ppm)
    const lines = leaves.map(({ address, shape }) => {
      return `${address} ${shape.delay ? parseDelay(shape.delay) : 0} ${shape.loss ? parseLoss(shape.loss) : 0}`
    })
    fs.writeFileSync(`${config}.tmp`, lines.join('\n') + '\n')
    fs.renameSync(`${config}.tmp`, config)
    if (!needed && !this.running) return
    if (!this.running) {
      const binary = await netdelayBinary()
      const log = fs.openSync(path.join(this.workdir, 'netdelay.log'), 'a')
      const child = spawn('ip', ['netns', 'exec', this.bridgeNetns, binary, '0', config], {
        stdio: ['ignore', 'pipe', log],
        detached: true,
        cwd: '/',
      })
      fs.closeSync(log)
      await waitForLine(child, 'ready', 5000, 'netdelay')
      this.running = { pid: child.pid!, rulesOn: false }
      this.onSpawn(child)
    } else {
      process.kill(this.running.pid, 'SIGHUP')
    }
    if (needed !== this.running.rulesOn) await this.switchRules(needed)
    if (!needed) return
    await sleep(20) // let SIGHUP be processed before traffic relies on it
  }

  private async switchRules(on: boolean): Promise<void> {
    const script = [
      on ? 'echo 1 > /proc/sys/net/bridge/bridge-nf-call-iptables' : ':',
      `iptables -w 5 ${on ? '-I' : '-D'} FORWARD -m physdev --physdev-is-bridged -j NFQUEUE --queue-num 0`,
      on ? ':' : 'echo 0 > /proc/sys/net/bridge/bridge-nf-call-iptables',
    ].join('\n')
    await must('ip', ['netns', 'exec', this.bridgeNetns, 'sh', '-ec', script]).catch((error: Error) => {
      const hint = '[fleet] this kernel has no sch_netem; delay/loss need iptables (apt-get install iptables)'
      throw new Error(`${error.message}\n${hint}`)
    })
    this.running!.rulesOn = on
  }
}
