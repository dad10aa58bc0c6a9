// Presenter mode (www/present.js): one section at a time, sized for a projector, walked with the
// keys a clicker sends, its position in the address. Screenshots for people to look at:
// tests/e2e/screenshots/present-*.png (presenter mode at 1920 × 1080, 1280 × 720 and 1024 × 768;
// the normal page at 1920 × 1080).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, byId, num, waitNum } from './support/lab.js';
import { REPO } from './support/mnist.js';
import { recordChartText, expectChartTextClear } from './support/chart-text.js';

const SHOTS = join(REPO, 'tests', 'e2e', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

/** The sections in lecture order (www/main.js SECTIONS). */
const ORDER = ['sigmoid', 'logistic', 'attenuation', 'softmax', 'train', 'step-view', 'draw', 'learned', 'ex-l2', 'ex-positive', 'ex-lr'];

const progress = (page) => byId(page, 'present-progress');

/** Where the presenter is: section, step (1-based) and the number of steps of the section. */
async function position(page) {
  return progress(page).evaluate((e) => ({ section: e.dataset.section, step: Number(e.dataset.step), steps: Number(e.dataset.steps) }));
}

/** Open the page in presenter mode (at `hash`), and wait until the data set and every section body are there. */
async function openPresenting(page, query = '?present', hash = '') {
  await page.goto(`/${query}${hash}`);
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await expect(byId(page, 'present-bar')).toBeVisible();
  // Every section body is built (its step table then has all its blocks).
  await expect(page.locator('#ex-lr .lesson-controls').first()).toBeAttached();
}

/** The sections shown: exactly one, with its id. */
async function shownSections(page) {
  return page.locator('main > section').evaluateAll((ss) => ss.filter((s) => s.getClientRects().length > 0).map((s) => s.id));
}

/**
 * Font sizes of the section shown: the smallest computed size of its body text (paragraphs,
 * list items, captions, labels, figure names; not formulas), and the chart boxes' tick labels.
 */
async function fontSizes(page) {
  return page.evaluate(() => {
    const sec = document.querySelector('.present-current');
    let body = Infinity;
    let what = '';
    for (const e of sec.querySelectorAll('p, li, figcaption, label, dt, .lede')) {
      if (!e.getClientRects().length || e.closest('.katex') || !e.textContent.trim()) continue;
      const px = parseFloat(getComputedStyle(e).fontSize);
      if (px < body) [body, what] = [px, `${e.tagName.toLowerCase()}.${e.className}`];
    }
    const ticks = [...sec.querySelectorAll('.chart-box')].filter((b) => b.getClientRects().length && b.querySelector('canvas')).map((b) => Number(b.dataset.tickPx));
    return { body: Math.round(body * 100) / 100, what, ticks };
  });
}

for (const [w, h] of [[1920, 1080], [1280, 720], [1024, 768]]) {
  test(`presenter mode at ${w} × ${h}: one section at a time, type scaled, charts the width`, async ({ page }) => {
    await page.setViewportSize({ width: w, height: h });
    await openPresenting(page, '?present', '#attenuation');
    expect(await shownSections(page)).toEqual(['attenuation']);
    await expect(page.locator('.site-header')).toBeHidden();
    await expect(page.locator('.site-footer')).toBeHidden();
    // Step 2 of §3: its settings, Play and the three charts.
    await page.keyboard.press('ArrowRight');
    await expect(progress(page)).toHaveAttribute('data-step', '2');
    await expect(byId(page, 'atten-play')).toBeVisible();
    await expect(byId(page, 'atten-loss-chart').locator('canvas')).toHaveCount(1);
    const sizes = await fontSizes(page);
    const rootPx = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    if (w === 1920) {
      expect(sizes.body, `smallest body text (${sizes.what})`).toBeGreaterThanOrEqual(24);
      expect(sizes.ticks.length).toBeGreaterThan(0);
      for (const t of sizes.ticks) expect(t, 'chart tick labels').toBeGreaterThanOrEqual(16);
      // The tick font uPlot draws with is the one the box reports.
      expect(await page.evaluate(() => document.querySelector('.present-current .chart-box canvas') !== null)).toBe(true);
    } else {
      expect(sizes.body).toBeGreaterThanOrEqual(16);
      for (const t of sizes.ticks) expect(t).toBeGreaterThanOrEqual(12);
    }
    expect(rootPx).toBeGreaterThanOrEqual(16);
    // The charts use the width: three in a row fill the screen (wider than the page's 1 240-px column would allow).
    const chartWidths = await page.locator('.present-current .chart-box:visible canvas').evaluateAll((cs) => cs.map((c) => c.getBoundingClientRect().width));
    const total = chartWidths.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(w * (w >= 1200 ? 0.75 : 0.6));
    // Nothing runs off the side.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(w);

    // The section's controls work in the mode: Step, Play, Pause, Reset, the speed.
    await byId(page, 'atten-speed').selectOption('full');
    await byId(page, 'atten-step').click();
    await waitNum(page, 'atten-step-count', (n) => n >= 1);
    await byId(page, 'atten-play').click();
    await waitNum(page, 'atten-step-count', (n) => n > 20);
    await byId(page, 'atten-pause').click();
    await expect(byId(page, 'atten-status')).toHaveAttribute('data-state', 'idle');
    await byId(page, 'atten-play').click();
    await waitNum(page, 'atten-step-count', (n) => n === 500, { message: 'the run ends by itself' });
    await page.screenshot({ path: join(SHOTS, `present-${w}x${h}.png`) });
    await byId(page, 'atten-reset').click();
    await waitNum(page, 'atten-step-count', (n) => n === 0 || Number.isNaN(n));
  });
}

/**
 * What of the step shown does not fit the screen: every element drawn (as clipped by the boxes it
 * sits in) whose box runs below the top of the presenter's bar or off either side, and every box
 * that scrolls sideways; the page's own width too. Empty when the step fits.
 */
async function misfit(page) {
  return page.evaluate(() => {
    const sec = document.querySelector('.present-current');
    const limit = document.querySelector('[data-testid="present-bar"]').getBoundingClientRect().top;
    const width = document.documentElement.clientWidth;
    const out = [];
    if (document.documentElement.scrollWidth > width) out.push(`the page is ${document.documentElement.scrollWidth} px wide`);
    const name = (e) => `${e.tagName.toLowerCase()}${e.dataset?.testid ? `[${e.dataset.testid}]` : ''}.${[...e.classList].join('.')}`;
    /** The element's box as drawn: cut by every ancestor (up to the section) that clips. */
    const drawn = (e) => {
      let r = e.getBoundingClientRect();
      let [top, bottom, left, right] = [r.top, r.bottom, r.left, r.right];
      for (let a = e.parentElement; a && a !== sec.parentElement; a = a.parentElement) {
        const st = getComputedStyle(a);
        if (st.overflowX === 'visible' && st.overflowY === 'visible' && st.clip === 'auto') continue;
        r = a.getBoundingClientRect();
        if (st.overflowY !== 'visible' || st.clip !== 'auto') [top, bottom] = [Math.max(top, r.top), Math.min(bottom, r.bottom)];
        if (st.overflowX !== 'visible' || st.clip !== 'auto') [left, right] = [Math.max(left, r.left), Math.min(right, r.right)];
      }
      return { top, bottom, left, right };
    };
    for (const e of sec.querySelectorAll('*')) {
      // Text for screen readers only (clipped to a pixel) is not drawn.
      if (!e.getClientRects().length || getComputedStyle(e).visibility === 'hidden' || e.closest('.visually-hidden, .katex-mathml')) continue;
      const b = drawn(e);
      if (b.bottom - b.top < 1 || b.right - b.left < 1) continue;
      if (b.bottom > limit + 0.5) out.push(`${name(e)} ends at y = ${Math.round(b.bottom)}, below ${Math.round(limit)}`);
      if (b.right > width + 0.5 || b.left < -0.5) out.push(`${name(e)} spans x = ${Math.round(b.left)}…${Math.round(b.right)} of ${width}`);
      const st = getComputedStyle(e);
      if (st.overflowX !== 'visible' && st.overflowX !== 'clip' && e.scrollWidth > e.clientWidth + 1 && !e.closest('.katex')) out.push(`${name(e)} scrolls sideways (${e.scrollWidth} px in ${e.clientWidth})`);
    }
    return out.slice(0, 6);
  });
}

for (const [w, h] of [[1920, 1080], [1280, 720], [1024, 768]]) {
  test(`presenter mode at ${w} × ${h}: every step of every section fits the screen`, async ({ page }) => {
    test.setTimeout(240_000);
    await page.setViewportSize({ width: w, height: h });
    await openPresenting(page);
    const seen = [];
    for (let i = 0; i < 80; i++) {
      const p = await position(page);
      seen.push(`${p.section} ${p.step}/${p.steps}`);
      await expect.poll(() => misfit(page), { message: `${p.section} step ${p.step} of ${p.steps} at ${w} × ${h}`, timeout: 10_000 }).toEqual([]);
      if (p.section === ORDER.at(-1) && p.step === p.steps) break;
      await page.keyboard.press('ArrowRight');
      await expect.poll(async () => JSON.stringify(await position(page))).not.toBe(JSON.stringify(p));
    }
    // Every section was walked, and the crowded ones in several steps.
    expect([...new Set(seen.map((s) => s.split(' ')[0]))]).toEqual(ORDER);
    expect(seen.length).toBeGreaterThan(ORDER.length + 10);
  });
}

test('→ / PageDown walk every section and its steps in lecture order, ← / PageUp walk back; the tick labels ≥ 16 px', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await openPresenting(page);
  const forward = [];
  for (let i = 0; i < 60; i++) {
    const p = await position(page);
    expect(await shownSections(page)).toEqual([p.section]);
    forward.push(p);
    if (p.section === ORDER.at(-1) && p.step === p.steps) break;
    await page.keyboard.press(i % 2 ? 'PageDown' : 'ArrowRight');
    await expect.poll(async () => JSON.stringify(await position(page))).not.toBe(JSON.stringify(p));
  }
  // Each section once, in order, and each of its steps 1…n in turn.
  expect([...new Set(forward.map((p) => p.section))]).toEqual(ORDER);
  for (const id of ORDER) {
    const steps = forward.filter((p) => p.section === id);
    expect(steps.map((p) => p.step), id).toEqual(steps.map((_, i) => i + 1));
    expect(steps.length, id).toBe(steps[0].steps);
  }
  // Several sections have more than one step (the claim, the experiment, the verdict).
  expect(forward.filter((p) => p.section === 'attenuation').length).toBe(3);
  expect(forward.length).toBeGreaterThan(ORDER.length + 8);
  // At the end, → stays.
  await page.keyboard.press('ArrowRight');
  expect(await position(page)).toEqual(forward.at(-1));
  // Back, step by step, to the start.
  const backward = [];
  for (let i = 0; i < forward.length - 1; i++) {
    const p = await position(page);
    await page.keyboard.press(i % 2 ? 'PageUp' : 'ArrowLeft');
    await expect.poll(async () => JSON.stringify(await position(page))).not.toBe(JSON.stringify(p));
    backward.push(await position(page));
  }
  expect(backward).toEqual(forward.slice(0, -1).reverse());
  // Every chart drawn in presenter mode at 1920 × 1080 labels its ticks at ≥ 16 px.
  const ticks = await page.locator('.chart-box[data-tick-px]').evaluateAll((bs) => bs.filter((b) => b.querySelector('canvas')).map((b) => Number(b.dataset.tickPx)));
  expect(ticks.length).toBeGreaterThan(5);
  for (const t of ticks) expect(t).toBeGreaterThanOrEqual(16);
});

