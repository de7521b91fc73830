import * as fs from 'node:fs'
import * as path from 'node:path'
import * as core from '@actions/core'
import { recalledWorkdir } from './state.js'

/**
 * The post step (runs after the job, `always()`): whatever the main step ended like — finished,
 * failed, cancelled or killed — remove what it wrote on the runner. The main step removes its work
 * directory itself; this catches the cases where it could not.
 */
export async function cleanup(): Promise<void> {
  const workdir = recalledWorkdir()
  if (workdir === '' || !path.basename(workdir).startsWith('murder-action-')) return
  if (fs.existsSync(workdir)) {
    fs.rmSync(workdir, { recursive: true, force: true })
    core.info(`Removed ${workdir}, left by the main step.`)
  }
}
