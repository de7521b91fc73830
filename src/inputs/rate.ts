/**
 * Parses a transfer rate as operators write it — `50MB/s`, `8Mbit/s`, `100mbit` (tc's spelling),
 * `400Mbps`, `20MiB/s`, or plain bytes per second — into bytes per second. Units with "bit" or
 * "bps" count bits; k, M, G are powers of 1000, Ki, Mi, Gi powers of 1024. Throws a message fit for
 * an input error. (No npm package parses both bit and byte rates; `bytes` reads sizes only.)
 */
export function parseRate(text: string): number {
  const hint = 'use a rate such as 50MB/s, 400Mbit/s or 100mbit'
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]i?)?(b|bit|bps|byte)?(?:\/s)?$/i.exec(text.trim())
  if (match === null) throw new Error(`"${text}" is not a rate; ${hint}`)
  const [, number, prefix = '', unit = 'B'] = match
  const scale = { '': 1, k: 1e3, m: 1e6, g: 1e9, ki: 1024, mi: 1024 ** 2, gi: 1024 ** 3 }[prefix.toLowerCase()]!
  // `b` alone: `MB` is bytes, `Mb` bits, as the SI convention has it; `bit` and `bps` are bits in any case.
  const bits = /^(bit|bps)$/i.test(unit) || unit === 'b'
  const bytesPerSecond = (Number(number) * scale) / (bits ? 8 : 1)
  if (!(bytesPerSecond >= 1)) throw new Error(`"${text}" is less than one byte per second; ${hint}`)
  return Math.round(bytesPerSecond)
}

/** A rate in bytes per second as the logs show it. */
export function formatRate(bytesPerSecond: number): string {
  return bytesPerSecond >= 1e6 ? `${(bytesPerSecond / 1e6).toFixed(1)} MB/s` : `${(bytesPerSecond / 1e3).toFixed(1)} kB/s`
}
