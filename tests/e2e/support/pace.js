// Measuring the pace of a Play (pace.spec.js, lessons-pace.spec.js): the step rate a speed
// control gives, counted from the page.
import { byId, expect, num, waitNum } from './lab.js';

/**
 * Steps (or epochs) per second of a Play at its current speed: press `play`, wait until it runs
 * (`started`; by default until `counter` is at least 1), let it settle for `settleMs`, count
 * `counter` over `ms`, press `pause` and wait for `stopped` (by default nothing). Counts are read
 * from the page, so a busy machine adds some noise.
 * @param {import('@playwright/test').Page} page
 * @param {{play: string, pause: string, counter: string, ms: number, settleMs: number,
 *   started?: (page: import('@playwright/test').Page) => Promise<unknown>,
 *   stopped?: (page: import('@playwright/test').Page) => Promise<unknown>}} how
 */
export async function measuredRate(page, { play, pause, counter, ms, settleMs, started, stopped }) {
  await byId(page, play).click();
  await (started ? started(page) : waitNum(page, counter, (n) => n >= 1));
  await page.waitForTimeout(settleMs);
  const s0 = await num(page, counter);
  const t0 = Date.now();
  await page.waitForTimeout(ms);
  const s1 = await num(page, counter);
  const t1 = Date.now();
  await byId(page, pause).click();
  if (stopped) await stopped(page);
  return ((s1 - s0) * 1000) / (t1 - t0);
}

/**
 * Train's Play: settles for a second after the status says it trains, and waits for "paused".
 * @param {number} ms how long to count
 */
export function trainPace(ms) {
  const status = (state) => (page) => expect(byId(page, 'status')).toHaveAttribute('data-state', state);
  return { play: 'play', pause: 'pause', counter: 'step-count', ms, settleMs: 1000, started: status('training'), stopped: status('paused') };
}

/**
 * A lecture section's Play (`<prefix>-play`, `-pause`): settles for 0.7 s after its first step.
 * @param {string} prefix
 * @param {string} counter the testid counted (a step or epoch count)
 * @param {number} ms how long to count
 */
export function sectionPace(prefix, counter, ms) {
  return { play: `${prefix}-play`, pause: `${prefix}-pause`, counter, ms, settleMs: 700 };
}
