import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { parseDuration } from '../../../src/inputs/duration.js'

const HINT = 'use seconds (600) or a number with a unit (90s, 10m, 1h)'

describe('parseDuration', () => {
  for (const [text, ms] of [
    ['600', 600_000],
    ['1', 1_000],
    ['1.5', 1_500],
    ['+5', 5_000],
    ['90s', 90_000],
    ['90 s', 90_000],
    ['10m', 600_000],
    ['10 minutes', 600_000],
    ['1h', 3_600_000],
    ['1.5h', 5_400_000],
    ['2d', 172_800_000],
    ['500ms', 500],
    ['1.5H', 5_400_000],
    ['  30s \n', 30_000],
  ] as const) {
    test(`${JSON.stringify(text)} → ${ms} ms`, () => {
      assert.equal(parseDuration(text), ms)
    })
  }

  test('a bare number is seconds, not milliseconds', () => {
    assert.equal(parseDuration('600'), parseDuration('10m'))
  })

  for (const text of ['0', '0s', '-1', '-0.5', '0.0']) {
    test(`${JSON.stringify(text)} must be longer than zero`, () => {
      assert.throws(() => parseDuration(text), { message: `"${text}" must be longer than zero; ${HINT}` })
    })
  }

  for (const text of ['abc', '10x', 'm10', '-5m', '1e3', 'Infinity', 'NaN', '10m30s', '1,5h', '.5h']) {
    test(`${JSON.stringify(text)} is not a duration`, () => {
      assert.throws(() => parseDuration(text), { message: `"${text}" is not a duration; ${HINT}` })
    })
  }

  test('empty or blank', () => {
    assert.throws(() => parseDuration(''), { message: `is empty; ${HINT}` })
    assert.throws(() => parseDuration('   '), { message: `is empty; ${HINT}` })
  })

  test('the message quotes the trimmed text', () => {
    assert.throws(() => parseDuration('  soon  '), { message: `"soon" is not a duration; ${HINT}` })
  })
})
