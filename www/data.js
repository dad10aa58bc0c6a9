// @ts-check
// Data loading: the manifest, and the four gzip-compressed IDX files of a data set, fetched with
// byte-level progress, decompressed with DecompressionStream('gzip') while they download,
// checked against the manifest's length and SHA-256 before their contents are used, and cached (compressed, verified) with the Cache API so that a
// second visit does not download them again.
//
// No DOM here: the worker imports this module and reports progress to the page by messages.

/** Where the manifest lives, relative to the page. */
export const MANIFEST_URL = 'data/manifest.json';
/** Cache API bucket for the compressed data files; bump the version to drop old entries. */
export const CACHE_NAME = 'softmax-lab-data-v1';
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
  if (!Array.isArray(entry.files) || entry.files.length !== 4 || !Array.isArray(entry.bytes) || entry.bytes.length !== 4
    || !entry.bytes.every((b) => Number.isSafeInteger(b) && b > 0) || (entry.sha256 !== undefined && !(Array.isArray(entry.sha256) && entry.sha256.length === 4))) {
    return { available: false, reason: 'data/manifest.json lists the files incorrectly' };
  }
  return { available: true, reason: '' };
}

async function openCache() {
  try {
    return typeof caches === 'undefined' ? null : await caches.open(CACHE_NAME);
  } catch {
    return null; // e.g. storage disabled: download every time
  }
}

/**
 * Lower-case hex SHA-256 of `bytes`, or null where the browser has no Web Crypto (a page
 * served over plain http to another machine): then only gzip's CRC-32 and the core's IDX
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
 * Read a response body completely, reporting bytes as they arrive. A body that ends early or
 * breaks off becomes an error that says how much arrived.
 * @param {ReadableStream<Uint8Array>} body
 * @param {string} path for messages
 * @param {number} expected bytes (from the manifest)
 * @param {(bytes: number) => void} onBytes
 * @returns {Promise<Uint8Array<ArrayBuffer>>}
 */
async function readBody(body, path, expected, onBytes) {
  const bytes = new Uint8Array(expected);
  let length = 0;
  const reader = body.getReader();
  /** Set when the body is longer than the manifest says: that error is the one to report. */
  let oversized = null;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (length + value.byteLength > expected) {
        throw (oversized = new Error(`${path} is larger than data/manifest.json says (${expected.toLocaleString('en')} bytes): run ./lab setup again`));
      }
      bytes.set(value, length);
      length += value.byteLength;
      onBytes(value.byteLength);
    }
  } catch (e) {
    reader.cancel().catch(() => {});
    if (e === oversized) throw e;
    throw new Error(`the download of ${path} broke off after ${length.toLocaleString('en')} of ${expected.toLocaleString('en')} bytes (${e.message || 'network error'})`, { cause: e });
  }
  if (length !== expected) {
    throw new Error(`the download of ${path} ended after ${length.toLocaleString('en')} of ${expected.toLocaleString('en')} bytes: the connection was interrupted`);
  }
  return bytes;
}

/**
 * Check compressed bytes against the manifest's SHA-256 (if it lists one).
 * @returns {Promise<string|null>} null if they match, else the problem.
 */
async function checksumProblem(bytes, path, want) {
  if (typeof want !== 'string') return null; // a manifest from before checksums: nothing to compare
  const got = await sha256Hex(bytes);
  if (got === null || got === want.toLowerCase()) return null;
  return `${path} is damaged: its SHA-256 is ${got.slice(0, 12)}…, data/manifest.json expects ${want.slice(0, 12)}…`;
}

/**
 * Decompress a gzip stream; resolves with the bytes or rejects with the error a user reads (the
 * file is not gzip). Started while the bytes still arrive; awaited only after they were checked.
 * @param {ReadableStream} stream
 * @param {string} path
 * @returns {Promise<Uint8Array>}
 */
