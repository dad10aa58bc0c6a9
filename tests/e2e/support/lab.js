// Page-side helpers and the `test` fixture shared by the e2e specs.
// The page's stable hooks are data-testid attributes (docs/testing.md, "Test hooks"); numbers are read
// from their data-value attribute, never parsed from formatted text.
import { test as base, expect } from '@playwright/test';
import { prefillDataCache } from './data-cache.js';

/**
 * `test` with an automatic fixture that records every problem the page reports — console
 * errors (page and its workers), uncaught exceptions, CSP violations, failed or 4xx/5xx
 * requests, requests leaving the origin — and fails the test if there is any.
 * `problems` is the live list, for tests that want to assert on it themselves.
 * `allowProblems` (option, a RegExp): problems a test provokes on purpose (a 404 it routes, a
 * worker it crashes) and asserts on itself; only those are let through.
 * `dataCache` (option): 'warm' (the default) puts MNIST's decoded files into the context's data
 * cache first, as a second visit finds them (support/data-cache.js); 'cold' leaves the cache
 * empty, for specs about the download itself (E2E_DATA_CACHE=cold makes it every spec's default).
 * `newContext()` makes another fresh context with the same data cache (closed after the test).
 */
export const test = base.extend({
  allowProblems: [null, { option: true }],
  dataCache: [process.env.E2E_DATA_CACHE === 'cold' ? 'cold' : 'warm', { option: true }],
  context: async ({ context, dataCache, baseURL }, use) => {
    if (dataCache === 'warm') await prefillDataCache(context, baseURL, ['mnist']);
    await use(context);
  },
  // More fresh contexts for one test (two students on one link, say), each with the data cache
  // of `dataCache` like the test's own; closed after the test.
  newContext: async ({ browser, dataCache, baseURL }, use) => {
    const made = [];
    await use(async () => {
      const context = await browser.newContext();
      made.push(context);
      if (dataCache === 'warm') await prefillDataCache(context, baseURL, ['mnist']);
      return context;
    });
    await Promise.all(made.map((c) => c.close().catch(() => {})));
  },
  problems: [
    async ({ page, baseURL, allowProblems }, use) => {
      const problems = [];
      const origin = new URL(baseURL).origin;
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console.error: ${m.text()} (${m.location().url || '?'})`);
      });
      page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
      // Requests a navigation of their own frame cut short (a reload while the icon still loads)
      // are the browser's doing, not the page's: each request remembers how many times its frame
      // had navigated when it started, and an abort counts only if the frame has not moved on since.
      const navigations = new WeakMap();
      const startedAt = new WeakMap();
      const frameOf = (r) => {
        try {
          return r.frame();
        } catch {
          return null; // a service worker's request has no frame
        }
      };
      page.on('framenavigated', (f) => navigations.set(f, (navigations.get(f) || 0) + 1));
      page.on('request', (r) => {
        const f = frameOf(r);
        startedAt.set(r, f ? navigations.get(f) || 0 : 0);
        const u = r.url();
        if (/^https?:/.test(u) && new URL(u).origin !== origin) problems.push(`request leaves the origin: ${u}`);
      });
      const aborted = [];
      page.on('requestfailed', (r) => {
        const why = r.failure()?.errorText || '';
        const problem = `request failed: ${r.url()} ${why}`;
        if (!/ERR_ABORTED/.test(why)) problems.push(problem);
        // A download the test itself triggers is reported as aborted by some Chromium versions.
        else if (!r.url().startsWith('blob:')) aborted.push({ r, problem });
      });
      page.on('response', (r) => {
        if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
      });
      await page.addInitScript(() => {
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => {
          window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
        });
      });
      await use(problems);
      for (const { r, problem } of aborted) {
        const f = frameOf(r);
        const navigatedSince = f && (navigations.get(f) || 0) > (startedAt.get(r) || 0);
        if (!navigatedSince) problems.push(problem);
      }
      const csp = await page.evaluate(() => window.__cspViolations || []).catch(() => []);
      for (const v of csp) problems.push(`CSP violation: ${v}`);
      const unexpected = problems.filter((p) => !(allowProblems && allowProblems.test(p)));
      expect(unexpected, 'the page reported problems').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

export const byId = (page, id) => page.getByTestId(id);

/** The numeric data-value of a hook (NaN if absent or not a number). */
export async function num(page, id) {
  const v = await byId(page, id).getAttribute('data-value');
  return v === null || v.trim() === '' ? NaN : Number(v);
}

/** Wait until the hook's data-value satisfies `pred`; returns the value. */
export async function waitNum(page, id, pred, { timeout = 60_000, message } = {}) {
  let last;
  await expect
    .poll(async () => {
      last = await num(page, id);
      return pred(last);
    }, { timeout, intervals: [50, 100, 200], message: message || `${id} data-value` })
    .toBe(true);
  return last;
}

export const state = (page) => byId(page, 'status').getAttribute('data-state');

/**
 * Wait until the test figures shown are those of the evaluation at `step` (the page evaluates
 * after stepping, so right after a step an earlier evaluation can still be on the screen).
 */
export async function evaluatedAt(page, step) {
  await expect(byId(page, 'test-accuracy')).toHaveAttribute('data-step', String(step));
}

/** Open the lab and wait until the data and the model are ready. */
export async function openLab(page) {
  await page.goto('/');
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
}

/**
 * Play at full speed until the epoch counter reaches `epochs`, then Pause and wait for the page to settle
 * (state "paused", and a test evaluation that is not older than the weights).
 */
export async function train(page, epochs = 1) {
  await byId(page, 'speed').selectOption('full');
  await byId(page, 'play').click();
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'training');
  await waitNum(page, 'epoch', (e) => e >= epochs, { timeout: 90_000, message: `epoch reaches ${epochs}` });
  await byId(page, 'pause').click();
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'paused');
  await waitNum(page, 'test-accuracy', (a) => a > 0 && a <= 1, { message: 'test accuracy is shown after training' });
}

/** The canvas box, scrolled into view (viewport coordinates). */
async function padBox(page) {
  const pad = byId(page, 'draw-canvas');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  expect(box, 'draw-canvas is visible').not.toBeNull();
  return box;
}

/**
 * Draw strokes with the mouse. Each stroke is a list of points in pad-relative units
 * (0..1 × 0..1); consecutive points are joined with `steps` mouse moves (each move costs the
 * browser about a frame, so strokes carry about as many points as a real mouse reports).
 */
export async function drawStrokes(page, strokes, steps = 1) {
  const box = await padBox(page);
  const at = ([u, v]) => [box.x + u * box.width, box.y + v * box.height];
  for (const stroke of strokes) {
    const [x0, y0] = at(stroke[0]);
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    for (const p of stroke.slice(1)) {
      const [x, y] = at(p);
      await page.mouse.move(x, y, { steps });
    }
    await page.mouse.up();
  }
}

/** The same with touch (CDP touch events: a finger on a phone). */
export async function touchStrokes(page, strokes, steps = 1) {
  const box = await padBox(page);
  const cdp = await page.context().newCDPSession(page);
  const at = ([u, v]) => ({ x: box.x + u * box.width, y: box.y + v * box.height });
  for (const stroke of strokes) {
    let prev = at(stroke[0]);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [prev] });
    for (const p of stroke.slice(1)) {
      const next = at(p);
      for (let i = 1; i <= steps; i++) {
        const q = { x: prev.x + ((next.x - prev.x) * i) / steps, y: prev.y + ((next.y - prev.y) * i) / steps };
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [q] });
      }
      prev = next;
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  }
  await cdp.detach();
}

export { ONE, ZERO } from './strokes.js';

/** The ten probabilities (prob-0 … prob-9 data-value). */
export async function probabilities(page) {
  const ps = [];
  for (let k = 0; k < 10; k++) ps.push(await num(page, `prob-${k}`));
  return ps;
}

/**
 * Wait until the page predicts `label`, and check the probability bars agree: finite,
 * summing to 1, with their largest entry at `label`.
 */
export async function expectPrediction(page, label) {
  await expect(byId(page, 'prediction')).toHaveText(String(label));
  await expect
    .poll(async () => {
      const ps = await probabilities(page);
      const sum = ps.reduce((s, p) => s + p, 0);
      const arg = ps.indexOf(Math.max(...ps));
      return { finite: ps.every(Number.isFinite), sumsToOne: Math.abs(sum - 1) < 1e-3, argmax: arg };
    }, { message: `prob-0…prob-9 agree with prediction ${label}` })
    .toEqual({ finite: true, sumsToOne: true, argmax: Number(label) });
}
