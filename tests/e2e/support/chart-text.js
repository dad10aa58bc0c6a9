// What the charts draw as text on their canvases, watched from outside the page's code: every
// fillText on a chart box's canvas is recorded with its two ends along the baseline, through
// the context's transform (rotated axis labels too). In each chart's latest drawing (uPlot
// clears the whole canvas before each one) on a canvas on the screen, two findings:
// - cut: text that runs outside its canvas;
// - overlapping: two labels on one baseline (a row of tick labels) less than a space (the
//   width of ' ' in their font) apart, which read as one number ("1,0001,250").
import { expect } from './lab.js';

/**
 * Before the page loads: record the charts' text.
 * @param {import('@playwright/test').Page} page
 */
export async function recordChartText(page) {
  await page.addInitScript(() => {
    /** @type {Map<HTMLCanvasElement, {text: string, x0: number, x1: number, y: number, space: number, cut: string}[]>} */
    const drawn = new Map();
    const boxOf = (c) => (c instanceof HTMLCanvasElement ? c.closest('[data-testid]') : null);
    const fill = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
      const c = this.canvas;
      const box = boxOf(c);
      if (box && box.classList.contains('chart-box') && String(text).trim()) {
        const w = this.measureText(String(text)).width;
        const align = this.textAlign;
        const x0 = align === 'center' ? x - w / 2 : align === 'right' || align === 'end' ? x - w : x;
        const m = this.getTransform();
        const ends = [x0, x0 + w].map((px) => m.transformPoint(new DOMPoint(px, y)));
        const out = ends.some((p) => p.x < -1 || p.x > c.width + 1 || p.y < -1 || p.y > c.height + 1);
        const list = drawn.get(c) || [];
        list.push({
          text: String(text),
          // a row of labels: horizontal text (rotated text gets a NaN row, which matches none)
          y: Math.abs(ends[0].y - ends[1].y) < 0.5 ? ends[0].y : NaN,
          x0: Math.min(ends[0].x, ends[1].x),
          x1: Math.max(ends[0].x, ends[1].x),
          space: this.measureText(' ').width,
          cut: out ? `${box.dataset.testid}: "${text}" at (${ends.map((p) => `${Math.round(p.x)},${Math.round(p.y)}`).join(' → ')}) on ${c.width}×${c.height}` : '',
        });
        drawn.set(c, list);
      }
      return fill.call(this, text, x, y, ...rest);
    };
    const clear = CanvasRenderingContext2D.prototype.clearRect;
    CanvasRenderingContext2D.prototype.clearRect = function (x, y, w, h) {
      if (x <= 0 && y <= 0 && x + w >= this.canvas.width && y + h >= this.canvas.height) drawn.delete(this.canvas);
      return clear.call(this, x, y, w, h);
    };
    /** The latest drawing of each canvas that is on the page and shown. */
    const shown = () => [...drawn].filter(([c]) => c.isConnected && c.getClientRects().length > 0);
    // @ts-ignore: the test's own hooks on window
    window.__chartText = {
      cut: () => shown().flatMap(([, list]) => list.filter((t) => t.cut).map((t) => t.cut)),
      overlapping: () => {
        const found = [];
        for (const [c, list] of shown()) {
          const rows = list.filter((t) => !Number.isNaN(t.y)).sort((a, b) => a.y - b.y || a.x0 - b.x0);
          for (let i = 0; i < rows.length; i++) {
            for (let j = i + 1; j < rows.length && Math.abs(rows[j].y - rows[i].y) < 1; j++) {
              const [a, b] = [rows[i], rows[j]];
              const space = Math.min(a.space, b.space);
              if (a.x1 + space > b.x0 && b.x1 + space > a.x0) {
                found.push(`${boxOf(c)?.dataset.testid}: "${a.text}" (${Math.round(a.x0)}–${Math.round(a.x1)}) and "${b.text}" (${Math.round(b.x0)}–${Math.round(b.x1)}) less than a space (${space.toFixed(1)} px) apart at y ${Math.round(a.y)}`);
              }
            }
          }
        }
        return found;
      },
    };
  });
}

/**
 * Nothing the charts drew runs outside its canvas or over another label.
 * @param {import('@playwright/test').Page} page
 */
export async function expectChartTextClear(page) {
  // @ts-ignore
  const { cut, overlapping } = await page.evaluate(() => ({ cut: window.__chartText.cut(), overlapping: window.__chartText.overlapping() }));
  expect(cut, 'chart text inside its canvas').toEqual([]);
  expect(overlapping, 'the labels of a row at least a space apart').toEqual([]);
}