test('?present#attenuation opens there, the position is in the address and survives a reload; Esc leaves', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await openPresenting(page, '?present', '#attenuation');
  expect(await position(page)).toEqual({ section: 'attenuation', step: 1, steps: 3 });
  await expect(progress(page)).toHaveText(/^3 \/ 11/);
  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/\?present&step=2#attenuation$/);
  await page.reload();
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await expect(progress(page)).toHaveAttribute('data-step', '2');
  expect(await position(page)).toEqual({ section: 'attenuation', step: 2, steps: 3 });
  expect(await shownSections(page)).toEqual(['attenuation']);
  // The link of a presenter position is not a run link: no notice about unknown parameters.
  await expect(byId(page, 'notice-link')).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/\?present#softmax$/);
  await page.keyboard.press('Escape');
  await expect(byId(page, 'present-bar')).toBeHidden();
  await expect(page).toHaveURL(/\/#softmax$/);
  expect(await shownSections(page)).toEqual(ORDER);
  await expect(page.locator('.site-header')).toBeVisible();
  // Back on the page at the section that was shown, focus on the Present button.
  await expect(page.locator('#softmax')).toBeInViewport();
  await expect(byId(page, 'present')).toBeFocused();
  await page.screenshot({ path: join(SHOTS, 'present-normal-1920x1080.png') });
  // The header's Present button opens the mode at the section in view (Enter: a click would make
  // Playwright scroll the sticky header's button "into view" first, moving the page).
  await page.keyboard.press('Enter');
  expect((await position(page)).section).toBe('softmax');
  await byId(page, 'present-exit').click();
  await expect(byId(page, 'present-bar')).toBeHidden();
});

test('the Train section in presenter mode: its steps, Play and Pause, the charts side by side, their tick labels apart', async ({ page }) => {
  await recordChartText(page);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await openPresenting(page, '?present&step=2', '#train');
  expect(await position(page)).toEqual({ section: 'train', step: 2, steps: 3 });
  await expect(byId(page, 'train-chart')).toBeVisible();
  await expect(byId(page, 'lr')).toBeHidden();
  const [a, b] = await Promise.all(['train-chart', 'test-chart'].map((id) => byId(page, id).boundingBox()));
  expect(Math.abs(a.y - b.y)).toBeLessThan(4);
  expect(a.width).toBeGreaterThan(700);
  await byId(page, 'speed').selectOption('full');
  await byId(page, 'play').click();
  // Past 2,000 steps the x axis counts in thousands: its labels at presenter size keep apart.
  await waitNum(page, 'step-count', (n) => n > 2000);
  await byId(page, 'pause').click();
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'paused');
  await expectChartTextClear(page);
  await page.screenshot({ path: join(SHOTS, 'present-train-1920x1080.png') });
  await page.keyboard.press('ArrowRight');
  await expect(byId(page, 'lr')).toBeVisible();
  expect(await num(page, 'step-count')).toBeGreaterThan(2000);
});
