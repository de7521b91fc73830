import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { hostsPerBatch, parseBatchSize } from '../../../src/inputs/batch-size.js'

describe('batch-size', () => {
  test('a count or a percentage', () => {
    assert.deepEqual(parseBatchSize('2'), { hosts: 2 })
    assert.deepEqual(parseBatchSize(' 25% '), { percent: 25 })
    assert.deepEqual(parseBatchSize('100%'), { percent: 100 })
  })
  test('a percentage is rounded up and a batch holds at least one host and at most all of them', () => {
    assert.equal(hostsPerBatch({ percent: 25 }, 10), 3, '25% of 10: 3 a batch, so 4 batches')
    assert.equal(hostsPerBatch({ percent: 25 }, 3), 1)
    assert.equal(hostsPerBatch({ percent: 1 }, 3), 1)
    assert.equal(hostsPerBatch({ percent: 100 }, 7), 7)
    assert.equal(hostsPerBatch({ hosts: 50 }, 7), 7)
    assert.equal(hostsPerBatch({ hosts: 2 }, 7), 2)
  })
})
