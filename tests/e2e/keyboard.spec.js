// The keyboard (www/keys.js, www/focus.js): Space / S / R act on the section in view, never while
// typing in a field or with a modifier; ? lists the shortcuts; focus is never dropped when a
// button disables itself (Play → Pause and back, the end of a lecture section's run); the skip
// links bring Train's controls a few tab stops from the top of the page.
import { test, expect, byId, num, waitNum, openLab, state } from './support/lab.js';

/** Scroll a section to the top of the window and put the focus on nothing in particular. */
async function inView(page, id) {
  await page.locator(`#${id}`).evaluate((s) => s.scrollIntoView({ block: 'start' }));
  await page.evaluate(() => /** @type {HTMLElement} */ (document.activeElement)?.blur());
}

const focusedTestid = (page) => page.evaluate(() => /** @type {HTMLElement} */ (document.activeElement)?.dataset?.testid ?? document.activeElement?.tagName);

test('Space plays and pauses Train, S steps, R resets; not while typing in the learning-rate box, nor with a modifier', async ({ page }) => {
  await openLab(page);
  await inView(page, 'train');
  await page.keyboard.press('s');
  await waitNum(page, 'step-count', (n) => n === 1, { message: 'S: one step' });
  await page.keyboard.press('S');
  await waitNum(page, 'step-count', (n) => n === 2, { message: 'S (caps lock): one more' });
  await page.keyboard.press(' ');
  await expect.poll(() => state(page)).toBe('training');
  await waitNum(page, 'step-count', (n) => n > 10);
  await page.keyboard.press(' ');
  await expect.poll(() => state(page)).toBe('paused');
  const paused = await num(page, 'step-count');
  await page.waitForTimeout(300);
  expect(await num(page, 'step-count')).toBe(paused);
  await page.keyboard.press('r');
  await waitNum(page, 'step-count', (n) => n === 0, { message: 'R: reset' });

  // Typing in the learning-rate box: the keys are the field's.
  await byId(page, 'lr').click();
  await page.keyboard.press('s');
  await page.keyboard.press(' ');
  await page.keyboard.press('r');
  await page.waitForTimeout(500);
  expect(await num(page, 'step-count')).toBe(0);
  expect(await state(page)).not.toBe('training');
  await expect(byId(page, 'lr')).toBeFocused();
  // With a modifier: nothing either.
  await page.evaluate(() => /** @type {HTMLElement} */ (document.activeElement)?.blur());
  await page.keyboard.press('Alt+s');
  await page.keyboard.press('Shift+S');
  await page.waitForTimeout(500);
  expect(await num(page, 'step-count')).toBe(0);
});

