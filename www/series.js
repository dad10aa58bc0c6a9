// @ts-check
// Bounded chart data. Pure (no DOM, no worker): the session feeds it, charts.js draws it; how
// many examples each step had seen (for the epoch and examples-seen axes); and alignTo, which
// places a sparser series on a chart's x grid.
//
// Long runs are thinned by keeping only steps that are multiples of a stride that doubles
// whenever the buffer is full, so every point shown is a real value at a real step.

/** Most points kept per series before the stride doubles. */
export const MAX_POINTS = 2000;
/** Factor of the exponential moving average of the minibatch losses (about 20 steps). */
export const EMA_BETA = 0.95;

/** Most knots of the step → examples-seen map (one per batch-size change) before it is thinned. */
export const MAX_KNOTS = 500;

/**
 * Record that `seen` examples had been seen after step `step`, in `knots` ([step, seen] pairs,
 * ascending): a point on the same straight line as the last two (the batch size unchanged)
 * moves the last knot instead of adding one, so the map has one knot per batch-size change.
 * @param {number[][]} knots changed in place
 * @param {number} step
 * @param {number} seen
 */
export function markSeen(knots, step, seen) {
  const n = knots.length;
  const last = knots[n - 1];
  if (last && step < last[0]) return;
  if (last && step === last[0]) {
    last[1] = seen;
    return;
  }
  if (n >= 2) {
    const prev = knots[n - 2];
    if ((seen - last[1]) * (last[0] - prev[0]) === (last[1] - prev[1]) * (step - last[0])) {
      knots[n - 1] = [step, seen];
      return;
    }
  }
  knots.push([step, seen]);
  if (knots.length > MAX_KNOTS) {
    // Hundreds of batch-size changes: keep every other inner knot (the ends stay exact).
    const kept = knots.filter((_, i) => i === 0 || i === knots.length - 1 || i % 2 === 0);
    knots.splice(0, knots.length, ...kept);
  }
}

/**
 * Examples seen after step `step`, from the knots of markSeen: exact at the knots and, between
 * them, along the batch size of that stretch; beyond the last knot at the last batch size.
 * NaN without knots.
 * @param {number[][]} knots
 * @param {number} step
 */
export function seenAtStep(knots, step) {
  const n = knots.length;
  if (n === 0) return NaN;
  if (step === knots[0][0]) return knots[0][1];
  if (n === 1) return knots[0][0] > 0 ? (knots[0][1] * step) / knots[0][0] : NaN;
  let lo = 0;
  let hi = n - 1;
  if (step <= knots[0][0]) hi = 1;
  else if (step >= knots[n - 1][0]) lo = n - 2;
  else {
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (knots[mid][0] <= step) lo = mid;
      else hi = mid;
    }
  }
  const [s0, e0] = knots[lo];
  const [s1, e1] = knots[hi];
  return e0 + ((e1 - e0) * (step - s0)) / (s1 - s0);
}

/** Minibatch training losses, raw and exponentially smoothed (bias-corrected as in Adam). */
export class TrainSeries {
  constructor() {
    this.clear();
  }

  /** Forget everything (after Reset or a data-set switch). */
  clear() {
    this.x = [];
    this.raw = [];
    this.smooth = [];
    this.stride = 1;
    this.ema = 0;
    this.emaWeight = 0;
    this.last = NaN;
    this.lastStep = 0;
    /** @type {number[][]} [step, examples seen] at each batch-size change (markSeen). */
    this.knots = [];
  }

  /**
   * Examples seen after `step` (what the run recorded, whatever the batch size is now).
   * @param {number} step
   */
  seenAt(step) {
    return seenAtStep(this.knots, step);
  }

  /** The smoothed loss at the latest step (NaN before any step). */
  get smoothed() {
    return this.emaWeight > 0 ? this.ema / this.emaWeight : NaN;
  }

  /**
   * Append consecutive minibatch losses; the last one belongs to step `lastStep`.
   * Non-finite values are skipped (never plotted).
   * @param {Float32Array|number[]} losses
   * @param {number} lastStep
   * @param {number} [seen] examples seen after lastStep (recorded for the epoch axes)
   */
  append(losses, lastStep, seen) {
    if (seen !== undefined) markSeen(this.knots, lastStep, seen);
    const first = lastStep - losses.length + 1;
    for (let i = 0; i < losses.length; i++) {
      const loss = losses[i];
      if (!Number.isFinite(loss)) continue;
      const step = first + i;
      this.ema = EMA_BETA * this.ema + (1 - EMA_BETA) * loss;
      this.emaWeight = EMA_BETA * this.emaWeight + (1 - EMA_BETA);
      this.last = loss;
      this.lastStep = step;
      if (step % this.stride === 0) {
        this.x.push(step);
        this.raw.push(loss);
        this.smooth.push(this.smoothed);
        if (this.x.length > MAX_POINTS) this.thin();
      }
    }
  }

  thin() {
    this.stride *= 2;
    // Keep the first step (where the curve starts) and the multiples of the new stride.
    const keep = (_, i) => i === 0 || this.x[i] % this.stride === 0;
    this.raw = this.raw.filter(keep);
    this.smooth = this.smooth.filter(keep);
    this.x = this.x.filter(keep);
  }
}

/** Test-set evaluations: loss and accuracy at the steps where they were computed. */
export class TestSeries {
  constructor() {
    this.clear();
  }

  /** Forget everything. */
  clear() {
    this.x = [];
    this.loss = [];
    this.accuracy = [];
  }

  /**
   * Add (or replace, for the same step) one evaluation. Non-finite values are skipped.
   * @param {{step: number, loss: number, accuracy: number}} e
   */
  add(e) {
    if (!Number.isFinite(e.loss) || !Number.isFinite(e.accuracy)) return;
    const n = this.x.length;
    if (n > 0 && this.x[n - 1] === e.step) {
      this.loss[n - 1] = e.loss;
      this.accuracy[n - 1] = e.accuracy * 100;
      return;
    }
    if (n > 0 && this.x[n - 1] > e.step) return; // out of order: belongs to an older run
    this.x.push(e.step);
    this.loss.push(e.loss);
    this.accuracy.push(e.accuracy * 100);
    if (this.x.length > MAX_POINTS) {
      // Drop every other point but keep the first and the newest.
      const keep = (_, i) => i === 0 || i === this.x.length - 1 || i % 2 === 0;
      this.loss = this.loss.filter(keep);
      this.accuracy = this.accuracy.filter(keep);
      this.x = this.x.filter(keep);
    }
  }
}

/**
 * Values `ys` at the x values `xs` placed on the x grid `grid` (null elsewhere): a series
 * sampled less often than the others of its chart (both sorted ascending).
 * @param {number[]} grid
 * @param {number[]} xs
 * @param {number[]} ys
 */
export function alignTo(grid, xs, ys) {
  const out = new Array(grid.length).fill(null);
  let j = 0;
  for (let i = 0; i < grid.length && j < xs.length; i++) {
    while (j < xs.length && xs[j] < grid[i]) j++;
    if (j < xs.length && grid[i] === xs[j]) out[i] = ys[j++];
  }
  return out;
}
