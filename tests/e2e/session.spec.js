// Nothing lost: the session is checkpointed in IndexedDB and a reload resumes it
// exactly; a shared link replays a run step for step; a crashed, trapped or hung worker is
// restarted and the last checkpoint restored.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, byId, num, waitNum, state, evaluatedAt } from './support/lab.js';
import { REPO } from './support/mnist.js';
import { steps, savedAt, exportWeights, workerTest } from './support/hardening.js';

const SHOTS = join(REPO, 'tests', 'e2e', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

// Batch 1000: an epoch is 60 steps, so the runs below cross an epoch boundary quickly.
const LINK = '/?lr=0.1&batch=1000&l2=0.0001&seed=12345&dataset=mnist';

/** The text of a notice (without its buttons). */
const notice = (page, id) => byId(page, `notice-${id}`).locator('.notice-text');

async function ready(page, url = '/') {
  await page.goto(url);
  await expect(byId(page, 'status')).toHaveAttribute('data-state', /^(ready|paused)$/, { timeout: 60_000 });
}

/** What identifies the model and where it stands: exact numbers, not rounded text. */
async function figures(page) {
  const step = await num(page, 'step-count');
  await evaluatedAt(page, step);
  return {
    step,
    seen: await num(page, 'examples-seen'),
    trainLoss: await num(page, 'train-loss'),
    testAcc: await waitNum(page, 'test-accuracy', Number.isFinite),
    testLoss: await num(page, 'test-loss'),
  };
}

test('a shared link replays the run step for step, and a reload in the middle continues it exactly', async ({ newContext }) => {
  // Two fresh browser contexts (nothing shared: no IndexedDB, no HTTP cache; each has the data
  // set as a second visit would) open the same link.
  const [a, b] = await Promise.all([newContext(), newContext()]);
  const [pa, pb] = await Promise.all([a.newPage(), b.newPage()]);
  await Promise.all([ready(pa, LINK), ready(pb, LINK)]);
  for (const p of [pa, pb]) {
    await expect(notice(p, 'link')).toHaveText(/^Opened a shared run: ε = 0\.1, batch size 1000, α = 0\.0001, seed 12345, MNIST, from step 0\./);
    expect(await p.evaluate(() => location.search), 'the link leaves the address bar').toBe('');
    expect([await byId(p, 'lr').inputValue(), await byId(p, 'batch-size').inputValue(), await byId(p, 'l2').inputValue(), await byId(p, 'seed').inputValue()])
      .toEqual(['0.1', '1000', '0.0001', '12345']);
  }
  await expect(byId(pa, 'share-link')).toHaveAttribute('href', /\?lr=0\.1&batch=1000&l2=0\.0001&seed=12345&dataset=mnist$/);
  await Promise.all([steps(pa, 50), steps(pb, 50)]);
  await Promise.all([savedAt(pa, 50), savedAt(pb, 50)]);
  const [fa, fb] = [await figures(pa), await figures(pb)];
  expect(fa).toEqual(fb); // the same to the last digit: losses, test loss and accuracy
  expect(fa.seen).toBe(50000);
  test.info().annotations.push({ type: 'step 50 in both contexts', description: JSON.stringify(fa) });

  // Context A reloads; the session comes back where it was, with the same curves.
  await pa.reload();
  await expect(byId(pa, 'status')).toHaveAttribute('data-state', 'paused', { timeout: 60_000 });
  await expect(notice(pa, 'resume')).toHaveText(/^Welcome back: your session was restored at step 50 \(saved at \d\d:\d\d:\d\d in this browser\)\./);
  expect(await figures(pa)).toEqual(fa);
  expect(await byId(pa, 'lr').inputValue()).toBe('0.1');
  await pa.evaluate(() => window.scrollTo(0, 0));
  await pa.screenshot({ path: join(SHOTS, 'hardening-resumed-1280x800.png') });

  // 25 more steps (across the end of epoch 1 at step 60, into a fresh shuffle) in both: still
  // identical, so the resumed run continues on the same minibatches as the uninterrupted one.
  await Promise.all([steps(pa, 25), steps(pb, 25)]);
  await Promise.all([savedAt(pa, 75), savedAt(pb, 75)]);
  const [ga, gb] = [await figures(pa), await figures(pb)];
  expect(ga).toEqual(gb);
  expect(ga.seen).toBe(75000);
  expect(await num(pa, 'epoch')).toBe(1.25);
  const [wa, wb] = [JSON.parse((await exportWeights(pa)).text), JSON.parse((await exportWeights(pb)).text)];
  expect(wa.W).toEqual(wb.W);
  expect(wa.b).toEqual(wb.b);
  expect(wa.training).toEqual(wb.training);
  await Promise.all([a.close(), b.close()]);
});

test('a link with bad values says which and why, and uses the defaults for them', async ({ page }) => {
  await ready(page, '/?lr=abc&batch=2.5&l2=0.5&seed=-1&dataset=cifar&lr=3&foo=1');
  await expect(notice(page, 'link')).toHaveText(/could not all be used/);
  const text = await notice(page, 'link').textContent();
  for (const part of [
    'lr=“abc” is not a number',
    '“lr” appears more than once',
    'dataset=“cifar” is not one of mnist, fashion',
    'the link\'s parameter “foo” is not one the lab knows',
    'batch=2.5: batch size must be a whole number from 1 to 60000 (the training-set size); got 2.5',
    'seed=-1: seed must be a whole number from 0 to 4294967295; got -1',
    'Running: ε = 0.05, batch size 100, α = 0.5, seed 541, MNIST.',
  ]) expect(text).toContain(part);
  // The valid value (l2) is taken, the others are the defaults, and nothing is marked invalid.
  expect(await byId(page, 'l2').inputValue()).toBe('0.5');
  expect(await byId(page, 'lr').inputValue()).toBe('0.05');
  expect(await byId(page, 'batch-size').inputValue()).toBe('100');
  expect(await byId(page, 'seed').inputValue()).toBe('541');
  await expect(page.locator('[aria-invalid="true"]')).toHaveCount(0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, 'hardening-bad-link-1280x800.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(SHOTS, 'hardening-bad-link-390x844.png') });
  await byId(page, 'notice-link').getByTestId('notice-ok').click();
  await expect(byId(page, 'notice-link')).toBeHidden();
  await steps(page, 2);
});

test('reloading while training resumes from the last checkpoint (taken while playing)', async ({ page }) => {
  await ready(page);
  await byId(page, 'play').click();
  await waitNum(page, 'saved', (s) => s > 0, { timeout: 20_000, message: 'a checkpoint is taken while playing' });
  const before = await num(page, 'step-count');
  await page.reload();
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'paused', { timeout: 60_000 });
  const resumed = await num(page, 'step-count');
  // The checkpoint taken last (every 5 s while playing, and when the page hid) — not older than
  // the one seen before the reload, never newer than the step then.
  expect(resumed).toBeGreaterThan(0);
  expect(resumed).toBeLessThanOrEqual(before + 2000);
  await expect(notice(page, 'resume')).toHaveText(new RegExp(`restored at step ${resumed.toLocaleString('en-US')}`));
  await waitNum(page, 'test-accuracy', (a) => a > 0.8);
  const file = JSON.parse((await exportWeights(page)).text);
  expect(file.training.steps).toBe(resumed);
  expect(file.training.examples_seen).toBe(resumed * 100);
  // Start over forgets it.
  await byId(page, 'start-over').click();
  await waitNum(page, 'step-count', (s) => s === 0);
});

test.describe('worker crashes', () => {
  test.use({ allowProblems: /test-only crash|unreachable|RuntimeError/ });

  test('a wasm trap, an uncaught error and a silent worker: restarted, said, checkpoint restored', async ({ page }) => {
    test.setTimeout(90_000);
    await ready(page);
    await steps(page, 40);
    await savedAt(page, 40);
    const at40 = await figures(page);

    // 1. A trap in wasm (the allocator asked for 4 GB: out of memory).
    await workerTest(page, 'trap', { wait: false });
    await expect(notice(page, 'crash')).toHaveText(/^The training worker stopped: its WebAssembly trapped \(unreachable\)\. The lab restarted it and restored the checkpoint of step 40 \(saved at \d\d:\d\d:\d\d\)\.$/, { timeout: 30_000 });
    await expect(byId(page, 'status')).toHaveAttribute('data-state', 'paused');
    expect(await figures(page)).toEqual(at40);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'hardening-crash-1280x800.png') });

    // 2. An uncaught error in the worker while training plays: the steps after the last
    // checkpoint (taken at Pause) are lost, and the message says how many.
    await byId(page, 'play').click();
    await waitNum(page, 'step-count', (s) => s > at40.step + 100);
    await byId(page, 'pause').click();
    const paused = await waitNum(page, 'saved', (s) => s > at40.step + 100);
    await byId(page, 'play').click();
    await waitNum(page, 'step-count', (s) => s > paused + 50);
    await workerTest(page, 'throw');
    await expect(notice(page, 'crash')).toHaveText(/^The training worker crashed \(.*test-only crash of the training worker\)\. The lab restarted it and restored the checkpoint of step [\d,]+ \(saved at [\d:]+\); the [\d,]+ steps? after it were lost\.$/, { timeout: 30_000 });
    await expect(byId(page, 'status')).toHaveAttribute('data-state', 'paused');
    const restored = await num(page, 'step-count');
    // The checkpoint taken at Pause, or a later one taken while playing (every 5 s).
    expect(restored).toBeGreaterThanOrEqual(paused);
    expect(await num(page, 'examples-seen')).toBe(restored * 100);

    // 3. A worker that stops answering (closed): the watchdog notices within seconds.
    await workerTest(page, 'close');
    await byId(page, 'step').click(); // this request is never answered
    await expect(notice(page, 'crash')).toHaveText(/^The training worker stopped responding \(silent for \d+ s\)\. The lab restarted it and restored the checkpoint of step [\d,]+/, { timeout: 30_000 });
    await expect(byId(page, 'status')).toHaveAttribute('data-state', 'paused');
    // It trains on afterwards.
    const now = await num(page, 'step-count');
    await steps(page, 3);
    expect(await num(page, 'step-count')).toBe(now + 3);
    expect(await state(page)).toBe('paused');
  });
});
