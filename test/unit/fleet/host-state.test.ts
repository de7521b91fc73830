import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { applyEvent, deadlineReason, isSettled, markFailed, newHostState } from '../../../src/fleet/host-state.js'
import { parseHostEntry } from '../../../src/ssh/hosts.js'
import { agentError, done, progress } from './fake-host-link.js'

const fresh = () => newHostState(parseHostEntry('root@web1', { user: 'root', port: 22 }))

describe('host state transitions', () => {
  test('progress updates the counts and says when the first bytes arrived, once', () => {
    const state = fresh()
    assert.equal(applyEvent(state, progress(0, 100), 1), undefined)
    assert.equal(applyEvent(state, progress(10, 100), 2), 'first-bytes')
    assert.equal(applyEvent(state, progress(20, 100), 3), undefined)
    assert.deepEqual([state.have, state.total, state.fromSeeder], [20, 100, 20])
    assert.equal(isSettled(state), false)
  })

  test('done settles the host with its seconds and counts; a second done changes nothing', () => {
    const state = fresh()
    applyEvent(state, progress(50, 100), 1)
    assert.equal(state.fromStore, 0)
    assert.equal(applyEvent(state, done(60, 25), 4.5), 'settled')
    assert.equal(state.phase, 'done')
    assert.equal(state.seconds, 4.5)
    assert.equal(state.have, 100)
    assert.equal(state.fromPeers, 60)
    assert.equal(state.fromStore, 25, 'what the host already held in its object store')
    assert.equal(applyEvent(state, done(0, 99), 9), undefined)
    assert.equal(state.seconds, 4.5)
    assert.equal(state.fromStore, 25)
  })

  test('an error fails a host that is not done, and is only "late" for one that is', () => {
    const failing = fresh()
    assert.equal(applyEvent(failing, agentError('DISK_FULL', 'no space'), 1), 'settled')
    assert.equal(failing.error, 'DISK_FULL: no space')
    const finished = fresh()
    applyEvent(finished, done(), 1)
    assert.equal(applyEvent(finished, agentError('VERIFY_FAILED', 'late'), 2), 'late-error')
    assert.equal(finished.phase, 'done')
    assert.equal(finished.error, undefined)
  })

  test('markFailed keeps the first reason and never undoes a done host', () => {
    const state = fresh()
    assert.equal(markFailed(state, 'first'), true)
    assert.equal(markFailed(state, 'second'), false)
    assert.equal(state.error, 'first')
    const finished = fresh()
    applyEvent(finished, done(), 1)
    assert.equal(markFailed(finished, 'deadline'), false)
    assert.equal(finished.phase, 'done')
  })

  test('need (transport ssh): the agent runs and its objects are about to stream; nothing settles', () => {
    const state = fresh()
    state.phase = 'connecting'
    assert.equal(applyEvent(state, { type: 'need', objects: ['a'.repeat(32)], bytes: 10 }, 1.5), undefined)
    assert.equal(state.phase, 'transferring')
    assert.equal(state.agentStartedSeconds, 1.5)
    assert.equal(applyEvent(state, { type: 'need', objects: [], bytes: 0 }, 4), undefined)
    assert.equal(state.agentStartedSeconds, 1.5, 'the first one counts')
  })

  test('exit records what the agent uploaded', () => {
    const state = fresh()
    applyEvent(state, { type: 'exit', uploaded: 1234 }, 1)
    assert.equal(state.uploaded, 1234)
  })

  test('the deadline reason says how far a host got', () => {
    const connecting = fresh()
    connecting.phase = 'connecting'
    assert.equal(deadlineReason(connecting, 30_000), 'missed the 30 s deadline (was still being connected)')
    const transferring = fresh()
    transferring.phase = 'transferring'
    applyEvent(transferring, progress(57, 100), 1)
    assert.equal(deadlineReason(transferring, 30_000), 'missed the 30 s deadline (had 57 % of the payload)')
  })
})
