// Bad input → a clear error, the model intact: hyperparameters typed into every box,
// divergence, what is drawn or dropped on the pad, and imported weights files. Each case checks
// what the user sees (the message, the marked control) and the state afterwards.
import { mkdirSync, truncateSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { test, expect, byId, num, waitNum, state, openLab, drawStrokes, probabilities, ONE } from './support/lab.js';
import { REPO, encodeGrayPng } from './support/mnist.js';
import { steps, exportWeights, importFile } from './support/hardening.js';

const SHOTS = join(REPO, 'tests', 'e2e', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

/**
 * Put text into a number box: numbers with fill (one input event, like a paste), anything
 * else typed key by key like a person (a number box will not take it any other way).
 */
async function type(page, id, text) {
  const box = byId(page, id);
  if (/^[-+]?[\d.]+(e\d+)?$/.test(text) || text === '') {
    await box.fill(text);
    return;
  }
  await box.click();
  await box.press('Control+a');
  await box.pressSequentially(text);
}

/** The error shown under a field (its aria-describedby error paragraph). */
const fieldError = (page, id) => page.locator(`#${id}-error`);

test.describe('hyperparameters', () => {
  // [box, typed, what the core's message must say]
  const BAD = [
    ['lr', '0', /^Learning rate must be a number greater than 0 and at most 100; got 0\.$/],
    ['lr', '-0.5', /learning rate must be a number greater than 0.*got -0\.5/i],
    ['lr', '101', /at most 100; got 101/],
    ['lr', '1e999', /learning rate must be a number.*got (inf|NaN)/i],
    ['lr', 'abc', /learning rate must be a number.*got NaN/i],
    ['lr', '', /learning rate must be a number.*got NaN/i],
    ['batch-size', '0', /^Batch size must be a whole number from 1 to 60000 \(the training-set size\); got 0\.$/],
    ['batch-size', '-5', /got -5/],
    ['batch-size', '2.5', /whole number.*got 2\.5/],
    ['batch-size', '60001', /from 1 to 60000.*got 60001/],
    ['batch-size', 'e', /batch size must be a whole number.*got NaN/i],
    ['l2', '-0.1', /^L2 strength α must be a number from 0 to 100; got -0\.1\.$/],
    ['l2', '1000', /from 0 to 100; got 1000/],
    ['seed', '-1', /^Seed must be a whole number from 0 to 4294967295; got -1\.$/],
    ['seed', '4294967296', /got 4294967296/],
    ['seed', '1.5', /whole number.*got 1\.5/],
    ['seed', 'x', /seed must be a whole number.*got NaN/i],
  ];

  test('every bad value marks its box with the core\'s reason, and training does not start with it', async ({ page }) => {
    await openLab(page);
    const table = [];
    for (const [i, [id, typed, message]] of BAD.entries()) {
      await type(page, id, typed);
      await expect(byId(page, id), `${id} = “${typed}” is marked`).toHaveAttribute('aria-invalid', 'true');
      await expect(fieldError(page, id)).toHaveText(message);
      await expect(fieldError(page, id)).toBeVisible();
      if (id === 'seed') {
        await expect(byId(page, 'reset')).toBeDisabled();
        await expect(byId(page, 'step')).toBeEnabled(); // the seed only matters for Reset
      } else {
        await expect(byId(page, 'step')).toBeDisabled();
        await expect(byId(page, 'play')).toBeDisabled();
        await expect(page.getByText('Fix the marked hyperparameter to train')).toBeVisible();
      }
      table.push(`${id}=“${typed}” → ${await fieldError(page, id).textContent()}`);
      if (BAD[i + 1]?.[0] === id) continue;
      // Last bad value of this box: undo, the box is valid again and training may start.
      await type(page, id, { lr: '0.05', 'batch-size': '100', l2: '0', seed: '541' }[id]);
      await expect(byId(page, id)).toHaveAttribute('aria-invalid', 'false');
      await expect(fieldError(page, id)).toBeHidden();
      await expect(byId(page, 'step')).toBeEnabled();
    }
    await expect(byId(page, 'step')).toBeEnabled();
    test.info().annotations.push({ type: 'messages', description: table.join('\n') });
    expect(await num(page, 'step-count')).toBe(0);

    // The message as a student sees it, on a desktop and on a phone.
    await type(page, 'lr', '-1');
    await type(page, 'batch-size', '2.5');
    await byId(page, 'lr').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'hardening-hyper-1280x800.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await byId(page, 'lr').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'hardening-hyper-390x844.png') });
  });

  test('while training plays, a bad value is not used: training goes on with the last valid one', async ({ page }) => {
    await openLab(page);
    await type(page, 'lr', '0.07');
    await expect(byId(page, 'lr')).toHaveAttribute('aria-invalid', 'false');
    await byId(page, 'play').click();
    await waitNum(page, 'step-count', (s) => s > 20);
    await type(page, 'lr', '-3');
    await expect(byId(page, 'lr')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByText('Training continues with the last valid value of the marked field.')).toBeVisible();
    const at = await num(page, 'step-count');
    await waitNum(page, 'step-count', (s) => s > at + 20, { message: 'training keeps running' });
    await byId(page, 'pause').click();
    await expect(byId(page, 'status')).toHaveAttribute('data-state', 'paused');
    const file = JSON.parse((await exportWeights(page)).text);
    expect(file.hyperparameters.learning_rate).toBe(0.07);
    // Paused with the bad value in the box: it cannot start again.
    await expect(byId(page, 'play')).toBeDisabled();
    await expect(byId(page, 'step')).toBeDisabled();
  });
});

test('divergence (ε = 100, α = 1) is caught at its step: paused, said, Reset offered, no NaN on a chart', async ({ page }) => {
  await openLab(page);
  await type(page, 'lr', '100');
  await type(page, 'l2', '1');
  await expect(byId(page, 'l2')).toHaveAttribute('aria-invalid', 'false');
  await byId(page, 'play').click();
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'error');
  const text = await byId(page, 'status').textContent();
  expect(text).toMatch(/^Training diverged at step (\d+): the loss became (inf|NaN|-inf).*Training is paused/);
  const at = Number(text.match(/step (\d+)/)[1]);
  // The step that diverged was not applied: the model stands at the step before.
  await waitNum(page, 'step-count', (s) => s === at - 1);
  await expect(byId(page, 'play')).toBeEnabled();
  await expect(byId(page, 'pause')).toBeDisabled();
  for (const chart of ['train-chart', 'test-chart']) {
    await expect(byId(page, chart)).toHaveAttribute('data-finite', 'true');
  }
  expect(Number(await byId(page, 'train-chart').getAttribute('data-points'))).toBeGreaterThan(0);
  expect(Number.isFinite(await num(page, 'train-loss'))).toBe(true);
  // The test figures belong to the last good weights; a loss too large to show says so.
  await expect(byId(page, 'test-loss')).not.toHaveText(/NaN/);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, 'hardening-diverged-1280x800.png') });

  // The offered Reset (beside the message) starts over; smaller ε trains normally.
  await byId(page, 'diverged-reset').click();
  await waitNum(page, 'step-count', (s) => s === 0);
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready');
  await type(page, 'lr', '0.05');
  await type(page, 'l2', '0');
  await steps(page, 5);
  expect(await state(page)).toBe('paused');
});

