import * as core from '@actions/core'

/** What the main step leaves for the post step, through the runner's state file. */
const WORKDIR = 'workdir'

export function rememberWorkdir(dir: string): void {
  core.saveState(WORKDIR, dir)
}

export function recalledWorkdir(): string {
  return core.getState(WORKDIR)
}
