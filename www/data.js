// @ts-check
// Data loading: the manifest, and the four IDX files of a data set, downloaded as xz streams
// (scripts/fetch-data.sh: xz -9e, the images in label order) with byte-level progress, decoded
// in the worker while they download (www/xz.js), put back in the published order, checked
// against the manifest's length and SHA-256 of the decoded bytes — exactly the published
// files — before they are used, and cached (decoded, verified) with the Cache API so that a
// second visit neither downloads nor decodes them again.
//
// No DOM here: the worker imports this module and reports progress to the page by messages.

import { labelOrder } from './data-order.js';
import { XzDecoder, XzError, xzModule } from './xz.js';

/** Where the manifest lives, relative to the page. */
export const MANIFEST_URL = 'data/manifest.json';
/** Cache API bucket for the decoded, checked data files; bump the version to drop old entries. */
export const CACHE_NAME = 'softmax-lab-data-v2';
/** Buckets of earlier versions (v1 held the gzip files), deleted when the data is next loaded. */
const OLD_CACHES = ['softmax-lab-data-v1'];
/** The one encoding the manifest may name (scripts/fetch-data.sh). */
export const ENCODING = 'xz';
/**
 * The transform a download may have gone through before xz (www/data-context.js: its
 * CONTEXT_TRANSFORM, held equal by tests/js/data-context.test.js). The module is imported only
 * when a download needs it, so it is not part of the page's start-up module graph.
 */
export const CONTEXT_TRANSFORM = 'med-context-256';
/** Order of the four files in the manifest and in the arrays returned here. */
export const FILE_ROLES = ['train-images', 'train-labels', 'test-images', 'test-labels'];

/**
 * Fetch and check the manifest: `{mnist: {status, files, bytes, reason?}, fashion: {...}}`.
 * @param {string} baseUrl URL the relative data paths are resolved against.
 * @returns {Promise<object>}
 */
export async function fetchManifest(baseUrl) {
  const url = new URL(MANIFEST_URL, baseUrl);
  let response;
  try {
    response = await fetch(url, { cache: 'no-cache' });
  } catch (e) {
    throw new Error(`cannot reach the server for ${MANIFEST_URL} (${e.message})`, { cause: e });
  }
  if (!response.ok) {
    throw new Error(`${MANIFEST_URL} is missing (HTTP ${response.status}): run ./lab setup to fetch the data`);
  }
  let manifest;
  try {
    manifest = await response.json();
  } catch {
    throw new Error(`${MANIFEST_URL} is not valid JSON: run ./lab setup again`);
  }
  if (!manifest || typeof manifest !== 'object' || !manifest.mnist) {
    throw new Error(`${MANIFEST_URL} has no "mnist" entry: run ./lab setup again`);
  }
  return manifest;
}

const sizes = (a, n = 4) => Array.isArray(a) && a.length === n && a.every((b) => Number.isSafeInteger(b) && b > 0);

/** One download per IDX file, unless the manifest says which files a download holds. */
const ONE_EACH = [[0], [1], [2], [3]];

/**
 * Whether a manifest entry can be loaded, and if not, why.
 * @param {object|undefined} entry
 * @returns {{available: boolean, reason: string}}
 */
