import * as fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker, type WorkerOptions } from 'node:worker_threads'

/**
 * The first script that exists: the bundle's (dist/…/<name>.js, beside the bundle that starts it),
 * else the source's (tests, local-action).
 */
export function workerScript(places: URL[], what: string): URL {
  const found = places.find((place) => fs.existsSync(place))
  if (found === undefined) throw new Error(`${what} is missing (looked for ${places.map((place) => fileURLToPath(place)).join(', ')}): run \`npm run build\``)
  return found
}

/**
 * Starts a worker thread on `script`. From source (tests, local-action) the worker is TypeScript,
 * and tsx's loader is not inherited by worker threads: the worker registers it first.
 */
export function startWorker(script: URL, options: WorkerOptions = {}): Worker {
  if (!script.pathname.endsWith('.ts')) return new Worker(fileURLToPath(script), options)
  const tsx = import.meta.resolve('tsx/esm/api')
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(script.href)}) })`
  return new Worker(boot, { ...options, eval: true })
}
