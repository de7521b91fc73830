/** One host of the fleet, as the user named it and as we connect to it. */
export interface HostTarget {
  /** The host exactly as given (trimmed): what reports and `failed-hosts` show. */
  label: string
  user: string
  host: string
  port: number
  /** The zone its line names (`web1 zone=dc1`): whose seeder host it takes its pieces from (swarm/zones.ts). */
  zone?: string
}

export interface HostDefaults {
  user: string
  port: number
}

/**
 * Parses `[user@]host[:port]` entries separated by newlines, commas or spaces. `#` starts a
 * comment (handy in hosts files). IPv6 addresses take brackets when a port is given: `[fd00::1]:22`.
 * A `key=value` label after a host, on its line, applies to that host; `zone` is the one label
 * there is (`web1 zone=dc1`). Throws one Error listing every bad entry.
 */
export function parseHostList(text: string, defaults: HostDefaults): HostTarget[] {
  const hosts: HostTarget[] = []
  const problems: string[] = []
  const seen = new Map<string, string>()
  for (const line of text.split('\n')) {
    // A label belongs to the host before it on its own line, never to one on the line above.
    let previous: HostTarget | undefined
    let previousBad = false
    for (const entry of line.replace(/#.*$/, '').split(/[\s,]+/).filter((token) => token !== '')) {
      if (entry.includes('=')) {
        if (previousBad) continue // its host is already named as bad
        try {
          applyLabel(previous, entry)
        } catch (error) {
          problems.push((error as Error).message)
        }
        continue
      }
      previous = undefined
      previousBad = true
      try {
        const target = parseHostEntry(entry, defaults)
        const key = `${target.user}@${target.host.toLowerCase()}:${target.port}`
        const earlier = seen.get(key)
        if (earlier !== undefined) {
          problems.push(`"${entry}" is listed twice (also as "${earlier}")`)
          continue
        }
        seen.set(key, entry)
        hosts.push(target)
        previous = target
        previousBad = false
      } catch (error) {
        problems.push((error as Error).message)
      }
    }
  }
  if (problems.length > 0) throw new Error(problems.join('; '))
  return hosts
}

/** A zone name: what a label's value may be, so it reads the same in logs, the report and the summary. */
export const ZONE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/

function applyLabel(target: HostTarget | undefined, label: string): void {
  const at = label.indexOf('=')
  const [key, value] = [label.slice(0, at), label.slice(at + 1)]
  if (target === undefined) throw new Error(`"${label}" follows no host on its line; write it after the host it labels, e.g. "web1 ${label}"`)
  if (key !== 'zone') {
    throw new Error(`"${target.label} ${label}": unknown label "${key}"; the one label a host takes is zone (${target.label} zone=dc1)`)
  }
  if (!ZONE_NAME.test(value)) {
    throw new Error(`"${target.label} ${label}": "${value}" is not a zone name; use 1 to 63 letters, digits, ".", "_" or "-", starting with a letter or digit`)
  }
  if (target.zone !== undefined) throw new Error(`"${target.label}" is given two zones (${target.zone} and ${value}); a host is in one zone`)
  target.zone = value
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/
const IPV6 = /^[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?$/
/** A user name as OpenSSH and useradd accept it. */
export const USER_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/

export function parseHostEntry(entry: string, defaults: HostDefaults): HostTarget {
  let rest = entry
  let user = defaults.user
  const at = rest.lastIndexOf('@')
  if (at >= 0) {
    user = rest.slice(0, at)
    rest = rest.slice(at + 1)
    if (!USER_NAME.test(user)) throw new Error(`"${entry}": "${user}" is not a valid user name`)
  }
  let host: string
  let portText: string | undefined
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']')
    if (close < 0) throw new Error(`"${entry}": missing "]" after the IPv6 address`)
    host = rest.slice(1, close)
    const after = rest.slice(close + 1)
    if (after !== '') {
      if (!after.startsWith(':')) throw new Error(`"${entry}": expected ":port" after "]"`)
      portText = after.slice(1)
    }
    if (!IPV6.test(host) || !host.includes(':')) throw new Error(`"${entry}": "${host}" is not an IPv6 address`)
  } else {
    const colons = rest.split(':').length - 1
    if (colons > 1) {
      throw new Error(`"${entry}": write IPv6 addresses in brackets, like [${rest}] or [${rest}]:22`)
    }
    ;[host, portText] = rest.split(':') as [string, string | undefined]
    if (!HOSTNAME.test(host)) throw new Error(`"${entry}": "${host}" is not a valid host name or address`)
  }
  let port = defaults.port
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      throw new Error(`"${entry}": port "${portText}" is not between 1 and 65535`)
    }
    port = Number(portText)
  }
  if (user === '') {
    throw new Error(`"${entry}": no user; write user@${host} or set the ssh-user input`)
  }
  return { label: entry, user, host, port }
}
