// End-to-end tests of what the lecture sections' prose states, as the page shows it at its
// defaults: each quantitative sentence is read from the page (its data-value hooks, or its
// text where the sentence is the hook) and checked against the numbers beside it. The facts
// behind the sentences are pinned natively, exactly, in tests/it/sentences_*.rs; these tests
// check that the page says them, and that what it says follows its own numbers.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, byId, num, waitNum, openLab } from './support/lab.js';
import { REPO, mnistTest } from './support/mnist.js';

const SHOTS = join(REPO, 'tests', 'e2e', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

async function visit(page, id) {
  await page.locator(`#${id}`).scrollIntoViewIfNeeded();
}

async function setField(page, testid, value) {
  await byId(page, testid).fill(String(value));
  await byId(page, testid).dispatchEvent('change');
}

async function shoot(page, id, name) {
  await page.addStyleTag({ content: '.site-header { position: static !important; }' });
  await page.locator(`#${id}`).screenshot({ path: join(SHOTS, `sentences-${name}.png`) });
}

/** Pixels of a chart's canvas within `tol` of the colour `hex` in each channel. */
function pixelsOf(page, testid, hex, tol = 40) {
  return page.evaluate(({ id, hex, tol }) => {
    const c = document.querySelector(`[data-testid="${id}"] canvas`);
    if (!c) return 0;
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 200 && Math.abs(data[i] - r) <= tol && Math.abs(data[i + 1] - g) <= tol && Math.abs(data[i + 2] - b) <= tol) n++;
    }
    return n;
  }, { id: testid, hex, tol });
}

const ORANGE = '#c2410c';
const GREEN = '#15803d';

test('Exercise 2 at its defaults: b grows faster with α‖w‖², the bound holds and is loose, the claims answered', async ({ page }) => {
  test.setTimeout(240_000);
  await openLab(page);
  await visit(page, 'ex-positive');
  await expect(page.locator('#ex-positive')).toContainText('with μ and σ fitted on the pixels of these training images');
  await byId(page, 'positive-play').click();
  await waitNum(page, 'positive-step-count', (n) => n === 3000, { timeout: 200_000 });

  // "Here it grows faster than without L2: at step 3,000, b = … with α‖w‖² against … without L2."
  const [bFree, bWOnly, bBoth] = [await num(page, 'positive-b'), await num(page, 'positive-b-wonly'), await num(page, 'positive-b-l2')];
  const l2 = byId(page, 'positive-note-l2');
  await expect(l2).toHaveAttribute('data-value', 'faster');
  expect(bWOnly).toBeGreaterThan(bFree);
  await expect(l2).toContainText('at step 3,000');
  await expect(byId(page, 'positive-b-chart').locator('xpath=following-sibling::figcaption')).toContainText('faster with α‖w‖²');

  // The bound: ε = 0.01 below 2/L, J fell at every step, b far below √(log 2 / α).
  const bound = byId(page, 'positive-note-bound');
  await expect(bound).toHaveAttribute('data-value', 'below');
  await expect(bound).toContainText('J did not rise at any of its 3,000 steps');
  const limit = Math.sqrt(Math.LN2 / 0.1);
  expect(bBoth).toBeGreaterThan(0);
  expect(limit / bBoth).toBeGreaterThan(100);
  const text = await bound.textContent();
  const ratio = Number(/is ([\d.]+)× below it/.exec(text)?.[1]);
  expect(Math.abs(ratio - limit / bBoth) / ratio).toBeLessThan(0.01);
  const max = Number(/so ε < ([\d.]+)/.exec(text)?.[1]);
  expect(max).toBeGreaterThan(0.01); // native: 2/L = 0.0177 for the default 200 images of 1

  // The claims: the analysis's answers (the lecture's: 3, 5 and 6 are true), the run beside each.
  const answers = await page.locator('[data-testid^="positive-claim-"]').evaluateAll((ns) => ns.map((n) => n.dataset.answer));
  expect(answers).toEqual(['false', 'false', 'true', 'false', 'true', 'true']);
  await expect(byId(page, 'positive-verdict')).toHaveAttribute('data-value', 'refuted,open,supported,refuted,supported,open');
  const run = await page.locator('[data-testid^="positive-claim-"]').evaluateAll((ns) => ns.map((n) => n.dataset.run));
  expect(run).toEqual(['agrees', 'other-sets', 'agrees', 'agrees', 'agrees', 'other-sets']);
  await expect(byId(page, 'positive-verdict')).toContainText('this run behaves as the analysis says for claims 1, 3, 4 and 5; claims 2 and 6 speak of other training sets');
  await expect(byId(page, 'positive-claim-1')).not.toContainText('so b never converges');
  await expect(byId(page, 'positive-claim-1')).toContainText('no finite minimiser');
  await expect(byId(page, 'positive-claim-1')).toContainText('an increasing sequence can converge');
  await expect(byId(page, 'positive-verdict')).toContainText('True: claims 3, 5 and 6; false: claims 1, 2 and 4');

  // The orange α‖w‖² run is visible in the charts where it nearly coincides with the green one.
  for (const id of ['positive-w-chart', 'positive-train-chart', 'positive-test-chart']) {
    const [orange, green] = [await pixelsOf(page, id, ORANGE), await pixelsOf(page, id, GREEN)];
    expect(orange, `${id}: orange pixels (green ${green})`).toBeGreaterThan(0.2 * green);
  }
  const legend = await byId(page, 'positive-w-chart').locator('.u-legend .u-series .u-label').allTextContents();
  expect(legend.filter((l) => l !== 'step (log scale)' && l.trim())).toEqual(['no L2', 'α(‖w‖² + b²)', 'α‖w‖² (b not penalised)']);
  await shoot(page, 'ex-positive', '1280x800');
});

