// @ts-check
// Exercise 2 "All training examples positive": ŷ = σ(xᵀw + b) trained with log-loss by
// full-batch gradient descent on images of one digit, all labelled y = 1; the test set holds
// that digit (y = 1) and another (y = 0). Three runs in lockstep from w = 0, b = 0 (three
// AllPositiveLesson in the worker): no L2; the usual α‖w‖² (bias not penalised); α(‖w‖² + b²).
// b, ‖w‖, training and test loss against steps on a log axis, and the lecture's six claims
// checked against what the run shows.

import { createLineChart, PALETTE } from '../charts.js';
import { el, setValue } from '../dom.js';
import { formatNumber } from '../format.js';
import { ExperimentGroup, lessonClient } from '../lesson-client.js';
import { lessonSection, onFrame, Runner, whenNear } from '../run-control.js';
import { chartCard, classField, figure, figures, numberField, statusLine } from '../widgets.js';

/** Section id (URL anchor) and table-of-contents title. */
export const ID = 'ex-positive';
export const TITLE = 'Ex 2 Positives';

/** Test-set evaluation every this many steps. */
const EVAL_EVERY = 10;
/** Steps before Play stops, unless the field says otherwise. */
const DEFAULT_STEPS = 3000;
/** Fewest steps before the claims are judged. */
const MIN_JUDGE_STEPS = 100;

/** The three runs: label, colour, penalty. */
const RUNS = [
  { key: 'free', label: 'no L2', color: PALETTE.log, config: () => ({ alpha: 0, penalize_bias: false }) },
  { key: 'wOnly', label: 'α‖w‖² (b not penalised)', color: PALETTE.mse, config: (alpha) => ({ alpha, penalize_bias: false }) },
  { key: 'both', label: 'α(‖w‖² + b²)', color: PALETTE.n1, config: (alpha) => ({ alpha, penalize_bias: true }) },
];

/** The lecture's claims, in its order. */
const CLAIMS = [
  'The value for b might or might not converge, depending on the exact training examples.',
  'The values for w will definitely not converge.',
  'The value for b will definitely not converge.',
  'The testing loss will converge.',
  'The training loss will converge.',
  'The values for w might or might not converge, depending on the exact training examples.',
];

const TEX = {
  model: String.raw`\hat{y} = \sigma(\mathbf{x}^\top\mathbf{w} + b),\quad y_i = 1\ \forall i`,
  grad: String.raw`\frac{\partial f_{\log}}{\partial b} = \frac{1}{n}\sum_{i=1}^{n}(\hat{y}_i - 1) < 0`,
};

/** Keep a step of a long run for plotting on a log axis: all of the first 200, then ~900 per decade. */
function keep(step) {
  return step <= 200 || step % 10 ** (Math.floor(Math.log10(step)) - 2) === 0;
}

/** "claims 3 and 5" for the claims with `verdict`. */
function list(verdicts, verdict) {
  const n = verdicts.map((v, i) => (v.verdict === verdict ? i + 1 : 0)).filter(Boolean);
  if (!n.length) return 'no claim';
  return `claim${n.length > 1 ? 's' : ''} ${n.length > 1 ? `${n.slice(0, -1).join(', ')} and ${n[n.length - 1]}` : n[0]}`;
}

/** The value of a series at the largest step ≤ `step` (series sorted by step). */
function at(xs, ys, step) {
  let v = NaN;
  for (let i = 0; i < xs.length && xs[i] <= step; i++) v = ys[i];
  return v;
}

/** The section's head (shown at once); `build` makes the rest in a later task. */
export const mount = lessonSection({
  title: 'Exercise 2 · When every training example is positive',
  lede: [
    'Train ŷ = σ(xᵀw + b) with the log-loss on a training set whose labels are all 1; the test set has both classes. ',
    'Three runs from w = 0, b = 0, full-batch gradient descent in lockstep: without L2, with the usual α‖w‖² (the bias is not penalised), and with α(‖w‖² + b²). Steps are on a log axis.',
  ],
  formulas: [TEX.model, TEX.grad],
}, build);

/**
 * The body of the section (controls, charts, figures) and its wiring.
 * @param {HTMLElement} root
 * @param {import('../session.js').Session} session
 */
