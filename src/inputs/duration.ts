import ms from 'ms'

/**
 * Parses a duration as operators write it: plain seconds (`600`), or a number with a unit
 * (`90s`, `10m`, `1.5h`). Returns milliseconds; throws a message fit for an input error.
 * The unit grammar is the `ms` package's; we only add "a bare number means seconds", because
 * a bare number meaning milliseconds would turn `deadline: 600` into 0.6 s.
 */
export function parseDuration(text: string): number {
  const value = text.trim()
  const hint = 'use seconds (600) or a number with a unit (90s, 10m, 1h)'
  if (value === '') throw new Error(`is empty; ${hint}`)
  let millis: number | undefined
  if (/^[+-]?\d+(\.\d+)?$/.test(value)) millis = Number(value) * 1000
  else if (/^\d/.test(value)) millis = ms(value as ms.StringValue) as number | undefined
  if (millis === undefined || !Number.isFinite(millis)) throw new Error(`"${value}" is not a duration; ${hint}`)
  if (millis <= 0) throw new Error(`"${value}" must be longer than zero; ${hint}`)
  return millis
}
