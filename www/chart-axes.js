// @ts-check
// Axis arithmetic of the charts, pure (no DOM, no uPlot): tick labels that name exactly the
// number they stand at (150k, 1.5M, 12,345, 1×10³⁵), legend numbers, the loss and accuracy
// ranges, and the Train charts' x units (steps, epochs, examples seen).

import { enUS } from './format.js';

const SUPERSCRIPT = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
/** Suffixes of the short forms, largest first. */
const UNITS = /** @type {const} */ ([
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'k'],
]);

/**
 * The fewest significant digits (1–15) that give `v` back, within the float noise of a computed
 * tick position (0.30000000000000004 is 0.3).
 * @param {number} v finite, nonzero
 */
export function significantDigits(v) {
  for (let d = 1; d <= 15; d++) {
    if (Math.abs(Number(v.toPrecision(d)) - v) <= Math.abs(v) * 1e-9) return d;
  }
  return 15;
}

/**
 * `v` as m×10ⁿ with as many digits of m as `v` needs ("1×10³⁵", "2.5×10⁻⁵").
 * @param {number} v
 * @param {number} [digits] significant digits (default: exactly what v needs)
 */
export function exponentForm(v, digits = significantDigits(v)) {
  const [m, e] = v.toExponential(Math.max(0, digits - 1)).split('e');
  return `${m}×10${[...String(Number(e))].map((c) => SUPERSCRIPT[c]).join('')}`;
}

/**
 * One tick label. Exact: the label names the number the tick stands at, never a rounded one.
 * @param {number|null|undefined} v
 * @param {boolean} [compact] thousands and up as 150k, 1.5M (when the axis reaches 10,000)
 */
export function tickLabel(v, compact = false) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e15 || a < 1e-4) return exponentForm(v);
  const digits = significantDigits(v);
  const exact = Number(v.toPrecision(digits));
  if (compact && a >= 1000) {
    for (const [unit, suffix] of UNITS) {
      if (a < unit) continue;
      const m = Number((exact / unit).toPrecision(12));
      if (significantDigits(m) <= 4) return `${enUS(m, { maximumFractionDigits: 3 })}${suffix}`;
      break;
    }
  }
  return enUS(exact, { maximumSignificantDigits: digits });
}

/**
 * The labels of one axis: short forms (150k, 1.5M) on an axis that reaches 10,000, thousands
 * separators below that. Empty for ticks uPlot leaves unlabelled (null).
 * @param {(number|null)[]} splits
 */
export function tickLabels(splits) {
  const top = Math.max(0, ...splits.filter((v) => v !== null && Number.isFinite(v)).map(Math.abs));
  return splits.map((v) => tickLabel(v, top >= 1e4));
}

/**
 * The least distance between an axis's ticks (uPlot's `space`, CSS px), from the size of its
 * labels, so that they never run into each other at any type scale (presenter mode's are 1.5×
 * larger): on a horizontal axis the widest label (the scale's ends to two figures, as the ticks
 * are round numbers) and 1¼ em between two; on a vertical one 1½ lines. Never less than uPlot's
 * own 50 and 30 px.
 * @param {boolean} horizontal
 * @param {number} min the scale's
 * @param {number} max
 * @param {number} em the labels' font size (CSS px)
 * @param {(label: string) => number} width a label's width in CSS px
 */
export function tickSpace(horizontal, min, max, em, width) {
  if (!horizontal) return Math.max(30, 1.5 * em);
  const round = (v) => (Number.isFinite(v) && v !== 0 ? Number(v.toPrecision(2)) : 0);
  return Math.max(50, ...tickLabels([round(min), round(max)]).map((t) => width(t) + 1.25 * em));
}

/**
 * A number in a legend or a summary: `digits` decimals, or 3 significant digits in exponent form
 * when huge (a diverging run reaches 1e35) or tiny.
 * @param {number|null|undefined} v
 * @param {number} [digits]
 * @param {string} [suffix]
 */
export function legendNumber(v, digits = 3, suffix = '') {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a >= 1e5) return `${exponentForm(v, 3)}${suffix}`;
  if (a !== 0 && a < 10 ** -digits) return `${exponentForm(v, 3)}${suffix}`;
  return `${v.toFixed(digits)}${suffix}`;
}

/**
 * Losses are never negative: from 0 (an honest baseline) with 8 % headroom.
 * @param {number|null} min
 * @param {number|null} max
 * @returns {[number, number]}
 */
export function lossRange(min, max) {
  if (max === null || !Number.isFinite(max)) return [0, 1];
  return [Math.min(0, min ?? 0), max > 0 ? max * 1.08 : 1];
}

/**
 * The accuracy axis (%): 0–100, or zoomed to the data. Zoomed, the top is the next whole ten
 * above the best point and the bottom the ten below the worst run's best (at least a point below
 * it, so that it is not drawn on the edge), at least 20 points lower (a run at 92 % shows
 * 80–100 %); the early climb then runs off the bottom.
 * @param {number[][]} runs each shown run's accuracies in %
 * @param {boolean} zoom
 * @returns {[number, number]}
 */
export function accuracyRange(runs, zoom) {
  const bests = runs.map((r) => Math.max(...r.filter(Number.isFinite))).filter(Number.isFinite);
  if (!zoom || bests.length === 0) return [0, 100];
  const top = Math.min(100, Math.ceil((Math.max(...bests) + 1) / 10) * 10);
  const bottom = Math.max(0, Math.min(Math.floor((Math.min(...bests) - 1) / 10) * 10, top - 20));
  return [bottom, top];
}

/** The x units of the Train charts. */
export const X_MODES = /** @type {const} */ (['steps', 'epochs', 'examples']);

/**
 * @typedef {'steps'|'epochs'|'examples'} XMode
 */

/**
 * The x-axis label, naming the unit.
 * @param {XMode} mode
 * @param {boolean} log
 */
export function xLabel(mode, log) {
  const name = mode === 'steps' ? 'step (minibatch updates)' : mode === 'epochs' ? 'epoch (passes over the training set)' : 'examples seen';
  return log ? `${name}, log scale` : name;
}

/**
 * Steps as the chosen unit: examples seen after each step, or that over the training-set size.
 * Converted with what the run recorded (seenAt), so a batch size changed mid-run stays right.
 * @param {XMode} mode
 * @param {number[]} steps
 * @param {(step: number) => number} seenAt examples seen after a step
 * @param {number} trainSize
 */
export function toX(mode, steps, seenAt, trainSize) {
  if (mode === 'steps') return steps.slice();
  if (mode === 'examples') return steps.map(seenAt);
  return steps.map((s) => seenAt(s) / trainSize);
}

/**
 * Index of the first point a log axis can show (x > 0).
 * @param {number[]} xs ascending
 */
export function firstPositive(xs) {
  let i = 0;
  while (i < xs.length && !(xs[i] > 0)) i++;
  return i;
}
