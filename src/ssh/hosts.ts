/** One host of the fleet, as the user named it and as we connect to it. */
export interface HostTarget {
  /** The host exactly as given (trimmed): what reports and `failed-hosts` show. */
  label: string
  user: string
  host: string
  port: number
}

export interface HostDefaults {
  user: string
  port: number
}

/**
 * Parses `[user@]host[:port]` entries separated by newlines, commas or spaces. `#` starts a
 * comment (handy in hosts files). IPv6 addresses take brackets when a port is given: `[fd00::1]:22`.
 * Throws one Error listing every bad entry.
 */
export function parseHostList(text: string, defaults: HostDefaults): HostTarget[] {
  const entries = text
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .flatMap((line) => line.split(/[\s,]+/))
    .filter((entry) => entry !== '')
  const hosts: HostTarget[] = []
  const problems: string[] = []
  const seen = new Map<string, string>()
  for (const entry of entries) {
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
    } catch (error) {
      problems.push((error as Error).message)
    }
  }
  if (problems.length > 0) throw new Error(problems.join('; '))
  return hosts
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
