// numpy weights in and out of the page: "Export weights" → .npz (np.load reads it), Reset, and
// "Import weights…" with that .npz (and with W.npy and b.npy written by numpy from it, chosen
// one after the other): the chooser states the test accuracy under each input transform, picks
// "standardised" as the best with the accuracy the model had, and the import brings it back.
// Broken files are refused with the core's reason and the current model kept.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { test, expect, byId, num, waitNum, openLab, train } from './support/lab.js';
import { REPO } from './support/mnist.js';

const SHOTS = join(REPO, 'tests', 'e2e', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

/** Run a python3 snippet (numpy is pip-installed by scripts/setup.sh); returns its stdout. */
function python(code, ...args) {
  return execFileSync('python3', ['-c', code, ...args], { encoding: 'utf8' });
}

/** An NPY v1 file of float32 values (little-endian, C order) with `shape`, written here in JS. */
function npyF32(shape, values) {
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${dims}, }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header = `${header}${' '.repeat(pad % 64)}\n`;
  const head = Buffer.alloc(10);
  Buffer.from('\x93NUMPY', 'latin1').copy(head, 0);
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const data = Buffer.from(new Float32Array(values).buffer);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), data]);
}

/** Click the .npz export and return the downloaded file's path. */
async function exportNpz(page, dir) {
  const [download] = await Promise.all([page.waitForEvent('download'), byId(page, 'export-npz').click()]);
  expect(download.suggestedFilename()).toMatch(/^softmax-lab-mnist-step\d+\.npz$/);
  const path = join(dir, download.suggestedFilename());
  await download.saveAs(path);
  return path;
}

/** Drop a file on the import/export buttons, as a file dragged from the desktop. */
async function dropFile(page, path) {
  const bytes = [...readFileSync(path)];
  const name = path.split('/').pop();
  const dataTransfer = await page.evaluateHandle(({ bytes, name }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], name));
    return dt;
  }, { bytes, name });
  await byId(page, 'weights-drop').dispatchEvent('drop', { dataTransfer });
}

/** The accuracies the chooser states: {id: data-accuracy}. */
async function chooserAccuracies(page) {
  const radios = page.locator('[data-testid^="numpy-transform-"]');
  const out = {};
  for (const r of await radios.all()) out[(await r.getAttribute('data-testid')).replace('numpy-transform-', '')] = Number(await r.getAttribute('data-accuracy'));
  return out;
}