test('focus stays on a control: Play hands it to Pause and back; a lecture run that ends leaves it on the section', async ({ page }) => {
  await openLab(page);
  await inView(page, 'train');
  await byId(page, 'play').focus();
  await page.keyboard.press('Enter');
  await expect(byId(page, 'pause')).toBeFocused();
  await expect.poll(() => state(page)).toBe('training');
  // A pause before the worker's first step leaves the model untrained, and the status says "Ready";
  // wait for a step so that the pause below is one of a run that has begun.
  await waitNum(page, 'step-count', (n) => n > 0, { message: 'the run takes its first step' });
  await page.keyboard.press('Enter');
  await expect.poll(() => state(page)).toBe('paused');
  await expect(byId(page, 'play')).toBeFocused();
  // Space on the focused button is the button's own: Play, then Pause.
  await page.keyboard.press(' ');
  await expect(byId(page, 'pause')).toBeFocused();
  await page.keyboard.press(' ');
  await expect(byId(page, 'play')).toBeFocused();
  await expect.poll(() => state(page)).toBe('paused');
  // Train N epochs hands the focus to Pause too.
  await byId(page, 'train-epochs').focus();
  await page.keyboard.press('Enter');
  await expect(byId(page, 'pause')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(byId(page, 'play')).toBeFocused();

  // §3: Pause by hand goes back to Play; a run that ends by itself lands on Reset (Play is off: finished).
  await inView(page, 'attenuation');
  await byId(page, 'atten-steps').fill('60');
  await byId(page, 'atten-steps').dispatchEvent('change');
  await byId(page, 'atten-speed').selectOption('5');
  await byId(page, 'atten-play').focus();
  await page.keyboard.press('Enter');
  await expect(byId(page, 'atten-pause')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(byId(page, 'atten-play')).toBeFocused();
  await byId(page, 'atten-speed').selectOption('full');
  await byId(page, 'atten-play').focus();
  await page.keyboard.press('Enter');
  await waitNum(page, 'atten-step-count', (n) => n === 60, { message: 'the run ends by itself' });
  await expect(byId(page, 'atten-play')).toBeDisabled();
  await expect(byId(page, 'atten-reset')).toBeFocused();
  expect(await focusedTestid(page)).toBe('atten-reset');
  // Step keeps the focus (it is off while its chunk runs, then on again).
  await page.keyboard.press('Enter'); // Reset
  await byId(page, 'atten-step').focus();
  await page.keyboard.press('Enter');
  await waitNum(page, 'atten-step-count', (n) => n === 1);
  await expect(byId(page, 'atten-step')).toBeFocused();
});

test('? opens the list of shortcuts, Esc closes it; the shortcuts act on the presenter’s section', async ({ page }) => {
  await openLab(page);
  await page.keyboard.press('?');
  const dialog = byId(page, 'shortcuts');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Space');
  await expect(dialog).toContainText('Play / Pause');
  expect(await dialog.evaluate((d) => d.tagName)).toBe('DIALOG');
  // Keys do nothing behind the open dialog.
  await page.keyboard.press('s');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(await num(page, 'step-count')).toBe(0);
  await byId(page, 'shortcuts-open').click();
  await expect(dialog).toBeVisible();
  await byId(page, 'shortcuts-close').click();
  await expect(dialog).toBeHidden();

  await page.goto('/?present&step=2#attenuation');
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await expect(byId(page, 'atten-play')).toBeVisible();
  await expect(byId(page, 'atten-play')).toBeEnabled();
  await byId(page, 'atten-speed').selectOption('5');
  await page.locator('#attenuation').focus();
  await page.keyboard.press(' ');
  await expect(byId(page, 'atten-status')).toHaveAttribute('data-state', 'running');
  await page.keyboard.press(' ');
  await expect(byId(page, 'atten-status')).toHaveAttribute('data-state', 'idle');
  const n = await num(page, 'atten-step-count');
  await page.keyboard.press('s');
  await waitNum(page, 'atten-step-count', (m) => m === n + 1);
  await page.keyboard.press('r');
  await expect.poll(() => num(page, 'atten-step-count').then((m) => m === 0 || Number.isNaN(m))).toBe(true);
  // Train in the normal page did not move.
  expect(await num(page, 'step-count')).toBe(0);
});

test('the skip links: Train’s Play is a few tab stops from the top of the page', async ({ page }) => {
  await openLab(page);
  await page.keyboard.press('Tab');
  await expect(page.locator('.skip-link').first()).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(byId(page, 'skip-train')).toBeFocused();
  await expect(byId(page, 'skip-train')).toBeInViewport();
  await page.keyboard.press('Enter');
  let stops = 0;
  while (stops < 6 && (await focusedTestid(page)) !== 'play') {
    await page.keyboard.press('Tab');
    stops++;
  }
  expect(await focusedTestid(page)).toBe('play');
  expect(stops).toBeLessThanOrEqual(3);
  await expect(byId(page, 'play')).toBeInViewport();
  // And to Draw: its pad.
  await page.goto('/');
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
  await expect(byId(page, 'skip-draw')).toBeFocused();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('section')?.id)).toBe('draw');
});
