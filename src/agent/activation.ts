/**
 * The agent's activation mode: one ActivationJob, one operation on this host — make a release live
 * (switch the current link, run activate-command, wait for the health check), put the previous one
 * back, or prune old releases. Chosen over shell commands sent from the runner because every value
 * (paths, tags, the user's commands) then travels as JSON on stdin and never through a second
 * shell's parsing, a hanging command can be killed with its whole process group, and the same rules
 * as a deploy hold: the agent's life is tied to its stdin and to the controller's heartbeats.
 *
 * If the controller goes (stdin closes, heartbeats stop, the hard cap passes) while a release is
 * being made live, the agent kills what it runs and — unless rollback is off — puts the previous
 * release back itself: the controller counts the host as failed, so it must not be left half-switched.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { decodeActivationJob, type ActivationEvent, type ActivationJob, type AgentErrorCode } from '../protocol/events.js'
import { HostCommands } from './host-command.js'
import { LiveLink } from './live-link.js'
import { pruneReleases } from './prune.js'
import { ReleaseLayout } from './release-layout.js'
import { linkSharedPaths } from './shared-links.js'

export interface ActivationIO {
  emit(event: ActivationEvent): void
  exit(code: number): void
}

/** Pause between two attempts of the health check. */
const HEALTH_RETRY_PAUSE_MS = 1000

export class Activation {
  private readonly startedAt = Date.now()
  private readonly commands = new HostCommands()
  private job?: ActivationJob
  private lastHeard = Date.now()
  /** Set once current points to the job's tag; what it pointed to before. */
  private switchedFrom?: string | null
  /** The outcome was reported: nothing is left to undo. */
  private reported = false
  private controllerGone = false
  private exiting = false
  private running: Promise<void> = Promise.resolve()

  constructor(
    private readonly io: ActivationIO,
    private readonly pid = process.pid,
  ) {}

  start(jobLine: string): void {
    let job: ActivationJob
    try {
      job = decodeActivationJob(jobLine)
    } catch (error) {
      return this.finish(1, { type: 'error', code: 'BAD_JOB', message: (error as Error).message })
    }
    this.job = job
    this.lastHeard = Date.now()
    setInterval(() => {
      if (Date.now() - this.lastHeard >= job.heartbeatTimeoutMs) this.stop(`no word from the controller for ${job.heartbeatTimeoutMs / 1000} s`)
    }, 1000).unref()
    setTimeout(() => this.stop(`the agent's own limit of ${job.hardCapSeconds} s passed`), job.hardCapSeconds * 1000).unref()
    this.running = this.run(job).catch((error: unknown) => this.fail('INTERNAL', (error as Error)?.stack ?? String(error)))
  }

  controllerAlive(): void {
    this.lastHeard = Date.now()
  }

  /** The controller is gone (or we must stop): kill what runs, undo a switch not yet reported, exit. */
  stop(why: string): void {
    if (this.controllerGone || this.exiting) return
    this.controllerGone = true
    this.commands.killAll()
    void (async () => {
      await this.running
      if (this.reported || this.exiting) return
      const job = this.job
      let note = ''
      if (job !== undefined && job.mode === 'activate' && this.switchedFrom !== undefined && job.restoreOnFailure) {
        note = await this.restore(job, this.switchedFrom, job.tag).then(
          (restored) => `; put back ${restored.tag ?? 'no release (there was none)'}${restored.note ? ` (${restored.note})` : ''}`,
          (error: Error) => `; could not put the previous release back: ${error.message}`,
        )
      }
      this.finish(1, { type: 'error', code: 'CONTROLLER_LOST', message: `${why}${note}` })
    })()
  }

  private async run(job: ActivationJob): Promise<void> {
    if (job.mode === 'activate') return this.activate(job)
    if (job.mode === 'restore') {
      try {
        const restored = await this.restore(job, job.restoreTo ?? null, job.tag)
        return this.finish(0, { type: 'restored', ...restored })
      } catch (error) {
        return this.fail('RESTORE_FAILED', (error as Error).message)
      }
    }
    try {
      const live = new LiveLink(job.destination, this.pid).read()
      const always = [job.tag, ...(live !== null ? [live] : []), ...(job.restoreTo ? [job.restoreTo] : [])]
      return this.finish(0, { type: 'pruned', ...pruneReleases(job.destination, [...new Set(always)], job.keepReleases, this.pid) })
    } catch (error) {
      return this.fail('INTERNAL', `pruning old releases in ${job.destination}: ${(error as Error).message}`)
    }
  }

