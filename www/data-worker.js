// @ts-check
// The training worker's own worker for the data sets: it downloads, decodes and checks them
// (data.js) off the training worker's thread, so that the training worker keeps answering the
// page — §1's σ, §2's curves — while a data set is decoded, and on two cores the two run side by
// side. boot.js starts it beside the training worker, hands it the training worker's channel and
// its first job (the data set the page will most likely open with); after a restart the training
// worker starts one itself. Its one client is the training worker:
//
//   boot.js → here     {type: 'client', port}                          where replies go (else to the parent)
//   client → here      {id, type: 'fetch', baseUrl, dataset, entry}   entry null: read the manifest first
//                      {id, type: 'cancel'}                             stop that fetch (its downloads too)
//   here → worker.js   {id, type: 'entry', entry}                      the manifest's entry it fetches
//                      {id, type: 'progress', progress}                data.js's progress
//                      {id, type: 'done', buffers, fromCache}          the four files (their memory moves)
//                      {id, type: 'failed', message}                   what went wrong, as data.js says it

import { fetchDataset, fetchManifest } from './data.js';

/** The worker's global scope (the type check's lib is the page's DOM). */
const scope = /** @type {{postMessage(message: unknown, transfer?: Transferable[]): void, onmessage: ((event: MessageEvent) => void)|null}} */ (/** @type {unknown} */ (self));

/** Thrown from the progress callback of a cancelled fetch: data.js then stops its downloads. */
class Cancelled extends Error {}

/** Fetches in progress: id → whether it was cancelled. */
const running = new Map();

/** Where replies go: the training worker (its port from boot.js, or the parent that started this one). */
let client = /** @type {{postMessage(message: unknown, transfer?: Transferable[]): void}} */ (scope);

/** @param {{id: number, baseUrl: string, dataset: string, entry: object|null}} job */
async function fetchJob({ id, baseUrl, dataset, entry }) {
  const run = { cancelled: false };
  running.set(id, run);
  try {
    if (!entry) {
      const manifest = await fetchManifest(baseUrl);
      entry = manifest[dataset] ?? null;
      client.postMessage({ id, type: 'entry', entry });
      if (!entry) throw new Error(`data/manifest.json lists no ${dataset}`);
    }
    if (run.cancelled) throw new Cancelled('cancelled');
    const { buffers, fromCache } = await fetchDataset(baseUrl, dataset, entry, (progress) => {
      if (run.cancelled) throw new Cancelled('cancelled');
      client.postMessage({ id, type: 'progress', progress });
    });
    // A download holding two files gives two views of one buffer: move each buffer once.
    const transfer = [...new Set(buffers.map((b) => b.buffer))];
    client.postMessage({ id, type: 'done', buffers, fromCache }, transfer);
  } catch (e) {
    client.postMessage({ id, type: 'failed', message: e instanceof Error ? e.message : String(e) });
  } finally {
    running.delete(id);
  }
}

/** @param {MessageEvent} event */
function receive(event) {
  const job = event.data;
  if (job.type === 'client') {
    client = job.port;
    job.port.onmessage = receive;
  } else if (job.type === 'cancel') {
    const run = running.get(job.id);
    if (run) run.cancelled = true;
  } else if (job.type === 'fetch') {
    fetchJob(job);
  }
}

scope.onmessage = receive;
