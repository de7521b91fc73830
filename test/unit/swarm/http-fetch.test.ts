/**
 * The fetch the bundles hand to the BitTorrent libraries (src/swarm/http-fetch.ts): an announce
 * against a real HTTP server on loopback, and each way it must give up.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import fetch, { MAX_RESPONSE_BYTES } from '../../../src/swarm/http-fetch.js'

describe('http-fetch', () => {
  let server: http.Server
  let base = ''
  const seen: http.IncomingHttpHeaders[] = []
  before(async () => {
    server = http.createServer((request, response) => {
      seen.push(request.headers)
      if (request.url?.startsWith('/announce')) {
        response.writeHead(200)
        response.end(Buffer.from('d8:intervali5ee'))
      } else if (request.url === '/missing') {
        response.writeHead(404)
        response.end('no')
      } else if (request.url === '/huge') {
        response.writeHead(200)
        const block = Buffer.alloc(1 << 20, 1)
        let sent = 0
        const more = (): void => {
          while (sent <= MAX_RESPONSE_BYTES && response.write(block)) sent += block.length
          if (sent > MAX_RESPONSE_BYTES) response.end()
          else response.once('drain', more)
        }
        more()
      } else if (request.url === '/slow-body') {
        response.writeHead(200)
        response.write('d8:interval') // and never the rest
      } // '/hang' never answers
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(() => {
    server.closeAllConnections()
    server.close()
  })

  test('returns the status and the body, and sends the headers', async () => {
    const response = await fetch(`${base}/announce?info_hash=x`, { headers: { 'user-agent': 'murder-test' } })
    assert.equal(response.status, 200)
    assert.equal(typeof response.body.on, 'function')
    assert.equal(Buffer.from(await response.arrayBuffer()).toString(), 'd8:intervali5ee')
    assert.equal(seen.at(-1)!['user-agent'], 'murder-test')
  })

  test('a non-200 answer is a status, not an error', async () => {
    const response = await fetch(`${base}/missing`)
    assert.equal(response.status, 404)
    assert.equal(Buffer.from(await response.arrayBuffer()).toString(), 'no')
  })

  test('the signal gives up on a server that does not answer', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    await assert.rejects(fetch(`${base}/hang`, { signal: controller.signal }), { name: 'AbortError' })
  })

  test('a body past the cap comes back empty, and its error says why', async () => {
    const response = await fetch(`${base}/huge`)
    const errors: Error[] = []
    response.body.on('error', (error) => errors.push(error))
    assert.equal((await response.arrayBuffer()).byteLength, 0)
    assert.match(errors[0]?.message ?? '', /passed/)
  })

  test('a body cut off by the signal comes back empty instead of rejecting', async () => {
    const controller = new AbortController()
    const response = await fetch(`${base}/slow-body`, { signal: controller.signal })
    assert.equal(response.status, 200)
    controller.abort()
    assert.equal((await response.arrayBuffer()).byteLength, 0)
  })

  test('only http:// URLs', async () => {
    await assert.rejects(fetch('https://127.0.0.1/announce'), /only http:\/\//)
    await assert.rejects(fetch('not a url'), /not a URL/)
  })
})
