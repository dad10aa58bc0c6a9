// @ts-check
// uPlot wrappers: the training-loss chart and the test loss/accuracy chart. They size
// themselves to their container and are fed whole (bounded) arrays, at most once per frame.

import vendoredUPlot from './vendor/uplot/uPlot.esm.js';

/** uPlot (www/vendor is a copy of the npm package's build, whose types these are). */
const uPlot = /** @type {typeof import('uplot')} */ (/** @type {unknown} */ (vendoredUPlot));

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

function axis(label, extra = {}) {
  return {
    label,
    stroke: COLORS.axis,
    font: FONT,
    labelFont: LABEL_FONT,
    labelSize: 18,
    grid: { stroke: COLORS.grid, width: 1 },
    ticks: { stroke: COLORS.grid, width: 1 },
    values: ticks,
    ...extra,
  };
}

/** Tick labels that stay short for huge values (a diverging run reaches 1e+35). */
function ticks(_, splits) {
  return splits.map((v) => {
    if (v === null || v === undefined) return '';
    if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-4)) return v.toExponential(0);
    return v.toLocaleString('en-US', { maximumFractionDigits: 6 });
  });
}

/** Losses are never negative: the y range starts at 0 (an honest baseline) with 8 % headroom. */
function lossRange(_, min, max) {
  if (max === null || !Number.isFinite(max)) return [0, 1];
  return [Math.min(0, min), max > 0 ? max * 1.08 : 1];
}

/** Accuracy in %: whole tens around the data, within 0–100. */
function accuracyRange(_, min, max) {
  if (max === null || !Number.isFinite(max)) return [0, 100];
  return [Math.max(0, Math.floor((min - 1) / 10) * 10), Math.min(100, Math.ceil((max + 1) / 10) * 10)];
}

function chartHeight(width) {
  return Math.round(Math.max(200, Math.min(280, width * 0.62)));
}

/** Format a step number for the legend. */
function stepValue(_, v) {
  return v === null || v === undefined ? '–' : Math.round(v).toLocaleString('en-US');
}

function fixed(digits, suffix = '') {
  return (_, v) => {
    if (v === null || v === undefined || !Number.isFinite(v)) return '–';
    return Math.abs(v) >= 1e5 ? `${v.toExponential(2)}${suffix}` : `${v.toFixed(digits)}${suffix}`;
  };
}

/**
 * What a chart was given, on its container: data-points (how many) and data-finite ("true" if
 * every plotted value is a finite number: the series never let NaN or ∞ through; tests check).
 */
function describe(container, x, ys) {
  container.dataset.points = String(x.length);
  container.dataset.finite = String(ys.every((y) => y.every(Number.isFinite)));
}

/** A chart that follows its container's width. */
class Chart {
  constructor(container, opts, empty, heightOf = chartHeight) {
    this.container = container;
    const width = Math.max(240, container.clientWidth);
    this.plot = new uPlot({ ...opts, width, height: heightOf(width) }, empty, container);
    this.observer = new ResizeObserver(() => {
      const w = Math.max(240, Math.floor(this.container.clientWidth));
      if (w !== this.plot.width) this.plot.setSize({ width: w, height: heightOf(w) });
    });
    this.observer.observe(container);
  }
}

/**
 * Training loss per step: raw minibatch losses and their exponential moving average.
 * @param {HTMLElement} container
 * @returns {{update: (series: import('./series.js').TrainSeries) => void}}
 */
export function createTrainChart(container) {
  const chart = new Chart(
    container,
    {
      class: 'chart',
      scales: { x: { time: false }, y: { range: lossRange } },
      cursor: { drag: { x: false, y: false } },
      legend: { live: true },
      series: [
        { label: 'step', value: stepValue },
        { label: 'minibatch loss', stroke: COLORS.raw, width: 1, value: fixed(3), points: { show: false } },
        { label: 'smoothed (EMA)', stroke: COLORS.smooth, width: 2.25, value: fixed(3), points: { show: false } },
      ],
      axes: [axis('step'), axis('cross-entropy (nats)', { size: 56 })],
    },
    [[], [], []],
  );
  return {
    update(series) {
      chart.plot.setData([series.x, series.raw, series.smooth]);
      describe(container, series.x, [series.raw, series.smooth]);
    },
  };
}

