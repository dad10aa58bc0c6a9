// Firefox smoke test (./lab test firefox; part of ./lab test): Debian's Firefox ESR, driven by
// puppeteer-core over WebDriver BiDi (Playwright's own Firefox build cannot be downloaded here),
// against scripts/serve.mjs. It loads the lab, trains one epoch at full speed, draws a "1" and
// reads the prediction, exports the weights and imports them back, looks at the page at a phone's
// width (nothing wider than the screen, every label inside its button), and fails on any console error,
// uncaught exception or CSP violation in the page. It prints the examples/s Firefox trained at.
// Usage: node tests/e2e/firefox.mjs [--port N] [--screenshot FILE]
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { REPO } from './support/mnist.js';
import { ONE } from './support/strokes.js';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const PORT = Number(opt('--port', Number(process.env.E2E_PORT || 8765) + 12));
const SHOT = opt('--screenshot', join(REPO, 'tests/e2e/screenshots/firefox-1280.png'));
const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';
const TIMEOUT = 90_000;

const problems = [];
const log = (s) => console.log(`    ${s}`);

function serve() {
  return new Promise((resolve, reject) => {
    const child = fork(join(REPO, 'scripts/serve.mjs'), ['--port', String(PORT)], { env: { ...process.env, SERVE_QUIET: '1' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m) => resolve({ url: m.url, stop: () => child.kill() }));
    child.once('exit', (code) => reject(new Error(`scripts/serve.mjs exited (${code}): is port ${PORT} in use? Set E2E_PORT.`)));
  });
}

/** @param {import('puppeteer-core').Page} page */
const attr = (page, id, name = 'data-value') => page.$eval(`[data-testid="${id}"]`, (e, n) => e.getAttribute(n), name);
const number = async (page, id) => Number(await attr(page, id));
const waitFor = (page, fn, arg, what) =>
  page.waitForFunction(fn, { timeout: TIMEOUT, polling: 100 }, arg).catch((e) => {
    throw new Error(`${what}: not within ${TIMEOUT / 1000} s (${e.message})`);
  });
/**
 * Click the element of `testid` with the mouse once it holds still: puppeteer clicks where the
 * element was when it looked, and the page still moves things while it builds and typesets (a
 * fresh-clone run's Play click after "ready" missed: no "training" in 90 s). Its box is read two
 * animation frames apart until it is the same.
 * @param {import('puppeteer-core').Page} page
 * @param {string} testid
 */
async function clickStill(page, testid) {
  const selector = `[data-testid="${testid}"]`;
  await waitFor(
    page,
    (sel) =>
      new Promise((done) => {
        const box = () => JSON.stringify(document.querySelector(sel)?.getBoundingClientRect());
        const before = box();
        requestAnimationFrame(() => requestAnimationFrame(() => done(before !== 'undefined' && box() === before)));
      }),
    selector,
    `${testid} holds still`,
  );
  await page.click(selector);
}
const waitState = (page, state) =>
  waitFor(page, (s) => document.querySelector('[data-testid="status"]')?.getAttribute('data-state') === s, state, `status "${state}"`);

async function main() {
  const server = await serve();
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true, protocolTimeout: TIMEOUT });
  const dir = mkdtempSync(join(tmpdir(), 'softmax-lab-firefox-'));
  try {
    const version = await browser.version();
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
    await page.evaluateOnNewDocument(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI}`));
      // Keep what the page offers as a download (its <a download> click) instead of saving it.
      // (The blob itself: fetching its blob: URL is refused by the CSP's connect-src, rightly.)
      window.__downloads = [];
      const blobs = new Map();
      const create = URL.createObjectURL;
      URL.createObjectURL = (b) => {
        const url = create.call(URL, b);
        blobs.set(url, b);
        return url;
      };
      window.__blobOf = (url) => blobs.get(url);
      const click = HTMLAnchorElement.prototype.click;
      HTMLAnchorElement.prototype.click = function () {
        if (this.download) window.__downloads.push({ name: this.download, href: this.href });
        else click.call(this);
      };
    });

    console.log(`==> Firefox smoke test: ${version} at ${server.url}`);
    const t0 = Date.now();
    await page.goto(server.url);
    await waitState(page, 'ready');
    log(`ready after ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    // One epoch at full speed.
    await page.select('[data-testid="speed"]', 'full');
    await clickStill(page, 'play');
    await waitState(page, 'training');
    let rate = 0;
    await waitFor(page, () => Number(document.querySelector('[data-testid="epoch"]')?.getAttribute('data-value')) >= 1, null, 'epoch 1');
    rate = await number(page, 'examples-per-sec');
    await clickStill(page, 'pause');
    await waitState(page, 'paused');
    await waitFor(page, () => Number(document.querySelector('[data-testid="test-accuracy"]')?.getAttribute('data-value')) > 0, null, 'a test evaluation');
    const accuracy = await number(page, 'test-accuracy');
    const step = await number(page, 'step-count');
    log(`one epoch: step ${step}, test accuracy ${(accuracy * 100).toFixed(2)} %, ${Math.round(rate).toLocaleString('en-US')} examples/s`);
    if (!(accuracy > 0.88)) throw new Error(`test accuracy after one epoch is ${accuracy}, expected > 0.88`);

    // Draw a "1" with the mouse.
    const pad = await page.$('[data-testid="draw-canvas"]');
    // Instantly (the page scrolls smoothly), then read where it is.
    await pad.evaluate((e) => window.scrollTo({ top: window.scrollY + e.getBoundingClientRect().top - 160, behavior: 'instant' }));
    await new Promise((r) => {
      setTimeout(r, 200);
    });
    const box = await pad.boundingBox();
    const at = ([u, v]) => [box.x + u * box.width, box.y + v * box.height];
    for (const stroke of ONE) {
      const [x0, y0] = at(stroke[0]);
      await page.mouse.move(x0, y0);
      await page.mouse.down();
      for (const p of stroke.slice(1)) await page.mouse.move(...at(p));
      await page.mouse.up();
    }
    await waitFor(page, () => document.querySelector('[data-testid="prediction"]')?.textContent === '1', null, 'the drawn "1" is predicted as 1');
    const probs = await page.$$eval('[data-testid^="prob-"]', (bars) => bars.map((b) => Number(b.getAttribute('data-value'))));
    const sum = probs.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > 1e-3) throw new Error(`the probabilities sum to ${sum}`);
    log(`drew a "1": predicted 1 with p = ${probs[1].toFixed(3)}`);
    mkdirSync(dirname(SHOT), { recursive: true });
    const shot = await page.screenshot({ path: SHOT });
    // The page is scrolled to a fractional position (Firefox: scrollY = n + 0.65): the sticky
    // header must still cover the viewport's top edge, with no row of the page above it.
    const light = await page.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const image = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const ctx = /** @type {OffscreenCanvasRenderingContext2D} */ (new OffscreenCanvas(image.width, 3).getContext('2d'));
      ctx.drawImage(image, 0, 0);
      const { data } = ctx.getImageData(0, 0, Math.min(600, image.width), 3);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] > 3 * 100) n++;
      return { n, scrollY: window.scrollY };
    }, Buffer.from(shot).toString('base64'));
    if (light.n > 0) throw new Error(`${light.n} light pixels in the top 3 rows above the sticky header (scrollY ${light.scrollY}): the page shows through above it`);

    // Export, train on, import the export: the model comes back to the exported step.
    await clickStill(page, 'export-weights');
    await waitFor(page, () => window.__downloads.length > 0, null, 'the export');
    const file = await page.evaluate(async () => {
      const d = window.__downloads.at(-1);
      return { name: d.name, text: await window.__blobOf(d.href).text() };
    });
    const path = join(dir, file.name);
    writeFileSync(path, file.text);
    await clickStill(page, 'step');
    await waitFor(page, (s) => Number(document.querySelector('[data-testid="step-count"]')?.getAttribute('data-value')) === s + 1, step, 'one more step');
    const input = await page.$('[data-testid="import-weights"]');
    await input.uploadFile(path);
    await waitFor(page, (s) => Number(document.querySelector('[data-testid="step-count"]')?.getAttribute('data-value')) === s, step, `the import brings the model back to step ${step}`);
    await waitFor(page, (a) => Number(document.querySelector('[data-testid="test-accuracy"]')?.getAttribute('data-value')) === a, accuracy, 'the imported model scores what it scored when exported');
    log(`exported ${file.name} (${file.text.length.toLocaleString('en-US')} bytes) and imported it: step ${step}, accuracy unchanged`);

    // A phone's width (Firefox's own font metrics and form controls): nothing sticks out
    // sideways and every button's label fits it.
    await page.setViewport({ width: 390, height: 844 });
    await new Promise((r) => {
      setTimeout(r, 500);
    });
    const phone = await page.evaluate(() => ({
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      buttons: [...document.querySelectorAll('button, .btn')].filter((b) => b.getClientRects().length && b.scrollWidth - b.clientWidth > 1).map((b) => `${b.dataset.testid || ''} "${b.textContent.trim()}" (${b.scrollWidth - b.clientWidth} px over its ${b.clientWidth})`),
    }));
    if (phone.overflow > 0) throw new Error(`at 390 px the page is ${phone.overflow} px wider than the screen`);
    if (phone.buttons.length) throw new Error(`at 390 px these labels run out of their buttons: ${phone.buttons.join(', ')}`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: SHOT.replace(/1280(\.png)$/, '390-full$1'), fullPage: true });
    log('at 390 px: nothing wider than the screen, every label inside its button');

    problems.push(...(await page.evaluate(() => window.__csp)).map((v) => `CSP violation: ${v}`));
    if (problems.length) throw new Error(`the page reported problems:\n  ${problems.join('\n  ')}`);
    mkdirSync(join(REPO, 'test-results'), { recursive: true });
    writeFileSync(join(REPO, 'test-results', 'firefox.json'), JSON.stringify({ version, examplesPerSec: rate, accuracy, step }, null, 2));
    console.log('    passed: no console errors, uncaught exceptions or CSP violations');
  } finally {
    await browser.close().catch(() => {});
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`error: Firefox smoke test failed: ${e.message}`);
  if (problems.length && !String(e.message).includes('reported problems')) console.error(`  also: ${problems.join('\n  ')}`);
  process.exit(1);
});
