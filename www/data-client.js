// @ts-check
// The training worker's side of the data: data sets are downloaded, decoded and checked in a
// worker of their own (data-worker.js, which lists the messages), so that the training worker
// keeps answering the page meanwhile (§1's σ while MNIST decodes) and, on two cores, decodes
// beside it. boot.js starts that worker with the training worker and hands it over with the
// prefetch; after a restart the training worker starts its own; where workers cannot start
// workers, the data is fetched in the training worker itself (data.js).

/** The data worker's channel and the jobs waiting for it. */
const fetching = {
  /** @type {Worker|MessagePort|null|false} false: no data worker can be started */
  worker: null,
  nextId: 1,
  /** @type {Map<number, {onEntry: (entry: object|null) => void, onProgress: (p: object) => void, resolve: (r: {buffers: Uint8Array[], fromCache: boolean}) => void, reject: (e: Error) => void}>} */
  jobs: new Map(),
};

/**
 * The data worker's channel: `port` (boot.js's data worker), else one started here.
 * @param {MessagePort} [port]
 * @returns {Worker|MessagePort|null}
 */
function dataWorker(port) {
  if (fetching.worker !== null) return fetching.worker || null;
  /** @type {Worker|MessagePort} */
  let channel;
  try {
    channel = port ?? new Worker(new URL('./data-worker.js', import.meta.url), { type: 'module', name: 'softmax-lab-data' });
  } catch {
    fetching.worker = false;
    return null;
  }
  channel.onmessage = (event) => {
    const m = event.data;
    const job = fetching.jobs.get(m.id);
    if (!job) return;
    if (m.type === 'entry') job.onEntry(m.entry);
    else if (m.type === 'progress') job.onProgress(m.progress);
    else {
      fetching.jobs.delete(m.id);
      if (m.type === 'done') job.resolve({ buffers: m.buffers, fromCache: m.fromCache });
      else job.reject(new Error(m.message));
    }
  };
  if (channel instanceof Worker) {
    channel.onerror = (event) => {
      // The data worker itself failed (its modules did not load): what waits fails with why, and
      // the next fetch starts a new one.
      event.preventDefault();
      fetching.worker = null;
      for (const job of fetching.jobs.values()) job.reject(new Error(`the data could not be loaded (${event.message || 'its worker failed'})`));
      fetching.jobs.clear();
    };
  }
  fetching.worker = channel;
  return channel;
}

/**
 * A fetch of a data set, from its manifest entry (null: the data worker reads the manifest).
 * @typedef {{entry: Promise<object|null>, done: Promise<{buffers: Uint8Array[], fromCache: boolean}>, cancel: () => void}} DataFetch
 */

/**
 * Fetch a data set in the data worker (job `id`: boot.js's prefetch is job 0 and was sent there
 * already).
 * @param {Worker|MessagePort} worker
 * @param {number} id
 * @param {object|null} entry
 * @param {(p: object) => void} onProgress
 * @returns {DataFetch}
 */
function dataJob(worker, id, entry, onProgress) {
  /** @type {(entry: object|null) => void} */
  let onEntry = () => {};
  const known = entry
    ? Promise.resolve(entry)
    : new Promise((resolve) => {
        onEntry = resolve;
      });
  const done = new Promise((resolve, reject) => {
    fetching.jobs.set(id, { onEntry, onProgress, resolve, reject });
  });
  done.catch(() => onEntry(null));
  return { entry: known, done, cancel: () => worker.postMessage({ id, type: 'cancel' }) };
}

/**
 * Fetch a data set: in the data worker, or here where there is none.
 * @param {string} baseUrl
 * @param {string} dataset
 * @param {object} entry
 * @param {(p: object) => void} onProgress
 * @returns {Promise<{buffers: Uint8Array[], fromCache: boolean}>}
 */
async function fetchData(baseUrl, dataset, entry, onProgress) {
  const worker = dataWorker();
  if (!worker) {
    const { fetchDataset } = await import('./data.js');
    return fetchDataset(baseUrl, dataset, entry, onProgress);
  }
  const id = fetching.nextId++;
  const job = dataJob(worker, id, entry, onProgress);
  worker.postMessage({ id, type: 'fetch', baseUrl, dataset, entry });
  return job.done;
}

/**
 * The data set the page will most likely open with (boot.js names it: a link's `dataset=`, else
 * MNIST), fetched and decoded by the data worker from the moment boot.js starts it, while the
 * page's modules still load and its sections are built. The page's first 'load' of the same
 * data set (the same manifest entry) joins it; a load of another one cancels it.
 * @type {{baseUrl: string, dataset: string, fetch: DataFetch, last: object|null, claimed: boolean}|null}
 */
let prefetch = null;

/**
 * Take over boot.js's prefetch (job 0 of the data worker behind `port`).
 * @param {{baseUrl?: unknown, dataset?: unknown, port?: unknown}} message
 * @param {(p: object) => void} onProgress the page's progress, once a load has joined the prefetch
 */
export function startPrefetch({ baseUrl, dataset, port }, onProgress) {
  if (prefetch || fetching.worker !== null || typeof baseUrl !== 'string' || typeof dataset !== 'string' || !(port instanceof MessagePort)) return;
  const worker = /** @type {MessagePort} */ (dataWorker(port));
  /** @type {{baseUrl: string, dataset: string, fetch: DataFetch, last: object|null, claimed: boolean}} */
  const run = { baseUrl, dataset, fetch: /** @type {any} */ (null), last: null, claimed: false };
  run.fetch = dataJob(worker, 0, null, (p) => {
    run.last = p;
    if (run.claimed) onProgress(p);
  });
  run.fetch.done.catch(() => {}); // a failure is the joining load's to report
  prefetch = run;
}

/**
 * The data of a load: the prefetch's if it fetches this very data set (from the same manifest
 * entry), else a download of its own (a prefetch of another set is cancelled first).
 * @param {string} baseUrl
 * @param {string} dataset
 * @param {object} entry
 * @param {(p: object) => void} progress data.js's progress of this load
 * @returns {Promise<{buffers: Uint8Array[], fromCache: boolean}>}
 */
export async function dataFor(baseUrl, dataset, entry, progress) {
  const run = prefetch;
  prefetch = null;
  if (run) {
    const same = run.baseUrl === baseUrl && run.dataset === dataset && JSON.stringify(await run.fetch.entry) === JSON.stringify(entry);
    if (same) {
      run.claimed = true;
      if (run.last) progress(run.last);
      return run.fetch.done;
    }
    run.fetch.cancel();
  }
  return fetchData(baseUrl, dataset, entry, progress);
}