/**
 * Test-set loss (left axis) and accuracy in % (right axis) at the evaluated steps.
 * @param {HTMLElement} container
 * @returns {{update: (series: import('./series.js').TestSeries) => void}}
 */
export function createTestChart(container) {
  const chart = new Chart(
    container,
    {
      class: 'chart',
      scales: { x: { time: false }, loss: { range: lossRange }, acc: { range: accuracyRange } },
      cursor: { drag: { x: false, y: false } },
      legend: { live: true },
      series: [
        { label: 'step', value: stepValue },
        { label: 'test loss', scale: 'loss', stroke: COLORS.testLoss, width: 2, value: fixed(3), points: { show: true, size: 5, fill: COLORS.testLoss } },
        { label: 'test accuracy', scale: 'acc', stroke: COLORS.accuracy, width: 2, value: fixed(2, ' %'), points: { show: true, size: 5, fill: COLORS.accuracy } },
      ],
      axes: [
        axis('step'),
        axis('cross-entropy (nats)', { scale: 'loss', size: 56, stroke: COLORS.testLoss }),
        axis('accuracy (%)', { scale: 'acc', side: 1, size: 56, stroke: COLORS.accuracy, grid: { show: false } }),
      ],
    },
    [[], [], []],
  );
  return {
    update(series) {
      chart.plot.setData([series.x, series.loss, series.accuracy]);
      describe(container, series.x, [series.loss, series.accuracy]);
    },
  };
}

// ---------- Lecture sections: one generic line chart ----------

/** Significant digits for legend values of the lecture charts. */
function significant(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
  return v.toPrecision(4).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/**
 * A line chart for the lecture sections: several series against one x, each axis labelled
 * with its unit, optional log scales.
 * @param {HTMLElement} container
 * @param {object} spec
 * @param {{label: string, log?: boolean, range?: Function|number[], integer?: boolean}} spec.x the x axis
 * @param {{scale?: string, label: string, log?: boolean, range?: Function|number[], side?: 1|3, color?: string}[]} spec.y
 *   y axes (scale names default to "y"; a second axis goes on the right)
 * @param {{label: string, stroke: string, scale?: string, width?: number, dash?: number[], points?: boolean, value?: Function}[]} spec.series
 * @param {object} [spec.hooks] uPlot hooks (e.g. draw, for markers)
 * @param {number} [spec.height] fixed height in px (default: follows the width)
 * @returns {{plot: object, update: (data: (number|null)[][]) => void, redraw: () => void}}
 */
export function createLineChart(container, spec) {
  const scales = { x: { time: false, ...(spec.x.log ? { distr: 3, log: 10 } : {}), ...(spec.x.range ? { range: spec.x.range } : {}) } };
  const axes = [axis(spec.x.label, spec.x.integer ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] } : {})];
  spec.y.forEach((y, i) => {
    const scale = y.scale || 'y';
    scales[scale] = { ...(y.log ? { distr: 3, log: 10 } : {}), range: y.range || (y.log ? undefined : lossRange) };
    if (scales[scale].range === undefined) delete scales[scale].range;
    axes.push(axis(y.label, { scale, size: 60, ...(i > 0 ? { side: 1, grid: { show: false } } : {}), ...(y.color ? { stroke: y.color } : {}) }));
  });
  const series = [
    { label: spec.x.label, value: (_, v) => significant(v) },
    ...spec.series.map((s) => ({
      label: s.label,
      scale: s.scale || 'y',
      stroke: s.stroke,
      width: s.width || 2,
      dash: s.dash,
      spanGaps: true,
      value: s.value || ((_, v) => significant(v)),
      points: s.points ? { show: true, size: 5, fill: s.stroke } : { show: false },
    })),
  ];
  const empty = [[], ...spec.series.map(() => [])];
  const opts = { class: 'chart', scales, axes, series, cursor: { drag: { x: false, y: false } }, legend: { live: true }, hooks: spec.hooks || {} };
  const chart = new Chart(container, opts, empty, spec.height ? () => spec.height : chartHeight);
  return {
    plot: chart.plot,
    update(data) {
      chart.plot.setData(/** @type {import('uplot').AlignedData} */ (data));
      describe(container, data[0], data.slice(1).map((ys) => ys.filter((v) => v !== null)));
    },
    redraw() {
      chart.plot.redraw(false);
    },
  };
}
