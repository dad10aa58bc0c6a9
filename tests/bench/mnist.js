// What the two benchmark workers share: the four MNIST IDX files (fetched, decoded and checked
// by the page's own code, www/data.js, without the Cache API: no caching, no progress; the
// benchmark times training, not loading — except decodeDataset, which times the decoding), the
// throughput measurement, and the reply.
import { decodeStats, fetchDataset, fetchManifest } from '../../www/data.js';

/** File names in the order train images, train labels, test images, test labels. */
export const FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

const ROOT = new URL('../../', import.meta.url).href;

/**
 * Download, decode and check one data set as the page's worker does (from the network, not the
 * cache): the milliseconds in the xz decoder, the whole load's, and the bytes.
 * @param {string} name "mnist" or "fashion"
 */
export async function decodeDataset(name) {
  const manifest = await fetchManifest(ROOT);
  const entry = manifest[name];
  if (!entry || entry.status !== 'available') return null;
  const t0 = performance.now();
  const { buffers } = await fetchDataset(ROOT, name, entry, () => {}, { useCache: false });
  const wallMs = performance.now() - t0;
  return { buffers, decodeMs: decodeStats.ms, wallMs, wireBytes: entry.bytes.reduce((a, b) => a + b, 0), decodedBytes: decodeStats.bytes };
}

/**
 * Fetch and decode the four files.
 * @returns {Promise<Uint8Array[]>}
 */
export async function loadMnist() {
  const loaded = await decodeDataset('mnist');
  if (!loaded) throw new Error('data/manifest.json lists no MNIST (run ./lab setup)');
  return loaded.buffers;
}

/** The median of a list of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * How long each throughput window runs, after a warm-up, and how many windows are taken. The
 * best window is reported (the median too): on a shared machine other processes slow some
 * windows down, never speed one up, and every implementation is measured the same way.
 */
export const WINDOW_MS = 1000;
export const WARMUP_MS = 300;
export const WINDOWS = 5;
/** The benchmark's worker trains in chunks of about this many milliseconds (the page's worker: src/wasm/mod.rs PLAY_CHUNK_MS, 8 ms, used by www/worker/play.js). */
export const CHUNK_MS = 30;

/**
 * Examples per second of `step(n)` (which runs n minibatch steps and returns how many ran),
 * called in chunks of about CHUNK_MS like the page's play loop, posting one progress message
 * per chunk as the page's worker does: the best and the median of WINDOWS windows of WINDOW_MS.
 */
export function throughput(step, batch) {
  let msPerStep = 1;
  const run = (ms) => {
    const start = performance.now();
    let steps = 0;
    while (performance.now() - start < ms) {
      const n = Math.max(1, Math.floor(CHUNK_MS / msPerStep));
      const t0 = performance.now();
      const done = step(n);
      const dt = performance.now() - t0;
      msPerStep = 0.7 * msPerStep + (0.3 * dt) / Math.max(1, done);
      steps += done;
      self.postMessage({ type: 'progress', steps });
      if (done < n) throw new Error(`training stopped after ${steps} steps (diverged?)`);
    }
    return (steps * batch * 1000) / (performance.now() - start);
  };
  run(WARMUP_MS);
  const rates = [];
  for (let i = 0; i < WINDOWS; i++) rates.push(run(WINDOW_MS));
  return { examplesPerSec: Math.max(...rates), median: median(rates), windows: rates };
}

/** Answer a request with `run(request)`: {type: 'result', result} or {type: 'error', error}. */
export async function reply(run, request) {
  try {
    self.postMessage({ type: 'result', result: await run(request) });
  } catch (e) {
    self.postMessage({ type: 'error', error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) });
  }
}
