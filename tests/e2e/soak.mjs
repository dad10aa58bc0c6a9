// Soak test (long runs), run by hand — not part of ./lab test (it takes minutes):
//
//   node tests/e2e/soak.mjs [--epochs 50] [--predictions 10000] [--port 8799]
//
// Serves the lab, opens it in headless Debian Chromium, trains in the Worker for 2 warm-up
// epochs and then `--epochs` more, then classifies `--predictions` drawings through the page's
// real path (mouse strokes on the pad → preprocessing and prediction in the worker). Along the
// way it samples the wasm memory (the worker's `memory.buffer.byteLength`, through the
// test-only 'memory' request), the page's JS heap after a forced GC (CDP Performance.getMetrics)
// and the renderer's resident memory (/proc), and prints a table. Memory must not grow after
// warm-up: the script exits 1 if wasm memory grows at all or the JS heap by more than 25 %.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from './support/chromium.js';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const EPOCHS = arg('--epochs', 50);
const PREDICTIONS = arg('--predictions', 10_000);
const PORT = arg('--port', 8799);
const WARMUP_EPOCHS = 2;
const WARMUP_PREDICTIONS = 200;
const MB = 1024 * 1024;

function serve() {
  const server = spawn(process.execPath, ['scripts/serve.mjs', '--port', String(PORT)], { cwd: REPO, env: { ...process.env, SERVE_QUIET: '1' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((ok, fail) => {
    server.once('message', (m) => ok({ server, url: m.url }));
    server.once('exit', (code) => fail(new Error(`the server exited (${code})`)));
  });
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'] });
const { server, url } = await serve();
const rows = [];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const browserCdp = await browser.newBrowserCDPSession();

  const byId = (id) => page.getByTestId(id);
  const num = async (id) => Number(await byId(id).getAttribute('data-value'));
  const worker = () => page.evaluate(() => new Promise((reply) => {
    window.dispatchEvent(new CustomEvent('softmax-lab-test', { detail: { action: 'memory', reply } }));
  }));
  async function rendererRss() {
    const { processInfo } = await browserCdp.send('SystemInfo.getProcessInfo');
    let kb = 0;
    for (const p of processInfo.filter((q) => q.type === 'renderer')) {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p.id}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    }
    return (kb * 1024) / MB;
  }
  async function sample(phase) {
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize').value / MB;
    const w = await worker();
    const row = { phase, epochs: w.epochs.toFixed(2), steps: w.step, predictions: w.predictions, 'wasm MB': (w.wasmBytes / MB).toFixed(1), 'page JS heap MB': heap.toFixed(2), 'renderer RSS MB': (await rendererRss()).toFixed(0) };
    rows.push(row);
    console.log(Object.values(row).join('\t'));
    return { wasm: w.wasmBytes, heap };
  }
  async function playUntil(epochs, every) {
    await byId('play').click();
    let next = every ? (await num('epoch')) + every : Infinity;
    for (;;) {
      const e = await num('epoch');
      if (e >= epochs) break;
      if (e >= next) {
        await sample(`training (${Math.floor(e)} epochs)`);
        next += every;
      }
      await page.waitForTimeout(250);
    }
    await byId('pause').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=status]').dataset.state === 'paused');
  }

  // Predictions through the page: strokes on the pad, one classification per animation frame.
  let box;
  let t = 0;
  async function predict(count, samples) {
    const start = (await worker()).predictions;
    let next = samples ? start + count / samples : Infinity;
    for (;;) {
      await page.mouse.move(box.x + box.width * (0.3 + 0.4 * Math.random()), box.y + box.height * 0.2);
      await page.mouse.down();
      for (let i = 0; i < 20; i++) {
        t += 0.3;
        await page.mouse.move(box.x + box.width * (0.5 + 0.3 * Math.sin(t)), box.y + box.height * (0.5 + 0.3 * Math.cos(t * 0.7)));
      }
      await page.mouse.up();
      await byId('clear').click();
      const done = (await worker()).predictions;
      if (done - start >= count) return;
      if (done >= next) {
        await sample(`predicting (${done - start})`);
        next += count / samples;
      }
    }
  }

  const t0 = Date.now();
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector('[data-testid=status]').dataset.state === 'ready', null, { timeout: 60_000 });
  const pad = byId('draw-canvas');
  await pad.scrollIntoViewIfNeeded();
  box = await pad.boundingBox();
  console.log(['phase', 'epochs', 'steps', 'predictions', 'wasm MB', 'page JS heap MB', 'renderer RSS MB'].join('\t'));
  await sample('loaded');
  // Warm-up: every path once (training, evaluation, preprocessing, prediction) so that the
  // allocator and the JIT have reached their working sizes.
  await playUntil(WARMUP_EPOCHS);
  await predict(WARMUP_PREDICTIONS);
  const warm = await sample('after warm-up');
  await playUntil(WARMUP_EPOCHS + EPOCHS, 10);
  await sample(`after ${EPOCHS} more epochs`);
  const tTrain = (Date.now() - t0) / 1000;
  await pad.scrollIntoViewIfNeeded();
  box = await pad.boundingBox();
  await predict(PREDICTIONS, 5);
  const predicted = await sample(`after ${PREDICTIONS} predictions`);
  const tTotal = (Date.now() - t0) / 1000;

  console.log();
  console.table(rows);
  const wasmGrowth = predicted.wasm - warm.wasm;
  const heapGrowth = (predicted.heap - warm.heap) / warm.heap;
  console.log(`warm-up + training: ${tTrain.toFixed(0)} s; total ${tTotal.toFixed(0)} s; console errors: ${errors.length}`);
  console.log(`wasm memory after warm-up → end: ${(warm.wasm / MB).toFixed(1)} → ${(predicted.wasm / MB).toFixed(1)} MB (growth ${(wasmGrowth / MB).toFixed(1)} MB)`);
  console.log(`page JS heap after warm-up → end: ${warm.heap.toFixed(2)} → ${predicted.heap.toFixed(2)} MB (${(heapGrowth * 100).toFixed(1)} %)`);
  const ok = wasmGrowth === 0 && heapGrowth < 0.25 && errors.length === 0;
  console.log(ok ? 'SOAK OK: no growth after warm-up' : 'SOAK FAILED');
  process.exitCode = ok ? 0 : 1;
} finally {
  await browser.close();
  server.kill();
}
