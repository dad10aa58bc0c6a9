// Data files: every way a downloaded file can be wrong gives a clear message and a
// Retry button; the page stays usable (the form validates, the pad answers, nothing hangs) and
// Retry loads the data once the problem is gone. Broken files are made from the real ones and
// served with page.route (the worker's requests go through it too): on the wire (cut short,
// corrupt, not xz at all, decoding to other bytes than the published file) and inside (IDX
// files the core refuses, with a manifest that matches them so that they get that far).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, byId, num, waitNum, drawStrokes, ONE } from './support/lab.js';
import { REPO } from './support/mnist.js';
import { downloadName, forgetCached, manifest, mnistRaw, mnistXz, xz, serveBrokenFile, steps } from './support/hardening.js';

// Every test here is about the download: the data cache starts empty.
test.use({ dataCache: 'cold' });

const SHOTS = join(REPO, 'tests', 'e2e', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

const LABELS = 't10k-labels-idx1-ubyte';
const IMAGES = 't10k-images-idx3-ubyte';

/** A copy of a real file changed by `edit(buffer)`; returns the new buffer. */
function edited(name, edit) {
  const b = Buffer.from(mnistRaw(name));
  const out = edit(b);
  return Buffer.isBuffer(out) ? out : b;
}

/** The bytes with one bit of byte `at` flipped (same length: only the checksum can tell). */
function flipped(bytes, at) {
  const b = Buffer.from(bytes);
  b[at] ^= 0x10;
  return b;
}

const M = manifest().mnist;
/** The download that holds the test labels, its path as messages name it, and its length. */
const LABELS_XZ = downloadName(LABELS);
const LABELS_PATH = `data/mnist/${LABELS_XZ}`.replace(/[.]/g, '\\.');
const LABELS_BYTES = M.bytes[M.files.indexOf(LABELS_XZ)].toLocaleString('en');

// [what, file, () => {file: bytes on the wire} | {raw: what the IDX file decodes to}, manifest matches?, status message]
const CASES = [
  ['wrong magic', LABELS, () => packed(edited(LABELS, (b) => b.writeUInt32BE(0x00000803, 0))), true,
    /^Mnist test set labels: not an IDX label file \(magic number 0x00000803, expected 0x00000801\)\. The data files are damaged: run \.\/lab setup again\./i],
  ['truncated', IMAGES, () => packed(mnistRaw(IMAGES).subarray(0, 5_000_000)), true,
    /test set images: file is truncated \(5000000 bytes, the header promises 7840016\)/i],
  ['count mismatch', LABELS, () => packed(edited(LABELS, (b) => b.writeUInt32BE(9999, 4) && b.subarray(0, 8 + 9999))), true,
    /test set: 10000 images but 9999 labels/i],
  ['label out of range', LABELS, () => packed(edited(LABELS, (b) => void (b[8 + 5] = 10))), true,
    /test set labels: label 10 at index 5 is outside 0\.\.10/i],
  ['corrupt (one byte changed on the way)', LABELS, () => ({ file: flipped(mnistXz(LABELS), 2000) }), false,
    /^Data\/mnist\/t10k-labels-idx1-ubyte\.xz is damaged: its compressed data is corrupt: run \.\/lab setup again\./],
  ['wrong hash (a valid xz file of other bytes)', LABELS, () => ({ file: xz(edited(LABELS, (b) => void (b[8 + 5] ^= 1))) }), 'length',
    /^Data\/mnist\/t10k-labels-idx1-ubyte\.xz is damaged: what it decodes to has SHA-256 [0-9a-f]{12}…, data\/manifest\.json expects [0-9a-f]{12}…: run \.\/lab setup again\./],
  ['not xz (a web page instead of the file)', LABELS, () => ({ file: Buffer.from('<!doctype html><title>Page not found</title><p>Sorry, this page does not exist.') }), 'length',
    /^Data\/mnist\/t10k-labels-idx1-ubyte\.xz is damaged: it is not an xz file: run \.\/lab setup again\./],
  // On the wire, the test labels' download (small: the case fails fast; the images download,
  // most of the data set, is cut short or too long the same way).
  ['cut short', LABELS, () => ({ file: mnistXz(LABELS).subarray(0, 2_000) }), false,
    new RegExp(`^The download of ${LABELS_PATH} ended after 2,000 of ${LABELS_BYTES} bytes: the connection was interrupted\\.`, 'i')],
  ['too long', LABELS, () => ({ file: Buffer.concat([mnistXz(LABELS), Buffer.alloc(10)]) }), false,
    new RegExp(`^${LABELS_PATH} is larger than data/manifest\\.json says \\(${LABELS_BYTES} bytes\\): run \\./lab setup again\\.`, 'i')],
];

/** A broken IDX file: serveBrokenFile makes the downloads that hold it (or need its order) again. */
function packed(raw) {
  return { file: null, raw };
}

test.describe('broken data files', () => {
  // A broken file ends the load while the other downloads may still run: going to the next case
  // aborts them (the images download is most of the data set).
  test.use({ allowProblems: /HTTP 404: .*t10k-labels|Failed to load resource.*404|request failed: .*t10k-labels.*ERR_INTERNET_DISCONNECTED|request failed: .*\/data\/mnist\/[a-z0-9-]+\.xz net::ERR_ABORTED/ });
  test.setTimeout(600_000); // nine broken loads; four serve a rebuilt images download (55 MB to decode)

  test('each broken file: a clear message with Retry, the rest of the page keeps working', async ({ page }) => {
    const table = [];
    for (const [what, name, make, matchManifest, message] of CASES) {
      await page.unrouteAll();
      // A verified copy in the browser's cache would be used without asking the network.
      await forgetCached(page, [name]);
      const { file, raw } = make();
      await serveBrokenFile(page, name, file, { matchManifest, raw });
      await page.goto('/');
      await expect(byId(page, 'status'), what).toHaveAttribute('data-state', 'error', { timeout: 120_000 });
      await expect(byId(page, 'status'), what).toHaveText(message);
      await expect(byId(page, 'status')).toHaveText(/Sections that need no data still work\.$/);
      await expect(byId(page, 'retry'), `${what}: Retry is offered`).toBeVisible();
      table.push(`${what} → ${await byId(page, 'status').textContent()}`);
    }
    test.info().annotations.push({ type: 'messages', description: table.join('\n') });

    // With no data, the rest of the page still answers: the form validates, the pad says why
    // it cannot classify, and training cannot start.
    await expect(byId(page, 'step')).toBeDisabled();
    await byId(page, 'lr').fill('-1');
    await expect(byId(page, 'lr')).toHaveAttribute('aria-invalid', 'true');
    await byId(page, 'lr').fill('0.05');
    await drawStrokes(page, ONE);
    await expect(page.locator('.prediction-hint')).toHaveText('No model: the data set did not load (see the message at the top)');
    // A lecture section that needs no data (σ(z) from the core in the worker) still answers.
    await byId(page, 'sigmoid-slider').evaluate((slider) => {
      slider.value = '0';
      slider.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await waitNum(page, 'sigmoid-value', (v) => v === 0.5, { message: 'σ(0) = 0.5 is shown without data' });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'hardening-data-error-1280x800.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SHOTS, 'hardening-data-error-390x844.png') });

    // The real files again: Retry loads them (decoded, put in order, checked).
    await page.unrouteAll();
    await byId(page, 'retry').click();
    await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    await waitNum(page, 'test-accuracy', (a) => a > 0 && a < 0.3);
  });

  test('a missing file (404) and a network error, then Retry once the network is back', async ({ page }) => {
    await page.route(`**/data/mnist/${LABELS}.xz`, (route) => route.fulfill({ status: 404, body: 'not found' }));
    await page.goto('/');
    await expect(byId(page, 'status')).toHaveText(/^Data\/mnist\/t10k-labels-idx1-ubyte\.xz is missing on the server \(HTTP 404\): run \.\/lab setup\./, { timeout: 60_000 });
    await page.unrouteAll();
    await page.route(`**/data/mnist/${LABELS}.xz`, (route) => route.abort('internetdisconnected'));
    await byId(page, 'retry').click();
    await expect(byId(page, 'status')).toHaveText(/^Cannot download data\/mnist\/t10k-labels-idx1-ubyte\.xz: the network request failed \(Failed to fetch\)\./);
    await expect(byId(page, 'retry')).toBeVisible();
    // The network is back: Retry loads the data (the files already verified come from the cache).
    await page.unrouteAll();
    await byId(page, 'retry').click();
    await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    await expect(byId(page, 'retry')).toBeHidden();
    await waitNum(page, 'test-accuracy', (a) => a > 0 && a < 0.3);
    await steps(page, 5);
    expect(await num(page, 'examples-seen')).toBe(500);
  });
});
