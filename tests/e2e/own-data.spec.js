// "Your files…": a 3-class CSV made here from real MNIST test images of 0, 1 and 2 (with a
// names file) loads, trains past a floor, and the Draw, Learned and Softmax sections use its
// three class names; without a test file a share is held out; broken CSVs get the core's
// message with row and column, the model kept; a reload says the files must be picked again
// and falls back to MNIST; the share note says a link cannot carry files.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { test, expect, byId, num, waitNum, openLab, drawStrokes, ONE } from './support/lab.js';
import { REPO, mnistTest, testImage } from './support/mnist.js';

const SHOTS = join(REPO, 'tests', 'e2e', 'screenshots');
mkdirSync(SHOTS, { recursive: true });
const NAMES = ['zero', 'one', 'two'];

/** CSV rows `label,pixel0,…,pixel783` of the first `perClass` test images of each digit 0–2, from index `from`. */
function rows(perClass, from = 0) {
  const t = mnistTest();
  const count = [0, 0, 0];
  const out = [];
  for (let i = from; i < t.n && count.some((c) => c < perClass); i++) {
    const label = t.labels[i];
    if (label > 2 || count[label] >= perClass) continue;
    count[label] += 1;
    out.push(`${label},${Array.from(testImage(i)).join(',')}`);
  }
  return out;
}

const HEADER = `label,${Array.from({ length: 784 }, (_, j) => `pixel${j}`).join(',')}`;

function fixtures() {
  const dir = mkdtempSync(join(tmpdir(), 'softmax-lab-own-'));
  const write = (name, text) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const train = rows(100, 0); // 300 rows
  const test = rows(50, 5000); // 150 rows from the other half of the test set
  const ragged = [...train.slice(0, 2), train[2].split(',').slice(0, 20).join(','), ...train.slice(3, 10)];
  const value = train.slice(0, 10);
  value[4] = value[4].replace(/^(\d+),((?:\d+,){99})\d+/, '$1,$2256');
  const label = train.slice(0, 10);
  label[6] = label[6].replace(/^\d+/, '25');
  // The same 300 images as an IDX pair (MNIST's format: big-endian header, then bytes).
  const images = Buffer.alloc(16 + train.length * 784);
  images.writeUInt32BE(0x803, 0);
  images.writeUInt32BE(train.length, 4);
  images.writeUInt32BE(28, 8);
  images.writeUInt32BE(28, 12);
  const labels = Buffer.alloc(8 + train.length);
  labels.writeUInt32BE(0x801, 0);
  labels.writeUInt32BE(train.length, 4);
  train.forEach((row, i) => {
    const cells = row.split(',').map(Number);
    labels[8 + i] = cells[0];
    images.set(cells.slice(1), 16 + i * 784);
  });
  return {
    idxImages: write('own-images-idx3-ubyte', images),
    idxLabels: write('own-labels-idx1-ubyte', labels),
    train: write('train-012.csv', `${HEADER}\n${train.join('\n')}\n`),
    test: write('test-012.csv', `${test.join('\r\n')}\r\n`),
    names: write('names.txt', `${NAMES.join('\n')}\n`),
    ragged: write('ragged.csv', `${ragged.join('\n')}\n`),
    value: write('value.csv', `${value.join('\n')}\n`),
    label: write('label.csv', `${label.join('\n')}\n`),
  };
}

/** Open "Your files…" and choose the given files (train, test, names: paths or null). */
async function pick(page, { train, test = null, names = null, holdout = null }) {
  await byId(page, 'dataset').selectOption('files');
  await expect(byId(page, 'own-data')).toBeVisible();
  await byId(page, 'own-data-train').setInputFiles(train);
  await byId(page, 'own-data-test').setInputFiles(test ? [test] : []);
  await byId(page, 'own-data-names').setInputFiles(names ? [names] : []);
  if (holdout !== null) await byId(page, 'own-data-holdout').fill(String(holdout));
}

