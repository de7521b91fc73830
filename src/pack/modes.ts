import type { DescribedEntry } from '../content/tree-digest.js'

/**
 * Modes a build should not hand to every host: setuid/setgid (the files land owned by the deploy
 * user, often root — a compromised build step would put a setuid-root binary on the whole fleet) and
 * write for others (any local user could change the release). Cut at pack time, not by the agent:
 * the content id is then the digest of what lands, so a host that holds the release still says
 * "same" on a re-run; the warning is given once, on the runner, where the person reads the log;
 * and no host depends on its agent to do it.
 */
const SPECIAL = 0o6000 | 0o002

export interface StrippedMode {
  path: string
  from: number
  to: number
}

/** The entries with their modes cut (links have none), and which entries changed. */
export function stripSpecialModes(entries: DescribedEntry[]): { entries: DescribedEntry[]; stripped: StrippedMode[] } {
  const stripped: StrippedMode[] = []
  const result = entries.map((entry) => {
    const from = entry.stat.mode & 0o7777
    if (entry.stat.isSymbolicLink() || (from & SPECIAL) === 0) return entry
    const to = from & ~SPECIAL
    stripped.push({ path: entry.relative, from, to })
    // A copy of the Stats with the new mode: the walk's own stays as the disk has it.
    const stat = Object.assign(Object.create(Object.getPrototypeOf(entry.stat) as object) as typeof entry.stat, entry.stat, { mode: (entry.stat.mode & ~0o7777) | to })
    return { ...entry, stat }
  })
  return { entries: result, stripped }
}

const NAMED = 5

/** The warning: the first few entries by name, a count of the rest, and how to keep the modes. */
export function describeStrippedModes(stripped: StrippedMode[]): string {
  const named = stripped.slice(0, NAMED).map((entry) => `${entry.path} (${entry.from.toString(8)} → ${entry.to.toString(8)})`)
  const rest = stripped.length - named.length
  return (
    `${stripped.length} entries had setuid, setgid or write-for-others bits; they were removed: ${named.join(', ')}` +
    (rest > 0 ? ` and ${rest} more` : '') +
    '. Set preserve-special-modes: true if the release needs them.'
  )
}
