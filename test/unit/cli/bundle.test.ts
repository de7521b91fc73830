/**
 * The CLI bundle (package.json bin) runs outside GitHub Actions: the actions toolkit is not in it.
 * esbuild names each bundled module in a `// node_modules/…` comment; the action's bundle has the
 * toolkit's, so the check can fail.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import * as fs from 'node:fs'

const read = (file: string): string => fs.readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8')
const pkg = JSON.parse(read('package.json')) as { bin?: Record<string, string> }

describe('the CLI bundle', () => {
  test('package.json names it as the murder-action command, and it starts with a node shebang', () => {
    assert.equal(pkg.bin?.['murder-action'], 'dist/cli/murder-action.mjs')
    assert.ok(read('dist/cli/murder-action.mjs').startsWith('#!/usr/bin/env node\n'))
    assert.ok((fs.statSync(new URL('../../../dist/cli/murder-action.mjs', import.meta.url)).mode & 0o111) !== 0, 'executable')
  })
  test('holds no module of @actions/*, which the action bundle does', () => {
    assert.match(read('dist/main/index.js'), /\/\/ node_modules\/@actions\/core\//)
    const cli = read('dist/cli/murder-action.mjs')
    assert.match(cli, /\/\/ node_modules\/webtorrent\//, 'module comments are there to check')
    assert.doesNotMatch(cli, /node_modules\/@actions\//)
  })
  test('has the pack worker beside it, as the pack looks for it', () => {
    assert.ok(fs.existsSync(new URL('../../../dist/cli/encode-worker.js', import.meta.url)))
  })
})
