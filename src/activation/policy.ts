/** The numbers activation derives rather than reads from its inputs, each with its reason. */

/**
 * activate-command has no input of its own for a limit; a reload or restart that takes longer than
 * this is hung, and a hung command must not hold the rollout (and its batch) forever.
 */
export const ACTIVATE_COMMAND_TIMEOUT_MS = 5 * 60_000

/**
 * One attempt of the health check is killed after a quarter of health-timeout (at least 5 s): a
 * check that hangs once (a connection to a port not yet listening) is tried again instead of
 * eating the whole timeout.
 */
export function healthAttemptMs(healthTimeoutMs: number): number {
  return Math.min(healthTimeoutMs, Math.max(5000, Math.ceil(healthTimeoutMs / 4)))
}

/** The agent's own hard cap for one activation: the command, the check, the command again on the way back, and a minute to spare. */
export function activationHardCapSeconds(healthTimeoutMs: number): number {
  return Math.ceil((2 * ACTIVATE_COMMAND_TIMEOUT_MS + healthTimeoutMs) / 1000) + 60
}