test('§4: the c = 2 table numbers its rows as MNIST test images and shows the digits', async ({ page }) => {
  await openLab(page);
  await visit(page, 'softmax');
  await waitNum(page, 'twoclass-max-diff', (d) => d < 1e-9);
  const { labels } = mnistTest();
  const expected = [];
  for (let i = 0; i < labels.length && expected.length < 6; i++) if (labels[i] === 3 || labels[i] === 5) expected.push(i);
  expect(labels[0]).toBe(7);
  const rows = byId(page, 'twoclass-table').locator('tbody tr');
  await expect(rows).toHaveCount(6);
  const heads = await rows.locator('th').allTextContents();
  expect(heads).toEqual(expected.map((i) => `#${i}`));
  const digits = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('td').textContent));
  expect(digits).toEqual(expected.map((i) => (labels[i] === 3 ? '3 (1)' : '5 (0)')));
  await expect(byId(page, 'twoclass-note')).toContainText('numbered as in the whole test set');
  // Units: cross-entropy in nats, as on the charts.
  for (const id of ['softmax-ce', 'twoclass-ce', 'twoclass-logloss']) await expect(byId(page, id).locator('xpath=preceding-sibling::dt')).toContainText('nats');
  await shoot(page, 'softmax', '1280x800');
});

test('§2: the pair is standardised on its own images; the log-loss derivation has the right sign', async ({ page }) => {
  await openLab(page);
  await visit(page, 'logistic');
  await expect(page.locator('#logistic')).toContainText('with μ and σ the mean and standard deviation of the pixels of these training images of 3 and 5, not of the whole training set');
  await expect(page.locator('#logistic')).not.toContainText('standardised like the main model');
  const source = await byId(page, 'logistic-derivation').locator('annotation').first().textContent();
  expect(source).toContain(String.raw`-\bigl(y\log\hat{y} + (1-y)\log(1-\hat{y})\bigr)`);
  expect(source).not.toContain(String.raw`y\log\hat{y} - (1-y)`);
  expect(source).toContain(String.raw`= \mathbf{x}\,(\hat{y}-y)`);
  await shoot(page, 'logistic', '1280x800');
});

test('Exercise 3: the check shows two steps h; they part ways from about ε = 0.3–0.5; from ε₀ = 1 it bounces', async ({ page }) => {
  test.setTimeout(240_000);
  await openLab(page);
  await visit(page, 'ex-lr');
  await expect(page.locator('#ex-lr')).toContainText('from about ε = 0.3–0.5 (for T = 200, depending on the data)');
  await expect(byId(page, 'lr-fd-run')).toBeEnabled();
  await byId(page, 'lr-fd-run').click();
  const rows = page.locator('[data-testid^="lr-fd-"][data-epsilon]');
  await expect(rows).toHaveCount(6, { timeout: 200_000 });
  const got = await rows.evaluateAll((rs) => rs.map((r) => ({ eps: Number(r.dataset.epsilon), errors: r.dataset.errors.split(',').map(Number) })));
  expect(got.map((r) => r.eps)).toEqual([0.01, 0.1, 0.3, 0.5, 1, 3]);
  for (const r of got) expect(r.errors).toHaveLength(2);
  for (const r of got.filter((x) => x.eps <= 0.1)) expect(Math.max(...r.errors)).toBeLessThan(1e-4);
  for (const r of got.filter((x) => x.eps >= 1)) expect(Math.max(...r.errors)).toBeGreaterThan(1e-2);
  const firstBad = got.find((r) => Math.max(...r.errors) > 1e-3);
  expect([0.3, 0.5]).toContain(firstBad?.eps);
  // Where F is jagged the two differences disagree with each other, not only with dF/dε.
  const jagged = got.filter((r) => r.eps >= 0.5);
  for (const r of jagged) expect(r.errors[0]).not.toBeCloseTo(r.errors[1], 1);

  await expect(page.locator('#ex-lr')).toContainText('every time and bounces back and forth without settling');
  await setField(page, 'hyper-eps0', 1);
  await byId(page, 'hyper-play').click();
  await expect(byId(page, 'hyper-status')).toHaveAttribute('data-state', 'idle', { timeout: 200_000 });
  await waitNum(page, 'hyper-cost-steps', (n) => n === 12 * 200, { timeout: 200_000 });
  // Every step is the clip (±1 in log ε) from ε₀ = 1: the last ε is e^k for a whole k, and it
  // has not come near the grid's best (about 0.05; native: tests/it/sentences_lr.rs).
  const logEps = Math.log(await num(page, 'hyper-eps'));
  expect(Math.abs(logEps - Math.round(logEps))).toBeLessThan(1e-9);
  expect(logEps).toBeGreaterThan(Math.log(0.2));
  await shoot(page, 'ex-lr', '1280x800');
});
