// @ts-check
// What every chart of the lab shares: uPlot (the vendored build), the colours, the axes and
// their tick labels, the data-* attributes a chart box reports to tests and people, and the
// Chart that follows its container's width and presenter mode's type scale. The charts
// themselves: run-chart.js (the Train section's two) and charts.js (the lecture sections' line chart).

import vendoredUPlot from './vendor/uplot/uPlot.esm.min.js';
import { legendNumber, tickLabels, tickSpace } from './chart-axes.js';

/** uPlot (www/vendor is a copy of the npm package's build, whose types these are). */
export const uPlot = /** @type {typeof import('uplot')} */ (/** @type {unknown} */ (vendoredUPlot));

/** Series colours (also used by the CSS legend swatches). */
export const COLORS = {
  raw: 'rgba(37, 99, 235, 0.28)',
  smooth: '#1d4ed8',
  testLoss: '#c2410c',
  accuracy: '#15803d',
  grid: 'rgba(15, 23, 42, 0.08)',
  axis: '#334155',
};

/** Series colours of the lecture charts (high contrast on white, distinct in grey). */
export const PALETTE = {
  log: '#1d4ed8',
  mse: '#c2410c',
  n1: '#15803d',
  n2: '#7c3aed',
  third: '#0f766e',
  ref: '#475569',
};

const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const LABEL_FONT = '600 12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** Colours of the kept runs, one per slot (faded on the charts, full in the runs legend). */
export const KEPT_COLORS = ['#7c3aed', '#0891b2', '#db2777', '#a16207', '#475569'];

/**
 * A kept run's colour, faded.
 * @param {number} slot
 * @param {number} [alpha]
 */
