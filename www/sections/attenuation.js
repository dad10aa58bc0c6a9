// @ts-check
// Section 3 "Attenuated gradient": two identical logistic models start from the same bad
// initialisation (ŷ ≈ 1 where y = 0 and vice versa) and are trained in lockstep on the same
// minibatches, one with MSE and one with log-loss (AttenuationLesson in the worker). MSE's
// gradient carries the factor ŷ(1 − ŷ) ≈ 0 and stalls; log-loss's recovers.

import { createLineChart, PALETTE } from '../charts.js';
import { el, setValue } from '../dom.js';
import { errorText, formatNumber } from '../format.js';
import { lessonClient } from '../lesson-client.js';
import { lessonSection, onFrame, Runner, whenNear } from '../run-control.js';
import { chartCard, classField, figure, figures, numberField, statusLine } from '../widgets.js';

/** Section id (URL anchor) and table-of-contents title. */
export const ID = 'attenuation';
export const TITLE = '3 Attenuation';

/** Play stops by itself after this many steps unless the field says otherwise. */
const DEFAULT_STEPS = 500;
/** Held-out evaluation every this many steps (it costs more than a step). */
const EVAL_EVERY = 5;
/** Largest number of steps a run may be given. */
const MAX_STEPS = 5000;
/** Play's pace at first (SGD steps per second): the default 500 steps take 13 s. */
const DEFAULT_PACE = 40;

const TEX = {
  mse: String.raw`\nabla_{\mathbf{w}} f_{\mathrm{MSE}} = \mathbf{x}\,(\hat{y}-y)\,\underbrace{\hat{y}(1-\hat{y})}_{\approx\,0\ \text{if}\ \hat{y}\,\approx\,1-y}`,
  log: String.raw`\nabla_{\mathbf{w}} f_{\mathrm{log}} = \mathbf{x}\,(\hat{y}-y)`,
};

/** The section's head (shown at once); `build` makes the rest in a later task. */
export const mount = lessonSection({
  title: '3 · The attenuated gradient',
  lede: [
    'Start both models from the same badly chosen weights: the average training example sits several logits on the wrong side, so ŷ ≈ 1 where y = 0 and ŷ ≈ 0 where y = 1. ',
    'MSE’s gradient is then multiplied by ŷ(1 − ŷ) ≈ 0 and learning stalls; the log-loss has no such factor.',
  ],
  formulas: [TEX.mse, TEX.log],
}, build);

/**
 * The body of the section (controls, charts, figures) and its wiring.
 * @param {HTMLElement} root
 * @param {import('../session.js').Session} session
 */
