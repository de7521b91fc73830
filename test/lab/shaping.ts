// Link shaping with tc: tbf for the rate on both ends of a veth; delay and loss by netem when the kernel
// has it, otherwise by netdelay.c in the bridge namespace (netdelay.ts). See README.md, "Links".
import { must, run } from './exec.js'
import type { Leaf } from './layout.js'
import type { DelayBackend, LinkShape } from './types.js'

/** An Ethernet frame at MTU 1500, headers included: the unit of tbf's burst and queue. */
const MTU_FRAME = 1514

/** tc rate string -> bit/s (tc semantics: kbit = 1000 bit/s, kbps = 1000 bytes/s, kibit = 1024). */
export function parseRate(rate: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?)(bit|bps)?\s*$/i.exec(rate)
  if (!match) throw new Error(`[fleet] bad rate ${JSON.stringify(rate)}`)
  const prefix = match[2]!.toLowerCase()
  const base = prefix.endsWith('i') ? 1024 : 1000
  const exponent = { '': 0, k: 1, m: 2, g: 3, t: 4 }[prefix.replace('i', '') as '' | 'k' | 'm' | 'g' | 't']
  const bitsPerUnit = (match[3] ?? 'bit').toLowerCase() === 'bps' ? 8 : 1
  const bitsPerSec = Number(match[1]) * base ** exponent * bitsPerUnit
  if (!(bitsPerSec >= 8)) throw new Error(`[fleet] rate too small: ${rate}`)
  return bitsPerSec
}

/** '50ms' | '1s' | '200us' | '0' -> microseconds */
export function parseDelay(delay: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(us|usec|ms|msec|s|sec)?\s*$/i.exec(delay)
  if (!match) throw new Error(`[fleet] bad delay ${JSON.stringify(delay)}`)
  const microsPerUnit = { us: 1, usec: 1, ms: 1000, msec: 1000, s: 1e6, sec: 1e6 }[(match[2] ?? 'ms').toLowerCase() as 'us']
  return Math.round(Number(match[1]) * microsPerUnit)
}

/** '5%' | '0.05' -> parts per million */
export function parseLoss(loss: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(%)?\s*$/.exec(loss)
  if (!match) throw new Error(`[fleet] bad loss ${JSON.stringify(loss)}`)
  const fraction = match[2] ? Number(match[1]) / 100 : Number(match[1])
  if (fraction < 0 || fraction > 1) throw new Error(`[fleet] loss out of range: ${loss}`)
  return Math.round(fraction * 1e6)
}

/** Throws on a shape tc would refuse, before anything is created or changed. */
export function validateShape(shape: LinkShape | undefined): void {
  if (shape?.rate) parseRate(shape.rate)
  if (shape?.delay) parseDelay(shape.delay)
  if (shape?.loss) parseLoss(shape.loss)
}

export const hasDelayOrLoss = (shape: LinkShape) => !!(shape.delay || shape.loss)

/**
 * tbf parameters. burst: at least two full frames, and 2 ms worth of tokens so that high rates
 * are not limited by timer granularity; queue: 100 ms worth, at least 32 frames.
 */
export function tbfParams(bitsPerSec: number): { burst: number; limit: number } {
  const bytesPerSec = bitsPerSec / 8
  const burst = Math.max(2 * MTU_FRAME + 100, Math.ceil(bytesPerSec * 0.002))
  const queueSec = Number(process.env.MURDER_FLEET_TBF_QUEUE_MS ?? 100) / 1000
  const limit = Math.max(32 * MTU_FRAME, Math.ceil(bytesPerSec * queueSec)) + burst
  return { burst, limit }
}

