// @ts-check
/// <reference lib="webworker" />
// The service worker: an offline copy of the lab. It is served as /sw.js (at the scope of the page,
// which a static host cannot widen by a header) with `self.PRECACHE` prepended by
// scripts/precache.mjs: {version, files: [{path, sha256}]}, every file the page needs, relative to
// the scope. This file alone is only the template.
//
// - Install: every file is fetched (revalidated against the HTTP cache) and checked against its SHA-256 before it
//   goes into the cache of this version; one mismatch (the site changed while it was being copied)
//   or a cache that cannot be written (private mode, full quota) fails the install, so a version is
//   either whole or absent: new JS never runs with an old wasm. The page is told why and goes on
//   from the network, as without a service worker.
// - Fetch: the app's files are answered from the version's cache (the navigation to the page, with
//   any query, from its index.html). Everything else — the data sets, which www/data.js caches and
//   checks itself — goes to the network untouched.
// - Update: a new version installs beside the old one and waits; the page offers to reload into it
//   (message 'skip-waiting'); otherwise it takes over on the next visit, once no tab runs the old one.
//   Activation drops the caches of older versions.

const sw = /** @type {ServiceWorkerGlobalScope & {PRECACHE: {version: string, files: {path: string, sha256: string}[]}}} */ (
  /** @type {unknown} */ (self)
);
const { version, files } = sw.PRECACHE;
const PREFIX = 'softmax-lab-app-';
const CACHE = `${PREFIX}${version}`;
/** Files fetched at once while installing. */
const PARALLEL = 6;

const scope = new URL(sw.registration.scope);
/** Absolute URL (no query) → true, for every precached file. */
const APP = new Set(files.map((f) => new URL(f.path, scope).href));
const INDEX = new URL('index.html', scope).href;

/** @param {ArrayBuffer} bytes */
async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Copy every file of this version into its cache, checked; all or nothing. */
async function precache() {
  const cache = await caches.open(CACHE);
  const queue = [...files];
  async function worker() {
    for (let f = queue.shift(); f; f = queue.shift()) {
      const url = new URL(f.path, scope).href;
      // Revalidated, not downloaded again: most files are in the HTTP cache from the visit that
      // installs this, and the hash check below is what guarantees one whole version.
      const response = await fetch(url, { cache: 'no-cache', credentials: 'same-origin' });
      if (!response.ok) throw new Error(`${f.path}: HTTP ${response.status}`);
      const bytes = await response.clone().arrayBuffer();
      if ((await sha256(bytes)) !== f.sha256) throw new Error(`${f.path} changed while the offline copy was being made`);
      await cache.put(url, response);
    }
  }
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}

/** Tell every page of this scope (controlled or not) something about the offline copy. */
async function tell(message) {
  const pages = await sw.clients.matchAll({ includeUncontrolled: true, type: 'window' });
  for (const page of pages) page.postMessage({ source: 'softmax-lab-sw', version, ...message });
}

sw.addEventListener('install', (event) => {
  event.waitUntil(
    precache().then(
      () => tell({ type: 'installed' }),
      async (e) => {
        await caches.delete(CACHE).catch(() => {});
        const reason = e && e.name === 'QuotaExceededError' ? 'the browser has no room to store it' : String((e && e.message) || e);
        await tell({ type: 'failed', reason });
        throw e;
      },
    ),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await sw.clients.claim();
      await tell({ type: 'active' });
    })(),
  );
});

sw.addEventListener('message', (event) => {
  const data = event.data;
  if (data && data.type === 'skip-waiting') sw.skipWaiting();
  else if (data && data.type === 'version' && event.source) event.source.postMessage({ source: 'softmax-lab-sw', type: 'version', version });
});

/** @param {Request} request */
function appUrl(request) {
  const url = new URL(request.url);
  if (url.origin !== scope.origin) return null;
  // The embed view (?embed=…) is the one page another site may frame: its frame-ancestors
  // header comes from the server for that request, which the cached page (sent with
  // frame-ancestors 'none') does not carry. It goes to the network.
  if (request.mode === 'navigate' && url.searchParams.has('embed')) return null;
  url.search = '';
  url.hash = '';
  if (request.mode === 'navigate' && (url.href === scope.href || url.href === INDEX)) return INDEX;
  return APP.has(url.href) ? url.href : null;
}

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = appUrl(request);
  if (!url) return; // the data sets and anything else: the network, as without a service worker
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const hit = await cache.match(url);
      return hit || fetch(request);
    })(),
  );
});
