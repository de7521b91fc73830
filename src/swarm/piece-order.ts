import { nudgeRequests, selectApart, type SelectableTorrent } from './webtorrent-internals.js'

const REQUEST_NUDGE_MS = 1000

/**
 * The order an agent asks for pieces in: it starts at its own random piece and wraps around.
 * webtorrent's default, `sequential`, makes every host ask for piece 0, 1, 2 … at the same moment:
 * they all hold the same pieces, have nothing to trade, and the seeder ends up sending the payload to
 * each host (N × S, as slow as scp). Rotated, hosts hold different pieces from the first second and
 * trade them. `rarest` spreads pieces too but rescans every piece for every request in this
 * webtorrent. Measured in bench/README.md ("Where the time went").
 *
 * On 'ready', [r, n-1] is selected first, then [0, r-1] apart from it (selectApart: webtorrent
 * merges adjacent selections, which would bring back plain 0 … n-1 order). Every piece is selected
 * from the start: piece r-1 used to be left out until the others were done, and when the seeder
 * offered it to that host alone (super-seeding: to no other for 15 s), every host waited for it —
 * a 10 s stall at the end of one deploy in three at N = 8 (bench/README.md, "Scale"). A piece any
 * peer holds is still fetched from it whatever its place: the order only says what to ask for
 * first. The torrent must have been added with `deselect: true`.
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
    if (n < 2 || start === 0) {
      t.select(0, n - 1)
      return
    }
    t.select(start, n - 1, 1)
    selectApart(t, 0, start - 1, 0)
  }
  if (t.ready) apply()
  else t.once('ready', apply)
}
