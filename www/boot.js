// @ts-check
// The page's first script (index.html loads it `async`, so it waits for neither the style
// sheets nor the rest of the page's modules): it starts the training worker, which then loads
// its wasm, and beside it the data worker (data-worker.js), which at once begins fetching and
// decoding the data set the page will most likely open with (a link's `dataset=`, else MNIST),
// while the page's own modules arrive and the sections are built. The training worker gets the
// data worker's channel; the page's first load of that data set joins the download in flight.
// lab.js takes this worker for its client and spawns fresh ones after a crash.

/** Paths of the workers' modules, relative to this file. */
const WORKER_URL = new URL('./worker.js', import.meta.url);
const DATA_WORKER_URL = new URL('./data-worker.js', import.meta.url);

/** A new training worker. */
export function spawnWorker() {
  return new Worker(WORKER_URL, { type: 'module', name: 'softmax-lab' });
}

/**
 * The data set a page at `search` will most likely load first (session-link.js decides: a
 * link's data set, else the saved session's, else MNIST; a wrong guess is cancelled).
 * @param {string} search
 */
export function likelyDataset(search) {
  return new URLSearchParams(search).get('dataset') === 'fashion' ? 'fashion' : 'mnist';
}

/** @type {Worker|null} */
let early = spawnWorker();
/** @type {Worker|null} */
let dataWorker = null;
try {
  dataWorker = new Worker(DATA_WORKER_URL, { type: 'module', name: 'softmax-lab-data' });
  const channel = new MessageChannel();
  const baseUrl = new URL('.', document.baseURI).href;
  const dataset = likelyDataset(location.search);
  dataWorker.postMessage({ type: 'client', port: channel.port1 }, [channel.port1]);
  dataWorker.postMessage({ id: 0, type: 'fetch', baseUrl, dataset, entry: null });
  early.postMessage({ type: 'prefetch', baseUrl, dataset, port: channel.port2 }, [channel.port2]);
} catch {
  dataWorker = null; // the training worker fetches the data itself
}

/** The worker started at boot the first time, then a new one each time (a restart: it starts its own data worker). */
export function takeWorker() {
  if (!early) {
    dataWorker?.terminate();
    dataWorker = null;
  }
  const worker = early ?? spawnWorker();
  early = null;
  return worker;
}