export function keptColor(slot, alpha = 0.6) {
  const hex = KEPT_COLORS[slot % KEPT_COLORS.length];
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** Tick labels that name their number exactly (chart-axes.js), remembered per axis for the box. */
export function ticksInto(memory) {
  return (u, splits, axisIdx) => {
    const labels = tickLabels(splits);
    memory[axisIdx] = labels;
    return labels;
  };
}

/**
 * Tick spacings a linear axis may use: 1, 2, 2.5 and 5 × 10ⁿ up to 10⁴⁰ (uPlot's own stop near
 * 10¹⁶, which left a diverged run's loss axis, reaching 10³⁵, without a single tick).
 */
export const INCRS = Array.from({ length: 57 }, (_, i) => i - 16).flatMap((e) => [1, 2, 2.5, 5].map((m) => Number((m * 10 ** e).toPrecision(3))));

/** @type {CanvasRenderingContext2D|null} */
let measurer = null;

/**
 * The width in CSS px of `text` in an axis's font as uPlot holds it: [the font in device px,
 * its size in device px, its size in CSS px].
 * @param {string} text
 * @param {[string, number, number]} font
 */
function textWidth(text, font) {
  measurer ??= document.createElement('canvas').getContext('2d');
  if (!measurer) return text.length * font[2] * 0.6;
  measurer.font = font[0];
  return (measurer.measureText(text).width * font[2]) / font[1];
}

/**
 * uPlot's `space` (the least distance between ticks, CSS px) from the axis's own font
 * (chart-axes.js tickSpace), so that its labels keep apart at any type scale.
 * @param {any} u the plot
 * @param {number} i the axis
 * @param {number} min
 * @param {number} max
 */
function axisSpace(u, i, min, max) {
  const a = u.axes[i];
  return tickSpace(a.side % 2 === 0, min, max, a.font[2], (t) => textWidth(t, a.font));
}

export function axis(label, extra = {}) {
  return {
    incrs: INCRS,
    space: axisSpace,
    label,
    stroke: COLORS.axis,
    font: FONT,
    labelFont: LABEL_FONT,
    labelSize: 18,
    grid: { stroke: COLORS.grid, width: 1 },
    ticks: { stroke: COLORS.grid, width: 1 },
    values: (_, splits) => tickLabels(splits),
    ...extra,
  };
}

export function chartHeight(width) {
  return Math.round(Math.max(200, Math.min(280, width * 0.62)));
}

/** A legend value with `digits` decimals (exponent form when huge). */
export function fixed(digits, suffix = '') {
  return (_, v) => legendNumber(v, digits, suffix);
}

/**
 * What a chart was given, on its container: data-points (how many) and data-finite ("true" if
 * every plotted value is a finite number: the series never let NaN or ∞ through; tests check).
 */
export function describe(container, x, ys) {
  mark(container, 'points', x.length);
  mark(container, 'finite', ys.every((y) => y.every(Number.isFinite)));
}

/**
 * Set a data-* attribute of a chart box, only when it changes (they are written every frame).
 * @param {HTMLElement} box
 * @param {string} key
 * @param {string|number|boolean} value
 */
export function mark(box, key, value) {
  const v = String(value);
  if (box.dataset[key] !== v) box.dataset[key] = v;
}

/**
 * After each draw, on the box: the x scale's range and tick labels as drawn
 * (data-x-min, data-x-max, data-x-ticks: the labels, "|"-separated; data-y-ticks: the first y axis's).
 * @param {HTMLElement} container
 * @param {string[][]} memory tick labels per axis (ticksInto)
 */
export function describeScale(container, memory) {
  return (u) => {
    const x = u.scales.x;
    if (x.min !== null && x.min !== undefined) mark(container, 'xMin', x.min);
    if (x.max !== null && x.max !== undefined) mark(container, 'xMax', x.max);
    mark(container, 'xTicks', (memory[0] || []).filter((t) => t !== '').join('|'));
    mark(container, 'yTicks', (memory[1] || []).filter((t) => t !== '').join('|'));
  };
}

/**
 * Type scale of a chart box: its CSS variable --chart-scale (presenter mode sets it, present.js), else 1.
 * Fonts, axis sizes and the height grow with it; the box says its tick-label size in data-tick-px.
 * The height is at most --chart-max-height (px) if the box has it (presenter mode fits a step to
 * the screen with it).
 * @param {HTMLElement} container
 * @param {any} opts uPlot options
 */
export function scaled(container, opts) {
  const style = getComputedStyle(container);
  const k = Number(style.getPropertyValue('--chart-scale')) || 1;
  const cap = parseFloat(style.getPropertyValue('--chart-max-height')) || Infinity;
  container.dataset.tickPx = String(Math.round(12 * k));
  const px = (font) => font && font.replace(/(\d+)px/, (_, n) => `${Math.round(n * k)}px`);
  const axes = opts.axes.map((a) => ({ ...a, font: px(a.font), labelFont: px(a.labelFont), labelSize: (a.labelSize ?? 30) * k, ...(typeof a.size === 'function' ? {} : { size: (a.size ?? 50) * k }) }));
  return { k, cap, opts: k === 1 ? opts : { ...opts, axes } };
}

/**
 * A chart that follows its container's width and type scale (and can be rebuilt with new options).
 * A `chart-fit` event on the container makes it read its scale and height cap again; it sends
 * `chart-made` (bubbling) once it is made.
 */
export class Chart {
  constructor(container, opts, empty, heightOf = chartHeight) {
    this.container = container;
    this.heightOf = heightOf;
    this.plot = null;
    this.build(opts, empty);
    this.observer = new ResizeObserver(() => this.fit());
    this.observer.observe(container);
    container.addEventListener('chart-fit', () => this.fit());
    container.dispatchEvent(new Event('chart-made', { bubbles: true }));
  }

  /** The height at a width: the chart's own, scaled, within the cap. */
  height(width, s) {
    return Math.min(s.cap, Math.round(this.heightOf(width) * s.k));
  }

  fit() {
    const w = Math.max(240, Math.floor(this.container.clientWidth));
    const s = scaled(this.container, this.opts);
    if (s.k !== this.k) this.build(this.opts, this.plot.data);
    else if (w !== this.plot.width || this.height(w, s) !== this.plot.height) {
      this.plot.setSize({ width: w, height: this.height(w, s) });
      this.placeNote();
    }
  }

  build(opts, empty) {
    this.plot?.destroy();
    this.opts = opts;
    const s = scaled(this.container, opts);
    this.k = s.k;
    const width = Math.max(240, Math.floor(this.container.clientWidth));
    this.plot = new uPlot({ ...s.opts, width, height: this.height(width, s) }, empty, this.container);
    this.placeNote();
  }

  /**
   * Where the box's note for an empty chart ("Press ▶ Play …", css/components/charts.css) goes:
   * the plot's middle and width (--plot-mid, --plot-width), so that it covers no axis.
   */
  placeNote() {
    const { left, width } = this.plot.bbox; // device pixels of the canvas, which starts at the box's left
    const r = uPlot.pxRatio || 1;
    this.container.style.setProperty('--plot-mid', `${Math.round((left + width / 2) / r)}px`);
    this.container.style.setProperty('--plot-width', `${Math.round(width / r)}px`);
  }
}
