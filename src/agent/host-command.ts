import { spawn } from 'node:child_process'

export interface CommandResult {
  ok: boolean
  /** For a person: "exit 3", "killed after 15 s", … and the last lines it printed. */
  why: string
}

/** What kills a running command (the controller went, the agent is stopping). */
export interface Killer {
  /** Kills every command still running. */
  killAll(): void
}

/**
 * Runs a user's command on the host through `sh -c`, bounded: it runs in a process group of its
 * own, and when its time is up (or killAll is called) the whole group gets SIGTERM, then SIGKILL
 * a second later. So a hanging health check, and whatever it started, leaves nothing behind.
 */
export class HostCommands implements Killer {
  private readonly running = new Set<number>()

  /**
   * `reap`: once the shell exits, kill what it left running in its group (a health check's
   * leftovers); off for activate-command, which may start a service on purpose.
   */
  run(command: string, options: { env: NodeJS.ProcessEnv; cwd: string; timeoutMs: number; reap: boolean }): Promise<CommandResult> {
    return new Promise((resolve) => {
      let tail = ''
      const keep = (chunk: Buffer): void => {
        tail = (tail + chunk.toString()).slice(-2000)
      }
      let timedOut = false
      const child = spawn('/bin/sh', ['-c', command], { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
      const pid = child.pid
      if (pid !== undefined) this.running.add(pid)
      child.stdout.on('data', keep)
      child.stderr.on('data', keep)
      const timer = setTimeout(() => {
        timedOut = true
        if (pid !== undefined) killGroup(pid)
      }, options.timeoutMs)
      let finished = false
      const finish = (result: CommandResult): void => {
        if (finished) return
        finished = true
        clearTimeout(timer)
        if (pid !== undefined) {
          this.running.delete(pid)
          if (options.reap || timedOut) signalGroup(pid, 'SIGKILL')
        }
        // A process the command left running may hold our pipes open: stop reading them.
        child.stdout.destroy()
        child.stderr.destroy()
        resolve(result)
      }
      child.on('error', (error) => finish({ ok: false, why: `could not start /bin/sh: ${error.message}` }))
      child.on('exit', (code, signal) => {
        const report = (): void => {
          const output = tail.trim().split('\n').slice(-3).join(' | ')
          // To a tenth of a second: an attempt cut short by the deadline was given 1499 ms, not 1.5 s.
          const what = timedOut ? `killed after ${Math.round(options.timeoutMs / 100) / 10} s` : signal !== null ? `killed by ${signal}` : `exit ${code}`
          finish({ ok: !timedOut && code === 0, why: output === '' ? what : `${what}: ${output}` })
        }
        // What it printed last may still be in the pipe: read until the pipes close, 200 ms at most.
        const grace = setTimeout(report, 200)
        child.once('close', () => {
          clearTimeout(grace)
          report()
        })
      })
    })
  }

  killAll(): void {
    for (const pid of this.running) killGroup(pid)
  }
}

function killGroup(pid: number): void {
  signalGroup(pid, 'SIGTERM')
  setTimeout(() => signalGroup(pid, 'SIGKILL'), 1000).unref()
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}
