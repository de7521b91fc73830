// A peer that is NOT part of the fleet: it learned the info hash and the tracker (they are in the
// action's log) and joins the swarm with a plain webtorrent client, as an eavesdropper on the same
// network would. Prints one JSON line: how many payload bytes it got and where it wrote them.
// usage: node outsider.mjs <info-hash> <announce-url> <out-dir> <seconds>
import WebTorrent from 'webtorrent'

const [infoHash, announce, outDir, seconds] = process.argv.slice(2)
const client = new WebTorrent({ dht: false, lsd: false, natUpnp: false, natPmp: false, utp: false })
const magnet = `magnet:?xt=urn:btih:${infoHash}&tr=${encodeURIComponent(announce)}`
const torrent = client.add(magnet, { path: outDir })
let file = null
torrent.on('metadata', () => (file = `${outDir}/${torrent.files[0].path}`))
const finish = () => {
  console.log(JSON.stringify({ received: torrent.received, downloaded: torrent.downloaded, done: torrent.done, file }))
  client.destroy(() => process.exit(0))
}
torrent.on('done', finish)
setTimeout(finish, Number(seconds) * 1000)
