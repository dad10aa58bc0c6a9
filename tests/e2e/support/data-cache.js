// The data sets as a second visit finds them: the decoded, published IDX files put into the
// context's Cache API under the keys www/data.js reads, before the test's page opens. Most specs
// open the lab in a fresh browser context, and without this each of them downloads MNIST and
// decodes 55 MB of xz afresh — seconds of CPU per page on a 2-core machine, and no part of what
// those specs assert. The page still reads the copies the way it reads its own (length and
// SHA-256 checked against data/manifest.json), so a wrong copy would fail the test, not pass it.
// Specs about downloading itself (broken files, progress, the offline copy, the bytes over the
// wire) opt out with `test.use({ dataCache: 'cold' })`.
import { CACHE_NAME } from '../../../www/data.js';
import { manifest } from './mnist.js';

/**
 * Put the decoded files of `datasets` into `context`'s data cache for the origin of `baseURL`.
 * The test server (scripts/serve.mjs --test-data) serves them at the very URLs that are the
 * cache's keys. Does nothing for a data set the manifest does not list as available.
 * @param {import('@playwright/test').BrowserContext} context
 * @param {string} baseURL the page's URL (the cache keys are resolved against it)
 * @param {string[]} datasets e.g. ['mnist']
 */
export async function prefillDataCache(context, baseURL, datasets) {
  const m = manifest();
  const keys = datasets.flatMap((set) => (m[set]?.status === 'available' && Array.isArray(m[set].names)
    ? m[set].names.map((name) => new URL(`data/${set}/${name}`, baseURL).href)
    : []));
  if (keys.length === 0) return;
  const page = await context.newPage();
  try {
    // Any document of the origin will do; the manifest is the smallest one the server sends.
    await page.goto(new URL('data/manifest.json', baseURL).href);
    await page.evaluate(async ({ cacheName, urls }) => {
      const cache = await caches.open(cacheName);
      await cache.addAll(urls);
    }, { cacheName: CACHE_NAME, urls: keys });
  } finally {
    await page.close();
  }
}
