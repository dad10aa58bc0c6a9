// One SGD step in slow motion: the panel's matrices against each other and the lecture's formulas
// (Ŷ = softmax(Z) recomputed here from the Z cells, Ŷ − Y, ∇b the column means of Ŷ − Y), the
// step it is of, applying it (one real Step: the step count, the minibatch loss and the weights
// after are the view's), stale views, walking the stages, large batches, Fashion-MNIST's names,
// and the layout at 1280 × 800 and 390 × 844 (screenshots in tests/e2e/screenshots/).
import { exportWeights, importFile, steps } from './support/hardening.js';
import { byId, expect, num, openLab, test } from './support/lab.js';

const SHOTS = 'tests/e2e/screenshots';

/** The cells of a heat map as a matrix of numbers (rows × c), from their data-value. */
async function matrix(page, testid) {
  const cells = await page.locator(`[data-testid="${testid}"] td[data-value]`).evaluateAll((tds) =>
    tds.map((td) => ({ i: Number(td.getAttribute('data-i')), k: Number(td.getAttribute('data-k')), v: Number(td.getAttribute('data-value')) })),
  );
  const m = [];
  for (const { i, k, v } of cells) (m[i] ??= [])[k] = v;
  return m;
}

/** data-value of every hook whose testid starts with `prefix` and ends in a class index, in order. */
async function series(page, prefix, c) {
  const out = [];
  for (let k = 0; k < c; k++) out.push(await byId(page, `${prefix}-${k}`).getAttribute('data-value'));
  return out;
}

/** data-norm (‖w⁽ᵏ⁾‖) of the weight images `prefix-k`. */
async function norms(page, prefix, c) {
  const out = [];
  for (let k = 0; k < c; k++) out.push(await byId(page, `${prefix}-${k}`).getAttribute('data-norm'));
  return out;
}

/** Scroll to the panel and wait until it shows the step the Train model takes next. */
async function currentView(page) {
  const panel = byId(page, 'step-view');
  await panel.scrollIntoViewIfNeeded();
  const next = (await num(page, 'step-count')) + 1;
  await expect(panel).toHaveAttribute('data-state', 'current');
  await expect(panel).toHaveAttribute('data-step', String(next));
  return next;
}


/** Scroll to the panel and take the Train model's next minibatch (nothing shown yet, or stale). */
async function takeNext(page) {
  const panel = byId(page, 'step-view');
  await panel.scrollIntoViewIfNeeded();
  await expect(panel).toHaveAttribute('data-state', /empty|stale/);
  await expect(byId(page, 'step-view-refresh')).toBeEnabled();
  await byId(page, 'step-view-refresh').click();
  return currentView(page);
}

