/**
 * The one place that reaches into webtorrent's internals (webtorrent 3.0.x, bittorrent-protocol
 * 5.x). None of these is public API; test/unit/swarm/webtorrent-internals.test.ts fails when an
 * upgrade renames or removes one of them.
 */

/** A torrent's piece selection and its request scheduler, as the agent's piece order uses them. */
export interface SelectableTorrent {
  pieces: unknown[]
  ready: boolean
  select(from: number, to: number, priority?: number): void
  once(event: string, listener: () => void): unknown
  /** webtorrent's request scheduler: asks every wire for more blocks. Runs only when a message arrives. */
  _update?: () => void
}

/** A peer connection (bittorrent-protocol's Wire) as the super-seeder drives it. */
export interface SeederWire {
  /** The pieces the remote peer says it holds. */
  peerPieces: { get(index: number): boolean }
  /** The remote supports the Fast extension (BEP 6): HAVE NONE instead of an empty bitfield. */
  hasFast: boolean
  destroyed: boolean
  bitfield(bitfield: Uint8Array): void
  haveAll(): void
  haveNone(): void
  have(index: number): void
  on(event: string, listener: (...args: unknown[]) => void): unknown
  once(event: string, listener: (...args: unknown[]) => void): unknown
}

/** A torrent's piece selection as webtorrent's own file streams make it. */
interface StreamSelectingTorrent {
  _select(from: number, to: number, priority: number, notify: undefined, isStreamSelection: boolean): void
}

/**
 * Selects pieces [from, to] the way webtorrent's file streams do: as a range of its own, which
 * select() never merges with a neighbour. select() joins adjacent ranges into one (taking the higher
 * priority), so two ranges that meet become plain 0 … n-1 order again (piece-order.ts).
 */
export function selectApart(torrent: unknown, from: number, to: number, priority: number): void {
  ;(torrent as StreamSelectingTorrent)._select(from, to, priority, undefined, true)
}

/** Asks webtorrent to schedule requests now (see piece-order.ts for why). */
export function nudgeRequests(torrent: unknown): void {
  ;(torrent as SelectableTorrent)._update?.()
}

/** The piece count of a torrent whose metadata is known. */
export function pieceCount(torrent: unknown): number {
  return (torrent as SelectableTorrent).pieces.length
}

/** bittorrent-tracker's Client, as torrent-discovery holds it for a torrent. */
interface TrackerClient {
  on(event: string, listener: () => void): unknown
  once(event: string, listener: () => void): unknown
  update(): void
  setInterval(ms: number): void
}

/** A torrent and its tracker client. */
interface AnnouncingTorrent {
  ready: boolean
  done: boolean
  destroyed: boolean
  discovery?: { tracker?: TrackerClient }
  once(event: string, listener: () => void): unknown
}

/** Runs `use` with the torrent's tracker client once the torrent is ready (its discovery exists then). */
function withTrackerClient(t: AnnouncingTorrent, use: (tracker: TrackerClient) => void): void {
  const arm = (): void => {
    const tracker = t.discovery?.tracker
    if (tracker !== undefined) use(tracker)
  }
  if (t.ready) arm()
  else t.once('ready', arm)
}

/**
 * Until the tracker has answered once, asks again 2–4 s after each failed announce. The tracker
 * client re-announces at the interval the tracker's answer gives; before a first answer, at its
 * default of 30 minutes. When the controller's process is busy, connections to the tracker wait in
 * its accept queue and a first announce can time out (15 s): the agent then knew no peer for the
 * whole deploy, and hosts already at their connection limit never dialled it (bench/README.md,
 * "Scale"). One retry in flight at a time, so retries never pile onto a crowded tracker.
 */
export function retryAnnounceUntilAnswered(torrent: unknown, delayMs = 2000): void {
  const t = torrent as AnnouncingTorrent
  withTrackerClient(t, (tracker) => {
    let answered = false
    tracker.once('update', () => (answered = true))
    tracker.on('warning', () => {
      if (answered) return
      setTimeout(() => {
        if (!answered && !t.destroyed) tracker.update()
      }, delayMs * (1 + Math.random())).unref()
    })
  })
}

/**
 * The remote peer holds every piece, from what it announced (bitfield, haves, HAVE ALL). Not
 * webtorrent's `wire.isSeeder`: that is set whenever the remote's bitfield is still empty when the
 * wire is set up, and never cleared by a partial bitfield or a HAVE NONE that came before the
 * handlers: seeds dropped most of the peers still downloading from them.
 */
export function peerIsSeed(wire: unknown, pieces: number): boolean {
  const held = (wire as { peerPieces: { get(index: number): boolean } }).peerPieces
  for (let index = 0; index < pieces; index++) if (!held.get(index)) return false
  return pieces > 0
}

/** A torrent's outgoing connection queue (webtorrent's Torrent). */
interface DialingTorrent {
  done: boolean
  _queue: unknown[] | null
  _addPeer(...args: unknown[]): unknown
  removePeer(peer: unknown): void
  once(event: string, listener: () => void): unknown
}

/**
 * Once the torrent is done it dials no one. `seedOutgoingConnections: false` only stops new peers
 * from the tracker; webtorrent still dials the peers already queued and re-dials every closed
 * connection (1, 5, 15 s later). Late in a deploy every seed re-dialled the other seeds, which drop
 * seed-to-seed wires: tens of thousands of connections that took the CPU the downloads needed.
 */
export function dialNoOneOnceDone(torrent: unknown): void {
  const t = torrent as DialingTorrent
  const addPeer = t._addPeer
  t._addPeer = function (this: DialingTorrent, ...args: unknown[]) {
    return this.done ? null : addPeer.apply(this, args)
  }
  const dropQueue = (): void => {
    for (const peer of t._queue?.splice(0) ?? []) t.removePeer(peer)
  }
  if (t.done) dropQueue()
  else t.once('done', dropQueue)
}

/** How long a seed waits between announces: past any deploy, so in effect it announces no more. */
const SEED_ANNOUNCE_INTERVAL_MS = 30 * 60_000

/**
 * Once the torrent is done and the tracker has answered once more (the announce that says so), it
 * stops re-announcing. A seed dials no one (dialNoOneOnceDone), so the peers an announce returns are
 * of no use to it, and the tracker keeps listing it to newcomers for 20 minutes (bittorrent-tracker's
 * peer cache). At N = 100 the tracker's accept queue was the bottleneck (bench/README.md, "Scale"):
 * seeds' announces were most of its load.
 */
export function quietOnceSeeding(torrent: unknown): void {
  const t = torrent as AnnouncingTorrent
  withTrackerClient(t, (tracker) => {
    const quiet = (): void => void tracker.once('update', () => tracker.setInterval(SEED_ANNOUNCE_INTERVAL_MS))
    if (t.done) quiet()
    else t.once('done', quiet)
  })
}

