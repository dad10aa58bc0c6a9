// Data loading: the manifest, and the four gzip-compressed IDX files of a data set, fetched with
// byte-level progress, decompressed with DecompressionStream('gzip') and cached (compressed) with
// the Cache API so that a second visit does not download them again.
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
    throw new Error(`cannot reach the server for ${MANIFEST_URL} (${e.message})`);
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
  if (!Array.isArray(entry.files) || entry.files.length !== 4 || !Array.isArray(entry.bytes) || entry.bytes.length !== 4) {
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

/** The cached response for `url` if its size matches the manifest, else null. */
async function cachedResponse(cache, url, expectedBytes) {
  if (!cache) return null;
  try {
    const hit = await cache.match(url);
    if (!hit) return null;
    if (Number(hit.headers.get('Content-Length')) === expectedBytes) return hit;
    await cache.delete(url); // stale: the data was regenerated
  } catch {
    /* fall through to the network */
  }
  return null;
}

/**
 * Stream a compressed response through gzip decompression, reporting compressed bytes read.
 * @param {Response} response
 * @param {(bytes: number) => void} onBytes
 * @returns {Promise<Uint8Array>}
 */
async function decompress(response, onBytes) {
  const reader = response.body.getReader();
  const counted = new ReadableStream({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) {
        controller.close();
      } else {
        onBytes(value.byteLength);
        controller.enqueue(value);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  const plain = counted.pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(plain).arrayBuffer());
}

/**
 * Download (or read from the cache) and decompress the four IDX files of one data set.
 * @param {string} baseUrl URL the relative data paths are resolved against.
 * @param {string} dataset "mnist" or "fashion".
 * @param {{files: string[], bytes: number[]}} entry The manifest entry.
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
  const buffers = await Promise.all(
    entry.files.map(async (name, i) => {
      const url = new URL(`data/${dataset}/${name}`, baseUrl).href;
      let response = await cachedResponse(cache, url, entry.bytes[i]);
      if (!response) {
        allCached = false;
        try {
          response = await fetch(url, { cache: 'no-cache' });
        } catch (e) {
          throw new Error(`cannot download data/${dataset}/${name} (${e.message})`);
        }
        if (!response.ok) {
          throw new Error(`data/${dataset}/${name} is missing (HTTP ${response.status}): run ./lab setup`);
        }
        if (cache) {
          // Store the compressed bytes while we read them; a failed put only costs a re-download.
          cache.put(url, response.clone()).catch(() => {});
        }
      }
      try {
        return await decompress(response, report);
      } catch {
        if (cache) cache.delete(url).catch(() => {});
        throw new Error(`data/${dataset}/${name} could not be decompressed (it is not a complete gzip file): run ./lab setup again`);
      }
    }),
  );
  return { buffers, fromCache: allCached };
}