export function availability(entry) {
  if (!entry) return { available: false, reason: 'not listed in data/manifest.json' };
  if (entry.status !== 'available') {
    return { available: false, reason: entry.reason || `status "${entry.status}" in data/manifest.json` };
  }
  if (entry.encoding !== ENCODING) {
    return { available: false, reason: `data/manifest.json lists ${entry.encoding || 'gzip'} files, which this page does not read (it was written by another version of ./lab setup): run ./lab setup again` };
  }
  const order = entry.label_order;
  const parts = entry.parts ?? ONE_EACH;
  const transform = entry.transform;
  if (transform !== undefined && !(Array.isArray(transform) && transform.length === parts.length && transform.every((t) => t === null || t === CONTEXT_TRANSFORM))) {
    return { available: false, reason: 'data/manifest.json lists its files in a form this page does not read (it was written by another version of ./lab setup): run ./lab setup again' };
  }
  const held = Array.isArray(parts) && parts.every((p) => Array.isArray(p) && p.length > 0) ? parts.flat().sort() : [];
  if (!Array.isArray(entry.files) || entry.files.length !== parts.length || !sizes(entry.bytes, parts.length) || !sizes(entry.raw_bytes)
    || held.join() !== '0,1,2,3' || (entry.parts && !(Array.isArray(entry.names) && entry.names.length === 4 && entry.names.every((n) => typeof n === 'string' && /^[a-z0-9-]+$/.test(n))))
    || (entry.sha256 !== undefined && !(Array.isArray(entry.sha256) && entry.sha256.length === 4))
    || (order !== undefined && !(Array.isArray(order) && order.length === 4 && order.every((o, i) => o === null || (Number.isInteger(o) && o >= 0 && o < 4 && o !== i && order[o] === null))))) {
    return { available: false, reason: 'data/manifest.json lists the files incorrectly' };
  }
  return { available: true, reason: '' };
}

async function openCache() {
  try {
    if (typeof caches === 'undefined') return null;
    for (const old of OLD_CACHES) caches.delete(old).catch(() => {});
    return await caches.open(CACHE_NAME);
  } catch {
    return null; // e.g. storage disabled: download every time
  }
}

/**
 * Lower-case hex SHA-256 of `bytes`, or null where the browser has no Web Crypto (a page
 * served over plain http to another machine): then only xz's CRC-32 and the core's IDX
 * validation guard the data.
 * @param {Uint8Array<ArrayBuffer>} bytes
 * @returns {Promise<string|null>}
 */
export async function sha256Hex(bytes) {
  if (!globalThis.crypto?.subtle) return null;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Check decoded bytes against the manifest's SHA-256 (if it lists one).
 * @returns {Promise<string|null>} null if they match, else the problem.
 */
async function checksumProblem(bytes, path, want) {
  if (typeof want !== 'string') return null; // a manifest from before checksums: nothing to compare
  const got = await sha256Hex(bytes);
  if (got === null || got === want.toLowerCase()) return null;
  return `${path} is damaged: what it decodes to has SHA-256 ${got.slice(0, 12)}…, data/manifest.json expects ${want.slice(0, 12)}…`;
}

/** Decoding time, for the benchmark: milliseconds spent in the xz decoder by the last fetchDataset. */
export const decodeStats = { ms: 0, files: 0, bytes: 0 };

/**
 * Download one file and decode it while it arrives: every piece that comes off the network goes
 * through the xz decoder at once, into a buffer of the decoded size the manifest gives. A body
 * that breaks off, ends early or goes on too long, and a stream that does not decode, each
 * become the error a user reads (the download's own errors first: a cut-short file also fails
 * to decode, but the cut is what happened). `signal` stops it (another file of the set failed):
 * the fetch then errors its body, and the read below rejects.
 * @param {AbortSignal} [signal]
 * @returns {Promise<Uint8Array<ArrayBuffer>>} the decoded bytes (images still in stored order)
 */
async function download(url, path, expected, rawBytes, report, signal) {
  const decoderModule = xzModule();
  let response;
  try {
    response = await fetch(url, { cache: 'no-cache', signal });
  } catch (e) {
    throw new Error(`cannot download ${path}: the network request failed (${e.message})`, { cause: e });
  }
  if (!response.ok || !response.body) {
    throw new Error(`${path} is missing on the server (HTTP ${response.status}): run ./lab setup`);
  }
  const reader = response.body.getReader();
  let decoder;
  try {
    decoder = new XzDecoder(await decoderModule);
  } catch (e) {
    reader.cancel().catch(() => {});
    throw e;
  }
  const out = new Uint8Array(rawBytes);
  let decoded = 0;
  let length = 0;
  /** @type {Error|null} the decoder's complaint, reported once the download itself proved fine */
  let badStream = null;
  const take = (piece) => {
    if (decoded + piece.length > rawBytes) throw new XzError(`it decodes to more than the ${rawBytes.toLocaleString('en')} bytes data/manifest.json says`);
    out.set(piece, decoded);
    decoded += piece.length;
  };
  const decode = (fn) => {
    if (badStream) return;
    const t0 = performance.now();
    try {
      fn();
    } catch (e) {
      badStream = e;
      decoder.dispose();
    }
    decodeStats.ms += performance.now() - t0;
  };
  try {
    for (;;) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch (e) {
        throw new Error(`the download of ${path} broke off after ${length.toLocaleString('en')} of ${expected.toLocaleString('en')} bytes (${e.message || 'network error'})`, { cause: e });
      }
      if (chunk.done) break;
      const value = chunk.value;
      if (length + value.byteLength > expected) {
        throw new Error(`${path} is larger than data/manifest.json says (${expected.toLocaleString('en')} bytes): run ./lab setup again`);
      }
      length += value.byteLength;
      report(value.byteLength);
      decode(() => decoder.push(value, take));
    }
  } catch (e) {
    reader.cancel().catch(() => {});
    decoder.dispose();
    throw e;
  }
  if (length !== expected) {
    decoder.dispose();
    throw new Error(`the download of ${path} ended after ${length.toLocaleString('en')} of ${expected.toLocaleString('en')} bytes: the connection was interrupted`);
  }
  decode(() => decoder.finish(take));
  if (badStream) {
    const why = badStream instanceof XzError ? badStream.message : `the xz decoder failed (${badStream.message})`;
    throw new Error(`${path} is damaged: ${why}: run ./lab setup again`, { cause: badStream });
  }
  decodeStats.files++;
  decodeStats.bytes += decoded;
  return decoded === rawBytes ? out : out.slice(0, decoded);
}

