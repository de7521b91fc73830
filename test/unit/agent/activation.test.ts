/** The agent's activation mode on a real directory: the link, shared paths, commands, health checks, rollback, pruning. */
import { after, beforeEach, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { Activation } from '../../../src/agent/activation.js'
import { releasesToRemove } from '../../../src/agent/prune.js'
import { ReleaseLayout } from '../../../src/agent/release-layout.js'
import { ObjectStore } from '../../../src/agent/object-store.js'
import { treeDigest } from '../../../src/content/tree-digest.js'
import { PROTOCOL_VERSION, type ActivationEvent, type ActivationJob } from '../../../src/protocol/events.js'
import { removeTemporaryDirs, temporaryDir } from '../helpers.js'

after(removeTemporaryDirs)

let destination: string

/** A release as a deploy leaves it: <destination>/<tag>/ and its marker, with one object in the store. */
async function deployed(tag: string, at: string): Promise<string> {
  const dir = path.join(destination, tag)
  fs.mkdirSync(path.join(dir, 'bin'), { recursive: true })
  fs.writeFileSync(path.join(dir, 'bin/version'), `${tag}\n`)
  const object = `${tag.replace(/\W/g, '').padEnd(32, '0').slice(0, 32)}`
  fs.mkdirSync(path.join(destination, '.murder/objects'), { recursive: true })
  fs.writeFileSync(path.join(destination, '.murder/objects', object), tag)
  new ReleaseLayout(destination, tag).writeMarker({ contentId: await treeDigest(dir), tag, at, objects: [object] })
  return object
}

function job(mode: ActivationJob['mode'], tag: string, more: Partial<ActivationJob> = {}): ActivationJob {
  return {
    v: PROTOCOL_VERSION,
    mode,
    destination,
    tag,
    sharedPaths: [],
    healthTimeoutMs: 3000,
    healthAttemptMs: 3000,
    commandTimeoutMs: 5000,
    restoreOnFailure: true,
    keepReleases: 5,
    hardCapSeconds: 60,
    heartbeatTimeoutMs: 30_000,
    ...more,
  }
}

/** Runs one job to its end; the events it emitted and its exit code. */
function run(activationJob: ActivationJob): Promise<{ events: ActivationEvent[]; code: number }> {
  return new Promise((resolve) => {
    const events: ActivationEvent[] = []
    const activation = new Activation({ emit: (event) => events.push(event), exit: (code) => resolve({ events, code }) })
    activation.start(JSON.stringify(activationJob))
  })
}

const live = (): string | null => (fs.existsSync(path.join(destination, 'current')) ? path.basename(fs.readlinkSync(path.join(destination, 'current'))) : null)
const last = (events: ActivationEvent[]): ActivationEvent => events[events.length - 1]!

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

beforeEach(async () => {
  destination = path.join(temporaryDir('murder-unit-activation-'), 'releases')
  fs.mkdirSync(destination)
  await deployed('v1', '2026-01-01T00:00:00Z')
  await deployed('v2', '2026-01-02T00:00:00Z')
})

describe('activate', () => {
  test('switches current to the release, runs the command in it with the MURDER_ variables, then the health check', async () => {
    const log = path.join(destination, '..', 'log')
    const first = await run(job('activate', 'v1', { activateCommand: `echo "$MURDER_TAG|$MURDER_RELEASE_DIR|$MURDER_PREVIOUS_TAG|$(pwd)" >> ${log}` }))
    assert.deepEqual(last(first.events), { ...last(first.events), type: 'activated', previousTag: null })
    assert.equal(first.code, 0)
    const second = await run(job('activate', 'v2', { activateCommand: `echo "$MURDER_TAG|$MURDER_RELEASE_DIR|$MURDER_PREVIOUS_TAG|$(pwd)" >> ${log}`, healthCheck: `test -x ${log} || test "$(cat bin/version)" = v2` }))
    assert.equal(last(second.events).type, 'activated', JSON.stringify(second.events))
    assert.equal(live(), 'v2')
    assert.equal(fs.readlinkSync(path.join(destination, 'current')), path.join(destination, 'v2'), 'an absolute link to the release')
    assert.deepEqual(fs.readFileSync(log, 'utf8').trim().split('\n'), [`v1|${destination}/v1||${destination}/v1`, `v2|${destination}/v2|v1|${destination}/v2`])
    assert.deepEqual(fs.readdirSync(path.join(destination, '.murder')).filter((name) => name.includes('tmp')), [], 'no temporary link left')
  })

  test('a health check that keeps failing: HEALTH_FAILED after health-timeout, the previous release put back and its command run again', async () => {
    await run(job('activate', 'v1'))
    const log = path.join(destination, '..', 'log')
    const result = await run(job('activate', 'v2', { activateCommand: `echo "$MURDER_TAG rollback=$MURDER_ROLLBACK" >> ${log}`, healthCheck: 'echo not yet; exit 1', healthTimeoutMs: 2500 }))
    assert.equal(result.code, 1)
    const error = last(result.events)
    assert.equal(error.type, 'error')
    assert.match((error as { message: string }).message, /HEALTH|did not pass within 2\.5 s \(\d attempts; the last: exit 1: not yet\); back on v1/)
    assert.equal((error as { code: string }).code, 'HEALTH_FAILED')
    assert.ok(result.events.some((event) => event.type === 'restored' && event.tag === 'v1'))
    assert.equal(live(), 'v1')
    assert.deepEqual(fs.readFileSync(log, 'utf8').trim().split('\n'), ['v2 rollback=', 'v1 rollback=true'])
  })

  test('a hanging health check is killed at health-timeout, with what it started', async () => {
    const pidFile = path.join(destination, '..', 'pid')
    const result = await run(job('activate', 'v1', { healthCheck: `sleep 60 & echo $! > ${pidFile}; wait`, healthTimeoutMs: 1500, healthAttemptMs: 1500 }))
    assert.equal((last(result.events) as { code?: string }).code, 'HEALTH_FAILED')
    assert.match((last(result.events) as { message: string }).message, /killed after 1\.5 s/)
    const sleeper = Number(fs.readFileSync(pidFile, 'utf8'))
    for (let i = 0; i < 40 && isAlive(sleeper); i++) await new Promise((resolve) => setTimeout(resolve, 50))
    assert.equal(isAlive(sleeper), false, 'the check\'s child is gone too')
    assert.equal(live(), null, 'there was no release before: no link now')
  })

  test('a release that is not on the host is refused before anything changes', async () => {
    await run(job('activate', 'v1'))
    const result = await run(job('activate', 'v9'))
    assert.equal((last(result.events) as { code?: string }).code, 'NOT_PRESENT')
    assert.equal(live(), 'v1')
  })

  test('current as a real directory is never replaced', async () => {
    fs.mkdirSync(path.join(destination, 'current'))
    const result = await run(job('activate', 'v1'))
    assert.equal((last(result.events) as { code?: string }).code, 'SWITCH_FAILED')
    assert.ok(fs.statSync(path.join(destination, 'current')).isDirectory())
  })
})

describe('shared paths', () => {
  test('become links to <destination>/shared/<path>, and the release still counts as the one deployed', async () => {
    const contentId = new ReleaseLayout(destination, 'v2').readMarker()!.contentId
    fs.mkdirSync(path.join(destination, 'shared/config'), { recursive: true })
    fs.writeFileSync(path.join(destination, 'shared/config/app.yml'), 'secret: 1\n')
    const result = await run(job('activate', 'v2', { sharedPaths: ['config/app.yml', 'bin/cache', 'tmp/pids'], healthCheck: 'grep -q secret config/app.yml' }))
    assert.equal(last(result.events).type, 'activated', JSON.stringify(result.events))
    assert.equal(fs.readlinkSync(path.join(destination, 'v2/config/app.yml')), path.join(destination, 'shared/config/app.yml'))
    assert.equal(fs.readlinkSync(path.join(destination, 'v2/tmp/pids')), path.join(destination, 'shared/tmp/pids'))
    assert.ok(fs.statSync(path.join(destination, 'shared/tmp')).isDirectory(), 'the shared side is prepared up to the parent')
    assert.equal(await new ReleaseLayout(destination, 'v2').holds(contentId), 'same', 'the links are not an edit')
    // Activating again finds its own links in place.
    assert.equal(last((await run(job('activate', 'v2', { sharedPaths: ['config/app.yml', 'bin/cache', 'tmp/pids'] }))).events).type, 'activated')
    // A real edit is still noticed.
    fs.writeFileSync(path.join(destination, 'v2/bin/version'), 'edited\n')
    assert.equal(await new ReleaseLayout(destination, 'v2').holds(contentId), 'modified')
  })

  test('a release that holds a shared path itself is refused', async () => {
    const result = await run(job('activate', 'v2', { sharedPaths: ['bin/version'] }))
    assert.equal((last(result.events) as { code?: string }).code, 'SWITCH_FAILED')
    assert.match((last(result.events) as { message: string }).message, /bin\/version is in the release itself/)
    assert.equal(live(), null)
  })
})

describe('restore', () => {
  test('puts the previous release back only when current still points to the release being left', async () => {
    await run(job('activate', 'v2'))
    const restored = await run(job('restore', 'v2', { restoreTo: 'v1' }))
    assert.deepEqual(last(restored.events), { type: 'restored', tag: 'v1' })
    assert.equal(live(), 'v1')
    const again = await run(job('restore', 'v2', { restoreTo: 'v1' }))
    assert.match((last(again.events) as { note?: string }).note ?? '', /current pointed to v1, not v2: left as it was/)
    assert.equal(live(), 'v1')
  })
})

describe('prune', () => {
  test('keeps keep-releases, never the live one nor the one it replaced, and the store keeps only their objects', async () => {
    const v3 = await deployed('v3', '2026-01-03T00:00:00Z')
    const v4 = await deployed('v4', '2026-01-04T00:00:00Z')
    fs.mkdirSync(path.join(destination, 'shared'))
    await run(job('activate', 'v1'))
    const result = await run(job('prune', 'v1', { restoreTo: 'v2', keepReleases: 2 }))
    assert.equal(last(result.events).type, 'pruned', JSON.stringify(result.events))
    assert.deepEqual((last(result.events) as { removed: string[] }).removed.sort(), ['v3', 'v4'])
    assert.deepEqual(fs.readdirSync(destination).sort(), ['.murder', 'current', 'shared', 'v1', 'v2'])
    const objects = fs.readdirSync(path.join(destination, '.murder/objects'))
    assert.ok(!objects.includes(v3) && !objects.includes(v4), 'their objects left the store')
    assert.equal(objects.length, 2)
    assert.ok(!fs.existsSync(path.join(destination, '.murder/v3.json')), 'and their markers')
    assert.equal(new ObjectStore(path.join(destination, '.murder/objects')).bytesOnDisk() > 0, true)
  })

  test('releasesToRemove: the most recently used stay', () => {
    const releases = [
      { tag: 'a', lastUsed: 1 },
      { tag: 'b', lastUsed: 2 },
      { tag: 'c', lastUsed: 3 },
      { tag: 'd', lastUsed: 4 },
    ]
    assert.deepEqual(releasesToRemove(releases, ['d', 'c'], 3), ['a'])
    assert.deepEqual(releasesToRemove(releases, ['a', 'b'], 1).sort(), ['c', 'd'], 'the live one and the one it replaced stay whatever keep says')
    assert.deepEqual(releasesToRemove(releases, ['a'], 10), [])
  })
})
