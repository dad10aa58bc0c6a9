// dist/ (./lab dist) from a plain static server under a sub-path, and the offline copy:
// the main flow under the CSP the page carries; after one visit, the lab loads, trains and
// classifies with the server gone; a new version is offered and reloading switches every file at
// once; a copy that cannot be made is said, and the page goes on from the network.
//
// The site is built into a temporary folder with scripts/dist.mjs and served by
// `python3 -m http.server` at /softmax-lab/ — no server logic, no headers of ours.
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { META_CSP } from '../../scripts/csp.mjs';
import { serviceWorker } from '../../scripts/precache.mjs';
import { REPO } from './support/mnist.js';
import { byId, drawStrokes, expect, expectPrediction, num, ONE, test, train, waitNum } from './support/lab.js';

const PORT = Number(process.env.E2E_PORT || 8765) + 11;
const SITE = mkdtempSync(join(tmpdir(), 'softmax-lab-dist-'));
const APP = join(SITE, 'softmax-lab');
let server = null;

async function startServer() {
  server = spawn('python3', ['-m', 'http.server', String(PORT), '--bind', '127.0.0.1', '--directory', SITE], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/softmax-lab/index.html`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => {
      setTimeout(r, 100);
    });
  }
  throw new Error(`python3 -m http.server did not start on port ${PORT}`);
}

function stopServer() {
  if (!server) return Promise.resolve();
  const s = server;
  server = null;
  return new Promise((resolve) => {
    s.on('exit', resolve);
    s.kill();
  });
}

test.describe.configure({ mode: 'serial' });
// The data as a first visit gets it from the static server (dist/ holds only the xz files).
test.use({ baseURL: `http://127.0.0.1:${PORT}/softmax-lab/`, serviceWorkers: 'allow', dataCache: 'cold' });

test.beforeAll(async () => {
  execFileSync('node', [join(REPO, 'scripts/dist.mjs'), '--out', APP], { stdio: 'ignore' });
  await startServer();
});

test.afterAll(async () => {
  await stopServer();
  rmSync(SITE, { recursive: true, force: true });
});

async function open(page) {
  await page.goto('./');
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
}

/** Wait until this version is saved for offline use; its version string. */
async function offlineReady(page) {
  await expect(byId(page, 'offline')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await expect(byId(page, 'offline')).toHaveAttribute('data-version', /^[0-9a-f]{16}$/);
  return byId(page, 'offline').getAttribute('data-version');
}

test.describe('served as files', () => {
  test.use({ allowProblems: /127\.0\.0\.2/ }); // the request to another origin it provokes

  test('dist/ from a plain static server under a sub-path: the main flow, under the CSP the page carries', async ({ page }) => {
    const response = await page.goto('./');
    expect(response.headers()['content-security-policy'], 'the static server sends no policy: the page must carry it').toBeUndefined();
    await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(meta).toBe(META_CSP);
    // The meta policy is enforced: a request to another origin is refused.
    const refused = await page.evaluate(async () => {
      const violations = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      try {
        await fetch('http://127.0.0.2:9/collect');
      } catch {
        // refused
      }
      await new Promise((r) => {
        setTimeout(r, 100);
      });
      return violations;
    });
    expect(refused).toContain('connect-src');

    await byId(page, 'step').click();
    await waitNum(page, 'step-count', (s) => s === 1);
    await train(page, 1);
    expect(await num(page, 'test-accuracy')).toBeGreaterThan(0.88);
    await drawStrokes(page, ONE);
    await expectPrediction(page, '1');
  });
});

test('after one visit the lab loads, trains and classifies with the server gone', async ({ page }) => {
  await open(page);
  await offlineReady(page);
  await stopServer();
  try {
    await page.reload();
    await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    await expect(byId(page, 'offline')).toHaveAttribute('data-state', 'ready');
    await train(page, 1);
    expect(await num(page, 'test-accuracy')).toBeGreaterThan(0.88);
    await drawStrokes(page, ONE);
    await expectPrediction(page, '1');
  } finally {
    await startServer();
  }
});

test('a new version is offered, and reloading into it switches every file at once', async ({ page }) => {
  await open(page);
  const v1 = await offlineReady(page);
  const index = join(APP, 'index.html');
  const original = readFileSync(index, 'utf8');
  const sw = join(APP, 'sw.js');
  const originalSw = readFileSync(sw, 'utf8');
  try {
    // A new release: a changed page and the service worker that lists it.
    writeFileSync(index, original.replace('<head>', '<head>\n    <meta name="softmax-lab-release" content="next" />'));
    writeFileSync(sw, serviceWorker(APP, join(REPO, 'www/sw.js')).source);
    await page.reload();
    await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    // Until the user takes it, the page in use is the old one, whole.
    await expect(page.locator('meta[name="softmax-lab-release"]')).toHaveCount(0);
    await expect(byId(page, 'notice-update')).toBeVisible({ timeout: 30_000 });
    await byId(page, 'update-reload').click();
    await expect(page.locator('meta[name="softmax-lab-release"]')).toHaveCount(1, { timeout: 30_000 });
    await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    const v2 = await offlineReady(page);
    expect(v2).not.toBe(v1);
  } finally {
    writeFileSync(index, original);
    writeFileSync(sw, originalSw);
  }
});

test('a copy that cannot be made is said, and the page works from the network as without one', async ({ page }) => {
    // A file that does not match its listed hash (a half-finished upload): the install must fail
    // rather than keep a mixed version.
    const font = join(APP, 'www/vendor/katex/fonts/KaTeX_Fraktur-Bold.woff2');
    const original = readFileSync(font);
    appendFileSync(font, Buffer.from([0]));
    try {
      await open(page);
      await expect(byId(page, 'offline')).toHaveAttribute('data-state', 'failed', { timeout: 60_000 });
      await expect(byId(page, 'offline')).toContainText('changed while the offline copy was being made');
      await expect(byId(page, 'notice-offline')).toContainText('could not keep an offline copy');
      expect(await page.evaluate(() => navigator.serviceWorker.controller)).toBeNull();
      await byId(page, 'step').click();
      await waitNum(page, 'step-count', (s) => s === 1);
    } finally {
      writeFileSync(font, original);
    }
  });