test.describe('numpy weights', () => {
  test.setTimeout(180_000);

  test('export .npz, Reset, import it back: the chooser picks standardised with the same accuracy', async ({ page }) => {
    const dir = mkdtempSync(join(tmpdir(), 'softmax-lab-numpy-'));
    await page.setViewportSize({ width: 1280, height: 800 });
    await openLab(page);
    await train(page, 1);
    const accuracy = await num(page, 'test-accuracy');
    expect(accuracy).toBeGreaterThan(0.88);
    const npz = await exportNpz(page, dir);

    // numpy itself reads the export with no flags, and scores it as the page did.
    const info = JSON.parse(python(
      `import json,sys,numpy as np
z=np.load(sys.argv[1])
print(json.dumps({"keys":sorted(z.files),"W":list(z["W"].shape),"Wd":str(z["W"].dtype),"b":list(z["b"].shape),"mean":float(z["mean"]),"std":float(z["std"]),"classes":[str(c) for c in z["classes"]]}))
np.save(sys.argv[2], z["W"]); np.save(sys.argv[3], z["b"].astype(np.float64))`,
      npz, join(dir, 'W.npy'), join(dir, 'b.npy'),
    ));
    expect(info).toMatchObject({ keys: ['W', 'b', 'classes', 'mean', 'std'], W: [784, 10], Wd: 'float32', b: [10], classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] });
    expect(info.mean).toBeCloseTo(0.1307, 3);

    await byId(page, 'reset').click();
    await waitNum(page, 'step-count', (s) => s === 0);
    await waitNum(page, 'test-accuracy', (a) => a < 0.5, { message: 'a fresh model after Reset' });

    await byId(page, 'import-weights').setInputFiles(npz);
    const chooser = byId(page, 'numpy-import');
    await expect(chooser).toBeVisible();
    const acc = await chooserAccuracies(page);
    expect(Object.keys(acc)).toEqual(expect.arrayContaining(['pixel', 'standardised', 'file']));
    expect(acc.standardised).toBe(accuracy);
    expect(acc.pixel).toBeLessThan(acc.standardised);
    await expect(byId(page, 'numpy-best')).toHaveAttribute('data-value', 'standardised');
    await expect(byId(page, 'numpy-best')).toContainText('chosen');
    await expect(byId(page, 'numpy-transform-standardised')).toBeChecked();
    await chooser.screenshot({ path: join(SHOTS, 'numpy-chooser-desktop.png') });
    await page.screenshot({ path: join(SHOTS, 'numpy-chooser-desktop-page.png') });

    // A custom σ of 0 is refused by the core, with its reason.
    await byId(page, 'numpy-custom-std').fill('0');
    await byId(page, 'numpy-custom-score').click();
    await expect(byId(page, 'numpy-custom-error')).toContainText('σ a number above 0');
    // A valid custom μ, σ is scored and offered.
    await byId(page, 'numpy-custom-mean').fill('0.1307');
    await byId(page, 'numpy-custom-std').fill('0.3081');
    await byId(page, 'numpy-custom-score').click();
    await expect(byId(page, 'numpy-transform-custom')).toBeChecked();
    expect(Math.abs((await chooserAccuracies(page)).custom - accuracy)).toBeLessThan(0.002);
    await byId(page, 'numpy-transform-standardised').check();

    await byId(page, 'numpy-import-ok').click();
    await expect(chooser).toBeHidden();
    await expect(byId(page, 'import-message')).toContainText('Imported the numpy weights');
    await waitNum(page, 'test-accuracy', (a) => a === accuracy, { message: 'the imported model scores what it did before' });
    expect(await num(page, 'step-count')).toBe(0);

    // Two .npy files written by numpy, one chosen, then the other dropped (b is float64).
    await byId(page, 'reset').click();
    await waitNum(page, 'test-accuracy', (a) => a < 0.5);
    await byId(page, 'import-weights').setInputFiles(join(dir, 'W.npy'));
    await expect(byId(page, 'import-message')).toContainText('now choose the other .npy');
    await expect(chooser).toBeHidden();
    await dropFile(page, join(dir, 'b.npy')); // the second one dropped on the buttons
    await expect(chooser).toBeVisible();
    expect((await chooserAccuracies(page)).standardised).toBe(accuracy);
    await byId(page, 'numpy-import-ok').click();
    await waitNum(page, 'test-accuracy', (a) => a === accuracy);

    // Cancel keeps the model.
    await byId(page, 'import-weights').setInputFiles(npz);
    await expect(chooser).toBeVisible();
    await byId(page, 'numpy-import-cancel').click();
    await expect(chooser).toBeHidden();
    await expect(byId(page, 'import-message')).toContainText('cancelled');

    // The Learned section shows the imported model: its weights (of step 0) and its confusion matrix.
    await page.locator('#learned').scrollIntoViewIfNeeded();
    await expect(byId(page, 'learned-weights')).toHaveAttribute('data-step', '0');
    await expect(byId(page, 'learned-w-9')).toBeAttached();
    await waitNum(page, 'confusion-accuracy', (a) => Math.abs(a - accuracy) < 1e-9, { message: 'the confusion matrix is of the imported model' });
    await page.locator('#train').scrollIntoViewIfNeeded();

    await page.setViewportSize({ width: 390, height: 844 });
    await byId(page, 'import-weights').setInputFiles(npz);
    await expect(chooser).toBeVisible();
    await chooser.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'numpy-chooser-phone.png') });
    // The chooser fits the phone's width (the page was laid out at 1280 px before: other
    // sections' widths are not this test's business).
    const box = await chooser.boundingBox();
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, 'the chooser fits a 390 px screen').toBeLessThanOrEqual(390);
    expect(await chooser.evaluate((n) => n.scrollWidth - n.clientWidth), 'nothing in the chooser runs out of it').toBeLessThanOrEqual(0);
    await byId(page, 'numpy-import-cancel').click();
  });

  test('a model trained in numpy the homework way imports and scores exactly what numpy scores', async ({ page }) => {
    // Two epochs of numpy SGD on MNIST with x = pixel/255 (tests/fixtures/numpy_fixtures.py,
    // `homework`), scored by numpy in float32 on the 10 000 test images.
    const dir = mkdtempSync(join(tmpdir(), 'softmax-lab-homework-'));
    execFileSync('python3', [join(REPO, 'tests/fixtures/numpy_fixtures.py'), dir, '--mnist', join(REPO, 'data/mnist'), '--epochs', '2'], { stdio: 'ignore' });
    const numpy = JSON.parse(readFileSync(join(dir, 'homework.json'), 'utf8'));
    expect(numpy.accuracy).toBeGreaterThan(0.88);
    await openLab(page);
    await byId(page, 'import-weights').setInputFiles(join(dir, 'homework.npz'));
    await expect(byId(page, 'numpy-import')).toBeVisible({ timeout: 30_000 });
    // The model expects pixel/255: that transform scores best, and scores what numpy scored.
    await expect(byId(page, 'numpy-best')).toHaveAttribute('data-value', 'pixel');
    const scores = await chooserAccuracies(page);
    expect(scores.pixel, `the page's accuracy under pixel/255 vs numpy's ${numpy.accuracy}`).toBe(numpy.accuracy);
    expect(scores.standardised).toBeLessThan(numpy.accuracy - 0.01);
    await byId(page, 'numpy-import-ok').click();
    await waitNum(page, 'test-accuracy', (a) => a === numpy.accuracy, { message: `the imported model's test accuracy is numpy's ${numpy.accuracy}` });
    expect(await num(page, 'step-count')).toBe(0);
    // The same W and b as two .npy files chosen together.
    await byId(page, 'import-weights').setInputFiles([join(dir, 'homework_W.npy'), join(dir, 'homework_b.npy')]);
    await expect(byId(page, 'numpy-best')).toHaveAttribute('data-value', 'pixel', { timeout: 30_000 });
    expect((await chooserAccuracies(page)).pixel).toBe(numpy.accuracy);
    await byId(page, 'numpy-import-cancel').click();
  });

  test('broken numpy files are refused with the core\'s reason, the model kept', async ({ page }) => {
    const dir = mkdtempSync(join(tmpdir(), 'softmax-lab-numpy-bad-'));
    await openLab(page);
    const accuracy = await num(page, 'test-accuracy');
    const w = (rows, cols) => npyF32([rows, cols], new Array(rows * cols).fill(0.01));
    const b = (c) => npyF32([c], new Array(c).fill(0));
    // [files, what the message must say]
    const cases = [];
    writeFileSync(join(dir, 'W783.npy'), w(783, 10));
    writeFileSync(join(dir, 'b10.npy'), b(10));
    cases.push([['W783.npy', 'b10.npy'], /not imported: .*783/]);
    writeFileSync(join(dir, 'W7.npy'), w(784, 7));
    writeFileSync(join(dir, 'b7.npy'), b(7));
    cases.push([['W7.npy', 'b7.npy'], /not imported: these weights are for 7 classes, the lab's data set has 10/]);
    const nan = new Array(784 * 10).fill(0);
    nan[5 * 10 + 3] = NaN;
    writeFileSync(join(dir, 'Wnan.npy'), npyF32([784, 10], nan));
    cases.push([['Wnan.npy', 'b10.npy'], /not imported: .*NaN/]);
    const int = npyF32([784, 10], new Array(7840).fill(0));
    int.write("'<i4'", int.indexOf("'<f4'"), 'latin1');
    writeFileSync(join(dir, 'Wint.npy'), int);
    cases.push([['Wint.npy', 'b10.npy'], /not imported: .*<i4/]);
    python(
      `import sys,zipfile,numpy as np
np.savez(sys.argv[1], W=np.zeros((784,10),np.float32), b=np.zeros(10,np.float32))
with zipfile.ZipFile(sys.argv[1], 'a') as z: z.writestr('readme.txt', 'hello')`,
      join(dir, 'extra.npz'),
    );
    cases.push([['extra.npz'], /not imported: .*readme\.txt/]);
    const seen = [];
    for (const [files, message] of cases) {
      await byId(page, 'import-weights').setInputFiles(files.map((f) => join(dir, f)));
      await expect(byId(page, 'import-message')).toHaveText(message);
      await expect(byId(page, 'import-message')).toContainText('The current model is kept.');
      await expect(byId(page, 'numpy-import')).toBeHidden();
      seen.push(await byId(page, 'import-message').textContent());
    }
    expect(await num(page, 'test-accuracy')).toBe(accuracy);
    expect(readFileSync(join(dir, 'b10.npy')).length).toBeGreaterThan(0);
    test.info().annotations.push({ type: 'messages', description: seen.join('\n') });
  });
});
