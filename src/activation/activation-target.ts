/**
 * The rollout's line to one host: what the batch runner (rollout.ts) asks of it. The real one runs
 * the agent's activation mode over SSH (ssh-activation-target.ts); unit tests use fakes.
 */
export interface ActivationTarget {
  /** The host as given in the inputs. */
  readonly label: string
  /** Switch <destination>/current to the release, run activate-command, wait for the health check. */
  activate(): Promise<ActivateOutcome>
  /** Put back the release the host had before this run's switch (null: there was none) and run activate-command for it. */
  restore(previousTag: string | null): Promise<StepOutcome>
  /** Remove releases beyond keep-releases (never the live one nor `previousTag`), and the objects only they used. */
  prune(previousTag: string | null): Promise<StepOutcome & { removed?: string[] }>
}

export interface ActivateOutcome {
  ok: boolean
  /**
   * Where the host's link is, as far as the controller knows:
   * 'no' — never switched; 'yes' — points to the new release; 'restored' — the host put its
   * previous release back itself (its own activation failed); 'unknown' — the connection was lost
   * after the switch (the agent puts the previous release back itself when its controller goes).
   */
  switched: 'no' | 'yes' | 'restored' | 'unknown'
  /** What current pointed to before the switch (null: nothing); undefined when the switch was never reported. */
  previousTag?: string | null
  /** Why it failed, for a person. */
  error?: string
  seconds: number
}

export interface StepOutcome {
  ok: boolean
  /** Why it failed, or what a person should know although it worked. */
  note?: string
}
