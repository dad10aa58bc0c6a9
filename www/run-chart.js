// @ts-check
// The Train section's charts: the training loss and the test loss/accuracy of this run and of the
// kept runs (faded, a colour each), on the x axis the reader chose (steps, epochs, examples
// seen; linear or log), fed whole (bounded) arrays at most once per frame, each with PNG and CSV
// downloads and a text alternative (chart-export.js).

import { accuracyRange, firstPositive, legendNumber, lossRange, toX, xLabel } from './chart-axes.js';
import { columnName } from './chart-csv.js';
import { chartTools, figureTitle, summary } from './chart-export.js';
import { runLabel } from './runs.js';
import { seenAtStep } from './series.js';
import { COLORS, KEPT_COLORS, Chart, axis, describe, describeScale, fixed, keptColor, mark, ticksInto, uPlot } from './chart-base.js';

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
