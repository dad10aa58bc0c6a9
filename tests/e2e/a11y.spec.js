// Accessibility: axe-core (npm @axe-core/playwright, pinned) with the rules wcag2a, wcag2aa, wcag21aa,
// wcag22aa and best-practice finds no violation on the full page with every section built (each one
// scrolled to, a short run so the charts and the Learned section have data), nor on one section alone
// (?only=) and the embed view (?embed=; embed.spec.js), nor in presenter mode (?present: a section's
// head step, §3's live experiment, Train's settings, the shortcuts list). The drawing pad says how to use it and has a keyboard route.
import { writeFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, byId, openLab, train } from './support/lab.js';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** Every violation, one line each: rule, how many elements, the first few selectors. */
async function violations(page) {
  // From the top: the sticky header covers nothing there (target-size counts what covers a target).
  await page.evaluate(() => window.scrollTo(0, 0));
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  if (process.env.A11Y_DUMP) writeFileSync(process.env.A11Y_DUMP, JSON.stringify(result.violations, null, 1));
  return result.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.help} — ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`);
}

/** Scroll through every section, so that the ones made on approach are built. */
async function visitAll(page) {
  for (const id of await page.locator('main > section.section').evaluateAll((s) => s.map((e) => e.id))) {
    await page.locator(`#${id}`).scrollIntoViewIfNeeded();
    await page.waitForTimeout(150);
  }
  await expect(page.locator('.math[data-pending]')).toHaveCount(0);
}

test('the full page, every section built and a short run trained, has no axe violation', async ({ page }) => {
  test.setTimeout(180_000);
  await openLab(page);
  await train(page, 1);
  await visitAll(page);
  await expect(byId(page, 'learned-w-0')).toBeVisible();
  await expect(byId(page, 'confusion-0-0')).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test('presenter mode has no axe violation: a first step, §3 with its settings and charts, Train’s settings, the shortcuts list', async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('/?present#sigmoid');
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await expect(page.locator('#ex-lr .lesson-controls').first()).toBeAttached();
  await expect(page.locator('.math[data-pending]')).toHaveCount(0);
  const at = (section, step) => expect(byId(page, 'present-progress')).toHaveAttribute('data-section', section).then(() => expect(byId(page, 'present-progress')).toHaveAttribute('data-step', String(step)));
  await at('sigmoid', 1);
  await expect(page.locator('.site-header')).toBeHidden();
  expect(await violations(page), 'sigmoid, step 1').toEqual([]);
  await page.evaluate(() => {
    location.hash = '#attenuation';
  });
  await at('attenuation', 1);
  await page.keyboard.press('ArrowRight');
  await at('attenuation', 2);
  await expect(byId(page, 'atten-play')).toBeVisible();
  expect(await violations(page), 'attenuation, step 2').toEqual([]);
  await page.evaluate(() => {
    location.hash = '#train';
  });
  await at('train', 1);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await at('train', 3);
  await expect(byId(page, 'lr')).toBeVisible();
  expect(await violations(page), 'train, step 3').toEqual([]);
  await page.keyboard.press('?');
  await expect(byId(page, 'shortcuts')).toBeVisible();
  expect(await violations(page), 'the shortcuts list').toEqual([]);
});

test('the drawing pad says how to use it and offers Open image… as its keyboard route', async ({ page }) => {
  await openLab(page);
  const pad = byId(page, 'draw-canvas');
  const described = await pad.getAttribute('aria-describedby');
  expect(described, 'the pad has aria-describedby').toBeTruthy();
  const help = page.locator(`[id="${described}"]`);
  await expect(help).toContainText(/draw/i);
  await expect(help).toContainText(/Open image/);
});
