// Nothing cut, overlapping or overflowing in the lecture sections, at 1280 × 800, 1920 × 1080
// and 390 × 844: text drawn on the charts' canvases (axis labels, σ′'s marker) stays inside
// them and no two labels of a row overlap (support/chart-text.js); 4-digit confusion-matrix counts fit their cells; Exercise 1's α-sweep table fits its
// card; on Fashion-MNIST the probability bars start at one x and the Draw heading and the
// tagline name the data set; the divergence message writes the step as the page does.
// Screenshots for people: tests/e2e/screenshots/polish-<what>-<size>.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, byId, num, waitNum, openLab, train, drawStrokes, ONE } from './support/lab.js';
import { REPO } from './support/mnist.js';
import { recordChartText, expectChartTextClear } from './support/chart-text.js';

const SHOTS = join(REPO, 'tests', 'e2e', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

const SIZES = [
  [1280, 800],
  [1920, 1080],
  [390, 844],
];

/** Every button on the page whose label runs out of it (its text wider than its box). */
async function overflowingButtons(page) {
  return page.locator('button, .btn').evaluateAll((bs) => bs.flatMap((b) => {
    if (!b.getClientRects().length) return [];
    const over = b.scrollWidth - b.clientWidth;
    return over > 1 ? [`${b.dataset.testid || b.textContent.trim()}: "${b.textContent.trim()}" ${over} px wider than its ${b.clientWidth} px`] : [];
  }));
}

/** Every shown "press Play" note of an empty chart that reaches past its plot (over an axis). */
async function notesOffPlot(page) {
  return page.locator('.chart-box > .chart-empty:not([hidden])').evaluateAll((notes) => notes.flatMap((n) => {
    const over = n.parentElement.querySelector('.u-over');
    if (!n.getClientRects().length || !over) return [];
    const [a, b] = [n.getBoundingClientRect(), over.getBoundingClientRect()];
    return a.left < b.left - 0.5 || a.right > b.right + 0.5 ? [`${n.parentElement.dataset.testid}: "${n.textContent}" spans ${Math.round(a.left)}–${Math.round(a.right)} px, its plot ${Math.round(b.left)}–${Math.round(b.right)} px`] : [];
  }));
}

/** Every shown colour scale whose end numbers stand apart from its ramp ("−0.026 ……… [ramp] +0.026"). */
async function scalesApart(page) {
  return page.locator('.color-bar-scale').evaluateAll((scales) => scales.flatMap((s) => {
    if (!s.getClientRects().length) return [];
    const ramp = s.querySelector('.color-bar-ramp').getBoundingClientRect();
    const r = document.createRange();
    r.selectNodeContents(s.firstChild);
    const lo = r.getBoundingClientRect();
    const hi = (r.selectNodeContents(s.lastChild), r.getBoundingClientRect());
    const gaps = [ramp.left - lo.right, hi.left - ramp.right];
    return gaps.some((g) => g > 12) ? [`${s.closest('[data-testid]')?.dataset.testid || s.closest('section')?.id}: "${s.textContent}" ${gaps.map(Math.round).join(' / ')} px from its ramp`] : [];
  }));
}

async function visit(page, id) {
  await page.locator(`#${id}`).scrollIntoViewIfNeeded();
}

/** Wait until a section's charts are made (on approach, a frame or two after the scroll): each chart box has its canvas. */
async function chartsMade(page, id) {
  await expect(page.locator(`#${id} .chart-box canvas`).first(), `#${id}'s charts are made`).toBeAttached();
  await expect(page.locator(`#${id} .chart-box:not(:has(canvas))`), `every chart of #${id} has its canvas`).toHaveCount(0);
}

async function shoot(page, id, what, [w, h]) {
  await page.addStyleTag({ content: '.site-header { position: static !important; }' });
  await page.locator(`#${id}`).screenshot({ path: join(SHOTS, `polish-${what}-${w}x${h}.png`) });
}

for (const size of SIZES) {
  const [w, h] = size;
  test.describe(`at ${w} × ${h}`, () => {
    test.use({ viewport: { width: w, height: h } });

    test('chart text stays inside the charts (§1 σ′ marker, §2 and §3 axis labels, the exercises)', async ({ page }) => {
      test.setTimeout(120_000);
      await recordChartText(page);
      await openLab(page);
      for (const id of ['sigmoid', 'logistic', 'attenuation', 'ex-l2', 'ex-positive', 'ex-lr']) {
        await visit(page, id);
        await chartsMade(page, id);
      }
      // Before any run, the charts' notes ("Press ▶ Play …") stay over their plots, off the axes.
      expect(await notesOffPlot(page)).toEqual([]);
      // Data on the §2 and §3 charts (their axes appear with it), a few steps at full speed.
      await visit(page, 'logistic');
      await byId(page, 'logistic-speed').selectOption('full');
      await byId(page, 'logistic-play').click();
      await waitNum(page, 'logistic-step-count', (n) => n >= 200);
      await byId(page, 'logistic-pause').click();
      await shoot(page, 'logistic', 'logistic', size);
      await visit(page, 'attenuation');
      await byId(page, 'atten-speed').selectOption('full');
      await byId(page, 'atten-play').click();
      await waitNum(page, 'atten-step-count', (n) => n >= 100);
      await byId(page, 'atten-pause').click();
      await shoot(page, 'attenuation', 'attenuation', size);
      await visit(page, 'sigmoid');
      await shoot(page, 'sigmoid', 'sigmoid', size);
      await page.waitForTimeout(300);
      await expectChartTextClear(page);
      expect(await overflowingButtons(page), 'every label fits its button').toEqual([]);
      expect(await scalesApart(page), 'a colour scale\'s numbers beside its ramp').toEqual([]);
    });

    test('4-digit counts fit the confusion matrix; the α-sweep table fits its card', async ({ page }) => {
      test.setTimeout(200_000);
      await recordChartText(page);
      await openLab(page);
      await train(page, 1);
      await visit(page, 'learned');
      await byId(page, 'confusion-refresh').click();
      // Class 1 has 1,135 test images: after an epoch its diagonal count has four digits.
      await waitNum(page, 'confusion-1-1', (n) => n >= 1000, { timeout: 30_000 });
      const cut = await page.locator('.confusion .cell').evaluateAll((cells) => cells.flatMap((b) => {
        const r = document.createRange();
        r.selectNodeContents(b);
        const t = r.getBoundingClientRect();
        const c = b.getBoundingClientRect();
        return t.left < c.left - 0.5 || t.right > c.right + 0.5 ? [`${b.dataset.testid} "${b.textContent}" ${Math.round(t.width)} px in ${Math.round(c.width)} px`] : [];
      }));
      expect(cut).toEqual([]);
      expect(await scalesApart(page), 'a colour scale\'s numbers beside its ramp').toEqual([]);
      await shoot(page, 'learned', 'confusion', size);

      await visit(page, 'ex-l2');
      await byId(page, 'l2-epochs').fill('5');
      await byId(page, 'l2-epochs').dispatchEvent('change');
      await byId(page, 'l2-sweep').click();
      await expect(byId(page, 'l2-sweep-table').locator('tbody tr')).toHaveCount(6, { timeout: 120_000 });
      const fit = await byId(page, 'l2-sweep-table').evaluate((t) => {
        const card = t.closest('.card');
        const pad = parseFloat(getComputedStyle(card).paddingRight);
        return { table: t.getBoundingClientRect().right, inner: card.getBoundingClientRect().right - pad, scroll: t.parentElement.scrollWidth - t.parentElement.clientWidth };
      });
      expect(fit.table, 'the table ends inside its card').toBeLessThanOrEqual(fit.inner + 0.5);
      if (w >= 1280) expect(fit.scroll, 'and needs no scrolling').toBeLessThanOrEqual(0);
      await shoot(page, 'ex-l2', 'ex-l2', size);
      // The sweep's chart (axes drawn now that it has data) keeps its text inside and apart too.
      await expectChartTextClear(page);
      // And every label fits its button, the sweep's long one too.
      expect(await overflowingButtons(page)).toEqual([]);
    });
  });
}

test('on Fashion-MNIST the bars start at one x, and the heading and tagline name the data set', async ({ page }) => {
  test.setTimeout(120_000);
  await openLab(page);
  await expect(byId(page, 'draw-heading')).toHaveText('Draw a digit');
  await expect(byId(page, 'tagline')).toHaveText('Softmax regression on MNIST, trained live in your browser');
  await byId(page, 'dataset').selectOption('fashion');
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await expect(byId(page, 'draw-heading')).toHaveText('Draw a piece of clothing');
  await expect(byId(page, 'tagline')).toHaveText('Softmax regression on Fashion-MNIST, trained live in your browser');
  await expect(page.locator('#draw')).not.toContainText('digit');
  await drawStrokes(page, ONE, 4);
  await waitNum(page, 'prob-0', (p) => p >= 0);
  const rows = await page.locator('[data-testid^="prob-"]').evaluateAll((lis) => lis.map((li) => ({
    name: li.querySelector('.prob-name').getBoundingClientRect().right,
    bar: li.querySelector('.prob-bar').getBoundingClientRect().left,
    barRight: li.querySelector('.prob-bar').getBoundingClientRect().right,
  })));
  expect(rows).toHaveLength(10);
  for (const key of ['name', 'bar', 'barRight']) {
    const xs = rows.map((r) => Math.round(r[key]));
    expect(new Set(xs).size, `${key}: ${xs.join(', ')}`).toBe(1);
  }
  await shoot(page, 'draw', 'draw-fashion', [1280, 800]);
  await page.setViewportSize({ width: 390, height: 844 });
  await shoot(page, 'draw', 'draw-fashion', [390, 844]);
});

test('the divergence message writes the step the model stays at as the step counter does', async ({ page }) => {
  await openLab(page);
  await byId(page, 'lr').fill('100');
  await byId(page, 'l2').fill('1');
  await byId(page, 'play').click();
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'error');
  const text = await byId(page, 'status').textContent();
  const at = text.match(/^Training diverged at step ([\d,]+): .* the model stays at step ([\d,]+) /);
  expect(at, text).not.toBeNull();
  await waitNum(page, 'step-count', (s) => s === Number(at[2].replaceAll(',', '')));
  expect(await byId(page, 'step-count').textContent()).toBe(at[2]);
  expect(Number(at[1].replaceAll(',', ''))).toBe((await num(page, 'step-count')) + 1);
});
