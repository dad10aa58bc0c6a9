// End-to-end tests of the lab page in headless Chromium.
// Every test also fails if the page logs a console error, throws, violates its CSP, requests
// something that is not there, or reaches outside its origin (fixture `problems`, support/lab.js).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, byId, num, waitNum, state, openLab, train, drawStrokes, touchStrokes, ONE, ZERO, expectPrediction } from './support/lab.js';
import { REPO, INPUT_DIM, mnistTest, testImage, scoreWeights, encodePng, scanOfDigit } from './support/mnist.js';
import { recordChartText, expectChartTextClear } from './support/chart-text.js';

const SHOTS = join(REPO, 'tests', 'e2e', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;

test('the page loads without console errors and becomes ready', async ({ page, problems }) => {
  await page.goto('/');
  // It says it is loading, then ready (never "error").
  await expect(byId(page, 'status')).toHaveAttribute('data-state', /^(loading|ready)$/);
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  // Every hook of the contract is on the page.
  const ids = ['draw-canvas', 'clear', 'image-input', 'prediction', 'step', 'play', 'pause', 'reset', 'lr', 'batch-size', 'l2', 'seed', 'dataset',
    'train-loss', 'test-loss', 'test-accuracy', 'examples-seen', 'examples-per-sec', 'step-count', 'epoch', 'export-weights', 'status',
    ...Array.from({ length: 10 }, (_, k) => `prob-${k}`)];
  for (const id of ids) await expect(byId(page, id), `data-testid=${id}`).toHaveCount(1);
  await expect(byId(page, 'image-input')).toHaveAttribute('type', 'file');
  expect(await byId(page, 'dataset').evaluate((el) => el.tagName)).toBe('SELECT');
  // A fresh model: nothing trained yet.
  expect(await num(page, 'step-count')).toBe(0);
  expect(await num(page, 'examples-seen')).toBe(0);
  // Let the page idle a moment so late errors (fonts, plots, worker start-up) are caught too.
  await page.waitForTimeout(1000);
  expect(problems).toEqual([]);
});

test('Step lowers the training loss over 50 steps', async ({ page }) => {
  await openLab(page);
  const batch = Number(await byId(page, 'batch-size').inputValue());
  const losses = [];
  for (let i = 1; i <= 50; i++) {
    // The first step a click, the others Enter on the button the click focused: the same button's
    // action, without a click's wait for the button to hold still over two frames of a busy page
    // (about 100 ms a click here; docs/speed.md).
    if (i === 1) await byId(page, 'step').click();
    else await page.keyboard.press('Enter');
    await waitNum(page, 'step-count', (s) => s === i, { timeout: 10_000, message: `step-count reaches ${i}` });
    losses.push(await waitNum(page, 'train-loss', Number.isFinite, { timeout: 10_000 }));
  }
  // The model starts from small random weights (W ~ N(0, 0.01²), b = 0), so the first
  // minibatch's loss is close to ln 10 ≈ 2.303, the loss of a uniform guess.
  expect(Math.abs(losses[0] - Math.log(10))).toBeLessThan(0.15);
  const first = mean(losses.slice(0, 5));
  const last = mean(losses.slice(-5));
  const summary = `first 5: ${first.toFixed(3)}, last 5: ${last.toFixed(3)}, first ${losses[0].toFixed(3)}, final ${losses[49].toFixed(3)}`;
  test.info().annotations.push({ type: 'losses', description: summary });
  if (process.env.E2E_VERBOSE) console.log(summary);
  expect(last).toBeLessThan(0.6 * first);
  expect(losses[49]).toBeLessThan(losses[0] - 0.8);
  await expect(byId(page, 'step')).toBeFocused();
  // The counters agree with 50 minibatches of the chosen size.
  expect(await num(page, 'examples-seen')).toBe(50 * batch);
  expect(await num(page, 'epoch')).toBeLessThan(1);
  expect(await state(page)).not.toBe('error');
});

test('Play then Pause stops the step counter', async ({ page }) => {
  await openLab(page);
  const batch = Number(await byId(page, 'batch-size').inputValue());
  const before = await num(page, 'step-count');
  await byId(page, 'play').click();
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'training');
  // It trains continuously: the counter keeps moving while playing.
  const a = await waitNum(page, 'step-count', (s) => s > before, { timeout: 20_000 });
  const b = await waitNum(page, 'step-count', (s) => s > a, { timeout: 20_000 });
  expect(b).toBeGreaterThan(before);
  await waitNum(page, 'examples-per-sec', (r) => r > 0, { message: 'examples/s is shown while playing' });

  await byId(page, 'pause').click();
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'paused');
  const paused = await num(page, 'step-count');
  await page.waitForTimeout(1200);
  expect(await num(page, 'step-count'), 'step-count after a second of pause').toBe(paused);
  expect(await num(page, 'examples-seen')).toBe(paused * batch);
  expect(await state(page)).toBe('paused');

  // Paused, Step still does exactly one minibatch.
  await byId(page, 'step').click();
  await waitNum(page, 'step-count', (s) => s === paused + 1, { timeout: 10_000 });
  await page.waitForTimeout(500);
  expect(await num(page, 'step-count')).toBe(paused + 1);

  // Reset starts over.
  await byId(page, 'reset').click();
  await waitNum(page, 'step-count', (s) => s === 0, { timeout: 10_000 });
  expect(await num(page, 'examples-seen')).toBe(0);
});