function inflate(stream, path) {
  const plain = new Response(stream.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
  return plain.then(
    (b) => new Uint8Array(b),
    () => {
      throw new Error(`${path} could not be decompressed (it is not a complete gzip file)`);
    },
  );
}

/** Gunzip bytes that were already checked (a failure means the file is not gzip). */
function gunzip(bytes, path) {
  return inflate(new Blob([bytes]).stream(), path);
}

/**
 * One file, decompressed: from the cache if a verified copy is there, else from the network —
 * decompressed while it downloads, then verified (length and SHA-256 of the compressed bytes,
 * before its decompressed bytes are used) and cached.
 * @returns {Promise<Uint8Array>}
 */
async function fetchFile(cache, url, path, expected, sha256, report, notCached) {
  if (cache) {
    let bytes = null;
    try {
      const hit = await cache.match(url);
      if (hit) {
        bytes = new Uint8Array(await hit.arrayBuffer());
        if (bytes.length !== expected || (await checksumProblem(bytes, path, sha256))) {
          bytes = null;
          await cache.delete(url); // stale (the data was regenerated) or damaged: download again
        }
      }
    } catch {
      bytes = null; // fall through to the network
    }
    if (bytes) {
      report(bytes.length);
      return gunzip(bytes, path);
    }
  }
  notCached();
  let response;
  try {
    response = await fetch(url, { cache: 'no-cache' });
  } catch (e) {
    throw new Error(`cannot download ${path}: the network request failed (${e.message})`, { cause: e });
  }
  if (!response.ok || !response.body) {
    throw new Error(`${path} is missing on the server (HTTP ${response.status}): run ./lab setup`);
  }
  const [download, unzip] = response.body.tee();
  const plain = inflate(unzip, path);
  plain.catch(() => {}); // reported below, after the download's own errors and the checksum
  const bytes = await readBody(download, path, expected, report);
  const problem = await checksumProblem(bytes, path, sha256);
  if (problem) throw new Error(`${problem}: run ./lab setup again`);
  if (cache) {
    // Only verified bytes are cached; a failed put only costs a download next time.
    const headers = { 'Content-Type': 'application/octet-stream', 'Content-Length': String(bytes.length) };
    cache.put(url, new Response(bytes, { headers })).catch(() => {});
  }
  return plain;
}

/**
 * Download (or read from the cache), verify and decompress the four IDX files of a data set.
 * Each file's compressed bytes must have the manifest's length and SHA-256; the IDX contents
 * are validated afterwards by the core.
 * @param {string} baseUrl URL the relative data paths are resolved against.
 * @param {string} dataset "mnist" or "fashion".
 * @param {{files: string[], bytes: number[], sha256?: string[]}} entry The manifest entry.
 * @param {(p: {loaded: number, total: number, fromCache: boolean}) => void} onProgress
 *   Called with compressed bytes read so far out of the manifest's total.
 * @returns {Promise<{buffers: Uint8Array[], fromCache: boolean}>} in FILE_ROLES order.
 */
export async function fetchDataset(baseUrl, dataset, entry, onProgress) {
  if (typeof DecompressionStream === 'undefined') {
    throw new Error('this browser cannot decompress the data (no DecompressionStream): use a current Chrome, Edge, Firefox or Safari');
  }
  const total = entry.bytes.reduce((a, b) => a + b, 0);
  const cache = await openCache();
  let loaded = 0;
  let allCached = true;
  const report = (n) => {
    loaded += n;
    onProgress({ loaded: Math.min(loaded, total), total, fromCache: allCached });
  };
  onProgress({ loaded: 0, total, fromCache: false });
  // The four files at once, each decompressed as it arrives.
  const buffers = await Promise.all(
    entry.files.map((name, i) => {
      const path = `data/${dataset}/${name}`;
      const url = new URL(path, baseUrl).href;
      return fetchFile(cache, url, path, entry.bytes[i], entry.sha256?.[i], report, () => (allCached = false));
    }),
  );
  return { buffers, fromCache: allCached };
}
