import { createHash } from 'node:crypto'
import type { ClientChannel } from 'ssh2'
import { HostSetupError } from '../fleet/host-link.js'
import type { InFlightWindow } from '../fleet/in-flight-window.js'
import { BufferRing, SourceChangedError, type ObjectReader } from '../pack/object-reader.js'
import type { StreamPace } from '../fleet/stream-pace.js'
import type { OriginObject } from '../protocol/events.js'

/**
 * The sha256 of each object's stored bytes, which the origin checks them against on arrival (the
 * manifest's sha256 is of the bytes before encryption). One read of the objects, a few seconds per
 * GiB, in the runner's page cache just after packing.
 */
export async function describeObjects(reader: ObjectReader, objects: readonly { id: string; size: number }[]): Promise<OriginObject[]> {
  const described: OriginObject[] = []
  for (const object of objects) {
    const hash = createHash('sha256')
    for await (const chunk of reader.read(object.id, 1 << 20)) hash.update(chunk)
    described.push({ id: object.id, size: object.size, sha256: hash.digest('hex') })
  }
  return described
}

/** Read buffers per stream: what the channel's writes hold at once before their callbacks run. */
const RING_BUFFERS = 16

/**
 * Writes the objects' bytes one after another to an agent's stdin — the origin's, or with transport
 * ssh a host's (agent/object-receiver.ts reads them back by their sizes) — as fast as the SSH
 * channel and `window` (no more than it ahead of what the agent has acknowledged) let them go, or
 * at `pace` (transport ssh's rate limits). Returns the bytes written; early, having sent part,
 * when the channel ends or closes meanwhile (the link was stopped, or the agent exited: its link
 * says why).
 */
export async function sendObjects(
  channel: ClientChannel,
  reader: ObjectReader,
  objects: readonly { id: string }[],
  window: InFlightWindow,
  pace?: StreamPace,
): Promise<number> {
  let sent = 0
  let closed = false
  const slice = pace?.slice ?? 256 << 10
  // ssh2 has copied a chunk into its packets once the write's callback runs: the read buffer can serve again.
  const ring = new BufferRing(RING_BUFFERS, slice)
  const onClose = (): void => {
    closed = true
    ring.close()
  }
  channel.once('close', onClose)
  // A write on a channel whose connection went away must not crash the runner: the link reports it.
  const onError = (): void => {}
  channel.on('error', onError)
  const gone = (): boolean => closed || channel.writableEnded || channel.destroyed
  try {
    for (const object of objects) {
      for await (const chunk of reader.read(object.id, slice, ring)) {
        await window.room()
        await pace?.take(chunk.length)
        if (gone()) return sent
        sent += chunk.length
        window.sent(chunk.length)
        if (!channel.write(chunk, () => ring.give(chunk))) await drainOrClose(channel)
      }
    }
    return sent
  } catch (error) {
    // Sending it again cannot help: the tree is no longer what was packed.
    if (error instanceof SourceChangedError) throw new HostSetupError(error.message, 'never')
    throw error
  } finally {
    ring.close()
    channel.off('close', onClose)
    channel.off('error', onError)
  }
}

function drainOrClose(channel: ClientChannel): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      channel.off('drain', done)
      channel.off('close', done)
      channel.off('end', done)
      resolve()
    }
    channel.on('drain', done)
    channel.on('close', done)
    channel.on('end', done)
  })
}
