// @ts-check
// The page's first script (index.html loads it `async`, so it waits for neither the style
// sheets nor the rest of the page's modules): it starts the training worker, which then loads
// its wasm while the page's own modules arrive and the sections are built. lab.js takes this
// worker for its client and spawns fresh ones after a crash.

/** Path of the worker module, relative to this file. */
const WORKER_URL = new URL('./worker.js', import.meta.url);

/** A new training worker. */
export function spawnWorker() {
  return new Worker(WORKER_URL, { type: 'module', name: 'softmax-lab' });
}

/** @type {Worker|null} */
let early = spawnWorker();

/** The worker started at boot the first time, then a new one each time (a restart). */
export function takeWorker() {
  const worker = early ?? spawnWorker();
  early = null;
  return worker;
}
