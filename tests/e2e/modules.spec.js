// The two wasm modules (www/wasm-modules.js): the page trains with the start-up module alone,
// fetches the full one when a section first needs it, and the model moves there exactly.
import { test, expect, byId, num, waitNum } from './support/lab.js';
import { steps, exportWeights, workerTest } from './support/hardening.js';

const START = '/www/pkg/softmax_lab_start_bg.wasm';
const FULL = '/www/pkg/softmax_lab_bg.wasm';
// Only Train (no lecture section asks for the full module); batch 1000: 60 steps an epoch.
const TRAIN_ONLY = '/?only=train&lr=0.1&batch=1000&l2=0.0001&seed=12345';

/** Open `url` in a fresh context (the fixture's newContext); resolves with the page and the paths it requested. */
async function open(newContext, url) {
  const context = await newContext();
  const page = await context.newPage();
  const paths = [];
  page.on('request', (r) => paths.push(new URL(r.url()).pathname));
  await page.goto(url);
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  return { page, paths, context };
}

test('Train works from the start-up module alone; the model moves to the full module and goes on with exactly the same steps', async ({ newContext }) => {
  const [a, b] = await Promise.all([open(newContext, TRAIN_ONLY), open(newContext, TRAIN_ONLY)]);
  for (const { paths } of [a, b]) {
    expect(paths).toContain(START);
    expect(paths, 'nothing on this page needs the full module').not.toContain(FULL);
  }
  // 25 steps in both (mid-epoch), then a's model moves to the full module.
  await Promise.all([steps(a.page, 25), steps(b.page, 25)]);
  const moved = await workerTest(a.page, 'moveToFull');
  expect(moved).toEqual({ before: 'start', after: 'full', step: 25 });
  expect(a.paths).toContain(FULL);
  expect(b.paths).not.toContain(FULL);
  // 70 more steps each cross the end of epoch 1 (step 60) into a fresh shuffle: the same run.
  await Promise.all([steps(a.page, 70), steps(b.page, 70)]);
  for (const id of ['step-count', 'examples-seen', 'train-loss']) expect(await num(a.page, id), id).toBe(await num(b.page, id));
  const [wa, wb] = await Promise.all([exportWeights(a.page), exportWeights(b.page)]);
  expect(JSON.parse(wa.text).training.steps).toBe(95);
  expect(wa.text, 'the weights files are identical to the last digit').toBe(wb.text);
  // The moved model serves what needs the full module: the numpy export, here.
  await workerTest(a.page, 'moveToFull').then((r) => expect(r).toEqual({ before: 'full', after: 'full', step: 95 }));
  await Promise.all([a.context.close(), b.context.close()]);
});

test('on the full page the data set is parsed once, in the full module the lecture sections asked for', async ({ newContext }) => {
  const { page, paths, context } = await open(newContext, '/');
  expect(paths).toContain(START);
  expect(paths).toContain(FULL);
  const r = await workerTest(page, 'moveToFull');
  expect(r.before, 'the sections had the model moved already').toBe('full');
  // MNIST is 55 MB of pixels: in the full module, never in the start-up one.
  const { startBytes, fullBytes } = await workerTest(page, 'memory');
  expect(fullBytes).toBeGreaterThan(55e6);
  expect(startBytes, 'the pixels never went to the start-up module').toBeLessThan(20e6);
  // And the full module trains: a step, and a lecture section answers from it.
  await steps(page, 1);
  await waitNum(page, 'step-count', (s) => s === 1);
  await context.close();
});
