// @ts-check
// Section 2 "Logistic regression and its loss": the log-loss and MSE as functions of ŷ for
// y = 1 and y = 0 and their gradient factors ∂ℓ/∂z, then two logistic models ŷ = σ(xᵀw + b)
// trained side by side on one MNIST digit against another (chosen by the student), one with
// log-loss and one with MSE, from the same initial weights and on the same minibatches (two
// `logistic` experiments with the same seed, stepped in lockstep). All curves and both runs
// are computed by the Rust core in the worker.

import { createLineChart, PALETTE } from '../charts.js';
import { el, setValue } from '../dom.js';
import { errorText, formatInt } from '../format.js';
import { clearImage, colorBar, drawDiverging, pixelCanvas, robustLimit } from '../images.js';
import { ExperimentGroup, lessonClient } from '../lesson-client.js';
import { tex } from '../math.js';
import { lessonSection, onFrame, Runner, whenNear } from '../run-control.js';
import { alignTo } from '../series.js';
import { chartCard, classField, figure, figures, numberField, statusLine } from '../widgets.js';

/** Section id (URL anchor) and table-of-contents title. */
export const ID = 'logistic';
export const TITLE = '2 Logistic';

/** Samples of ŷ for the loss curves. */
const CURVE_POINTS = 399;
/** Largest loss shown (log-loss → ∞ at the wrong end). */
const LOSS_CAP = 4;
/** Steps after which Play stops by itself. */
const MAX_STEPS = 2000;
/** Height of the training chart (px): its loss axis label names both losses. */
const RUN_CHART_HEIGHT = 300;
/** Held-out evaluation every this many steps. */
const EVAL_EVERY = 10;
/** Play's pace at first (SGD steps per second): the 2 000 steps take 20 s. */
const DEFAULT_PACE = 100;

const TEX = {
  model: String.raw`\hat{y} = \sigma(\mathbf{x}^\top\mathbf{w} + b)`,
  log: String.raw`f_{\mathrm{log}} = -y\log\hat{y} - (1-y)\log(1-\hat{y})`,
  mse: String.raw`f_{\mathrm{MSE}} = \tfrac12(\hat{y}-y)^2`,
  gradMse: String.raw`\nabla_{\mathbf{w}} f_{\mathrm{MSE}} = \mathbf{x}\,(\hat{y}-y)\,\hat{y}(1-\hat{y})`,
  gradLog: String.raw`\nabla_{\mathbf{w}} f_{\mathrm{log}} = \mathbf{x}\,(\hat{y}-y)`,
  // The lecture's first line reads −(y log ŷ − (1 − y) log(1 − ŷ)); the sign inside is +.
  derivation: String.raw`\begin{aligned}\nabla_{\mathbf{w}} f_{\mathrm{log}} &= \nabla_{\mathbf{w}}\bigl[-\bigl(y\log\hat{y} + (1-y)\log(1-\hat{y})\bigr)\bigr] \\ &= -\Bigl(y\,\frac{\mathbf{x}\,\hat{y}(1-\hat{y})}{\hat{y}} - (1-y)\,\frac{\mathbf{x}\,\hat{y}(1-\hat{y})}{1-\hat{y}}\Bigr) \\ &= -\mathbf{x}\bigl(y(1-\hat{y}) - (1-y)\,\hat{y}\bigr) = \mathbf{x}\,(\hat{y}-y)\end{aligned}`,
};

/** The section's head (shown at once); `build` makes the rest in a later task. */
export const mount = lessonSection({
  title: '2 · Logistic regression and its loss',
  lede: [
    'For two classes, ŷ = σ(xᵀw + b) is the probability of y = 1. Which loss to train it with? ',
    'The log-loss punishes a confident wrong answer without limit; MSE does not — and its gradient has an extra factor ŷ(1 − ŷ).',
  ],
  formulas: [TEX.model, TEX.log, TEX.mse],
}, build);

/** The two runs of the comparison, in the order of the group: key, loss setting, label, colour. */
const RUNS = [
  { key: 'log', loss: 'log-loss', name: 'log-loss', stroke: PALETTE.log },
  { key: 'mse', loss: 'mse', name: 'MSE', stroke: PALETTE.mse },
];

/** Held-out accuracy in %: whole tens below the data, up to 100. */
function accuracyZoom(_, min, max) {
  if (min === null || max === null || !Number.isFinite(min)) return [0, 100];
  return [Math.max(0, Math.floor((min - 1) / 10) * 10), 100];
}

/**
 * The body of the section (controls, charts, figures) and its wiring.
 * @param {HTMLElement} root
 * @param {import('../session.js').Session} session
 */
