// Helpers of the hardening specs: stepping fast, the test-only worker hooks,
// downloading the exported weights, and broken copies of the real data files.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { labelOrder } from '../../../www/data-order.js';
import { expect, byId, waitNum } from './lab.js';
import { REPO, manifest } from './mnist.js';

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

export { manifest };

const MNIST = manifest().mnist;
/** The published names of the four IDX files, and which download (index into files) holds each. */
const NAMES = MNIST.names ?? MNIST.files.map((f) => f.replace(/\.xz$/, ''));
const PARTS = MNIST.parts ?? [[0], [1], [2], [3]];
const download = (name) => PARTS.findIndex((ks) => ks.includes(NAMES.indexOf(name)));

/** The download (its file name under data/mnist/) that holds the IDX file `name`. */
export const downloadName = (name) => MNIST.files[download(name)];

/** The served bytes (xz) of the download that holds data/mnist/<name>. */
export function mnistXz(name) {
  return readFileSync(join(REPO, 'data', 'mnist', downloadName(name)));
}

/** The published bytes of data/mnist/<name> (what the page must decode to). */
export function mnistRaw(name) {
  return readFileSync(join(REPO, 'data', 'mnist', name));
}

export const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** xz of `bytes` (a fast preset: the page reads any xz stream; setup uses -9e). */
export const xz = (bytes) => execFileSync('xz', ['-T1', '--check=crc32', '-1', '-c'], { input: bytes, maxBuffer: 1 << 27 });

/**
 * Download `j` as setup would write it, with some IDX files replaced (`raw`: name → bytes): its
 * files one after the other, each images file in the order of its labels (the replaced ones
 * where given), xz-compressed.
 */
function build(j, raw) {
  const of = (k) => raw[NAMES[k]] ?? mnistRaw(NAMES[k]);
  return xz(Buffer.concat(PARTS[j].map((k) => {
    const by = MNIST.label_order?.[k];
    return Buffer.from(by === null || by === undefined ? of(k) : labelOrder(of(k), of(by), false));
  })));
}

/**
 * Serve a broken copy of one MNIST file. `matchManifest`:
 * - true: `raw` is what the IDX file `name` is to decode to; the downloads that hold it or whose
 *   order it gives (an images file's labels) are made again with it, and the manifest's lengths
 *   and its SHA-256 are made to match, so that it passes every download check and reaches the
 *   core's IDX validation;
 * - 'length': `file` is served for the download that holds `name`, with the manifest's length
 *   made to match (it must fail to decode, or decode to other bytes);
 * - false: `file` with the real manifest, so that the download checks must catch it.
 */
export async function serveBrokenFile(page, name, file, { matchManifest = true, raw = null, status = 200 } = {}) {
  const m = manifest();
  const k = NAMES.indexOf(name);
  const bodies = new Map();
  if (matchManifest === true) {
    m.mnist.raw_bytes[k] = raw.length;
    m.mnist.sha256[k] = sha256(raw);
    const touched = new Set([download(name)]);
    (MNIST.label_order ?? []).forEach((by, i) => by === k && touched.add(download(NAMES[i])));
    for (const j of touched) bodies.set(j, build(j, { [name]: raw }));
  } else {
    bodies.set(download(name), file);
  }
  for (const [j, body] of bodies) {
    if (matchManifest) m.mnist.bytes[j] = body.length;
    await page.route(`**/data/mnist/${MNIST.files[j]}`, (route) => route.fulfill({ status, contentType: 'application/x-xz', body }));
  }
  await page.route('**/data/manifest.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(m) }));
}

/** The images file of a labels file (and back): a pair. */
const pairOf = (name) => (name.includes('-labels-') ? name.replace('-labels-idx1-', '-images-idx3-') : name.replace('-images-idx3-', '-labels-idx1-'));

/** Forget the verified copies of `names` (and their pairs) in the page's Cache API. */
export async function forgetCached(page, names) {
  if (!page.url().startsWith('http')) return;
  const all = [...new Set(names.flatMap((n) => [n, pairOf(n)]))];
  await page.evaluate(async (ns) => {
    const cache = await caches.open('softmax-lab-data-v2');
    await Promise.all(ns.map((n) => cache.delete(new URL(`data/mnist/${n}`, location.href).href)));
  }, all);
}
