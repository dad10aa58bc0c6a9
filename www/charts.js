// @ts-check
// The lecture sections' line chart: several series against one x, each axis labelled with its
// unit, optional log scales, sized to its container, with PNG and CSV downloads and a text
// alternative (chart-export.js). Tick labels: chart-axes.js; what all charts share: chart-base.js.

import { exponentForm, lossRange } from './chart-axes.js';
import { columnName } from './chart-csv.js';
import { chartTools, figureTitle, summary } from './chart-export.js';
import { Chart, axis, chartHeight, describe, describeScale, ticksInto } from './chart-base.js';

export { PALETTE } from './chart-base.js';

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
