// @ts-check
// Section 2 "Logistic regression and its loss": the log-loss and MSE as functions of ŷ for
// y = 1 and y = 0 and their gradient factors ∂ℓ/∂z, then a logistic model ŷ = σ(xᵀw + b)
// trained on one MNIST digit against another (chosen by the student) with either loss. All
// curves and the training run are computed by the Rust core in the worker.

import { createLineChart, PALETTE } from '../charts.js';
import { SIDE } from '../constants.js';
import { el, setValue } from '../dom.js';
import { errorText } from '../format.js';
import { colorBar, drawDiverging, imageCanvas, robustLimit } from '../images.js';
import { lessonClient } from '../lesson-client.js';
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

const TEX = {
  model: String.raw`\hat{y} = \sigma(\mathbf{x}^\top\mathbf{w} + b)`,
  log: String.raw`f_{\log} = -y\log\hat{y} - (1-y)\log(1-\hat{y})`,
  mse: String.raw`f_{\mathrm{MSE}} = \tfrac12(\hat{y}-y)^2`,
  gradMse: String.raw`\nabla_{\mathbf{w}} f_{\mathrm{MSE}} = \mathbf{x}\,(\hat{y}-y)\,\hat{y}(1-\hat{y})`,
  gradLog: String.raw`\nabla_{\mathbf{w}} f_{\log} = \mathbf{x}\,(\hat{y}-y)`,
  // The lecture's first line reads −(y log ŷ − (1 − y) log(1 − ŷ)); the sign inside is +.
  derivation: String.raw`\begin{aligned}\nabla_{\mathbf{w}} f_{\log} &= \nabla_{\mathbf{w}}\bigl[-\bigl(y\log\hat{y} + (1-y)\log(1-\hat{y})\bigr)\bigr] \\ &= -\Bigl(y\,\frac{\mathbf{x}\,\hat{y}(1-\hat{y})}{\hat{y}} - (1-y)\,\frac{\mathbf{x}\,\hat{y}(1-\hat{y})}{1-\hat{y}}\Bigr) \\ &= -\mathbf{x}\bigl(y(1-\hat{y}) - (1-y)\,\hat{y}\bigr) = \mathbf{x}\,(\hat{y}-y)\end{aligned}`,
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

/**
 * The body of the section (controls, charts, figures) and its wiring.
 * @param {HTMLElement} root
 * @param {import('../session.js').Session} session
 */
function build(root, session) {
  const client = lessonClient(session);
  const s = session.state;
  const runs = { x: [], loss: [], accX: [], acc: [], step: 0, last: null, heldout: null };
  const charts = { loss: null, factor: null, run: null };

  const lossCard = chartCard('logistic-loss-chart', 'Loss of one example against ŷ', 'Solid: y = 1, dashed: y = 0. Log-loss grows without bound as ŷ moves to the wrong end (cut at 4 here); MSE never exceeds ½.');
  const factorCard = chartCard('logistic-factor-chart', 'Gradient factor ∂ℓ/∂z against ŷ', 'The gradient with respect to w is x times this factor. MSE’s factor (ŷ − y)ŷ(1 − ŷ) vanishes at both ends, even when ŷ is completely wrong; log-loss’s ŷ − y is largest exactly there.');
  const runCard = chartCard('logistic-run-chart', 'Training: minibatch loss and held-out accuracy', '', 'Press Step or ▶ Play to train.');

  const positive = classField({ id: 'logistic-positive', label: 'Digit a (y = 1)', value: 3 });
  const negative = classField({ id: 'logistic-negative', label: 'Digit b (y = 0)', value: 5 });
  const loss = el('select', { id: 'logistic-loss', testid: 'logistic-loss' }, el('option', { value: 'log-loss' }, 'log-loss'), el('option', { value: 'mse' }, 'MSE'));
  const lossField = el('label', { class: 'lfield', for: 'logistic-loss' }, el('span', { class: 'lfield-label' }, 'Loss'), loss);
  const lr = numberField({ id: 'logistic-lr', label: 'Learning rate ε', value: 0.1, min: 1e-6, max: 100 });
  const status = statusLine('logistic-status');
  const figs = {
    step: figure('logistic-step-count', 'Step'),
    loss: figure('logistic-train-loss', 'Minibatch loss'),
    acc: figure('logistic-accuracy', 'Held-out accuracy'),
    b: figure('logistic-bias', 'Bias b'),
  };
  const wCanvas = imageCanvas({ testid: 'logistic-weights', 'aria-label': 'The weights w as a 28 × 28 image', class: 'img-large' });
  const wBar = colorBar('w_j: red pushes ŷ towards digit a, blue towards digit b (scale: 99th percentile of |w_j|)');
  const pairNote = el('p', { class: 'lesson-note' });

  const runner = new Runner({
    client,
    prefix: 'logistic',
    kind: 'logistic',
    status,
    config: () => ({ positive: positive.value(), negative: negative.value(), loss: loss.value, learning_rate: lr.value(), eval_every: 10 }),
    remaining: () => MAX_STEPS - runs.step,
    onRecords: (records) => {
      for (const r of records) {
        runs.x.push(r.step);
        runs.loss.push(r.loss);
        if (r.heldout) {
          runs.accX.push(r.step);
          runs.acc.push(r.heldout.accuracy * 100);
          runs.heldout = r.heldout;
        }
        runs.step = r.step;
        runs.last = r;
      }
      askWeights();
      render();
    },
    onReset: () => {
      Object.assign(runs, { x: [], loss: [], accX: [], acc: [], step: 0, last: null, heldout: null });
      wCanvas.getContext('2d').clearRect(0, 0, SIDE, SIDE);
      render();
    },
  });

  for (const control of [positive.select, negative.select, loss, lr.input]) control.addEventListener('change', () => runner.reset());

  root.append(
    el('div', { class: 'lesson-grid-2' }, lossCard.node, factorCard.node),
    el('div', { class: 'formula-row lesson-formulas-center' }, tex(TEX.gradMse, { display: true }), tex(TEX.gradLog, { display: true })),
    el('div', { class: 'formula-row lesson-formulas-center', testid: 'logistic-derivation' }, tex(TEX.derivation, { display: true })),
    el('p', { class: 'lesson-note' }, 'The log-loss gradient, with ŷ = σ(xᵀw + b) and ∇_w ŷ = x ŷ(1 − ŷ): the same x(ŷ − y) as for linear regression. (Its first line is −(y log ŷ + (1 − y) log(1 − ŷ)), the log-loss above with the minus sign taken outside; the lecture’s slide writes − where the + belongs.)'),
    el('h3', { class: 'lesson-sub' }, 'Train it on real digits: a against b'),
    el('div', { class: 'lesson-controls' }, positive.node, negative.node, lossField, lr.node, runner.node()),
    el(
      'div',
      { class: 'lesson-grid' },
      runCard.node,
      el(
        'div',
        { class: 'card lesson-side' },
        figures(figs.step, figs.loss, figs.acc, figs.b),
        el('h3', {}, 'The weights w'),
        el('div', { class: 'img-row' }, wCanvas),
        wBar.node,
        pairNote,
        status.node,
      ),
    ),
  );

  let weightsAsked = 0;
  /** Redraw w at most four times a second while running. */
  async function askWeights() {
    const now = performance.now();
    if (now - weightsAsked < 250 || !runner.experiment) return;
    weightsAsked = now;
    try {
      const w = await runner.experiment.weights();
      const limit = robustLimit(w);
      drawDiverging(wCanvas, w, limit);
      wBar.set(limit);
    } catch (e) {
      if (!e.crashed) status.set('error', errorText(e));
    }
  }

  const render = onFrame(() => {
    charts.run?.update([runs.x, runs.loss, alignTo(runs.x, runs.accX, runs.acc)]);
    runCard.empty.hidden = runs.x.length > 0;
    figs.step.set(runs.step, String(runs.step));
    figs.loss.set(runs.last ? runs.last.loss : NaN);
    figs.acc.set(runs.heldout ? runs.heldout.accuracy : NaN, runs.heldout ? `${(runs.heldout.accuracy * 100).toFixed(1)} %` : undefined);
    figs.b.set(runs.last ? runs.last.b : NaN);
    const names = s.classNames.length ? s.classNames : null;
    const a = names ? names[positive.value()] : positive.value();
    const b = names ? names[negative.value()] : negative.value();
    setValue(runCard.caption, `${loss.value === 'mse' ? 'MSE' : 'Log-loss'} of each minibatch of 100 images of ${a} and ${b} (before its update), and accuracy on the held-out test images of the two digits (every 10 steps; ŷ ≥ ½ ⇒ ${a}).`);
    setValue(pairNote, `Training set: every training image of ${a} (y = 1) and ${b} (y = 0). Inputs standardised the way the main model’s are, (pixel − μ)/σ, but with μ and σ the mean and standard deviation of the pixels of these training images of ${a} and ${b}, not of the whole training set. w starts at 𝒩(0, 0.01²), b = 0.`);
  });

  client.onData(() => {
    positive.setNames(s.classNames);
    negative.setNames(s.classNames);
    render();
  });

  whenNear(root, async () => {
    charts.run = createLineChart(runCard.box, {
      x: { label: 'step' },
      y: [{ label: 'loss (nats for log-loss)' }, { scale: 'acc', label: 'held-out accuracy (%)', range: [0, 100], color: PALETTE.n1 }],
      series: [
        { label: 'minibatch loss', stroke: PALETTE.log, width: 1.5 },
        { label: 'held-out accuracy (%)', stroke: PALETTE.n1, scale: 'acc', points: true },
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
        y: [{ label: 'loss (nats for log-loss)', range: [0, LOSS_CAP] }],
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
