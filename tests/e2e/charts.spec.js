// The Train charts as a lecture needs them: an x axis in steps, epochs or examples seen (log
// scale too), converted with what the run recorded when the batch size changed; the accuracy
// axis zoomed to the data; tick labels that name their numbers; kept runs side by side, in a
// legend, surviving a reload; PNG and CSV downloads holding the plotted numbers; and the text
// alternative a screen reader reads.
import { readFile, writeFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { steps } from './support/hardening.js';
import { byId, expect, num, openLab, test, waitNum, evaluatedAt } from './support/lab.js';
import { REPO } from './support/mnist.js';

const SHOTS = join(REPO, 'tests', 'e2e', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

/** A screenshot of the Train charts and the runs legend (from the top of the page, so the fixed header is not over them). */
async function shoot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await page.evaluate(() => {
    const r = document.querySelector('#train .charts').getBoundingClientRect();
    return { x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height };
  });
  await page.screenshot({ path: join(SHOTS, name), fullPage: true, clip: { x: Math.max(0, box.x - 8), y: box.y - 8, width: box.width + 16, height: box.height + 16 } });
}

/** A numeric data-* attribute of a chart box. */
async function attr(page, id, name) {
  return Number(await byId(page, id).getAttribute(name));
}

/** The tick labels of a chart's x axis as drawn. */
async function xTicks(page, id) {
  return ((await byId(page, id).getAttribute('data-x-ticks')) || '').split('|').filter(Boolean);
}

/** "Train N epochs" at full speed, until it has paused by itself at step `until`. */
async function trainEpochs(page, n, until) {
  await byId(page, 'speed').selectOption('full');
  await byId(page, 'train-epochs-n').fill(String(n));
  await byId(page, 'train-epochs').click();
  // (An epoch at batch 1000 can be over before "training" is seen: wait for the step count.)
  await waitNum(page, 'step-count', (s) => s === until, { timeout: 120_000, message: `Train ${n} epochs reaches step ${until}` });
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'paused', { timeout: 30_000 });
  await waitNum(page, 'test-accuracy', (a) => a > 0);
}

