// Every screen: on a portrait tablet (820 × 1180) the sticky header takes
// ≤ 10 % of the height and each section's setting and the chart it changes are on the screen
// together; on a phone (390 × 844) §4's table shows ŷ_k and y_k of a trained model without a
// sideways scroll; at 1920 × 1080 the page uses the width (wider charts, settings beside the chart).
// Screenshots for people to look at: tests/e2e/screenshots/screens-*.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, byId, openLab, train } from './support/lab.js';
import { REPO } from './support/mnist.js';

const SHOTS = join(REPO, 'tests', 'e2e', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

/** A setting and the chart it changes, per section (test ids). */
const PAIRS = [
  ['sigmoid', 'sigmoid-slider', 'sigmoid-chart'],
  ['logistic', 'logistic-lr', 'logistic-run-chart'],
  ['attenuation', 'atten-lr', 'atten-loss-chart'],
  ['train', 'lr', 'train-chart'],
  ['ex-l2', 'l2-alpha', 'l2-chart'],
  ['ex-positive', 'positive-lr', 'positive-b-chart'],
  ['ex-positive', 'positive-alpha', 'positive-w-chart'],
  ['ex-lr', 'hyper-eps0', 'hyper-chart'],
  ['ex-lr', 'online-eps0', 'online-chart'],
];

test.describe('a portrait tablet, 820 × 1180', () => {
  test.use({ viewport: { width: 820, height: 1180 }, hasTouch: true });

  test('the sticky header takes ≤ 10 % of the height; each setting and its chart are on the screen together', async ({ page }) => {
    test.setTimeout(180_000);
    await openLab(page);
    const header = page.locator('.site-header');
    expect(await header.evaluate((e) => getComputedStyle(e).position)).toBe('sticky');
    const height = (await header.boundingBox()).height;
    expect(height, 'header height').toBeLessThanOrEqual(118);
    for (const [section, setting, chart] of PAIRS) {
      await page.locator(`#${section}`).scrollIntoViewIfNeeded();
      await expect(byId(page, chart).locator('canvas')).toHaveCount(1);
      // The upper of the two just under the header: the other is then on the screen as well, whole.
      const where = await page.evaluate(([a, b]) => {
        const top = document.querySelector('.site-header').getBoundingClientRect().bottom;
        const upper = Math.min(...[a, b].map((id) => document.querySelector(`[data-testid="${id}"]`).getBoundingClientRect().top));
        window.scrollBy(0, upper - top - 8);
        const box = (id) => {
          const r = document.querySelector(`[data-testid="${id}"]`).getBoundingClientRect();
          return { top: r.top, bottom: r.bottom };
        };
        return { header: document.querySelector('.site-header').getBoundingClientRect().bottom, setting: box(a), chart: box(b), height: window.innerHeight };
      }, [setting, chart]);
      for (const [name, r] of [[setting, where.setting], [chart, where.chart]]) {
        expect(r.top, `${name} (${section}) below the header`).toBeGreaterThanOrEqual(where.header - 1);
        expect(r.bottom, `${name} (${section}) above the bottom of the screen`).toBeLessThanOrEqual(where.height);
      }
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator('#train').scrollIntoViewIfNeeded();
    await page.evaluate(() => {
      const top = document.querySelector('.site-header').getBoundingClientRect().bottom;
      window.scrollBy(0, document.querySelector('[data-testid="lr"]').getBoundingClientRect().top - top - 60);
    });
    await page.screenshot({ path: join(SHOTS, 'screens-tablet-train-820x1180.png') });
  });
});

test.describe('a phone, 390 × 844', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('§4’s table of a trained model shows ŷ_k and y_k without scrolling sideways', async ({ page }) => {
    test.setTimeout(180_000);
    await openLab(page);
    await page.locator('#train').scrollIntoViewIfNeeded();
    await train(page, 1);
    await page.locator('#softmax').scrollIntoViewIfNeeded();
    const row = byId(page, 'softmax-row-0');
    await expect(row).toBeVisible();
    // A trained model's small probabilities are written with an exponent (the widest cells).
    await expect(byId(page, 'softmax-table')).toContainText('× 10');
    const fit = await byId(page, 'softmax-table').evaluate((table) => {
      const card = table.closest('.table-card');
      const c = card.getBoundingClientRect();
      const cells = [...table.querySelectorAll('tr')].flatMap((tr) => [...tr.children].slice(-2).map((td) => td.getBoundingClientRect().right));
      return { scroll: card.scrollWidth, width: card.clientWidth, right: Math.max(...cells), cardRight: c.right, page: document.documentElement.scrollWidth };
    });
    expect(fit.scroll, 'the table’s card does not scroll sideways').toBeLessThanOrEqual(fit.width);
    expect(fit.right, 'ŷ_k and y_k inside the card').toBeLessThanOrEqual(fit.cardRight);
    expect(fit.page).toBeLessThanOrEqual(390);
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'screens-phone-softmax-390x844.png') });
  });
});

test.describe('a large screen, 1920 × 1080', () => {
  test.use({ viewport: { width: 1920, height: 1080 } });

  test('the page uses the width: wide charts, Train’s settings beside its charts', async ({ page }) => {
    await openLab(page);
    const main = await page.locator('main').boundingBox();
    expect(main.width, 'the column').toBeGreaterThan(1700);
    await page.locator('#train').scrollIntoViewIfNeeded();
    const [hyper, chart, test2] = await Promise.all([page.locator('#train .hyper'), byId(page, 'train-chart'), byId(page, 'test-chart')].map((l) => l.boundingBox()));
    // Settings beside the charts (one row), the two charts side by side.
    expect(chart.x).toBeGreaterThan(hyper.x + hyper.width - 1);
    expect(chart.y).toBeLessThan(hyper.y + hyper.height);
    expect(Math.abs(chart.y - test2.y)).toBeLessThan(4);
    expect(chart.width).toBeGreaterThan(600);
    for (const id of ['sigmoid-chart', 'atten-loss-chart']) {
      await byId(page, id).scrollIntoViewIfNeeded();
      await expect(byId(page, id).locator('canvas')).toHaveCount(1);
      expect((await byId(page, id).boundingBox()).width, id).toBeGreaterThan(500);
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'screens-normal-1920x1080.png') });
    await page.locator('#train').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'screens-normal-train-1920x1080.png') });
  });
});
