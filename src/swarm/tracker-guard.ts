import type { IncomingMessage, ServerResponse } from 'node:http'

interface RequestServer {
  on(event: 'request', listener: (request: IncomingMessage, response: ServerResponse) => void): unknown
}

/**
 * Lets only announces through to the tracker: bittorrent-tracker's `filter` guards announces, but a
 * bare /scrape answered with every swarm's info hash and counts. Anything but /announce gets a 404.
 * bittorrent-tracker adds its own request handler a tick after it is made and leaves alone a
 * request already answered, so this must be called right after `new Server(...)`.
 */
export function onlyAnnounces(http: unknown): void {
  ;(http as RequestServer).on('request', (request, response) => {
    if ((request.url ?? '').split('?')[0] === '/announce') return
    response.statusCode = 404
    response.end()
  })
}