test('the step view is the lecture’s vectorised gradient, and applying it is the real next step', async ({ page }) => {
  await openLab(page);
  await byId(page, 'batch-size').fill('10');
  await byId(page, 'l2').fill('0.001');
  await byId(page, 'lr').fill('0.1');
  await steps(page, 3);
  const step = await takeNext(page);
  expect(step).toBe(4);
  expect(await num(page, 'step-view-step')).toBe(4);
  expect(await num(page, 'step-view-n')).toBe(10);
  await expect(byId(page, 'step-view')).toHaveAttribute('data-rows', '10');
  await expect(byId(page, 'step-view-rows')).toHaveText(/All 10 rows/);

  const z = await matrix(page, 'step-view-z');
  const yHat = await matrix(page, 'step-view-yhat');
  const y = await matrix(page, 'step-view-y');
  const residual = await matrix(page, 'step-view-residual');
  expect(z.length).toBe(10);
  for (const m of [z, yHat, y, residual]) for (const row of m) expect(row.length).toBe(10);
  const labels = await page.locator('[data-testid^="step-view-x-"]').evaluateAll((fs) => fs.map((f) => Number(f.getAttribute('data-label'))));
  expect(labels.length).toBe(10);
  for (let i = 0; i < 10; i++) {
    // Ŷ = softmax(Z), recomputed here in float64 from the Z cells; its rows sum to 1.
    const m = Math.max(...z[i]);
    const e = z[i].map((v) => Math.exp(v - m));
    const sum = e.reduce((a, b) => a + b, 0);
    for (let k = 0; k < 10; k++) expect(Math.abs(yHat[i][k] - e[k] / sum), `Ŷ[${i},${k}]`).toBeLessThan(1e-6);
    expect(Math.abs(yHat[i].reduce((a, b) => a + b, 0) - 1), `row ${i} of Ŷ sums to 1`).toBeLessThan(1e-5);
    // Y one-hot at the image's label; Ŷ − Y cell by cell.
    expect(y[i]).toEqual(Array.from({ length: 10 }, (_, k) => (k === labels[i] ? 1 : 0)));
    for (let k = 0; k < 10; k++) expect(Math.abs(residual[i][k] - (yHat[i][k] - y[i][k])), `(Ŷ − Y)[${i},${k}]`).toBeLessThan(1e-7);
  }
  // ∇b = the column means of Ŷ − Y (every row of the minibatch is shown).
  const gradB = (await series(page, 'step-view-gradb', 10)).map(Number);
  for (let k = 0; k < 10; k++) {
    const mean = residual.reduce((a, row) => a + row[k], 0) / 10;
    expect(Math.abs(gradB[k] - mean), `∇b[${k}]`).toBeLessThan(1e-6);
  }
  await expect(byId(page, 'step-view-gradw-note')).toContainText('2αW (α = 0.001)');

  // Apply: one real Step of the Train model — the step count, its minibatch loss, its weights.
  const loss = await byId(page, 'step-view-loss').getAttribute('data-value');
  const bAfter = await series(page, 'step-view-b-after', 10);
  const wAfter = await norms(page, 'step-view-w-after', 10);
  const bBefore = await series(page, 'step-view-b-before', 10);
  expect(bAfter, 'the step moves b').not.toEqual(bBefore);
  await byId(page, 'step-view-apply').click();
  await expect(byId(page, 'step-count')).toHaveAttribute('data-value', '4');
  await expect(byId(page, 'step-view-applied')).toHaveAttribute('data-step', '4');
  expect(await byId(page, 'step-view-applied').getAttribute('data-value'), 'the minibatch loss of the real step is the view’s').toBe(loss);
  await expect(byId(page, 'train-loss')).not.toHaveAttribute('data-value', '0');
  // The panel takes the next minibatch: its W and b before are the weights the model now has,
  // and they are exactly what the view said they would be after.
  expect(await currentView(page)).toBe(5);
  expect(await series(page, 'step-view-b-before', 10)).toEqual(bAfter);
  expect(await norms(page, 'step-view-w-before', 10)).toEqual(wAfter);
});

test('stages walk in order; a view goes stale when the model moves or the settings change', async ({ page }) => {
  await openLab(page);
  // Nothing is taken by itself (it would move the sections below while the page scrolls).
  await byId(page, 'step-view').scrollIntoViewIfNeeded();
  await expect(byId(page, 'step-view')).toHaveAttribute('data-state', 'empty');
  await expect(byId(page, 'step-view-apply')).toBeDisabled();
  expect(await takeNext(page)).toBe(1);
  // The default batch of 100: the first 16 rows are shown, and it says so.
  await expect(byId(page, 'step-view-rows')).toHaveText('Showing the first 16 of 100 rows of X, Y, Z, Ŷ and Ŷ − Y; ∇W, ∇b and W are of all 100.');
  expect((await matrix(page, 'step-view-z')).length).toBe(16);
  await expect(page.locator('[data-testid^="step-view-x-"]')).toHaveCount(16);

  const stage = byId(page, 'step-view-stage');
  await expect(stage).toHaveAttribute('data-value', '0');
  await expect(byId(page, 'step-view-x')).toBeVisible();
  await expect(byId(page, 'step-view-y')).toBeHidden();
  const order = ['step-view-x', 'step-view-y', 'step-view-z', 'step-view-yhat', 'step-view-residual', 'step-view-gradw', 'step-view-gradb', 'step-view-w-after'];
  for (let i = 1; i < order.length; i++) {
    await byId(page, 'step-view-next').click();
    await expect(stage).toHaveAttribute('data-value', String(i));
    await expect(byId(page, order[i])).toBeVisible();
    if (i + 1 < order.length) await expect(byId(page, order[i + 1])).toBeHidden();
  }
  await expect(byId(page, 'step-view-next')).toBeDisabled();
  await byId(page, 'step-view-prev').click();
  await expect(stage).toHaveAttribute('data-value', '6');
  await expect(byId(page, 'step-view-w-after')).toBeHidden();
  await byId(page, 'step-view-all').click();
  await expect(stage).toHaveAttribute('data-value', '7');
  await page.screenshot({ path: `${SHOTS}/step-view-desktop.png`, fullPage: false });
  await byId(page, 'step-view').screenshot({ path: `${SHOTS}/step-view-desktop-panel.png` });

  // A Step of the Train section: the view is of a step already taken.
  await expect(byId(page, 'step-view-apply')).toBeEnabled();
  await steps(page, 1);
  await expect(byId(page, 'step-view')).toHaveAttribute('data-state', 'stale');
  await expect(byId(page, 'step-view-stale')).toBeVisible();
  await expect(byId(page, 'step-view-stale')).toContainText('stale');
  await expect(byId(page, 'step-view-apply')).toBeDisabled();
  await byId(page, 'step-view-refresh').click();
  expect(await currentView(page)).toBe(2);
  await expect(byId(page, 'step-view-apply')).toBeEnabled();

  // A new learning rate: the same minibatch, another step.
  await byId(page, 'lr').fill('0.2');
  await expect(byId(page, 'step-view')).toHaveAttribute('data-state', 'stale');
  await expect(byId(page, 'step-view-stale')).toContainText('settings changed');
  await expect(byId(page, 'step-view-apply')).toBeDisabled();
  await byId(page, 'step-view-refresh').click();
  expect(await currentView(page)).toBe(2);

  // Playing: stale, and neither taking nor applying while it trains.
  await byId(page, 'speed').selectOption('5');
  await byId(page, 'play').click();
  await expect(byId(page, 'step-view')).toHaveAttribute('data-state', 'stale');
  await expect(byId(page, 'step-view-apply')).toBeDisabled();
  await expect(byId(page, 'step-view-refresh')).toBeDisabled();
  await byId(page, 'pause').click();
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'paused');
  await expect(byId(page, 'step-view-refresh')).toBeEnabled();

  // Reset: a new model, a new first step.
  await byId(page, 'step-view-refresh').click();
  await currentView(page);
  await byId(page, 'reset').click();
  await expect(byId(page, 'step-count')).toHaveAttribute('data-value', '0');
  await expect(byId(page, 'step-view')).toHaveAttribute('data-state', 'stale');
  await byId(page, 'step-view-refresh').click();
  expect(await currentView(page)).toBe(1);
});

