import type { Client } from 'ssh2'

/**
 * The one place that reaches into ssh2's internals (ssh2 1.x). ssh2 counts a host as silent until
 * it answers a keepalive ping, even while the host's channel data keeps arriving; behind a saturated
 * link the ping's answer can queue for long after the data proves the connection alive. `_resetKA`
 * is what ssh2 itself calls on a ping's answer. test/unit/ssh/ssh2-internals.test.ts fails when an
 * upgrade removes it.
 */
export function countAsKeepaliveAnswer(client: Client | undefined): void {
  ;(client as unknown as { _resetKA?: () => void } | undefined)?._resetKA?.()
}
