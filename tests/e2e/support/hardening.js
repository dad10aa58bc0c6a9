// Helpers of the hardening specs: stepping fast, the test-only worker hooks,
// downloading the exported weights, and broken copies of the real data files.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { expect, byId, waitNum } from './lab.js';
import { REPO } from './mnist.js';

/**
 * Run exactly `n` more minibatch steps with the Step button (keyboard: one request per press,
 * answered in order) and wait until the page shows them.
 */
export async function steps(page, n) {
  const start = Number(await byId(page, 'step-count').getAttribute('data-value'));
  await byId(page, 'step').focus();
  for (let i = 0; i < n; i++) await page.keyboard.press('Enter');
  await waitNum(page, 'step-count', (s) => s === start + n, { timeout: 30_000, message: `step-count reaches ${start + n}` });
}

/** Wait until the session says it saved a checkpoint of `step` in IndexedDB. */
export async function savedAt(page, step) {
  await waitNum(page, 'saved', (s) => s === step, { timeout: 15_000, message: `a checkpoint of step ${step} is saved` });
}

/**
 * Send a test-only request to the training worker (docs/testing.md, "Test hooks"): 'trap', 'throw',
 * 'close', 'hang' or 'memory'. Resolves with the worker's answer (crashing ones answer null
 * first, or never).
 */
export function workerTest(page, action, { wait = true } = {}) {
  return page.evaluate(
    ({ action, wait }) =>
      new Promise((resolve) => {
        window.dispatchEvent(new CustomEvent('softmax-lab-test', { detail: { action, reply: resolve } }));
        if (!wait) resolve(null);
      }),
    { action, wait },
  );
}

/** Click "Export weights" and parse the downloaded file. */
export async function exportWeights(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), byId(page, 'export-weights').click()]);
  return { text: readFileSync(await download.path(), 'utf8'), name: download.suggestedFilename() };
}

/** Choose a weights file in "Import weights…" and wait for the outcome message. */
export async function importFile(page, file) {
  const before = await byId(page, 'import-message').textContent();
  await byId(page, 'import-weights').setInputFiles(file);
  await expect(byId(page, 'import-message')).not.toHaveText(before || '');
  return byId(page, 'import-message').textContent();
}

/** The served (gzipped) bytes of data/mnist/<name>. */
export function mnistGz(name) {
  return readFileSync(join(REPO, 'data', 'mnist', `${name}.gz`));
}

/** The uncompressed bytes of data/mnist/<name> (from its .gz, as the page gets them). */
export function mnistRaw(name) {
  return gunzipSync(mnistGz(name));
}

/** The real manifest. */
export function manifest() {
  return JSON.parse(readFileSync(join(REPO, 'data', 'manifest.json'), 'utf8'));
}

export const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/**
 * Serve `gz` for one MNIST file, and a manifest whose length and SHA-256 for that file match it
 * (`matchManifest`), so that the file passes the download checks and reaches the core's IDX
 * validation; or the real manifest, so that the checksum must catch it.
 */
export async function serveBrokenFile(page, name, gz, { matchManifest = true, status = 200 } = {}) {
  const m = manifest();
  if (matchManifest) {
    const i = m.mnist.files.indexOf(`${name}.gz`);
    m.mnist.bytes[i] = gz.length;
    m.mnist.sha256[i] = sha256(gz);
  }
  await page.route('**/data/manifest.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(m) }));
  await page.route(`**/data/mnist/${name}.gz`, (route) => route.fulfill({ status, contentType: 'application/octet-stream', body: gz }));
}

/** gzip like scripts/fetch-data.sh does. */
export const gzip = (bytes) => gzipSync(bytes, { level: 9 });