test('after one epoch, a drawn "1" and a drawn "0" are recognised', async ({ page }) => {
  await openLab(page);
  await train(page, 1);
  expect(await num(page, 'test-accuracy')).toBeGreaterThan(0.88);

  await drawStrokes(page, ONE);
  await expectPrediction(page, 1);

  await byId(page, 'clear').click();
  await expect(byId(page, 'prediction')).not.toHaveText('1');

  await drawStrokes(page, ZERO);
  await expectPrediction(page, 0);
});

test('an uploaded dark-on-light scan of a digit is classified', async ({ page }) => {
  await openLab(page);
  await train(page, 1);
  // Real MNIST test digits the 1-epoch model gets right with a wide margin, as "scans": dark ink
  // on grey, unevenly lit, noisy paper, 224×224. Three different labels, so a page that
  // ignores the image (or mistakes the paper for ink) cannot pass by luck.
  const { labels } = mnistTest();
  for (const [n, index] of [0, 1, 3].entries()) {
    const label = labels[index];
    const scan = scanOfDigit(testImage(index), { seed: 7 + index });
    const png = encodePng(scan.width, scan.height, scan.rgb);
    await byId(page, 'image-input').setInputFiles({ name: `scan-${n}-test${index}.png`, mimeType: 'image/png', buffer: png });
    await expectPrediction(page, label);
  }
  // What a student sees after opening a scan: the paper on the pad, the 28×28 the model sees.
  await byId(page, 'draw-canvas').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, 'desktop-upload-1280x800.png') });
});

test('exported weights reproduce the page\'s test accuracy when scored independently', async ({ page }) => {
  await openLab(page);
  const hyper = {
    learning_rate: Number(await byId(page, 'lr').inputValue()),
    batch_size: Number(await byId(page, 'batch-size').inputValue()),
    l2: Number(await byId(page, 'l2').inputValue()),
  };
  const seed = Number(await byId(page, 'seed').inputValue());
  await train(page, 1);
  const shown = { accuracy: await num(page, 'test-accuracy'), loss: await num(page, 'test-loss'), steps: await num(page, 'step-count') };

  const [download] = await Promise.all([page.waitForEvent('download'), byId(page, 'export-weights').click()]);
  expect(download.suggestedFilename()).toMatch(/\.json$/);
  const file = JSON.parse(readFileSync(await download.path(), 'utf8'));

  // The documented format, with the shapes of a 784 → 10 model.
  expect(file.format).toBe('softmax-lab-weights');
  expect(file.version).toBe(1);
  expect(file.dataset).toBe('mnist');
  expect(file.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  expect(file.input).toMatchObject({ width: 28, height: 28 });
  expect(file.W).toHaveLength(INPUT_DIM);
  for (const row of file.W) expect(row.length).toBe(10);
  expect(file.W.flat().every(Number.isFinite)).toBe(true);
  expect(file.b).toHaveLength(10);
  expect(file.input.std).toBeGreaterThan(0);
  // What the page was set to and where it stood.
  expect(file.hyperparameters).toEqual(hyper);
  expect(file.training.seed).toBe(seed);
  expect(file.training.steps).toBe(shown.steps);
  expect(file.training.examples_seen).toBe(shown.steps * hyper.batch_size);
  expect(file.training.epochs).toBeGreaterThanOrEqual(1);
  // The test figures in the file are the ones the page showed, on the full test set.
  expect(file.test.examples).toBe(10000);
  expect(file.test.accuracy).toBeCloseTo(shown.accuracy, 6);
  expect(file.test.loss).toBeCloseTo(shown.loss, 6);

  // Score independently in float64 over all 10 000 raw test images.
  const score = scoreWeights(file);
  const summary = `step ${shown.steps}: accuracy page ${shown.accuracy} / file ${file.test.accuracy} / node f64 ${score.accuracy}; loss file ${file.test.loss.toFixed(5)} / node ${score.loss.toFixed(5)}`;
  test.info().annotations.push({ type: 'scores', description: summary });
  if (process.env.E2E_VERBOSE) console.log(summary);
  expect(score.n).toBe(10000);
  expect(Math.abs(score.accuracy - file.test.accuracy)).toBeLessThanOrEqual(0.0005);
  expect(Math.abs(score.accuracy - shown.accuracy)).toBeLessThanOrEqual(0.0005);
  expect(Math.abs(score.loss - file.test.loss)).toBeLessThan(1e-3);
  expect(score.accuracy).toBeGreaterThan(0.88);
});

test.describe('screenshots for people to look at', () => {
  test('desktop 1280×800 after one epoch and a drawn digit', async ({ page }) => {
    await recordChartText(page);
    await openLab(page);
    await train(page, 1);
    await drawStrokes(page, ZERO);
    await expectPrediction(page, 0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'desktop-1280x800.png'), fullPage: true });
    await expectChartTextClear(page);
  });

  test.describe('phone', () => {
    test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    test('phone 390×844 after one epoch and a digit drawn with a finger', async ({ page }) => {
      await recordChartText(page);
      await openLab(page);
      // Nothing may stick out sideways on a phone.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, 'horizontal overflow in px').toBeLessThanOrEqual(0);
      await train(page, 1);
      await touchStrokes(page, ONE);
      await expectPrediction(page, 1);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(SHOTS, 'phone-390x844.png'), fullPage: true });
      await expectChartTextClear(page);
    });
  });
});
