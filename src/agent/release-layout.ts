import * as fs from 'node:fs'
import * as path from 'node:path'
import { treeDigest } from '../content/tree-digest.js'

/**
 * The on-disk layout of releases on a host:
 *   <destination>/<tag>/                   the release, exactly the source tree (never written in place)
 *   <destination>/.murder/<tag>.json       what <tag> holds (its content digest), beside the release
 *   <destination>/.murder/incoming/<pid>/  one agent's work: its download, and <tag>/ being unpacked
 *                                          (renamed to <destination>/<tag> only when complete)
 *   <destination>/.murder/payloads/<tag>/  the verified payload <tag> came from, kept so that a
 *                                          later deploy of the same build can seed it (keep-payload)
 * Everything in progress is in the agent's own directory, so two agents deploying the same tag at
 * once (two workflow runs; one host listed under two names) never write into each other's files,
 * and what a killed agent left is recognisable by its pid.
 */
export class ReleaseLayout {
  readonly finalDir: string
  /** This agent's work directory: incoming/<pid>. */
  readonly workDir: string
  /** Where the release is unpacked before it is renamed into place. */
  readonly partialDir: string
  /** Where a release being replaced (overwrite) waits until the new one is in place. */
  readonly asideDir: string
  readonly stateDir: string
  readonly markerFile: string
  readonly incomingDir: string
  readonly payloadsDir: string
  readonly keptPayloadDir: string

  constructor(
    readonly destination: string,
    readonly tag: string,
    readonly pid: number = process.pid,
  ) {
    this.finalDir = path.join(destination, tag)
    this.stateDir = path.join(destination, '.murder')
    this.markerFile = path.join(this.stateDir, `${tag}.json`)
    this.incomingDir = path.join(this.stateDir, 'incoming')
    this.workDir = path.join(this.incomingDir, String(pid))
    this.partialDir = path.join(this.workDir, tag)
    this.asideDir = path.join(this.workDir, `${tag}.replaced`)
    this.payloadsDir = path.join(this.stateDir, 'payloads')
    this.keptPayloadDir = path.join(this.payloadsDir, tag)
  }

  /**
   * Clears what agents that died without cleaning up (SIGKILL, a reboot) left in incoming/. A
   * leftover download of the same payload is moved into ownDir instead, so the download resumes
   * (webtorrent verifies the pieces already there) rather than starting over. Directories of live
   * agents (another deploy in progress) are left alone.
   */
  sweepIncoming(ownDir: string, payloadName: string): void {
    for (const name of namesIn(this.incomingDir)) {
      const full = path.join(this.incomingDir, name)
      if (full === ownDir) continue
      if (/^\d+$/.test(name) && isAlive(Number(name))) continue
      const leftover = path.join(full, payloadName)
      const mine = path.join(ownDir, payloadName)
      try {
        if (fs.existsSync(leftover) && !fs.existsSync(mine)) fs.renameSync(leftover, mine)
      } catch {
        // not adoptable: removed below, the download starts over
      }
      fs.rmSync(full, { recursive: true, force: true })
    }
  }

  /** absent: no release; same: this exact content is in place; different: something else is. */
  inspect(contentId: string): 'absent' | 'same' | 'different' {
    if (!fs.existsSync(this.finalDir)) return 'absent'
    return this.readMarker()?.contentId === contentId ? 'same' : 'different'
  }

  readMarker(): ReleaseMarker | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.markerFile, 'utf8')) as ReleaseMarker
    } catch {
      return undefined
    }
  }

  writeMarker(marker: ReleaseMarker): void {
    fs.mkdirSync(this.stateDir, { recursive: true })
    writeFileAtomic(this.markerFile, JSON.stringify(marker) + '\n')
  }

  /**
   * Keeps the payload <tag> was unpacked from (moved, not copied: it is on the same disk) and
   * records it in the marker — only if the marker still says <tag> holds contentId, so a payload
   * never gets attached to a release it did not make.
   */
  keepPayload(file: string, payloadName: string, sha256: string, contentId: string): boolean {
    const marker = this.readMarker()
    if (marker?.contentId !== contentId) return false
    fs.rmSync(this.keptPayloadDir, { recursive: true, force: true })
    fs.mkdirSync(this.keptPayloadDir, { recursive: true, mode: 0o700 })
    fs.renameSync(file, path.join(this.keptPayloadDir, payloadName))
    this.writeMarker({ ...marker, payload: { name: payloadName, sha256 } })
    return true
  }

  /** The kept payload's path when it is the one this deploy's torrent describes (not yet re-hashed). */
  keptPayloadFor(payloadName: string, sha256: string): string | undefined {
    const payload = this.readMarker()?.payload
    if (payload?.name !== payloadName || payload.sha256 !== sha256) return undefined
    const file = path.join(this.keptPayloadDir, payloadName)
    return fs.existsSync(file) ? file : undefined
  }

  /** Removes kept payloads whose release is gone (an operator pruned old releases): a kept payload lives as long as its release. */
  sweepKeptPayloads(): void {
    for (const tag of namesIn(this.payloadsDir)) {
      if (fs.existsSync(path.join(this.destination, tag))) continue
      fs.rmSync(path.join(this.payloadsDir, tag), { recursive: true, force: true })
    }
  }

  /**
   * Like inspect, but 'same' only when the tree on disk still IS that content: the marker records
   * what was deployed, not what is there now, and a release edited in place after the deploy must
   * not count as already present (nor be silently kept). Costs one read of the release (hashing
   * runs at disk speed), far less than a download; only re-runs of the same tag pay it.
   */
  async holds(contentId: string): Promise<'absent' | 'same' | 'different' | 'modified'> {
    const marked = this.inspect(contentId)
    if (marked !== 'same') return marked
    try {
      return (await treeDigest(this.finalDir)) === contentId ? 'same' : 'modified'
    } catch {
      // e.g. a link now pointing outside the release: not what we deployed.
      return 'modified'
    }
  }
}

/** The names in a directory; none when it does not exist (or cannot be read). */
export function namesIn(dir: string): string[] {
  try {
    return fs.readdirSync(dir)
  } catch {
    return []
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** What <destination>/.murder/<tag>.json records about <tag>. */
export interface ReleaseMarker {
  contentId: string
  tag: string
  at: string
  /** The kept payload <tag> came from, in keptPayloadDir. */
  payload?: { name: string; sha256: string }
}

function writeFileAtomic(file: string, content: string): void {
  const temporary = `${file}.tmp-${process.pid}`
  fs.writeFileSync(temporary, content)
  fs.renameSync(temporary, file)
}
