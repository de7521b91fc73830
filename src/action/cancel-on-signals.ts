/** How long stopping may take after the first signal before the process exits anyway. */
export const CANCEL_GRACE_MS = 6000

export interface Cancellation {
  signal: AbortSignal
  /** Removes the signal handlers (the deploy is over). */
  dispose(): void
}

/**
 * SIGINT / SIGTERM cancel the deploy: the first one aborts the returned signal, which stops every
 * agent and closes the swarm; if that has not finished in CANCEL_GRACE_MS the process exits with
 * status 1 anyway. The GitHub runner sends SIGINT, SIGTERM 7.5 s later and a kill 2.5 s after
 * that, so nothing of ours is ever killed mid-way by it. Shared by the action and the CLI; it
 * imports nothing of either.
 */
export function cancelOnSignals(report: { cancelling(signal: NodeJS.Signals): void; givingUp(): void }): Cancellation {
  const cancel = new AbortController()
  const onSignal = (signal: NodeJS.Signals): void => {
    if (cancel.signal.aborted) return
    report.cancelling(signal)
    cancel.abort()
    setTimeout(() => {
      report.givingUp()
      process.exit(1)
    }, CANCEL_GRACE_MS).unref()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return {
    signal: cancel.signal,
    dispose: () => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    },
  }
}