function build(root, session) {
  const client = lessonClient(session);
  const s = session.state;
  const emptyRun = () => ({ x: [], b: [], w: [], train: [], testX: [], test: [], last: null, lastTest: null, bRises: 0, trainFalls: 0, steps: 0 });
  let runs = RUNS.map(emptyRun);
  let bound = null;
  const charts = {};

  const digit = classField({ id: 'positive-digit', label: 'Training digit (all y = 1)', value: 1 });
  const negative = classField({ id: 'positive-negative', label: 'Test also has (y = 0)', value: 7 });
  const size = numberField({ id: 'positive-size', label: 'Training images', value: 200, min: 1, max: 5000, step: '1' });
  const lr = numberField({ id: 'positive-lr', label: 'Learning rate ε', value: 0.01, min: 1e-6, max: 100 });
  const alpha = numberField({ id: 'positive-alpha', label: 'α (runs 2, 3)', value: 0.1, min: 0, max: 100 });
  const steps = numberField({ id: 'positive-steps', label: 'Stop after', value: DEFAULT_STEPS, min: 1, max: 100000, step: '1', note: 'steps' });
  const status = statusLine('positive-status');
  const figs = {
    step: figure('positive-step-count', 'Step'),
    b: figure('positive-b', 'b, no L2'),
    bWOnly: figure('positive-b-wonly', 'b, α‖w‖²'),
    bBoth: figure('positive-b-l2', 'b, α(‖w‖² + b²)'),
    w: figure('positive-w-norm', '‖w‖, no L2'),
    train: figure('positive-train-loss', 'training loss, no L2'),
    test: figure('positive-test-loss', 'test loss, no L2'),
    testBoth: figure('positive-test-loss-l2', 'test loss, α(‖w‖² + b²)'),
  };
  const cards = {
    b: chartCard('positive-b-chart', 'The bias b', '', 'Press ▶ Play.'),
    w: chartCard('positive-w-chart', 'The weight norm ‖w‖', '', 'Press ▶ Play.'),
    train: chartCard('positive-train-chart', 'Training loss (all positive)', '', 'Press ▶ Play.'),
    test: chartCard('positive-test-chart', 'Test loss (both digits)', '', 'Press ▶ Play.'),
  };

  const quiz = el('fieldset', { class: 'quiz', testid: 'positive-quiz' }, el('legend', {}, 'Which claims are true when training to minimise the log-loss? Tick them, then run.'));
  const claims = CLAIMS.map((text, i) => {
    const input = el('input', { type: 'checkbox', id: `positive-tick-${i + 1}` });
    const mark = el('span', { class: 'quiz-mark' });
    const why = el('span', { class: 'quiz-why' });
    const node = el('label', { class: 'quiz-option', for: `positive-tick-${i + 1}`, testid: `positive-claim-${i + 1}`, data: { verdict: '' } }, input, el('span', {}, text, why), mark);
    quiz.append(node);
    input.addEventListener('change', () => render());
    return { node, input, mark, why };
  });
  const summary = el('p', { class: 'lesson-verdict', testid: 'positive-verdict', data: { value: '' } });

  /** Steps left before Play stops. */
  const remaining = () => Math.max(0, Math.min(100000, steps.value() || 0)) - runs[0].steps;
  const runner = new Runner({
    client,
    prefix: 'positive',
    kind: 'allPositive',
    status,
    stepUnits: 10,
    remaining,
    make: () => {
      const common = { digit: digit.value(), negative: negative.value(), train_size: size.value(), learning_rate: lr.value(), eval_every: EVAL_EVERY };
      return new ExperimentGroup(RUNS.map((r) => client.experiment('allPositive', { ...common, ...r.config(alpha.value()) })));
    },
    onRecords: (records) => {
      for (const group of records) group.forEach((r, k) => ingest(runs[k], r));
      render();
    },
    onReset: () => {
      runs = RUNS.map(emptyRun);
      bound = alpha.value() > 0 ? Math.sqrt(Math.LN2 / alpha.value()) : null;
      render();
    },
  });
  for (const f of [digit.select, negative.select, size.input, lr.input, alpha.input]) f.addEventListener('change', () => runner.reset());
  steps.input.addEventListener('change', () => runner.render());

  function ingest(run, r) {
    if (run.last) {
      run.bRises += r.b > run.last.b ? 1 : 0;
      run.trainFalls += r.loss <= run.last.loss ? 1 : 0;
    }
    run.steps = r.step;
    if (keep(r.step)) {
      run.x.push(r.step);
      run.b.push(r.b);
      run.w.push(r.w_norm);
      run.train.push(r.loss > 0 ? r.loss : null);
    }
    run.last = r;
    if (r.heldout) {
      if (keep(r.step)) {
        run.testX.push(r.step);
        run.test.push(r.heldout.loss);
      }
      run.lastTest = { step: r.step, ...r.heldout };
    }
  }

  root.append(
    el('div', { class: 'lesson-grid-2 quiz-grid' }, el('div', { class: 'card' }, quiz, summary), el('div', { class: 'card lesson-side' }, figures(...Object.values(figs)), status.node)),
    el('div', { class: 'lesson-controls' }, digit.node, negative.node, size.node, lr.node, alpha.node, steps.node, runner.node()),
    el('div', { class: 'lesson-grid-2' }, cards.b.node, cards.w.node, cards.train.node, cards.test.node),
    el(
      'p',
      { class: 'lesson-note' },
      'Why the bias must be penalised for L2 to help: with α‖w‖² alone, b is still free — the loss still falls towards 0 as b → ∞ (with w → 0), so b keeps growing, only more slowly. ',
      'With α(‖w‖² + b²) every parameter pays, the objective has a minimiser, and b stays within √(log 2 / α) (the objective starts at log 2 and only decreases).',
    ),
  );

  /** Change of a series over the last decade of steps (from step/10 to now). */
  function decade(xs, ys, step) {
    return at(xs, ys, step) - at(xs, ys, Math.max(1, Math.floor(step / 10)));
  }

  function judge() {
    const [free, , both] = runs;
    const n = free.steps;
    if (n < MIN_JUDGE_STEPS || !free.lastTest) return null;
    const evidence = {
      n,
      bRiseShare: free.bRises / Math.max(1, n - 1),
      bDecade: decade(free.x, free.b, n),
      bBothDecade: decade(both.x, both.b, n),
      wDecade: decade(free.x, free.w, n),
      w: free.last.w_norm,
      train: free.last.loss,
      trainFallShare: free.trainFalls / Math.max(1, n - 1),
      testDecade: decade(free.testX, free.test, free.lastTest.step),
      testBothDecade: decade(both.testX, both.test, both.lastTest ? both.lastTest.step : n),
    };
    const e = evidence;
    const f = (v) => formatNumber(v, 3);
    return [
      { verdict: e.bRiseShare === 1 ? 'refuted' : 'open', why: `b rose at every one of the ${n} steps: ∂f/∂b < 0 for any all-positive set, so b never converges, whatever the examples.` },
      { verdict: 'open', why: `One run cannot show “definitely”: here ‖w‖ = ${f(e.w)}, ${e.wDecade > 0 ? `still growing (+${f(e.wDecade)} over the last decade of steps)` : 'settling'}; whether w converges depends on the training images.` },
      { verdict: e.bRiseShare === 1 && e.bDecade > 0 ? 'supported' : 'open', why: `b rose at every step and by ${f(e.bDecade)} over the last decade of steps, with no sign of stopping (it grows like log t).` },
      { verdict: e.testDecade > 0 ? 'refuted' : 'open', why: `The test loss rose by ${f(e.testDecade)} over the last decade of steps: the y = 0 images are called 1 ever more confidently. (With α(‖w‖² + b²) it changed by ${f(e.testBothDecade)}.)` },
      { verdict: e.trainFallShare === 1 ? 'supported' : 'open', why: `It fell at every step, to ${f(e.train)}: it converges — to its infimum 0, which no finite (w, b) attains.` },
      { verdict: 'open', why: `Consistent with the run (‖w‖ ${e.wDecade > 0 ? 'still moving' : 'settling'} here); try another digit or training-set size. The lecture’s answer: true.` },
    ];
  }

  const render = onFrame(() => {
    const [free, wOnly, both] = runs;
    const xsOf = (key) => runs.map((r) => r[key]);
    charts.b?.update([free.x, ...xsOf('b')]);
    charts.w?.update([free.x, ...xsOf('w')]);
    charts.train?.update([free.x, ...xsOf('train')]);
    charts.test?.update([free.testX, ...xsOf('test')]);
    for (const c of Object.values(cards)) c.empty.hidden = free.x.length > 0;
    figs.step.set(free.steps, free.steps.toLocaleString('en-US'));
    figs.b.set(free.last ? free.last.b : NaN);
    figs.bWOnly.set(wOnly.last ? wOnly.last.b : NaN);
    figs.bBoth.set(both.last ? both.last.b : NaN);
    setValue(figs.bBoth.note, bound ? `bound √(log 2/α) = ${formatNumber(bound, 3)}` : '');
    figs.w.set(free.last ? free.last.w_norm : NaN);
    figs.train.set(free.last ? free.last.loss : NaN);
    figs.test.set(free.lastTest ? free.lastTest.loss : NaN);
    figs.testBoth.set(both.lastTest ? both.lastTest.loss : NaN);
    const names = s.classNames;
    const a = names[digit.value()] ?? digit.value();
    const z = names[negative.value()] ?? negative.value();
    setValue(cards.test.caption, `Mean log-loss on the test images of ${a} (y = 1) and ${z} (y = 0), every ${EVAL_EVERY} steps.`);
    setValue(cards.train.caption, `Mean log-loss on the ${formatNumber(size.value())} training images of ${a}, all y = 1 (log scale).`);
    setValue(cards.b.caption, 'Without L2 and with α‖w‖² b keeps climbing; with α(‖w‖² + b²) it levels off.');
    setValue(cards.w.caption, 'Norm of the 784 weights.');
    renderClaims();
  });

  function renderClaims() {
    const verdicts = judge();
    const labels = { supported: '✓ supported', refuted: '✗ contradicted', open: '? not settled by one run' };
    claims.forEach((c, i) => {
      const v = verdicts ? verdicts[i] : null;
      c.node.dataset.verdict = v ? v.verdict : '';
      c.node.classList.toggle('supported', v?.verdict === 'supported');
      c.node.classList.toggle('refuted', v?.verdict === 'refuted');
      setValue(c.mark, v ? labels[v.verdict] : '');
      setValue(c.why, v ? ` — ${v.why}` : '');
    });
    if (!verdicts) {
      setValue(summary, runs[0].steps ? `Judging after ${MIN_JUDGE_STEPS} steps…` : '', '');
      return;
    }
    const ticked = claims.map((c) => c.input.checked);
    const wrong = verdicts.map((v, i) => (v.verdict === 'supported' && !ticked[i]) || (v.verdict === 'refuted' && ticked[i]) ? i + 1 : 0).filter(Boolean);
    const any = ticked.some(Boolean);
    setValue(
      summary,
      `After ${runs[0].steps.toLocaleString('en-US')} steps the run supports ${list(verdicts, 'supported')} and contradicts ${list(verdicts, 'refuted')}; ${list(verdicts, 'open')} speak of every possible training set, which one run cannot settle (the lecture: 6 is true, 2 is not).` +
        (any ? (wrong.length ? ` Your ticks disagree with the run on claim${wrong.length > 1 ? 's' : ''} ${wrong.join(', ')}.` : ' Your ticks agree with the run.') : ''),
      verdicts.map((v) => v.verdict).join(','),
    );
  }

  client.onData(() => {
    digit.setNames(s.classNames);
    negative.setNames(s.classNames);
  });

  whenNear(root, () => {
    const series = RUNS.map((r) => ({ label: r.label, stroke: r.color, width: 2.25 }));
    const x = { label: 'step (log scale)', log: true };
    charts.b = createLineChart(cards.b.box, { x, y: [{ label: 'b', range: (_, lo, hi) => [Math.min(0, lo), hi > 0 ? hi * 1.08 : 1] }], series });
    charts.w = createLineChart(cards.w.box, { x, y: [{ label: '‖w‖' }], series });
    charts.train = createLineChart(cards.train.box, { x, y: [{ label: 'log-loss (nats, log scale)', log: true }], series });
    charts.test = createLineChart(cards.test.box, { x, y: [{ label: 'log-loss (nats)' }], series: series.map((s2) => ({ ...s2, points: false })) });
    render();
  });
}