/**
 * One file from the cache, if a verified copy is there (checked again: length and SHA-256),
 * else null. A stale or damaged copy is deleted.
 * @returns {Promise<Uint8Array<ArrayBuffer>|null>}
 */
async function fromCache(cache, key, path, rawBytes, sha256) {
  if (!cache) return null;
  try {
    const hit = await cache.match(key);
    if (!hit) return null;
    const bytes = new Uint8Array(await hit.arrayBuffer());
    if (bytes.length === rawBytes && !(await checksumProblem(bytes, path, sha256))) return bytes;
    await cache.delete(key); // stale (the data was regenerated) or damaged: download again
  } catch {
    // fall through to the network
  }
  return null;
}

/**
 * Download (or read from the cache), decode, order and verify the four IDX files of a data set.
 * Each file must arrive with the manifest's length, decode, and — in the published order —
 * have the manifest's SHA-256; the IDX contents are validated afterwards by the core.
 * @param {string} baseUrl URL the relative data paths are resolved against.
 * @param {string} dataset "mnist" or "fashion".
 * @param {{files: string[], bytes: number[], raw_bytes: number[], parts?: number[][], names?: string[], sha256?: string[], label_order?: (number|null)[], transform?: (string|null)[]}} entry
 *   The manifest entry: `files` are the downloads, `parts` which IDX files (FILE_ROLES order)
 *   each holds, one after the other, `names` their published names, `transform` what a
 *   download went through before xz (www/data-context.js), undone after decoding.
 * @param {(p: {loaded: number, total: number, fromCache: boolean}) => void} onProgress
 *   Called with the bytes read so far (from the network: compressed) out of the manifest's total.
 * @param {{useCache?: boolean}} [options] useCache: false neither reads nor writes the Cache API (the benchmark's decoding time)
 * @returns {Promise<{buffers: Uint8Array[], fromCache: boolean}>} in FILE_ROLES order.
 */