test.describe('your own data set', () => {
  test.setTimeout(180_000);

  test('a 3-class CSV trains, and Draw, Learned and Softmax use its class names', async ({ page }) => {
    const f = fixtures();
    await page.setViewportSize({ width: 1280, height: 800 });
    await openLab(page);
    await byId(page, 'dataset').selectOption('files');
    await expect(byId(page, 'own-data-limits')).toContainText('at most 128 MiB');
    await expect(byId(page, 'own-data-limits')).toContainText('2 to 20 classes');
    await byId(page, 'own-data').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'own-data-desktop.png') });
    await pick(page, f);
    await byId(page, 'own-data-load').click();
    await expect(byId(page, 'own-data-message')).toContainText('Loaded 300 training images and 150 test images; 3 classes: zero, one, two.');
    await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready');
    await expect(byId(page, 'status')).toContainText('your data set loaded (300 training and 150 test images)');
    await expect(byId(page, 'own-data-in-use')).toContainText('“train-012.csv” (training');
    await expect(byId(page, 'dataset')).toHaveValue('files');
    await expect(byId(page, 'share-note')).toContainText('cannot carry your files');
    expect(await byId(page, 'share-link').getAttribute('href')).toContain('dataset=mnist');
    await byId(page, 'own-data').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'own-data-loaded-desktop.png') });

    // A few hundred steps (batch 100: an epoch is 3 steps).
    await byId(page, 'speed').selectOption('full');
    await byId(page, 'play').click();
    await waitNum(page, 'step-count', (s) => s >= 300, { message: 'step-count reaches 300' });
    await byId(page, 'pause').click();
    await expect(byId(page, 'status')).toHaveAttribute('data-state', 'paused');
    const acc = await waitNum(page, 'test-accuracy', (a) => a > 0 && a <= 1);
    expect(acc, 'test accuracy on 150 held-back images of 0, 1, 2').toBeGreaterThan(0.9);

    // Draw: three bars with the names, a drawn 1 is "one".
    await drawStrokes(page, ONE, 4);
    await expect(page.locator('[data-testid^="prob-"]')).toHaveCount(3);
    await expect(byId(page, 'prob-1')).toContainText('one');
    await expect(byId(page, 'prob-0')).toContainText('zero');
    await expect(byId(page, 'prob-2')).toContainText('two');
    await expect(byId(page, 'prediction')).toHaveText('one');

    // Learned: three weight images, a 3 × 3 confusion matrix of the test set, its galleries.
    await page.locator('#learned').scrollIntoViewIfNeeded();
    await expect(page.locator('[data-testid^="learned-w-"]')).toHaveCount(3);
    await expect(byId(page, 'confusion-2-2')).toBeVisible();
    await expect(page.locator('[data-testid^="confusion-"][data-testid$="-3"]')).toHaveCount(0);
    let total = 0;
    for (let t = 0; t < 3; t++) for (let p = 0; p < 3; p++) total += await num(page, `confusion-${t}-${p}`);
    expect(total).toBe(150);
    await waitNum(page, 'confusion-accuracy', (a) => Math.abs(a - acc) < 1e-9);
    await byId(page, 'confusion-1-1').click();
    await expect.poll(async () => Number(await byId(page, 'gallery').getAttribute('data-count')), { message: 'the cell opens its test images' }).toBeGreaterThan(0);
    await expect(byId(page, 'confusion-matrix')).toContainText('two');

    // Softmax (§4): the table has three rows, named.
    await page.locator('#softmax').scrollIntoViewIfNeeded();
    await expect(page.locator('[data-testid^="softmax-row-"]')).toHaveCount(3);
    await expect(byId(page, 'softmax-row-2')).toContainText('two');

    // A reload: the files must be picked again; MNIST meanwhile.
    await page.waitForTimeout(300);
    await page.reload();
    await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    await expect(byId(page, 'notice-own-data')).toContainText('pick them again');
    await expect(byId(page, 'notice-own-data')).toContainText('“train-012.csv” (training');
    await expect(byId(page, 'notice-own-data')).toContainText('“names.txt” (class names');
    await expect(byId(page, 'dataset')).toHaveValue('mnist');
    await expect(page.locator('[data-testid^="prob-"]')).toHaveCount(10);
  });

  test('without a test file a share is held out; broken CSVs get the core\'s row and column', async ({ page }) => {
    const f = fixtures();
    await openLab(page);
    const mnistAcc = await num(page, 'test-accuracy');
    // [file, the core's message]
    const BAD = [
      [f.ragged, /^Not loaded: .*row 3 has 20 columns, every row needs 785.*The current model is kept\.$/],
      [f.value, /^Not loaded: .*row 5, column 101.*256.*The current model is kept\.$/],
      [f.label, /^Not loaded: .*row 7, column 1: label 25 is outside 0 … 19.*The current model is kept\.$/],
    ];
    const seen = [];
    for (const [file, message] of BAD) {
      await pick(page, { train: file });
      await byId(page, 'own-data-load').click();
      await expect(byId(page, 'own-data-message')).toHaveText(message);
      seen.push(await byId(page, 'own-data-message').textContent());
      expect(await num(page, 'test-accuracy'), 'the MNIST model is kept').toBe(mnistAcc);
      await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready');
    }
    test.info().annotations.push({ type: 'messages', description: seen.join('\n') });
    await byId(page, 'own-data-cancel').click();
    await expect(byId(page, 'own-data')).toBeHidden();
    await expect(byId(page, 'dataset')).toHaveValue('mnist');

    // Held out: 300 rows, a share of 0.2 → 60 test images, no names: the digits.
    await pick(page, { train: f.train, holdout: 0.2 });
    await byId(page, 'own-data-load').click();
    await expect(byId(page, 'own-data-message')).toContainText('Loaded 240 training images and 60 test images held out of the training file (share 0.2');
    await expect(byId(page, 'own-data-message')).toContainText('3 classes: 0, 1, 2.');
    await expect(byId(page, 'status')).toContainText('240 training and 60 test images');

    // An IDX images + labels pair (chosen together, in either order), half held out.
    await pick(page, { train: [f.idxLabels, f.idxImages], holdout: 0.5 });
    await byId(page, 'own-data-load').click();
    await expect(byId(page, 'own-data-message')).toContainText('Loaded 150 training images and 150 test images held out of the training file (share 0.5');

    await page.setViewportSize({ width: 390, height: 844 });
    await byId(page, 'own-data').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'own-data-phone.png') });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, 'the page does not scroll sideways').toBeLessThanOrEqual(0);
  });
});
