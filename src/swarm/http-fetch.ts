import * as http from 'node:http'

/**
 * The `fetch` that the bundled BitTorrent libraries get in place of cross-fetch-ponyfill
 * (scripts/build.mjs). That package hands out Node's own fetch, and touching it loads undici and
 * the web streams as the bundle loads: a fifth of each agent's start-up CPU on Node 20
 * (bench/README.md, "Scale"), for what in a fleet is only ever a tracker announce over plain
 * http://. This is node:http, with the part of fetch those libraries use: `status`, `body` (a
 * readable they may listen on) and `arrayBuffer()`, `headers` and `agent` in, and `signal` to give up.
 */
export interface FetchInit {
  headers?: Record<string, string>
  signal?: AbortSignal
  agent?: http.Agent
}

export interface FetchResponse {
  status: number
  body: http.IncomingMessage
  arrayBuffer(): Promise<ArrayBuffer>
}

/** A tracker's answer is a few KB (6 bytes a peer); anything this big is not one. */
export const MAX_RESPONSE_BYTES = 8 << 20

export default function fetch(url: string, init: FetchInit = {}): Promise<FetchResponse> {
  let target: URL
  try {
    target = new URL(url)
  } catch {
    return Promise.reject(new TypeError(`not a URL: ${url}`))
  }
  if (target.protocol !== 'http:') return Promise.reject(new TypeError(`only http:// is fetched here (the fleet's tracker), not ${target.protocol}`))
  return new Promise((resolve, reject) => {
    const request = http.get(target, { headers: init.headers, agent: init.agent, signal: init.signal }, (response) => {
      // A body's error goes to whoever listens (the tracker client does); never to nobody, which would end the process.
      response.on('error', () => {})
      const body = readAll(response)
      resolve({ status: response.statusCode ?? 0, body: response, arrayBuffer: () => body })
    })
    request.on('error', reject)
  })
}

/**
 * The body, whole. It never rejects: the libraries await it without a catch, where a rejection
 * would end the process. A body cut short (the signal, a dropped connection) or too big comes back
 * empty, which they report as an invalid answer; why is the body's 'error' event.
 */
function readAll(response: http.IncomingMessage): Promise<ArrayBuffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let length = 0
    response.on('data', (chunk: Buffer) => {
      length += chunk.length
      if (length <= MAX_RESPONSE_BYTES) chunks.push(chunk)
      else response.destroy(new Error(`the response passed ${MAX_RESPONSE_BYTES} bytes`))
    })
    response.once('end', () => {
      const whole = Buffer.concat(chunks, length)
      resolve(whole.buffer.slice(whole.byteOffset, whole.byteOffset + whole.byteLength) as ArrayBuffer)
    })
    // After 'end' this changes nothing (a promise settles once).
    response.once('close', () => resolve(new ArrayBuffer(0)))
  })
}
