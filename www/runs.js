// @ts-check
// Kept runs: the curves of earlier Train runs, shown faded beside the current one so runs can be
// compared (kept on Reset, on a data-set switch, or with "Keep this run"). Pure (no DOM): the
// session keeps the list and saves it with the session record, charts.js draws it.

import { DATASET_NAMES } from './constants.js';

/** Most runs kept; keeping one more drops the oldest. */
export const MAX_KEPT = 5;
/** Most points kept per curve of a kept run. */
export const KEPT_POINTS = 300;

/**
 * A kept run: its settings and thinned curves (x in steps; `knots` map steps to examples seen).
 * @typedef {object} KeptRun
 * @property {string} id the run's id (keeping the same run again replaces it)
 * @property {number} slot 0…MAX_KEPT-1: its colour, stable while it is kept
 * @property {boolean} visible
 * @property {string} dataset
 * @property {number} trainSize
 * @property {import('./protocol.js').Hyper} hyper the settings when it was kept
 * @property {import('./protocol.js').Hyper} startHyper the settings it started with
 * @property {number} steps
 * @property {number} examples
 * @property {{x: number[], smooth: number[]}} train
 * @property {{x: number[], loss: number[], accuracy: number[]}} test accuracy in %
 * @property {number[][]} knots
 */

/**
 * Indices of at most `max` points of an ascending x series that keep its shape on a linear and
 * on a log axis: half evenly spaced in x, half evenly spaced in log x, the first and last always.
 * @param {number[]} xs
 * @param {number} [max]
 */
export function thinIndices(xs, max = KEPT_POINTS) {
  const n = xs.length;
  if (n <= max) return xs.map((_, i) => i);
  const keep = new Set([0, n - 1]);
  const half = Math.max(1, Math.floor((max - 2) / 2));
  const pick = (target) => {
    // the first index whose x reaches target (binary search)
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    keep.add(lo);
  };
  const [x0, x1] = [xs[0], xs[n - 1]];
  for (let k = 1; k <= half; k++) pick(x0 + ((x1 - x0) * k) / (half + 1));
  const l0 = Math.log(Math.max(x0, 1));
  const l1 = Math.log(Math.max(x1, 1));
  if (l1 > l0) for (let k = 1; k <= half; k++) pick(Math.exp(l0 + ((l1 - l0) * k) / (half + 1)));
  return [...keep].sort((a, b) => a - b).slice(0, max);
}

/**
 * @template T
 * @param {T[]} a
 * @param {number[]} idx
 */
const take = (a, idx) => idx.map((i) => a[i]);

/**
 * A kept run from the current run, or null if it has no steps (nothing to compare).
 * @param {{id: string, dataset: string, trainSize: number, hyper: import('./protocol.js').Hyper, startHyper: import('./protocol.js').Hyper|null,
 *   steps: number, examples: number,
 *   train: {x: number[], smooth: number[], knots: number[][]}, test: {x: number[], loss: number[], accuracy: number[]}}} run
 * @returns {KeptRun|null}
 */
export function snapshotRun(run) {
  if (!(run.steps > 0) || run.train.x.length === 0) return null;
  const ti = thinIndices(run.train.x);
  const ei = thinIndices(run.test.x);
  return {
    id: run.id,
    slot: 0,
    visible: true,
    dataset: run.dataset,
    trainSize: run.trainSize,
    hyper: { ...run.hyper },
    startHyper: { ...(run.startHyper || run.hyper) },
    steps: run.steps,
    examples: run.examples,
    train: { x: take(run.train.x, ti), smooth: take(run.train.smooth, ti) },
    test: { x: take(run.test.x, ei), loss: take(run.test.loss, ei), accuracy: take(run.test.accuracy, ei) },
    knots: run.train.knots.map((k) => [k[0], k[1]]),
  };
}

/**
 * The list with `run` kept: replacing the same run (same id, keeping its slot and visibility),
 * else added at the end in the first free colour; past MAX_KEPT the oldest is dropped.
 * @param {KeptRun[]} list
 * @param {KeptRun} run
 * @returns {{list: KeptRun[], dropped: KeptRun|null}}
 */
export function keepRun(list, run) {
  const same = list.findIndex((r) => r.id === run.id);
  if (same >= 0) {
    const next = list.slice();
    next[same] = { ...run, slot: list[same].slot, visible: list[same].visible };
    return { list: next, dropped: null };
  }
  let next = list.slice();
  let dropped = null;
  if (next.length >= MAX_KEPT) {
    dropped = next[0];
    next = next.slice(1);
  }
  const used = new Set(next.map((r) => r.slot));
  let slot = 0;
  while (used.has(slot)) slot++;
  next.push({ ...run, slot });
  return { list: next, dropped };
}

/**
 * A value of a setting, with where it started if it changed during the run ("0.05→0.1").
 * @param {number} start
 * @param {number} end
 */
function changed(start, end) {
  return start === end ? String(end) : `${start}→${end}`;
}

/**
 * The label of a run: its settings (ε, n, α, seed, data set).
 * @param {{hyper: import('./protocol.js').Hyper, startHyper?: import('./protocol.js').Hyper|null, dataset: string}} run
 */
export function runLabel(run) {
  const h = run.hyper;
  const s = run.startHyper || h;
  return `ε ${changed(s.learning_rate, h.learning_rate)} · n ${changed(s.batch_size, h.batch_size)} · α ${changed(s.l2, h.l2)} · seed ${h.seed} · ${DATASET_NAMES[run.dataset] || run.dataset}`;
}

/**
 * Kept runs read back from a saved record: the well-formed ones (at most MAX_KEPT), or none.
 * @param {any} runs
 * @returns {KeptRun[]}
 */
export function readRuns(runs) {
  if (!Array.isArray(runs)) return [];
  const arr = (a) => Array.isArray(a) && a.every((v) => typeof v === 'number');
  const hyper = (h) => h && typeof h === 'object' && ['learning_rate', 'batch_size', 'l2', 'seed'].every((k) => typeof h[k] === 'number');
  const ok = runs.filter(
    (r) =>
      r && typeof r === 'object' && typeof r.id === 'string' && Number.isInteger(r.slot) && r.slot >= 0 && r.slot < MAX_KEPT &&
      typeof r.dataset === 'string' && r.trainSize > 0 && hyper(r.hyper) && hyper(r.startHyper) &&
      r.train && arr(r.train.x) && arr(r.train.smooth) && r.train.x.length === r.train.smooth.length &&
      r.test && arr(r.test.x) && arr(r.test.loss) && arr(r.test.accuracy) && r.test.x.length === r.test.loss.length && r.test.x.length === r.test.accuracy.length &&
      Array.isArray(r.knots) && r.knots.every((k) => arr(k) && k.length === 2),
  );
  const slots = new Set();
  return ok.slice(-MAX_KEPT).filter((r) => !slots.has(r.slot) && slots.add(r.slot)).map((r) => ({ ...r, visible: r.visible !== false }));
}