function build(root, session) {
  const client = lessonClient(session);
  const s = session.state;
  const empty = () => ({ x: [], lossMse: [], lossLog: [], gradMse: [], gradLog: [], accMse: [], accLog: [], last: null, accAt: null, first: null });
  let run = empty();
  const charts = {};

  const positive = classField({ id: 'atten-positive', label: 'Digit a (y = 1)', value: 1 });
  const negative = classField({ id: 'atten-negative', label: 'Digit b (y = 0)', value: 7 });
  const badness = numberField({ id: 'atten-badness', label: 'How bad the start is', value: 8, min: 0, max: 50, step: '1', note: 'logits on the wrong side' });
  const lr = numberField({ id: 'atten-lr', label: 'Learning rate ε', value: 0.1, min: 1e-6, max: 100 });
  const steps = numberField({ id: 'atten-steps', label: 'Stop after', value: DEFAULT_STEPS, min: 1, max: MAX_STEPS, step: '1', note: 'steps' });
  const status = statusLine('atten-status');
  const figs = {
    step: figure('atten-step-count', 'Step'),
    accMse: figure('atten-acc-mse', 'Accuracy, MSE'),
    accLog: figure('atten-acc-log', 'Accuracy, log-loss'),
    gradMse: figure('atten-grad-mse', '‖∇‖, MSE'),
    gradLog: figure('atten-grad-log', '‖∇‖, log-loss'),
    start: figure('atten-acc-start', 'Accuracy at the start'),
  };
  const verdict = el('p', { class: 'lesson-verdict', testid: 'atten-verdict', data: { value: '' } });
  const cards = {
    loss: chartCard('atten-loss-chart', 'Minibatch loss (log scale)', 'Each model’s own loss on the same minibatch, before its update: MSE ½(ŷ − y)², log-loss in nats.', 'Press ▶ Play.'),
    grad: chartCard('atten-grad-chart', 'Gradient norm ‖∇f‖ (log scale)', 'Norm of the gradient with respect to (w, b) on that minibatch.', 'Press ▶ Play.'),
    acc: chartCard('atten-acc-chart', 'Held-out accuracy', `On the test images of the two digits, every ${EVAL_EVERY} steps (ŷ ≥ ½ ⇒ digit a).`, 'Press ▶ Play.'),
  };

  const runner = new Runner({
    client,
    prefix: 'atten',
    kind: 'attenuation',
    status,
    pace: { initial: DEFAULT_PACE },
    config: () => ({ positive: positive.value(), negative: negative.value(), badness: badness.value(), learning_rate: lr.value(), eval_every: EVAL_EVERY }),
    remaining: () => Math.min(MAX_STEPS, Math.max(0, steps.value() || 0)) - (run.last ? run.last.mse.step : 0),
    onRecords: (records) => {
      for (const r of records) {
        run.x.push(r.mse.step);
        run.lossMse.push(positiveOrNull(r.mse.loss));
        run.lossLog.push(positiveOrNull(r.log_loss.loss));
        run.gradMse.push(positiveOrNull(r.mse.grad_norm));
        run.gradLog.push(positiveOrNull(r.log_loss.grad_norm));
        run.accMse.push(r.mse.heldout ? r.mse.heldout.accuracy * 100 : null);
        run.accLog.push(r.log_loss.heldout ? r.log_loss.heldout.accuracy * 100 : null);
        if (r.mse.heldout) run.accAt = { mse: r.mse.heldout.accuracy, log: r.log_loss.heldout.accuracy, step: r.mse.step };
        run.last = r;
      }
      render();
    },
    onReset: () => {
      run = empty();
      render();
      measureStart();
    },
  });
  for (const f of [positive.select, negative.select, badness.input, lr.input]) f.addEventListener('change', () => runner.reset());
  steps.input.addEventListener('change', () => runner.render());

  root.append(
    el('div', { class: 'lesson-controls' }, positive.node, negative.node, badness.node, lr.node, steps.node, runner.node()),
    el('div', { class: 'lesson-grid-3' }, cards.loss.node, cards.grad.node, cards.acc.node),
    el('div', { class: 'lesson-after' }, figures(figs.step, figs.start, figs.accMse, figs.accLog, figs.gradMse, figs.gradLog), verdict, status.node),
    el(
      'p',
      { class: 'lesson-note' },
      'The bad start: with μ₁, μ₀ the mean training inputs of a and b, the good direction w₀ = μ₁ − μ₀ (and b₀ centring it) is turned around and scaled so that the mean margin (2y − 1)(xᵀw + b) is −(how bad). ',
      'Both models get identical minibatches of 100 training images; batch order seeded (541).',
    ),
  );

  /** Held-out accuracy of the bad start (both models have it): one summary before any step. */
  async function measureStart() {
    if (!client.ready) return;
    try {
      const exp = runner.ensure();
      const sum = await exp.summary();
      if (exp === runner.experiment && sum.step === 0) {
        // Step 0 on the accuracy chart: both models start from the same weights.
        run.first = sum.mse.accuracy;
        for (const [key, v] of [['x', 0], ['lossMse', null], ['lossLog', null], ['gradMse', null], ['gradLog', null], ['accMse', sum.mse.accuracy * 100], ['accLog', sum.log_loss.accuracy * 100]]) run[key].unshift(v);
        render();
      }
    } catch (e) {
      if (!e.crashed) status.set('error', errorText(e));
    }
  }

  const render = onFrame(() => {
    charts.loss?.update([run.x, run.lossMse, run.lossLog]);
    charts.grad?.update([run.x, run.gradMse, run.gradLog]);
    charts.acc?.update([run.x, run.accMse, run.accLog]);
    for (const c of Object.values(cards)) c.empty.hidden = run.x.length > 1;
    const r = run.last;
    const pct = (v) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : undefined);
    figs.step.set(r ? r.mse.step : 0, String(r ? r.mse.step : 0));
    figs.start.set(run.first ?? NaN, pct(run.first));
    figs.accMse.set(run.accAt ? run.accAt.mse : NaN, pct(run.accAt?.mse));
    figs.accLog.set(run.accAt ? run.accAt.log : NaN, pct(run.accAt?.log));
    figs.gradMse.set(r ? r.mse.grad_norm : NaN);
    figs.gradLog.set(r ? r.log_loss.grad_norm : NaN);
    renderVerdict();
  });

  function renderVerdict() {
    const a = run.accAt;
    const r = run.last;
    if (!a || !r) {
      setValue(verdict, '', '');
      return;
    }
    const names = s.classNames;
    const stalled = a.mse < 0.6;
    const recovered = a.log >= 0.95;
    const ratio = r.log_loss.grad_norm / r.mse.grad_norm;
    const parts = [`After ${a.step} steps: log-loss ${recovered ? 'has recovered to' : 'is at'} ${(a.log * 100).toFixed(1)} % held-out accuracy; MSE ${stalled ? 'is stuck at' : 'is at'} ${(a.mse * 100).toFixed(1)} %`];
    if (stalled && a.mse > 0.3) parts.push(` (about the share of one digit: it learned to say the same class for everything)`);
    if (Number.isFinite(ratio) && ratio > 1) parts.push(`, with a gradient ${formatNumber(ratio, 2)} times smaller than log-loss’s.`);
    else parts.push('.');
    if (names.length && a.step <= 3) parts.push(` Digits ${names[positive.value()]} vs ${names[negative.value()]}.`);
    setValue(verdict, parts.join(''), stalled && recovered ? 'diverged' : 'open');
  }

  client.onData(() => {
    positive.setNames(s.classNames);
    negative.setNames(s.classNames);
  });

  whenNear(root, () => {
    const series = (what) => [
      { label: `MSE ${what}`, stroke: PALETTE.mse, width: 2 },
      { label: `log-loss ${what}`, stroke: PALETTE.log, width: 2 },
    ];
    charts.loss = createLineChart(cards.loss.box, { x: { label: 'step' }, y: [{ label: 'MSE, log-loss (nats)', log: true }], series: series('loss') });
    charts.grad = createLineChart(cards.grad.box, { x: { label: 'step' }, y: [{ label: '‖∇f‖ (log scale)', log: true }], series: series('‖∇‖') });
    charts.acc = createLineChart(cards.acc.box, {
      x: { label: 'step' },
      y: [{ label: 'held-out accuracy (%)', range: [0, 100] }],
      series: series('accuracy'),
    });
    render();
  });
}

/** A positive number for a log axis (null otherwise: drawn as a gap). */
function positiveOrNull(v) {
  return Number.isFinite(v) && v > 0 ? v : null;
}
