import type { AgentErrorCode } from '../protocol/events.js'

/** A process with this pid exists (EPERM: it does, but is another user's). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The error code a filesystem error deserves: a full disk and a refused write say what to fix; the rest is `fallback`. */
export function codeFor(error: unknown, fallback: AgentErrorCode): AgentErrorCode {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'DISK_FULL'
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'NO_PERMISSION'
  return fallback
}