/** Parse a CSV of the page: comment lines, header, rows of numbers (empty field = null). */
function parseCsv(text) {
  const lines = text.trim().split('\n');
  const comments = lines.filter((l) => l.startsWith('# ')).map((l) => l.slice(2));
  const rest = lines.filter((l) => !l.startsWith('# '));
  const split = (l) => (l.match(/("([^"]|"")*"|[^,]*)(,|$)/g) || []).slice(0, -1).map((f) => f.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"'));
  const header = split(rest[0]);
  const rows = rest.slice(1).map((l) => l.split(',').map((f) => (f === '' ? null : Number(f))));
  return { comments, header, rows };
}

/** Click a download button; the downloaded bytes and file name. */
async function downloaded(page, id) {
  const [d] = await Promise.all([page.waitForEvent('download'), byId(page, id).click()]);
  return { name: d.suggestedFilename(), bytes: await readFile(await d.path()) };
}

test('the x axis: steps, epochs, examples seen and log scale; epochs follow a batch size changed mid-run; the accuracy zoom', async ({ page }) => {
  await openLab(page);
  await trainEpochs(page, 1, 600);
  const chart = 'test-chart';
  await expect(byId(page, chart)).toHaveAttribute('data-x-axis', 'steps');
  expect(await attr(page, chart, 'data-x-max')).toBe(600);
  expect(await attr(page, chart, 'data-x-min'), 'linear: from the evaluation at step 0').toBe(0);

  // Batch 1000 from here on: one more epoch is 60 steps, 60 000 examples.
  await byId(page, 'batch-size').fill('1000');
  await trainEpochs(page, 1, 660);
  expect(await attr(page, chart, 'data-x-max')).toBe(660);

  await byId(page, 'x-axis').selectOption('epochs');
  await expect(byId(page, chart)).toHaveAttribute('data-x-axis', 'epochs');
  // Two epochs, not 660 × 1000 / 60 000 = 11 (today's batch size applied to every step).
  for (const id of ['train-chart', 'test-chart']) expect(await attr(page, id, 'data-x-max'), id).toBeCloseTo(2, 9);

  await byId(page, 'x-axis').selectOption('examples');
  expect(await attr(page, chart, 'data-x-max')).toBe(120_000);
  expect(await xTicks(page, chart)).toContain('100k');

  await byId(page, 'x-log').check();
  await expect(byId(page, chart)).toHaveAttribute('data-x-log', 'true');
  const min = await attr(page, chart, 'data-x-min');
  expect(min, 'log scale: the first steps are spread out, not at 0').toBeGreaterThan(0);
  expect(min).toBeLessThanOrEqual(100); // the first evaluation after step 1: 100 examples
  expect(await xTicks(page, chart)).toEqual(expect.arrayContaining(['1k', '10k', '100k']));
  await byId(page, 'x-log').uncheck();
  await expect(byId(page, chart)).toHaveAttribute('data-x-log', 'false');
  expect(await attr(page, chart, 'data-x-min')).toBe(0);

  // The accuracy axis: zoomed to the data (about 91 % after two epochs), or 0–100 %.
  const acc = await num(page, 'test-accuracy');
  expect(acc).toBeGreaterThan(0.85);
  await expect(byId(page, chart)).toHaveAttribute('data-acc-range', '80,100');
  await byId(page, 'acc-zoom').uncheck();
  await expect(byId(page, chart)).toHaveAttribute('data-acc-range', '0,100');
  await byId(page, 'acc-zoom').check();
  await expect(byId(page, chart)).toHaveAttribute('data-acc-range', '80,100');

  // The text alternative names what is shown and the latest figures.
  await expect(byId(page, chart)).toHaveAttribute('role', 'img');
  await expect(byId(page, chart)).toHaveAttribute('aria-label', new RegExp(`test accuracy ${(acc * 100).toFixed(2)} %`), { timeout: 10_000 });
  await expect(byId(page, 'train-chart')).toHaveAttribute('aria-label', /smoothed training loss \d\.\d{3} nats at step 660/, { timeout: 10_000 });
});

test('tick labels name their numbers: 1.5M examples seen, 15k steps, never "2e+6"', async ({ page }) => {
  await openLab(page);
  await byId(page, 'batch-size').fill('1000');
  test.setTimeout(240_000);
  await trainEpochs(page, 25, 1500); // 1 500 steps, 1 500 000 examples
  expect(await num(page, 'examples-seen')).toBe(1_500_000);
  await byId(page, 'x-axis').selectOption('examples');
  const ticks = await xTicks(page, 'train-chart');
  expect(ticks).toContain('1.5M');
  for (const t of ticks) expect(t, 'a short exact form').toMatch(/^(0|\d{1,3}(\.\d{1,3})?[kM])$/);
  await byId(page, 'x-axis').selectOption('steps');
  // 1 500 steps: below 10,000 the labels are whole numbers with separators ("1,000").
  const stepTicks = await xTicks(page, 'train-chart');
  expect(stepTicks.length).toBeGreaterThan(2);
  for (const t of stepTicks) expect(t).toMatch(/^\d{1,3}(,\d{3})*$/);
});

test('a diverging run\'s loss axis (up to about 10³⁵) keeps exact, readable ticks', async ({ page }) => {
  await openLab(page);
  await byId(page, 'lr').fill('100');
  await byId(page, 'l2').fill('1');
  await byId(page, 'speed').selectOption('full');
  await byId(page, 'play').click();
  await expect(byId(page, 'diverged-reset')).toBeVisible({ timeout: 60_000 });
  await expect.poll(async () => (await byId(page, 'train-chart').getAttribute('data-y-ticks')) || '').toMatch(/×10/);
  const ticks = ((await byId(page, 'train-chart').getAttribute('data-y-ticks')) || '').split('|');
  expect(ticks.length).toBeGreaterThan(1);
  for (const t of ticks) expect(t).toMatch(/^(0|\d(\.\d+)?×10[⁰¹²³⁴⁵⁶⁷⁸⁹]+)$/);
  await expect(byId(page, 'train-chart')).toHaveAttribute('aria-label', /×10/);
});

test('kept runs: Keep, Reset and a data-set switch keep the curves; shown, hidden, deleted; five at most; they survive a reload', async ({ page }) => {
  test.setTimeout(300_000); // a dozen Resets, two reloads and a data-set switch on a shared 2-core machine
  await openLab(page);
  await expect(byId(page, 'keep-run'), 'a run with no steps cannot be kept').toBeDisabled();
  await expect(byId(page, 'train-chart')).toHaveAttribute('data-runs', '1');
  await steps(page, 20);
  await byId(page, 'keep-run').click();
  for (const id of ['train-chart', 'test-chart']) await expect(byId(page, id)).toHaveAttribute('data-runs', '2');
  await expect(byId(page, 'run-1')).toContainText('ε 0.05 · n 100 · α 0 · seed 541 · MNIST');
  await expect(byId(page, 'run-1')).toHaveAttribute('data-steps', '20');

  // Reset keeps the same run again (its kept copy now has all 30 steps), and starts a new one.
  await steps(page, 10);
  await byId(page, 'reset').click();
  await waitNum(page, 'step-count', (s) => s === 0);
  await expect(byId(page, 'run-1')).toHaveAttribute('data-steps', '30');
  await expect(byId(page, 'run-2')).toHaveCount(0);
  await expect(byId(page, 'train-chart')).toHaveAttribute('data-runs', '2');

  // A second run with another learning rate, kept by Reset.
  await byId(page, 'lr').fill('0.5');
  await steps(page, 15);
  await byId(page, 'lr').fill('0.05'); // for the next run: run 2 is still labelled with what it trained with
  await byId(page, 'reset').click();
  await waitNum(page, 'step-count', (s) => s === 0);
  await expect(byId(page, 'run-2')).toContainText('ε 0.5 · n 100 · α 0 · seed 541 · MNIST · 15 steps');
  for (const id of ['train-chart', 'test-chart']) await expect(byId(page, id)).toHaveAttribute('data-runs', '3');
  await steps(page, 5);

  await shoot(page, 'charts-kept-runs-desktop.png');

  // A reload brings them back, with the current run.
  await waitNum(page, 'saved', (s) => s === 5, { timeout: 15_000 });
  await page.reload();
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'paused', { timeout: 60_000 });
  await expect(byId(page, 'run-1')).toHaveAttribute('data-steps', '30');
  await expect(byId(page, 'run-2')).toHaveAttribute('data-steps', '15');
  for (const id of ['train-chart', 'test-chart']) await expect(byId(page, id)).toHaveAttribute('data-runs', '3');

  // Hide run 1, delete run 2; the hidden state is saved too.
  await byId(page, 'run-1-toggle').click();
  await expect(byId(page, 'run-1')).toHaveAttribute('data-visible', 'false');
  await expect(byId(page, 'run-1-toggle')).toHaveAttribute('aria-pressed', 'false');
  await expect(byId(page, 'train-chart')).toHaveAttribute('data-runs', '2');
  await byId(page, 'run-2-delete').click();
  await expect(byId(page, 'run-2')).toHaveCount(0);
  for (const id of ['train-chart', 'test-chart']) await expect(byId(page, id)).toHaveAttribute('data-runs', '1');
  await page.waitForTimeout(500); // the save after the click
  await page.reload();
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'paused', { timeout: 60_000 });
  await expect(byId(page, 'run-1')).toHaveAttribute('data-visible', 'false');
  await expect(byId(page, 'run-2')).toHaveCount(0);
  await byId(page, 'run-1-toggle').click();
  await expect(byId(page, 'train-chart')).toHaveAttribute('data-runs', '2');

  // Five at most: the oldest goes, and the legend says so. The first Reset keeps the current
  // run (5 + 1 steps), the next four keep runs of 1 step: six kept, the 30-step run 1 is dropped.
  for (let i = 0; i < 5; i++) {
    await steps(page, 1);
    await byId(page, 'reset').click();
    await waitNum(page, 'step-count', (s) => s === 0);
  }
  await expect(byId(page, 'run-5')).toBeVisible();
  await expect(byId(page, 'run-6')).toHaveCount(0);
  await expect(byId(page, 'run-1')).toHaveAttribute('data-steps', '6');
  await expect(byId(page, 'runs-note')).toContainText('the oldest (ε 0.05 · n 100 · α 0 · seed 541 · MNIST, 30 steps) was dropped');
  await expect(byId(page, 'train-chart')).toHaveAttribute('data-runs', '6');

  // A data-set switch keeps the run too (when Fashion-MNIST is there).
  const fashion = byId(page, 'dataset').locator('option[value="fashion"]');
  if (!(await fashion.isDisabled())) {
    await byId(page, 'run-1-delete').click();
    await steps(page, 3);
    await byId(page, 'dataset').selectOption('fashion');
    await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    await expect(byId(page, 'run-5')).toContainText('MNIST');
    await expect(byId(page, 'run-5')).toHaveAttribute('data-steps', '3');
  }
});

