import * as fs from 'node:fs'
import * as os from 'node:os'

/** Where a process reads and sets its session's autogroup nice value (Linux with CONFIG_SCHED_AUTOGROUP). */
export const AUTOGROUP_FILE = '/proc/self/autogroup'

/**
 * Lowers the agent's share of its host's CPU to that of nice value `nice` (0-19), so the host's own
 * services come first. Two settings: on Linux kernels with autogroups (sched_autogroup_enabled, the
 * default of most distributions) the scheduler shares the CPU between sessions first and only then
 * between a session's processes by their nice values, and every SSH session is a session of its
 * own, so the process's nice value alone gives nothing to services in other sessions; the session's
 * autogroup takes the same value. Raising either needs no privilege. Returns what could not be set
 * (a kernel without autogroups has no such file: the nice value is then all there is), for a notice.
 */
export function yieldCpu(nice: number, autogroupFile = AUTOGROUP_FILE): string | undefined {
  if (nice === 0) return undefined
  const problems: string[] = []
  try {
    os.setPriority(nice)
  } catch (error) {
    problems.push(`nice ${nice}: ${(error as Error).message}`)
  }
  try {
    fs.writeFileSync(autogroupFile, String(nice))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`autogroup nice ${nice}: ${(error as Error).message}`)
  }
  return problems.length > 0 ? `could not lower the agent's CPU priority (${problems.join('; ')}); it runs as it is` : undefined
}