export async function fetchDataset(baseUrl, dataset, entry, onProgress, { useCache = true } = {}) {
  const { available, reason } = availability(entry);
  if (!available) throw new Error(`${dataset} cannot be loaded: ${reason}`);
  const total = entry.bytes.reduce((a, b) => a + b, 0);
  const cache = useCache ? await openCache() : null;
  let loaded = 0;
  let allCached = true;
  const report = (n) => {
    loaded += n;
    onProgress({ loaded: Math.min(loaded, total), total, fromCache: allCached });
  };
  onProgress({ loaded: 0, total, fromCache: false });
  decodeStats.ms = 0;
  decodeStats.files = 0;
  decodeStats.bytes = 0;
  const parts = entry.parts ?? ONE_EACH;
  const paths = entry.files.map((name) => `data/${dataset}/${name}`);
  // The IDX files by their published names (the cache's keys), and how messages name each: its
  // download, and which part of it where a download holds more than one.
  const names = entry.names ?? entry.files.map((name) => name.replace(/\.xz$/, ''));
  const label = [];
  parts.forEach((ks, j) => ks.forEach((k) => (label[k] = ks.length > 1 ? `${paths[j]} (${names[k]})` : paths[j])));
  const keys = names.map((name) => new URL(`data/${dataset}/${name}`, baseUrl).href);
  const cached = await Promise.all(keys.map((key, k) => fromCache(cache, key, label[k], entry.raw_bytes[k], entry.sha256?.[k])));
  if (cached.every(Boolean)) {
    report(total);
    return { buffers: /** @type {Uint8Array[]} */ (cached), fromCache: true };
  }
  allCached = false;
  /** @type {Uint8Array<ArrayBuffer>[]} */
  const buffers = cached.map((b) => b || new Uint8Array(0));
  const fresh = [false, false, false, false];
  // The downloads that hold a file not in the cache, at once, each decoded as it arrives and
  // then cut into the files it holds. The first that fails stops the others (its message is
  // the one reported): the rest of the set would be thrown away.
  const stop = new AbortController();
  /** One download: decoded, transformed back, cut into the files it holds. @param {number} j */
  const fetchPart = async (j) => {
    const ks = parts[j];
    if (ks.every((k) => cached[k])) {
      report(entry.bytes[j]);
      return;
    }
    const size = ks.reduce((a, k) => a + entry.raw_bytes[k], 0);
    const context = entry.transform?.[j] === CONTEXT_TRANSFORM ? await import('./data-context.js') : null;
    let whole = await download(new URL(paths[j], baseUrl).href, paths[j], entry.bytes[j], size + (context ? context.CONTEXT_HEAD : 0), report, stop.signal);
    if (context) {
      const t0 = performance.now();
      try {
        whole = context.contextRestore(whole, ks.length);
      } catch (e) {
        const why = e instanceof context.ContextError ? e.message : `the transform failed (${e.message})`;
        throw new Error(`${paths[j]} is damaged: ${why}: run ./lab setup again`, { cause: e });
      }
      decodeStats.ms += performance.now() - t0;
    }
    let at = 0;
    for (const k of ks) {
      const piece = whole.subarray(at, Math.min(whole.length, at + entry.raw_bytes[k]));
      at += entry.raw_bytes[k];
      if (!cached[k]) {
        buffers[k] = piece;
        fresh[k] = true;
      }
    }
  };
  await Promise.all(
    entry.files.map((_, j) =>
      fetchPart(j).catch((e) => {
        stop.abort(e);
        throw e;
      }),
    ),
  );
  // Labels before images: the images' order comes from their labels.
  const order = entry.label_order || [null, null, null, null];
  const labelsFirst = [0, 1, 2, 3].sort((a, b) => Number(order[a] !== null) - Number(order[b] !== null));
  for (const k of labelsFirst) {
    if (!fresh[k]) continue;
    const by = order[k];
    if (by !== null) {
      const restored = labelOrder(buffers[k], buffers[by], true);
      // A pair that does not fit together is left as it is: the core refuses it with its reason.
      if (restored === buffers[k]) continue;
      buffers[k] = restored;
    }
    const problem = await checksumProblem(buffers[k], label[k], entry.sha256?.[k]);
    if (problem) throw new Error(`${problem}: run ./lab setup again`);
    if (cache) {
      // Only verified bytes are cached; a failed put only costs a download next time.
      const headers = { 'Content-Type': 'application/octet-stream', 'Content-Length': String(buffers[k].length) };
      cache.put(keys[k], new Response(buffers[k], { headers })).catch(() => {});
    }
  }
  return { buffers, fromCache: false };
}