test('importing weights makes the view stale; the next view is of the imported run', async ({ page }) => {
  await openLab(page);
  await steps(page, 2);
  const file = await exportWeights(page);
  await steps(page, 3);
  expect(await takeNext(page)).toBe(6);
  await importFile(page, { name: file.name, mimeType: 'application/json', buffer: Buffer.from(file.text) });
  await expect(byId(page, 'step-count')).toHaveAttribute('data-value', '2');
  await expect(byId(page, 'step-view')).toHaveAttribute('data-state', 'stale');
  await expect(byId(page, 'step-view-apply')).toBeDisabled();
  await byId(page, 'step-view-refresh').click();
  expect(await currentView(page)).toBe(3);
});

test('Fashion-MNIST: a new data set makes the view stale; the next one names its classes', async ({ page }) => {
  await openLab(page);
  expect(await takeNext(page)).toBe(1);
  await byId(page, 'dataset').selectOption('fashion');
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await expect(byId(page, 'step-view')).toHaveAttribute('data-state', 'stale');
  await byId(page, 'step-view-refresh').click();
  expect(await currentView(page)).toBe(1);
  await expect(page.locator('[data-testid="step-view-z"] thead th[title="Ankle boot"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="step-view-gradb-9"] .bias-name')).toHaveText('Ankle boot');
});

test('the panel fits a phone: heat maps scroll in their own box, the page does not', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openLab(page);
  await takeNext(page);
  await byId(page, 'step-view-all').click();
  await expect(byId(page, 'step-view-stage')).toHaveAttribute('data-value', '7');
  const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(pageWidth, 'no sideways scrolling of the page').toBeLessThanOrEqual(390);
  // The Ŷ map (ten classes and the row sums) is wider than a phone: its box scrolls, with a hint.
  const box = page.locator('[data-testid="step-view-yhat"]').locator('xpath=..');
  const { scrollWidth, clientWidth } = await box.evaluate((b) => ({ scrollWidth: b.scrollWidth, clientWidth: b.clientWidth }));
  expect(scrollWidth).toBeGreaterThan(clientWidth);
  await expect(box.locator('xpath=../p[contains(@class, "sv-scroll-hint")]')).toBeVisible();
  // Hover or focus says a cell's number.
  const cell = page.locator('[data-testid="step-view-z"] td[data-i="2"][data-k="3"]');
  await cell.focus();
  const value = Number(await cell.getAttribute('data-value'));
  await expect(byId(page, 'step-view-z-readout')).toContainText('image 3');
  expect(Number.isFinite(value)).toBe(true);
  await byId(page, 'step-view').screenshot({ path: `${SHOTS}/step-view-phone-panel.png` });
  await byId(page, 'step-view-z').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/step-view-phone.png` });
});
