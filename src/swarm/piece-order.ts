import { nudgeRequests, type SelectableTorrent } from './webtorrent-internals.js'

const REQUEST_NUDGE_MS = 1000

/**
 * The order an agent asks for pieces in: it starts at its own random piece and wraps around.
 * webtorrent's default, `sequential`, makes every host ask for piece 0, 1, 2 … at the same moment:
 * they all hold the same pieces, have nothing to trade, and the seeder ends up sending the payload to
 * each host (N × S, as slow as scp). Rotated, hosts hold different pieces from the first second and
 * trade them. `rarest` spreads pieces too but rescans every piece for every request in this
 * webtorrent. Measured in bench/README.md ("Where the time went").
 *
 * On 'ready', [r, n-1] is selected first, then [0, r-2]; the one piece r-1 between them is selected
 * when the others are done (webtorrent merges adjacent selections, which would bring back plain
 * 0 … n-1 order). A piece any peer holds is still fetched from it whatever its place: the order only
 * says what to ask for first. The torrent must have been added with `deselect: true`.
 */
export function spreadPieceOrder(torrent: unknown, random: () => number = Math.random): void {
  const t = torrent as SelectableTorrent
  // webtorrent only asks for more blocks when a message arrives; once every peer is done and quiet,
  // a host whose last requests were lost would wait for the 30 s piece timeout. Nudge it every second.
  const nudge = setInterval(() => nudgeRequests(t), REQUEST_NUDGE_MS)
  nudge.unref()
  t.once('done', () => clearInterval(nudge))
  const apply = (): void => {
    const n = t.pieces.length
    if (n === 0) return
    const start = Math.floor(random() * n)
    if (n < 3 || start < 2) {
      t.select(0, n - 1)
      return
    }
    t.select(start, n - 1, 1)
    t.select(0, start - 2, 0)
    t.once('idle', () => t.select(start - 1, start - 1))
  }
  if (t.ready) apply()
  else t.once('ready', apply)
}