  private async activate(job: ActivationJob): Promise<void> {
    const layout = new ReleaseLayout(job.destination, job.tag, this.pid)
    const marker = layout.readMarker()
    if (!fs.existsSync(layout.finalDir) || marker === undefined) {
      return this.fail('NOT_PRESENT', `${layout.finalDir} is not a release deployed here, so it cannot be made live`)
    }
    const link = new LiveLink(job.destination, this.pid)
    let previous: string | null
    try {
      previous = link.read()
      linkSharedPaths(layout, job.sharedPaths)
      link.pointTo(job.tag)
    } catch (error) {
      return this.fail('SWITCH_FAILED', (error as Error).message)
    }
    this.switchedFrom = previous
    this.io.emit({ type: 'switched', previousTag: previous })
    try {
      layout.writeMarker({ ...layout.readMarker()!, activatedAt: new Date().toISOString() })
    } catch {
      // Only the order in which pruning keeps releases depends on it.
    }
    const env = commandEnvironment(job.destination, job.tag, previous)
    if (job.activateCommand !== undefined) {
      const result = await this.commands.run(job.activateCommand, { env, cwd: layout.finalDir, timeoutMs: job.commandTimeoutMs, reap: false })
      if (this.controllerGone) return
      if (!result.ok) return this.failSwitched(job, 'COMMAND_FAILED', `activate-command failed (${result.why})`)
    }
    let attempts = 0
    if (job.healthCheck !== undefined) {
      const deadline = Date.now() + job.healthTimeoutMs
      let last = ''
      for (;;) {
        attempts++
        const timeoutMs = Math.max(1, Math.min(job.healthAttemptMs, deadline - Date.now()))
        const result = await this.commands.run(job.healthCheck, { env, cwd: layout.finalDir, timeoutMs, reap: true })
        if (this.controllerGone) return
        if (result.ok) break
        last = result.why
        if (Date.now() + HEALTH_RETRY_PAUSE_MS >= deadline) {
          return this.failSwitched(
            job,
            'HEALTH_FAILED',
            `the health check did not pass within ${job.healthTimeoutMs / 1000} s (${attempts} attempt${attempts === 1 ? '' : 's'}; the last: ${last})`,
          )
        }
        await sleep(HEALTH_RETRY_PAUSE_MS)
        if (this.controllerGone) return
      }
    }
    this.finish(0, { type: 'activated', previousTag: previous, healthAttempts: attempts, seconds: (Date.now() - this.startedAt) / 1000 })
  }

  /** This host's own activation failed after its switch: put the previous release back (unless rollback is off), then report. */
  private async failSwitched(job: ActivationJob, code: AgentErrorCode, message: string): Promise<void> {
    let note = ''
    if (job.restoreOnFailure) {
      try {
        const restored = await this.restore(job, this.switchedFrom ?? null, job.tag)
        this.io.emit({ type: 'restored', ...restored })
        note = `; back on ${restored.tag ?? 'no release (there was none before)'}`
      } catch (error) {
        note = `; could not put the previous release back: ${(error as Error).message}`
      }
    }
    this.fail(code, message + note)
  }

  /**
   * Points current back to `previous` (null: removes it, there was no live release before) and runs
   * activate-command again for it. Only when current still points to `leaving`: if something else
   * made another release live meanwhile, that is left alone.
   */
  private async restore(job: ActivationJob, previous: string | null, leaving: string): Promise<{ tag: string | null; note?: string }> {
    const link = new LiveLink(job.destination, this.pid)
    const current = link.read()
    if (current !== leaving) return { tag: current, note: `current pointed to ${current ?? 'nothing'}, not ${leaving}: left as it was` }
    if (previous === null) {
      link.remove()
      return { tag: null }
    }
    if (!fs.existsSync(path.join(job.destination, previous))) throw new Error(`${path.join(job.destination, previous)} is gone`)
    link.pointTo(previous)
    if (job.activateCommand === undefined) return { tag: previous }
    const result = await new HostCommands().run(job.activateCommand, {
      env: { ...commandEnvironment(job.destination, previous, leaving), MURDER_ROLLBACK: 'true' },
      cwd: path.join(job.destination, previous),
      timeoutMs: job.commandTimeoutMs,
      reap: false,
    })
    return result.ok ? { tag: previous } : { tag: previous, note: `activate-command failed on the way back (${result.why})` }
  }

  private fail(code: AgentErrorCode, message: string): void {
    this.finish(1, { type: 'error', code, message })
  }

  private finish(code: number, event: ActivationEvent): void {
    if (this.exiting) return
    this.exiting = true
    this.reported = true
    this.commands.killAll()
    this.io.emit(event)
    this.io.exit(code)
  }
}

/** What every user command sees (activate-command and the health check alike). */
function commandEnvironment(destination: string, tag: string, previous: string | null): NodeJS.ProcessEnv {
  return { ...process.env, MURDER_TAG: tag, MURDER_RELEASE_DIR: path.join(destination, tag), MURDER_PREVIOUS_TAG: previous ?? '' }
}