test.describe('drawing pad and image files', () => {
  const hint = (page) => page.locator('.prediction-hint');
  const padMessage = (page) => page.locator('.pad-message');

  test('empty pad, a dot, a full pad, 1×1 and 10 000×10 000 images, a non-image, an empty file, an SVG', async ({ page }) => {
    await openLab(page);
    await steps(page, 30);
    const pad = byId(page, 'draw-canvas');
    await pad.scrollIntoViewIfNeeded();

    // Empty pad: no prediction, "Draw a digit".
    await expect(byId(page, 'prediction')).toHaveText('–');
    await expect(hint(page)).toHaveText('Draw a digit');
    expect((await probabilities(page)).every(Number.isNaN)).toBe(true);

    // A single dot: classified, and told that a dot is not a digit.
    const box = await pad.boundingBox();
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await expect(byId(page, 'prediction')).toHaveText(/^[0-9]$/);
    await expect(padMessage(page)).toHaveText(/only a dot/);
    await byId(page, 'clear').click();
    await expect(padMessage(page)).toBeHidden();
    await expect(hint(page)).toHaveText('Draw a digit');

    // The whole pad inked white: nothing stands out, no prediction.
    await page.locator('#brush').fill('40');
    const rows = Array.from({ length: 11 }, (_, i) => [[0.01, Math.min(0.99, Math.max(0.01, i / 10))], [0.99, Math.min(0.99, Math.max(0.01, i / 10))]]);
    await drawStrokes(page, rows);
    await expect(hint(page)).toHaveText('No digit stands out');
    await expect(byId(page, 'prediction')).toHaveText('–');
    await expect(padMessage(page)).toHaveText(/all one colour/);
    await byId(page, 'clear').click();

    const open = async (file) => {
      await byId(page, 'image-input').setInputFiles(file);
      await expect(padMessage(page)).not.toHaveText(/^Reading/);
      return padMessage(page).textContent();
    };
    // 1×1 pixel: opened, but there is nothing to find in it.
    expect(await open({ name: 'pixel.png', mimeType: 'image/png', buffer: encodeGrayPng(1, 1, 255) }))
      .toBe('No digit found in “pixel.png” (1 × 1): the image has too little contrast.');
    await expect(byId(page, 'prediction')).toHaveText('–');
    // 10 000 × 10 000: refused from its header, before decoding 400 MB.
    expect(await open({ name: 'huge.png', mimeType: 'image/png', buffer: encodeGrayPng(10_000, 10_000, 255) }))
      .toMatch(/^“huge\.png” is 10,000 × 10,000 pixels \(100 megapixels\); the lab opens images up to 50 megapixels/);
    // Not an image at all, an image-named file that is not one, and an empty file.
    expect(await open({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('seven') })).toMatch(/^“notes\.txt” is not an image \(text\/plain\)/);
    expect(await open({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('this is not a PNG') })).toMatch(/^“fake\.png” could not be read as an image/);
    expect(await open({ name: 'empty.png', mimeType: 'image/png', buffer: Buffer.alloc(0) })).toMatch(/^“empty\.png” is empty/);
    await expect(byId(page, 'prediction')).toHaveText('–');
    await page.screenshot({ path: join(SHOTS, 'hardening-image-refused-1280x800.png') });

    // An SVG is drawn as an image (sandboxed: its script does not run, its outside image is not
    // fetched — the fixture fails the test on any request leaving the origin) and classified.
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="200">
      <rect width="200" height="200" fill="white"/>
      <path d="M100 30 L92 170" stroke="black" stroke-width="18" stroke-linecap="round"/>
      <image href="https://example.com/tracker.png" xlink:href="https://example.com/tracker.png" width="10" height="10"/>
      <script>fetch('https://example.com/leak')</script>
    </svg>`;
    expect(await open({ name: 'one.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(svg) })).toBe('“one.svg” (an SVG drawing): you can draw over it, or Clear.');
    await expect(byId(page, 'prediction')).toHaveText(/^[0-9]$/);
    const ps = await probabilities(page);
    expect(Math.abs(ps.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-3);
    expect(await state(page)).toBe('paused');
  });
});

test.describe('importing weights', () => {
  const dir = join(tmpdir(), `softmax-lab-import-${process.pid}`);
  test.beforeAll(() => mkdirSync(dir, { recursive: true }));
  test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('bad files are refused with the reason and the model is kept; a valid export restores the run', async ({ page }) => {
    await openLab(page);
    await steps(page, 60);
    await waitNum(page, 'test-accuracy', (a) => a > 0.5);
    const { text: good, name } = await exportWeights(page);
    const file = JSON.parse(good);
    await drawStrokes(page, ONE);
    await expect(byId(page, 'prediction')).toHaveText(/^[0-9]$/);
    const before = { acc: await num(page, 'test-accuracy'), step: await num(page, 'step-count'), probs: await probabilities(page) };

    const variant = (edit) => {
      const f = structuredClone(file);
      edit(f);
      return JSON.stringify(f);
    };
    const big = join(dir, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, 100 * 1024 * 1024); // 100 MB (sparse): must be refused before reading
    const cases = [
      ['broken.json', '{"format": "softmax-lab-weights", "version": 1, "W": [[0.1, ', /^“broken\.json” was not imported: .*(EOF|end of|not a weights file)/i],
      ['shape.json', variant((f) => f.W.pop()), /W must be 784 rows of 10 numbers/],
      ['short-row.json', variant((f) => f.W[5].push(0)), /W must be 784 rows of 10 numbers/],
      ['nan.json', good.replace(/"b":\[[^,\]]+/, '"b":[NaN'), /not a weights file|NaN/],
      ['inf.json', good.replace(/"b":\[[^,\]]+/, '"b":[1e39'), /infinite|number out of range/],
      ['version.json', variant((f) => (f.version = 2)), /format version 2 is not supported \(this lab reads version 1\)/],
      ['format.json', variant((f) => (f.format = 'keras')), /format is "keras"/],
      ['fashion.json', variant((f) => (f.dataset = 'fashion')), /these weights were trained on fashion, the lab is on mnist: switch the data set first/],
      [big, null, /^“big\.json” was not imported: the file is 104\.9 MB; a weights file is about 0\.2 MB and at most 16 MB is read\. The current model is kept\.$/],
    ];
    const table = [];
    for (const [fname, content, reason] of cases) {
      const message = await importFile(page, content === null ? fname : { name: fname, mimeType: 'application/json', buffer: Buffer.from(content) });
      expect(message).toMatch(reason);
      expect(message).toMatch(/The current model is kept\.$/);
      table.push(`${fname.split('/').pop()} → ${message}`);
      // The model is untouched: same test accuracy, same step, same probabilities for the drawing.
      expect(await num(page, 'test-accuracy')).toBe(before.acc);
      expect(await num(page, 'step-count')).toBe(before.step);
      expect(await probabilities(page)).toEqual(before.probs);
    }
    test.info().annotations.push({ type: 'import messages', description: table.join('\n') });
    await byId(page, 'import-message').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'hardening-import-refused-1280x800.png') });

    // Reset throws the model away; importing the export brings back its accuracy and step.
    await byId(page, 'reset').click();
    await waitNum(page, 'step-count', (s) => s === 0);
    await waitNum(page, 'test-accuracy', (a) => a < 0.5);
    const message = await importFile(page, { name, mimeType: 'application/json', buffer: Buffer.from(good) });
    expect(message).toMatch(new RegExp(`^Imported “${name}”: the model of step ${before.step} \\(seed 541\\), test accuracy`));
    await waitNum(page, 'test-accuracy', (a) => a === file.test.accuracy);
    expect(await num(page, 'step-count')).toBe(file.training.steps);
    expect(await num(page, 'examples-seen')).toBe(file.training.examples_seen);
    await expect.poll(() => probabilities(page)).toEqual(before.probs);
    // And it trains on from there.
    await steps(page, 3);
    expect(await state(page)).toBe('paused');
  });
});
