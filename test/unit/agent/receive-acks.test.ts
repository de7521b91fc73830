/** The agent's acks of the object bytes it took from stdin: often enough for the sender's window, few enough to cost nothing. */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { ReceiveAcks } from '../../../src/agent/receive-acks.js'

describe('ReceiveAcks', () => {
  test('acks at once each time ACK_BYTES more were taken', () => {
    const acks: number[] = []
    const receive = new ReceiveAcks((bytes) => acks.push(bytes), 1000, 60_000)
    for (let taken = 100; taken <= 3000; taken += 100) receive.taken(taken)
    receive.stop()
    assert.deepEqual(acks, [1000, 2000, 3000])
  })

  test('fewer bytes are acked after the delay, in one event', async () => {
    const acks: number[] = []
    const receive = new ReceiveAcks((bytes) => acks.push(bytes), 1 << 20, 30)
    receive.taken(10)
    receive.taken(20)
    receive.taken(30)
    assert.deepEqual(acks, [])
    await sleep(80)
    assert.deepEqual(acks, [30])
    await sleep(60)
    assert.deepEqual(acks, [30], 'nothing new taken: no event')
  })

  test('flush acks what was taken now; stop cancels the pending ack', async () => {
    const acks: number[] = []
    const receive = new ReceiveAcks((bytes) => acks.push(bytes), 1 << 20, 30)
    receive.taken(5)
    receive.flush()
    receive.flush()
    assert.deepEqual(acks, [5])
    receive.taken(9)
    receive.stop()
    await sleep(60)
    assert.deepEqual(acks, [5])
  })
})
