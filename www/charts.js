// @ts-check
// uPlot wrappers: the Train section's training-loss and test loss/accuracy charts (this run and
// the kept runs, on a chosen x axis) and the lecture sections' line chart. They size themselves
// to their container, are fed whole (bounded) arrays at most once per frame, and each has PNG
// and CSV downloads and a text alternative (chart-export.js). Tick labels: chart-axes.js.

import vendoredUPlot from './vendor/uplot/uPlot.esm.min.js';
import { accuracyRange, exponentForm, firstPositive, legendNumber, lossRange, tickLabels, toX, xLabel } from './chart-axes.js';
import { columnName } from './chart-csv.js';
import { chartTools, figureTitle, summary } from './chart-export.js';
import { runLabel } from './runs.js';
import { seenAtStep } from './series.js';

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
function ticksInto(memory) {
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
const INCRS = Array.from({ length: 57 }, (_, i) => i - 16).flatMap((e) => [1, 2, 2.5, 5].map((m) => Number((m * 10 ** e).toPrecision(3))));

function axis(label, extra = {}) {
  return {
    incrs: INCRS,
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

function chartHeight(width) {
  return Math.round(Math.max(200, Math.min(280, width * 0.62)));
}

/** A legend value with `digits` decimals (exponent form when huge). */
function fixed(digits, suffix = '') {
  return (_, v) => legendNumber(v, digits, suffix);
}

/**
 * What a chart was given, on its container: data-points (how many) and data-finite ("true" if
 * every plotted value is a finite number: the series never let NaN or ∞ through; tests check).
 */
function describe(container, x, ys) {
  mark(container, 'points', x.length);
  mark(container, 'finite', ys.every((y) => y.every(Number.isFinite)));
}

/**
 * Set a data-* attribute of a chart box, only when it changes (they are written every frame).
 * @param {HTMLElement} box
 * @param {string} key
 * @param {string|number|boolean} value
 */
function mark(box, key, value) {
  const v = String(value);
  if (box.dataset[key] !== v) box.dataset[key] = v;
}

/**
 * After each draw, on the box: the x scale's range and tick labels as drawn
 * (data-x-min, data-x-max, data-x-ticks: the labels, "|"-separated; data-y-ticks: the first y axis's).
 * @param {HTMLElement} container
 * @param {string[][]} memory tick labels per axis (ticksInto)
 */
function describeScale(container, memory) {
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
function scaled(container, opts) {
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
class Chart {
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
    else if (w !== this.plot.width || this.height(w, s) !== this.plot.height) this.plot.setSize({ width: w, height: this.height(w, s) });
  }

  build(opts, empty) {
    this.plot?.destroy();
    this.opts = opts;
    const s = scaled(this.container, opts);
    this.k = s.k;
    const width = Math.max(240, Math.floor(this.container.clientWidth));
    this.plot = new uPlot({ ...s.opts, width, height: this.height(width, s) }, empty, this.container);
  }
}

// ---------- The Train section: this run and the kept runs, on a chosen x axis ----------

/**
 * What the Train charts show: the x unit, log scale, accuracy zoom, this run and the kept runs.
 * @typedef {object} RunsView
 * @property {import('./chart-axes.js').XMode} xMode
 * @property {boolean} xLog
 * @property {boolean} accZoom
 * @property {{label: string, trainSize: number, train: import('./series.js').TrainSeries, test: import('./series.js').TestSeries}} current
 * @property {import('./runs.js').KeptRun[]} kept
 */

/** Legend value of the x series in a unit. */
function xValue(mode) {
  return (_, v) => {
    if (v === null || v === undefined || !Number.isFinite(v)) return '–';
    return mode === 'epochs' ? (Math.round(v * 1000) / 1000).toFixed(3) : Math.round(v).toLocaleString('en-US');
  };
}

/** The unit named in a CSV column of the x axis. */
function xColumn(mode) {
  return mode === 'steps' ? 'step' : mode === 'epochs' ? 'epoch (passes over the training set)' : 'examples seen';
}

/**
 * One run's points in the chosen unit: x values (log: only x > 0; never a non-finite x) and the
 * y columns taken at the same points.
 * @param {RunsView} view
 * @param {number[]} steps
 * @param {(step: number) => number} seenAt
 * @param {number} trainSize
 * @param {number[][]} ys
 * @returns {number[][]} [x, ...ys]
 */
function runTable(view, steps, seenAt, trainSize, ys) {
  const xs = toX(view.xMode, steps, seenAt, trainSize);
  const keep = [];
  for (let i = view.xLog ? firstPositive(xs) : 0; i < xs.length; i++) if (Number.isFinite(xs[i])) keep.push(i);
  if (keep.length === xs.length) return [xs, ...ys];
  return [keep.map((i) => xs[i]), ...ys.map((y) => keep.map((i) => y[i]))];
}

/** The visible kept runs, by slot. */
function visibleKept(view) {
  /** @type {(import('./runs.js').KeptRun|null)[]} */
  const slots = KEPT_COLORS.map(() => null);
  for (const r of view.kept) if (r.visible) slots[r.slot] = r;
  return slots;
}

/**
 * The Train section's two charts (kind 'train': minibatch loss and its moving average; 'test':
 * test loss and accuracy), each drawing this run and the kept runs (faded, one colour a run), on
 * the x axis of the view. The box reports data-runs (this run + visible kept runs), data-x-axis,
 * data-x-log and, for 'test', data-acc-range ("80,100": the accuracy axis in %).
 * @param {HTMLElement} container
 * @param {'train'|'test'} kind
 * @returns {{update: (view: RunsView) => void}}
 */
function createRunChart(container, kind) {
  const isTrain = kind === 'train';
  const memory = [];
  /** @type {[number, number]} */
  let accRange = [0, 100];
  let shape = '';
  /** @type {RunsView|null} */
  let view = null;
  /** @type {number[][]} */
  let data = [];
  /** @typedef {{label: string, stroke: string, scale?: string, dash?: number[], width?: number}} SeriesSpec */
  /** @type {SeriesSpec[]} */
  let specs = [];
  const title = () => figureTitle(container);
  /** @type {any[]} A column of missing values as long as this run's (shared by the empty kept series, never written to). */
  let holesOf = [];
  const holes = (n) => {
    if (holesOf.length !== n) holesOf = new Array(n).fill(undefined);
    return holesOf;
  };

  /** @type {(SeriesSpec & Record<string, any>)[]} */
  const currentSeries = isTrain
    ? [
        { label: 'minibatch loss', stroke: COLORS.raw, width: 1, value: fixed(3), points: { show: false } },
        { label: 'smoothed (EMA)', stroke: COLORS.smooth, width: 2.25, value: fixed(3), points: { show: false } },
      ]
    : [
        { label: 'test loss', scale: 'loss', stroke: COLORS.testLoss, width: 2, value: fixed(3), points: { show: true, size: 5, fill: COLORS.testLoss } },
        { label: 'test accuracy', scale: 'acc', stroke: COLORS.accuracy, width: 2, value: fixed(2, ' %'), points: { show: true, size: 5, fill: COLORS.accuracy } },
      ];
  /** @type {(SeriesSpec & Record<string, any>)[]} */
  const keptSeries = KEPT_COLORS.flatMap((_, slot) =>
    isTrain
      ? [{ label: `kept run ${slot + 1}`, stroke: keptColor(slot), width: 1.75, class: 'kept-series', spanGaps: true, value: fixed(3), points: { size: 4 } }]
      : [
          { label: `kept run ${slot + 1}: loss`, scale: 'loss', stroke: keptColor(slot), width: 1.5, dash: [5, 4], class: 'kept-series', spanGaps: true, value: fixed(3), points: { size: 4 } },
          { label: `kept run ${slot + 1}: accuracy`, scale: 'acc', stroke: keptColor(slot), width: 1.75, class: 'kept-series', spanGaps: true, value: fixed(2, ' %'), points: { size: 4 } },
        ],
  );
  const perRun = isTrain ? 1 : 2;

  function options(mode, log) {
    const xAxis = axis(xLabel(mode, log), { values: ticksInto(memory) });
    const yAxes = isTrain
      ? [axis('cross-entropy (nats)', { size: 60, values: ticksInto(memory) })]
      : [
          axis('cross-entropy (nats)', { scale: 'loss', size: 60, stroke: COLORS.testLoss, values: ticksInto(memory) }),
          axis('accuracy (%)', { scale: 'acc', side: 1, size: 56, stroke: COLORS.accuracy, grid: { show: false } }),
        ];
    return {
      class: 'chart',
      scales: isTrain
        ? { x: { time: false, ...(log ? { distr: 3, log: 10 } : {}) }, y: { range: (_, min, max) => lossRange(min, max) } }
        : { x: { time: false, ...(log ? { distr: 3, log: 10 } : {}) }, loss: { range: (_, min, max) => lossRange(min, max) }, acc: { range: () => accRange } },
      cursor: { drag: { x: false, y: false } },
      legend: { live: true },
      series: [{ label: xColumn(mode), value: xValue(mode) }, ...currentSeries.map((s) => ({ ...s, spanGaps: true })), ...keptSeries],
      axes: [xAxis, ...yAxes],
      hooks: { draw: [describeScale(container, memory)] },
    };
  }
  const empty = () => [[], ...currentSeries.map(() => []), ...keptSeries.map(() => [])];
  const chart = new Chart(container, options('steps', false), empty());

  const requestSummary = summary(container, () => summaryText());

  function summaryText() {
    if (!view) return `${title()}: no data yet.`;
    const c = view.current;
    const parts = [`${title()}, against ${xLabel(view.xMode, view.xLog)}.`];
    if (isTrain) {
      const t = c.train;
      parts.push(t.x.length ? `This run (${c.label}): smoothed training loss ${legendNumber(t.smoothed)} nats at step ${t.lastStep.toLocaleString('en-US')} (last minibatch ${legendNumber(t.last)}).` : 'This run has no steps yet.');
    } else {
      const e = c.test;
      const n = e.x.length;
      parts.push(n ? `This run (${c.label}): at step ${e.x[n - 1].toLocaleString('en-US')}, test accuracy ${legendNumber(e.accuracy[n - 1], 2)} % and test loss ${legendNumber(e.loss[n - 1])} nats; ${n} evaluations.` : 'No test evaluation yet.');
      parts.push(`Accuracy axis ${accRange[0]} to ${accRange[1]} %.`);
    }
    const kept = view.kept.filter((r) => r.visible);
    if (kept.length) {
      parts.push(`${kept.length} kept run${kept.length === 1 ? '' : 's'} shown:`);
      for (const r of kept) {
        const end = isTrain
          ? `smoothed loss ${legendNumber(r.train.smooth[r.train.smooth.length - 1])}`
          : `accuracy ${legendNumber(r.test.accuracy[r.test.accuracy.length - 1], 2)} %, loss ${legendNumber(r.test.loss[r.test.loss.length - 1])}`;
        parts.push(`run ${view.kept.indexOf(r) + 1} (${runLabel(r)}): ${end} after ${r.steps.toLocaleString('en-US')} steps.`);
      }
    }
    return parts.join(' ');
  }

  chartTools(container, {
    title,
    canvas: () => chart.plot.ctx.canvas,
    legend: () => specs.map((s) => ({ color: s.stroke, dash: s.dash, width: s.width, text: s.label })),
    notes: () => (view ? [`x: ${xLabel(view.xMode, view.xLog)}.`, ...(isTrain ? [] : [`Accuracy axis ${accRange[0]}–${accRange[1]} %.`])] : []),
    table: () => {
      const columns = [columnName(xColumn(view ? view.xMode : 'steps'))];
      const cols = [data[0] || []];
      const unit = (s) => (s.scale === 'acc' ? '%' : 'nats');
      const comments = [`${title()} (softmax-lab)`];
      if (view) {
        comments.push(`this run: ${view.current.label}`);
        view.kept.forEach((r, i) => comments.push(`run ${i + 1}: ${runLabel(r)}, ${r.steps.toLocaleString('en-US')} steps${r.visible ? '' : ' (hidden: not plotted)'}`));
        comments.push(`x: ${xLabel(view.xMode, view.xLog)}; losses are cross-entropy without the L2 term`);
      }
      specs.forEach((s, i) => {
        columns.push(columnName(s.label, unit(s)));
        cols.push(data[i + 1]);
      });
      return { comments, columns, data: cols };
    },
  });

  return {
    update(v) {
      view = v;
      const key = `${v.xMode}|${v.xLog}`;
      if (key !== shape) {
        shape = key;
        container.dataset.xAxis = v.xMode;
        container.dataset.xLog = String(v.xLog);
        chart.build(options(v.xMode, v.xLog), empty());
      }
      const c = v.current;
      const seen = (st) => c.train.seenAt(st);
      const tables = [];
      const cur = isTrain ? runTable(v, c.train.x, seen, c.trainSize, [c.train.raw, c.train.smooth]) : runTable(v, c.test.x, seen, c.trainSize, [c.test.loss, c.test.accuracy]);
      tables.push(cur);
      specs = currentSeries.map((s) => ({ label: `this run: ${s.label}`, stroke: s.stroke, width: s.width, scale: s.scale }));
      const slots = visibleKept(v);
      const accuracies = [isTrain ? [] : cur[2]];
      slots.forEach((r, slot) => {
        if (!r) {
          tables.push([[], ...Array.from({ length: perRun }, () => [])]);
          return;
        }
        const at = (st) => seenAtStep(r.knots, st);
        const n = v.kept.indexOf(r) + 1;
        if (isTrain) tables.push(runTable(v, r.train.x, at, r.trainSize, [r.train.smooth]));
        else {
          const t = runTable(v, r.test.x, at, r.trainSize, [r.test.loss, r.test.accuracy]);
          tables.push(t);
          accuracies.push(t[2]);
        }
        keptSeries.slice(slot * perRun, (slot + 1) * perRun).forEach((s) =>
          specs.push({ label: `run ${n}${isTrain ? ': smoothed loss' : s.scale === 'acc' ? ': test accuracy' : ': test loss'} (${runLabel(r)})`, stroke: s.stroke, dash: s.dash, width: s.width, scale: s.scale }),
        );
      });
      if (!isTrain) {
        accRange = accuracyRange(accuracies.filter((a) => a.length), v.accZoom);
        mark(container, 'accRange', accRange.join(','));
      }
      // Without kept runs nothing needs aligning: this run's columns and empty kept ones.
      const joined = slots.some(Boolean)
        ? /** @type {number[][]} */ (uPlot.join(/** @type {any} */ (tables)))
        : [...cur, ...keptSeries.map(() => holes(cur[0].length))];
      // The CSV: the x column, then only the series that are drawn (this run, visible kept runs).
      const first = 1 + currentSeries.length;
      data = [joined[0], ...joined.slice(1, first)];
      slots.forEach((r, slot) => {
        if (r) data.push(...joined.slice(first + slot * perRun, first + (slot + 1) * perRun));
      });
      chart.plot.setData(/** @type {import('uplot').AlignedData} */ (/** @type {unknown} */ (joined)));
      describe(container, cur[0], cur.slice(1));
      mark(container, 'runs', 1 + slots.filter(Boolean).length);
      requestSummary();
    },
  };
}

/**
 * Training loss per step: raw minibatch losses and their exponential moving average (this run),
 * and the moving averages of the kept runs.
 * @param {HTMLElement} container
 */
export function createTrainChart(container) {
  return createRunChart(container, 'train');
}

/**
 * Test-set loss (left axis) and accuracy in % (right axis) at the evaluated steps.
 * @param {HTMLElement} container
 */
export function createTestChart(container) {
  return createRunChart(container, 'test');
}

// ---------- Lecture sections: one generic line chart ----------

/** Significant digits for legend values of the lecture charts. */
function significant(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return exponentForm(v, 3);
  return v.toPrecision(4).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/** The last non-null value of a column. */
function lastValue(ys) {
  for (let i = ys.length - 1; i >= 0; i--) if (ys[i] !== null && ys[i] !== undefined) return ys[i];
  return null;
}

/**
 * A line chart for the lecture sections: several series against one x, each axis labelled
 * with its unit, optional log scales. PNG and CSV downloads come with it (buttons after the box,
 * `<box testid>-png`/`-csv`), and the box is labelled for screen readers with what it shows and
 * its latest values.
 * @param {HTMLElement} container
 * @param {object} spec
 * @param {{label: string, log?: boolean, range?: Function|number[], integer?: boolean}} spec.x the x axis
 * @param {{scale?: string, label: string, log?: boolean, range?: Function|number[], side?: 1|3, color?: string}[]} spec.y
 *   y axes (scale names default to "y"; a second axis goes on the right)
 * @param {{label: string, stroke: string, scale?: string, width?: number, dash?: number[], points?: boolean, value?: Function}[]} spec.series
 * @param {object} [spec.hooks] uPlot hooks (e.g. draw, for markers)
 * @param {number} [spec.height] fixed height in px (default: follows the width)
 * @param {string} [spec.title] the chart's name in its downloads and text alternative (default: its card's heading)
 * @param {() => string[]} [spec.settings] the settings of the run(s) drawn, for the CSV's comment lines and the PNG
 * @returns {{plot: object, update: (data: (number|null)[][]) => void, redraw: () => void}}
 */
export function createLineChart(container, spec) {
  const memory = [];
  const scales = { x: { time: false, ...(spec.x.log ? { distr: 3, log: 10 } : {}), ...(spec.x.range ? { range: spec.x.range } : {}) } };
  const axes = [axis(spec.x.label, { values: ticksInto(memory), ...(spec.x.integer ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] } : {}) })];
  /** @type {Record<string, string>} */
  const axisLabel = {};
  spec.y.forEach((y, i) => {
    const scale = y.scale || 'y';
    axisLabel[scale] = y.label;
    scales[scale] = { ...(y.log ? { distr: 3, log: 10 } : {}), range: y.range || (y.log ? undefined : (_, min, max) => lossRange(min, max)) };
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
  const hooks = { ...(spec.hooks || {}) };
  hooks.draw = [...(hooks.draw || []), describeScale(container, memory)];
  const opts = { class: 'chart', scales, axes, series, cursor: { drag: { x: false, y: false } }, legend: { live: true }, hooks };
  const chart = new Chart(container, opts, empty, spec.height ? () => spec.height : chartHeight);
  /** @type {(number|null)[][]} */
  let last = empty;
  const title = () => spec.title || figureTitle(container);
  const settings = () => (spec.settings ? spec.settings() : []);

  const requestSummary = summary(container, () => {
    const xs = last[0];
    if (!xs.length) return `${title()}: no data yet.`;
    const values = spec.series.map((s, i) => `${s.label} ${significant(lastValue(last[i + 1]))}`).join('; ');
    const run = settings();
    return `${title()}: ${spec.series.length} curve${spec.series.length === 1 ? '' : 's'} against ${spec.x.label}, from ${significant(xs[0])} to ${significant(xs[xs.length - 1])} (${xs.length} points). At the right end: ${values}.${run.length ? ` ${run.join('. ')}.` : ''}`;
  });
  requestSummary();

  chartTools(container, {
    title,
    canvas: () => chart.plot.ctx.canvas,
    legend: () => spec.series.map((s) => ({ color: s.stroke, dash: s.dash, width: s.width, text: s.label })),
    notes: settings,
    table: () => ({
      comments: [`${title()} (softmax-lab)`, ...settings()],
      columns: [spec.x.label, ...spec.series.map((s) => columnName(s.label, axisLabel[s.scale || 'y']))],
      data: last,
    }),
  });

  return {
    plot: chart.plot,
    update(data) {
      last = data;
      chart.plot.setData(/** @type {import('uplot').AlignedData} */ (data));
      describe(container, data[0], data.slice(1).map((ys) => ys.filter((v) => v !== null)));
      requestSummary();
    },
    redraw() {
      chart.plot.redraw(false);
    },
  };
}