function build(root, session) {
  const client = lessonClient(session);
  const s = session.state;
  const emptyRun = () => ({ loss: [], acc: [], last: null, heldout: null, start: null, sum: 0, evals: 0 });
  const empty = () => ({ x: [], accX: [], step: 0, log: emptyRun(), mse: emptyRun() });
  let runs = empty();
  const charts = { loss: null, factor: null, run: null };

  const lossCard = chartCard('logistic-loss-chart', 'Loss of one example against ŷ', 'Solid: y = 1, dashed: y = 0. Log-loss grows without bound as ŷ moves to the wrong end (cut at 4 here); MSE never exceeds ½.');
  const factorCard = chartCard('logistic-factor-chart', 'Gradient factor ∂ℓ/∂z against ŷ', 'The gradient with respect to w is x times this factor. MSE’s factor (ŷ − y)ŷ(1 − ŷ) vanishes at both ends, even when ŷ is completely wrong; log-loss’s ŷ − y is largest exactly there.');
  const runCard = chartCard('logistic-run-chart', 'Training with log-loss and with MSE, side by side', '', 'Press Step or ▶ Play to train both.');
  runCard.box.dataset.runs = String(RUNS.length);

  const positive = classField({ id: 'logistic-positive', label: 'Digit a (y = 1)', value: 3 });
  const negative = classField({ id: 'logistic-negative', label: 'Digit b (y = 0)', value: 5 });
  const lr = numberField({ id: 'logistic-lr', label: 'Learning rate ε', value: 0.1, min: 1e-6, max: 100 });
  const status = statusLine('logistic-status');
  const figs = {
    step: figure('logistic-step-count', 'Step'),
    start: figure('logistic-acc-start', 'Held-out accuracy at step 0 (both)'),
    acc: figure('logistic-accuracy', 'Held-out accuracy, log-loss'),
    accMse: figure('logistic-accuracy-mse', 'Held-out accuracy, MSE'),
    loss: figure('logistic-train-loss', 'Minibatch log-loss'),
    lossMse: figure('logistic-train-loss-mse', 'Minibatch MSE'),
    b: figure('logistic-bias', 'Bias b, log-loss'),
    bMse: figure('logistic-bias-mse', 'Bias b, MSE'),
  };
  const verdict = el('p', { class: 'lesson-verdict', testid: 'logistic-compare', data: { value: '' } });
  const canvases = {
    log: pixelCanvas({ testid: 'logistic-weights', 'aria-label': 'The weights w of the log-loss model as a 28 × 28 image', class: 'img-pair' }),
    mse: pixelCanvas({ testid: 'logistic-weights-mse', 'aria-label': 'The weights w of the MSE model as a 28 × 28 image', class: 'img-pair' }),
  };
  const wBar = colorBar('w_j: red pushes ŷ towards digit a, blue towards digit b (one scale for both: the 99th percentile of |w_j| of the two)');
  const pairNote = el('p', { class: 'lesson-note' });

  const config = (loss) => ({ positive: positive.value(), negative: negative.value(), loss, learning_rate: lr.value(), eval_every: EVAL_EVERY });
  const runner = new Runner({
    client,
    prefix: 'logistic',
    status,
    pace: { initial: DEFAULT_PACE },
    make: () => new ExperimentGroup(RUNS.map((r) => client.experiment('logistic', config(r.loss)))),
    remaining: () => MAX_STEPS - runs.step,
    onRecords: (records) => {
      for (const group of records) {
        const [first] = group;
        runs.x.push(first.step);
        runs.step = first.step;
        if (first.heldout) runs.accX.push(first.step);
        group.forEach((r, k) => {
          const run = runs[RUNS[k].key];
          run.loss.push(r.loss);
          run.last = r;
          if (r.heldout) {
            run.acc.push(r.heldout.accuracy * 100);
            run.heldout = r.heldout;
            run.sum += r.heldout.accuracy;
            run.evals += 1;
          }
        });
      }
      askWeights();
      render();
    },
    onReset: () => {
      runs = empty();
      for (const c of Object.values(canvases)) clearImage(c);
      render();
      measureStart();
    },
  });

  for (const control of [positive.select, negative.select, lr.input]) control.addEventListener('change', () => runner.reset());

  root.append(
    el('div', { class: 'lesson-grid-2' }, lossCard.node, factorCard.node),
    el('div', { class: 'formula-row lesson-formulas-center' }, tex(TEX.gradMse, { display: true }), tex(TEX.gradLog, { display: true })),
    el('div', { class: 'formula-row lesson-formulas-center', testid: 'logistic-derivation' }, tex(TEX.derivation, { display: true })),
    el('p', { class: 'lesson-note' }, 'The log-loss gradient, with ŷ = σ(xᵀw + b) and ∇_w ŷ = x ŷ(1 − ŷ): the same x(ŷ − y) as for linear regression. (Its first line is −(y log ŷ + (1 − y) log(1 − ŷ)), the log-loss above with the minus sign taken outside; the lecture’s slide writes − where the + belongs.)'),
    el('h3', { class: 'lesson-sub' }, 'Train it on real digits, a against b: log-loss and MSE from the same start'),
    el('div', { class: 'lesson-controls' }, positive.node, negative.node, lr.node, runner.node()),
    el(
      'div',
      { class: 'lesson-grid' },
      runCard.node,
      el(
        'div',
        { class: 'card lesson-side' },
        figures(figs.step, figs.start, figs.acc, figs.accMse, figs.loss, figs.lossMse, figs.b, figs.bMse),
        el('h3', {}, 'The weights w'),
        el('div', { class: 'img-row' }, ...RUNS.map((r) => el('figure', { class: 'img-figure' }, canvases[r.key], el('figcaption', {}, r.name)))),
        wBar.node,
        status.node,
      ),
    ),
    verdict,
    pairNote,
  );

  /** Held-out accuracy of the common start (both models have the same w and b): the summaries before any step. */
  async function measureStart() {
    if (!client.ready) return;
    try {
      const group = runner.ensure();
      const sums = await group.summary();
      if (group !== runner.experiment || sums.some((x) => x.step !== 0)) return;
      sums.forEach((x, k) => {
        runs[RUNS[k].key].start = x.heldout;
      });
      render();
      askWeights(true); // the common start: the same 𝒩(0, 0.01²) draw twice
    } catch (e) {
      if (!e.crashed) status.set('error', errorText(e));
    }
  }

  let weightsAsked = 0;
  /** Redraw both w at most four times a second while running (or now), on one colour scale. */
  async function askWeights(force = false) {
    const now = performance.now();
    const group = runner.experiment;
    if ((!force && now - weightsAsked < 250) || !group || !('list' in group)) return;
    weightsAsked = now;
    try {
      const ws = await Promise.all(group.list.map((e) => e.weights()));
      const limit = Math.max(...ws.map((w) => robustLimit(w)));
      ws.forEach((w, k) => drawDiverging(canvases[RUNS[k].key], w, limit));
      wBar.set(limit);
    } catch (e) {
      if (!e.crashed) status.set('error', errorText(e));
    }
  }

  const pct = (v) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : undefined);
  const render = onFrame(() => {
    const { log, mse } = runs;
    // Step 0 (the common start) on the accuracy curves, once known.
    const started = log.start && mse.start;
    const x = started ? [0, ...runs.x] : runs.x;
    const accX = started ? [0, ...runs.accX] : runs.accX;
    const lossOf = (r) => (started ? [null, ...r.loss] : r.loss);
    const accOf = (r) => alignTo(x, accX, started ? [r.start.accuracy * 100, ...r.acc] : r.acc);
    charts.run?.update([x, lossOf(log), lossOf(mse), accOf(log), accOf(mse)]);
    runCard.empty.hidden = runs.x.length > 0;
    figs.step.set(runs.step, String(runs.step));
    figs.start.set(log.start ? log.start.accuracy : NaN, started ? (log.start.accuracy === mse.start.accuracy ? pct(log.start.accuracy) : `${pct(log.start.accuracy)} / ${pct(mse.start.accuracy)}`) : undefined);
    figs.acc.set(log.heldout ? log.heldout.accuracy : NaN, pct(log.heldout?.accuracy));
    figs.accMse.set(mse.heldout ? mse.heldout.accuracy : NaN, pct(mse.heldout?.accuracy));
    figs.loss.set(log.last ? log.last.loss : NaN);
    figs.lossMse.set(mse.last ? mse.last.loss : NaN);
    figs.b.set(log.last ? log.last.b : NaN);
    figs.bMse.set(mse.last ? mse.last.b : NaN);
    const names = s.classNames.length ? s.classNames : null;
    const a = names ? names[positive.value()] : positive.value();
    const b = names ? names[negative.value()] : negative.value();
    setValue(runCard.caption, `Two logistic models from the same w and b, trained on the same minibatches of 100 images of ${a} and ${b}: one with log-loss (blue), one with MSE (orange). Solid: each model’s own loss on the minibatch, before its update (log-loss in nats; MSE ½(ŷ − y)², at most ½). Dashed with dots: accuracy on the held-out test images of the two digits (every ${EVAL_EVERY} steps, and at step 0; ŷ ≥ ½ ⇒ ${a}).`);
    setValue(pairNote, `Training set: every training image of ${a} (y = 1) and ${b} (y = 0). Inputs standardised the way the main model’s are, (pixel − μ)/σ, but with μ and σ the mean and standard deviation of the pixels of these training images of ${a} and ${b}, not of the whole training set. w starts at 𝒩(0, 0.01²), b = 0, the same draw for both models (seed 541), and both see the same minibatches in the same order.`);
    renderVerdict();
  });

  function renderVerdict() {
    const { log, mse } = runs;
    const attrs = verdict.dataset;
    if (log.start && mse.start) Object.assign(attrs, { startLog: String(log.start.accuracy), startMse: String(mse.start.accuracy) });
    if (!log.heldout || !mse.heldout || !log.evals) {
      setValue(verdict, log.start ? `Both models start at ${pct(log.start.accuracy)} held-out accuracy (the same w and b). Press ▶ Play to train them side by side.` : '', '');
      return;
    }
    const meanLog = log.sum / log.evals;
    const meanMse = mse.sum / mse.evals;
    Object.assign(attrs, { endLog: String(log.heldout.accuracy), endMse: String(mse.heldout.accuracy), meanLog: String(meanLog), meanMse: String(meanMse) });
    const ahead = meanLog > meanMse ? 'log-loss' : meanLog < meanMse ? 'mse' : 'tie';
    const done = runs.step >= MAX_STEPS;
    const lead = ahead === 'tie' ? 'the two are level' : `${ahead === 'mse' ? 'MSE' : 'log-loss'} is ahead`;
    setValue(
      verdict,
      `After ${formatInt(runs.step)} steps${done ? ' (the end of the run)' : ''} from the same start${log.start ? ` (${pct(log.start.accuracy)})` : ''}: held-out accuracy ${pct(log.heldout.accuracy)} with log-loss, ${pct(mse.heldout.accuracy)} with MSE. ` +
        `Averaged over the ${log.evals} evaluations so far, ${lead} (${(meanLog * 100).toFixed(2)} % against ${(meanMse * 100).toFixed(2)} %). ` +
        'From this start ŷ ≈ ½ for every image, where MSE’s factor ŷ(1 − ŷ) is at its largest (¼): nothing is attenuated yet, so MSE learns too — log-loss’s edge is small here; §3 starts where MSE’s gradient vanishes.',
      ahead,
    );
  }

  client.onData(() => {
    positive.setNames(s.classNames);
    negative.setNames(s.classNames);
    render();
  });

  whenNear(root, async () => {
    charts.run = createLineChart(runCard.box, {
      x: { label: 'step' },
      y: [{ label: 'loss: log-loss (nats), MSE' }, { scale: 'acc', label: 'held-out accuracy (%)', range: accuracyZoom }],
      height: RUN_CHART_HEIGHT,
      series: [
        ...RUNS.map((r) => ({ label: `${r.name} run: minibatch ${r.name}`, stroke: r.stroke, width: 1.5 })),
        ...RUNS.map((r) => ({ label: `${r.name} run: held-out accuracy (%)`, stroke: r.stroke, scale: 'acc', dash: [6, 4], width: 2, points: true })),
      ],
    });
    render();
    try {
      const c = await client.call('lossCurves', { points: CURVE_POINTS });
      const cap = (ys) => ys.map((v) => (v <= LOSS_CAP ? v : null));
      const series = (what) => [
        { label: `log-loss, y = 1`, stroke: PALETTE.log, width: 2.5 },
        { label: `log-loss, y = 0`, stroke: PALETTE.log, width: 2.5, dash: [7, 5] },
        { label: `MSE, y = 1`, stroke: PALETTE.mse, width: 2.5 },
        { label: `MSE, y = 0`, stroke: PALETTE.mse, width: 2.5, dash: [7, 5] },
      ].map((x) => ({ ...x, label: `${what} ${x.label}` }));
      charts.loss = createLineChart(lossCard.box, {
        x: { label: 'prediction ŷ', range: [0, 1] },
        y: [{ label: 'loss of one example', range: [0, LOSS_CAP] }],
        series: series(''),
      });
      charts.loss.update([c.y_hat, cap(c.log_y1), cap(c.log_y0), c.mse_y1, c.mse_y0]);
      charts.factor = createLineChart(factorCard.box, {
        x: { label: 'prediction ŷ', range: [0, 1] },
        y: [{ label: '∂ℓ/∂z (per unit of x)', range: [-1, 1] }],
        series: series('∂/∂z'),
      });
      charts.factor.update([c.y_hat, c.factor_log_y1, c.factor_log_y0, c.factor_mse_y1, c.factor_mse_y0]);
    } catch (e) {
      if (!e.crashed) status.set('error', errorText(e));
    }
  });
}