/** `tc -batch` lines that give `dev` the shape; `replace` first deletes the old root (run those with tc -force). */
export function tcCommands(dev: string, shape: LinkShape, netem: boolean, replace = false): string[] {
  const commands = replace ? [`qdisc del dev ${dev} root`] : []
  const rate = shape.rate ? parseRate(shape.rate) : undefined
  const delayUs = shape.delay ? parseDelay(shape.delay) : 0
  const lossPpm = shape.loss ? parseLoss(shape.loss) : 0
  const wantNetem = netem && (delayUs > 0 || lossPpm > 0)
  let netemArgs = ''
  if (wantNetem) {
    // limit in packets: enough for 2 x (delay x rate) so netem itself never drops at line rate
    const packetsPerSec = (rate ?? 10e9) / 8 / MTU_FRAME
    const limit = Math.max(1000, Math.ceil(2 * packetsPerSec * (delayUs / 1e6)))
    netemArgs =
      `netem limit ${limit}` + (delayUs ? ` delay ${delayUs}us` : '') + (lossPpm ? ` loss ${(lossPpm / 1e4).toFixed(4)}%` : '')
  }
  if (rate) {
    const { burst, limit } = tbfParams(rate)
    commands.push(`qdisc add dev ${dev} root handle 1: tbf rate ${Math.round(rate)}bit burst ${burst} limit ${limit}`)
    if (wantNetem) commands.push(`qdisc add dev ${dev} parent 1:1 handle 10: ${netemArgs}`)
  } else if (wantNetem) {
    commands.push(`qdisc add dev ${dev} root handle 1: ${netemArgs}`)
  }
  return commands
}

let netemSupported: boolean | undefined

/**
 * The delay backend: netem if a netem qdisc can be added (tried once per process, on lo of `netns`),
 * else nfqueue. MURDER_FLEET_DELAY_BACKEND=netem|nfqueue forces one.
 */
export async function chooseDelayBackend(netns: string): Promise<DelayBackend> {
  return (await probeNetem(netns)) ? 'netem' : 'nfqueue'
}

async function probeNetem(netns: string): Promise<boolean> {
  if (process.env.MURDER_FLEET_DELAY_BACKEND === 'nfqueue') return false
  if (process.env.MURDER_FLEET_DELAY_BACKEND === 'netem') return true
  if (netemSupported !== undefined) return netemSupported
  const probe = await run('tc', ['-n', netns, 'qdisc', 'add', 'dev', 'lo', 'root', 'handle', '1:', 'netem', 'delay', '1ms'])
  if (probe.code === 0) await run('tc', ['-n', netns, 'qdisc', 'del', 'dev', 'lo', 'root'])
  netemSupported = probe.code === 0
  return netemSupported
}

/** Gives a live link a new shape on both veth ends; the nfqueue delay itself is netdelay's (netdelay.ts). */
export async function reshapeLink(leaf: Leaf, netem: boolean): Promise<void> {
  const bridgeSide = tcCommands(leaf.bridgePort, leaf.shape, netem, true)
  const leafSide = tcCommands('eth0', leaf.shape, netem, true)
  await Promise.all([
    run('tc', ['-n', leaf.bridgeNetns, '-force', '-batch', '-'], { input: bridgeSide.join('\n') + '\n' }),
    run('tc', ['-n', leaf.netns, '-force', '-batch', '-'], { input: leafSide.join('\n') + '\n' }),
  ])
  await verifyQdiscs([leaf], netem)
}

/** tc -force hides the expected "nothing to delete" errors; check the wanted root qdiscs exist. */
export async function verifyQdiscs(leaves: Leaf[], netem: boolean): Promise<void> {
  const wantedRoot = (shape: LinkShape) => (shape.rate ? 'tbf' : netem && (shape.delay || shape.loss) ? 'netem' : undefined)
  const bridgeQdiscs = new Map<string, string>()
  for (const leaf of leaves) {
    const root = wantedRoot(leaf.shape)
    if (!root) continue
    if (!bridgeQdiscs.has(leaf.bridgeNetns)) bridgeQdiscs.set(leaf.bridgeNetns, await must('tc', ['-n', leaf.bridgeNetns, 'qdisc', 'show']))
    const shown = bridgeQdiscs.get(leaf.bridgeNetns)!
    if (!new RegExp(`qdisc ${root} 1: dev ${leaf.bridgePort} root`).test(shown)) {
      throw new Error(`[fleet] ${root} missing on ${leaf.bridgePort}:\n${shown}`)
    }
    const leafQdiscs = await must('tc', ['-n', leaf.netns, 'qdisc', 'show', 'dev', 'eth0'])
    if (!new RegExp(`qdisc ${root} 1: (dev eth0 )?root`).test(leafQdiscs)) {
      throw new Error(`[fleet] ${root} missing on ${leaf.netns}/eth0:\n${leafQdiscs}`)
    }
  }
}
