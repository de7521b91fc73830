// Bundles the action (main, post), the CLI and the agent into dist/ with esbuild. Deterministic:
// CI rebuilds and checks that dist/ matches the sources.
import { build } from 'esbuild'
import { chmodSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { patchDependencies } from './patch-deps.mjs'

// Optional native addons in the dependency tree. Each is loaded in a try/catch by its user and
// has a pure-JS fallback (or, for uTP, is switched off), so the bundles carry a stub that throws.
const OPTIONAL_NATIVE = /^(utp-native|fs-native-extensions|bufferutil|utf-8-validate|cpu-features|node-datachannel)$/

const nativeStubs = {
  name: 'native-stubs',
  setup(b) {
    b.onResolve({ filter: OPTIONAL_NATIVE }, (args) => ({ path: args.path, namespace: 'native-stub' }))
    b.onResolve({ filter: /\.node$/ }, (args) => ({ path: args.path, namespace: 'native-stub' }))
    b.onLoad({ filter: /.*/, namespace: 'native-stub' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not bundled (optional native addon)`)})`,
      loader: 'js',
    }))
    // webtorrent's uTP loader warns on the console when utp-native is missing; we run without uTP.
    b.onLoad({ filter: /webtorrent[\\/]lib[\\/]utp\.cjs$/ }, () => ({ contents: 'module.exports = {}', loader: 'js' }))
  },
}

// What a closed fleet never turns on (client-options.ts: no DHT, no UPnP/NAT-PMP, no local
// discovery, no peer exchange, no IP blocklist; announces over HTTP only). Each is a module its
// package already marks optional — left out of its browser build and checked with `typeof X ===
// 'function'` before use — so an empty module is what the code expects in its absence. Left out,
// the agent's bundle loses about a third of its size and its start-up work (bench/README.md,
// "Swarm efficiency").
const CLOSED_FLEET_UNUSED = /^(bittorrent-dht|@silentbot1\/nat-api|ut_pex|bittorrent-lsd|load-ip-set|socks)$/
const UNUSED_TRACKER_CLIENTS = /bittorrent-tracker[\\/]lib[\\/]client[\\/](udp|websocket)-tracker\.js$/

const closedFleetStubs = {
  name: 'closed-fleet-stubs',
  setup(b) {
    b.onResolve({ filter: CLOSED_FLEET_UNUSED }, (args) => ({ path: args.path, namespace: 'closed-fleet-stub' }))
    // Announces over node:http instead of Node's fetch, which loads undici as the bundle loads (src/swarm/http-fetch.ts).
    b.onResolve({ filter: /^cross-fetch-ponyfill$/ }, () => ({ path: fileURLToPath(new URL('../src/swarm/http-fetch.ts', import.meta.url)) }))
    b.onLoad({ filter: /.*/, namespace: 'closed-fleet-stub' }, () => ({ contents: 'module.exports = {}', loader: 'js' }))
    // bittorrent-tracker's client picks its tracker class by URL scheme; ours is always http://.
    b.onLoad({ filter: UNUSED_TRACKER_CLIENTS }, (args) => ({
      contents: `export default class { constructor () { throw new Error(${JSON.stringify(`${args.path.split(/[\\/]/).pop()} is not bundled: announce over http://`)}) } }`,
      loader: 'js',
    }))
  },
}

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [nativeStubs, closedFleetStubs],
  // CommonJS dependencies inside an ES module bundle need a real `require`, `__filename`, `__dirname`.
  banner: {
    js: [
      "import { createRequire as __murderCreateRequire } from 'node:module';",
      "import { fileURLToPath as __murderFileURLToPath } from 'node:url';",
      'const require = __murderCreateRequire(import.meta.url);',
      'const __filename = __murderFileURLToPath(import.meta.url);',
      "const __dirname = __murderFileURLToPath(new URL('.', import.meta.url));",
    ].join(' '),
  },
}

/** The CLI runs outside GitHub Actions: the toolkit must not be in its bundle, even by a stray import. */
function assertNoActionsToolkit(result) {
  const toolkit = Object.keys(result.metafile.inputs).filter((input) => input.includes('node_modules/@actions/'))
  if (toolkit.length > 0) throw new Error(`the CLI bundle imports the actions toolkit: ${toolkit.join(', ')}`)
}

// The bundles carry our patched dependencies (patches/README.md).
patchDependencies()
rmSync('dist', { recursive: true, force: true })
await Promise.all([
  build({ ...common, entryPoints: ['src/main.ts'], outfile: 'dist/main/index.js', target: 'node24' }),
  build({ ...common, entryPoints: ['src/post.ts'], outfile: 'dist/post/index.js', target: 'node24' }),
  // The pack's worker threads load this file beside the action's bundle (src/pack/worker-pool.ts).
  build({ ...common, entryPoints: ['src/pack/encode-worker.ts'], outfile: 'dist/main/encode-worker.js', target: 'node24' }),
  // The tracker's thread (src/swarm/tracker-thread.ts), beside the bundle that starts it, as the pack's workers.
  build({ ...common, entryPoints: ['src/swarm/tracker-worker.ts'], outfile: 'dist/main/tracker-worker.js', target: 'node24' }),
  // The command line (package.json bin): action.yml two levels up declares its flags (src/cli/action-inputs.ts),
  // the agent bundle is found as the action finds it (src/fleet/agent-bundle.ts), the pack and tracker workers beside it.
  build({
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli/murder-action.mjs',
    target: 'node20',
    metafile: true,
    banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
  }).then(assertNoActionsToolkit),
  build({ ...common, entryPoints: ['src/pack/encode-worker.ts'], outfile: 'dist/cli/encode-worker.js', target: 'node20' }),
  build({ ...common, entryPoints: ['src/swarm/tracker-worker.ts'], outfile: 'dist/cli/tracker-worker.js', target: 'node20' }),
  // The agent runs on the hosts' Node (>= 20) and is shipped over SSH to each of them: keep it small.
  build({ ...common, entryPoints: ['src/agent/main.ts'], outfile: 'dist/agent/murder-agent.mjs', target: 'node20', minify: process.env.MURDER_BUILD_NO_MINIFY !== '1' }),
])
// package.json's bin: runnable as it is from a checkout too.
chmodSync('dist/cli/murder-action.mjs', 0o755)