test('PNG and CSV downloads: a real PNG, and the plotted numbers with their units and the runs\' settings', async ({ page }) => {
  await openLab(page);
  await steps(page, 12);
  await byId(page, 'keep-run').click();
  await steps(page, 8);
  await evaluatedAt(page, 20); // the figures compared with the downloads' last rows (step 20)
  await waitNum(page, 'test-accuracy', Number.isFinite);
  await expect(byId(page, 'test-chart')).toHaveAttribute('data-points', /^[1-9]/);
  const trainLoss = await num(page, 'train-loss');
  const testAcc = await num(page, 'test-accuracy');
  const testLoss = await num(page, 'test-loss');

  const csv = await downloaded(page, 'train-chart-csv');
  expect(csv.name).toMatch(/\.csv$/);
  const t = parseCsv(csv.bytes.toString('utf8'));
  expect(t.header[0]).toBe('step');
  expect(t.header).toContain('this run: smoothed (EMA) (nats)');
  expect(t.header.some((h) => /^run 1: smoothed loss \(ε 0\.05 · n 100 · α 0 · seed 541 · MNIST\) \(nats\)$/.test(h)), t.header.join(' | ')).toBe(true);
  expect(t.comments.join('\n')).toMatch(/this run: ε 0\.05 · n 100 · α 0 · seed 541 · MNIST/);
  expect(t.comments.join('\n')).toMatch(/run 1: ε 0\.05 .* 12 steps/);
  const last = t.rows[t.rows.length - 1];
  expect(last[0]).toBe(20);
  expect(last[t.header.indexOf('this run: smoothed (EMA) (nats)')]).toBeCloseTo(trainLoss, 12);
  expect(t.rows.filter((r) => r[3] !== null).length, 'run 1 has its 12 points').toBe(12);

  const tcsv = parseCsv((await downloaded(page, 'test-chart-csv')).bytes.toString('utf8'));
  expect(tcsv.header.slice(0, 3)).toEqual(['step', 'this run: test loss (nats)', 'this run: test accuracy (%)']);
  const tl = tcsv.rows[tcsv.rows.length - 1];
  expect(tl[0]).toBe(20);
  expect(tl[2] / 100).toBeCloseTo(testAcc, 12);
  expect(tl[1]).toBeCloseTo(testLoss, 6);

  for (const id of ['train-chart-png', 'test-chart-png']) {
    const png = await downloaded(page, id);
    expect(png.name).toMatch(/\.png$/);
    expect(png.bytes.length).toBeGreaterThan(2000);
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    await writeFile(join(SHOTS, `download-${id}.png`), png.bytes); // for people to look at
  }

  // A lecture chart has them too (§1, drawn when it comes near).
  await page.locator('#sigmoid').scrollIntoViewIfNeeded();
  await expect.poll(async () => Number(await byId(page, 'sigmoid-chart').getAttribute('data-points'))).toBeGreaterThan(0);
  const s = parseCsv((await downloaded(page, 'sigmoid-chart-csv')).bytes.toString('utf8'));
  expect(s.header.length).toBeGreaterThan(1);
  expect(s.rows.length).toBe(Number(await byId(page, 'sigmoid-chart').getAttribute('data-points')));
  const spng = await downloaded(page, 'sigmoid-chart-png');
  expect([...spng.bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  await expect(byId(page, 'sigmoid-chart')).toHaveAttribute('aria-label', /σ/);
});

test('the Train section with kept runs on a phone', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openLab(page);
  await steps(page, 10);
  await byId(page, 'reset').click();
  await waitNum(page, 'step-count', (s) => s === 0);
  await byId(page, 'lr').fill('0.3');
  await steps(page, 10);
  await expect(byId(page, 'train-chart')).toHaveAttribute('data-runs', '2');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, 'nothing wider than the screen').toBeLessThanOrEqual(0);
  await shoot(page, 'charts-kept-runs-phone.png');
});
