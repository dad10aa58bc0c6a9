// @ts-check
// Exercise 2 "All training examples positive": ŷ = σ(xᵀw + b) trained with log-loss by
// full-batch gradient descent on images of one digit, all labelled y = 1; the test set holds
// that digit (y = 1) and another (y = 0). Three runs in lockstep from w = 0, b = 0 (three
// AllPositiveLesson in the worker): no L2; the usual α‖w‖² (bias not penalised); α(‖w‖² + b²).
// b, ‖w‖, training and test loss against steps on a log axis, and the lecture's six claims:
// each answered by the analysis, and the run beside it (what it shows and what no finite run
// can show). The smoothness bound 2/L on the step size comes from the core's summary.

import { createLineChart, PALETTE } from '../charts.js';
import { el, setValue } from '../dom.js';
import { errorText, formatNumber } from '../format.js';
import { ExperimentGroup, lessonClient } from '../lesson-client.js';
import { tex } from '../math.js';
import { lessonSection, onFrame, Runner, whenNear } from '../run-control.js';
import { chartCard, classField, figure, figures, numberField, statusLine } from '../widgets.js';

/** Section id (URL anchor) and table-of-contents title. */
export const ID = 'ex-positive';
export const TITLE = 'Ex 2 Positives';

/** Test-set evaluation every this many steps. */
const EVAL_EVERY = 10;
/** Steps before Play stops, unless the field says otherwise. */
const DEFAULT_STEPS = 3000;
/** Play's pace at first (gradient steps per second): the 3 000 steps take 10 s. */
const DEFAULT_PACE = 300;
/** Fewest steps before the claims are judged. */
const MIN_JUDGE_STEPS = 100;

/** The three runs: label, colour, penalty, line style. */
const RUNS = [
  { key: 'free', label: 'no L2', color: PALETTE.log, config: () => ({ alpha: 0, penalize_bias: false }), line: { width: 2.25 } },
  { key: 'wOnly', label: 'α‖w‖² (b not penalised)', color: PALETTE.mse, config: (alpha) => ({ alpha, penalize_bias: false }), line: { width: 2.25, dash: [7, 5] } },
  { key: 'both', label: 'α(‖w‖² + b²)', color: PALETTE.n1, config: (alpha) => ({ alpha, penalize_bias: true }), line: { width: 4 } },
];
/**
 * The order the charts draw the runs in (later on top): the α‖w‖² run last, dashed, because in
 * the ‖w‖ and loss charts it nearly coincides with the α(‖w‖² + b²) run and would be hidden.
 */
const DRAW_ORDER = [0, 2, 1];

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
  loss: String.raw`f_{\mathrm{log}} = \frac{1}{n}\sum_{i=1}^{n}\log\bigl(1 + e^{-z_i}\bigr) > 0,\quad \inf f_{\mathrm{log}} = 0`,
  grad: String.raw`\frac{\partial f_{\mathrm{log}}}{\partial b} = \frac{1}{n}\sum_{i=1}^{n}(\hat{y}_i - 1) < 0`,
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
    'Three runs from w = 0, b = 0, full-batch gradient descent in lockstep: without L2, with the usual α‖w‖² (the bias is not penalised), and with α(‖w‖² + b²). Steps are on a log axis. ',
    'The inputs are standardised, (pixel − μ)/σ, with μ and σ fitted on the pixels of these training images.',
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
  const emptyRun = () => ({ x: [], b: [], w: [], train: [], testX: [], test: [], last: null, lastTest: null, bRises: 0, trainFalls: 0, objective: NaN, objectiveRises: 0, steps: 0 });
  let runs = RUNS.map(emptyRun);
  let bound = null;
  /** The core's summaries of the three runs (their smoothness L and step limit 2/L), once asked. */
  let limits = null;
  /** The α the current runs use. */
  let runAlpha = 0;
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
  const notes = {
    l2: el('p', { class: 'lesson-note', testid: 'positive-note-l2', data: { value: '' } }),
    bound: el('p', { class: 'lesson-note', testid: 'positive-note-bound', data: { value: '' } }),
    loss: el('div', { class: 'formula-row lesson-formulas-center' }, tex(TEX.loss, { display: true })),
    finite: el(
      'p',
      { class: 'lesson-note', testid: 'positive-note-finite' },
      'What one finite run can show: how b, w and the losses moved, step by step. What it cannot show: a limit. A quantity that rose at every step may still converge (an increasing sequence can), and a claim about every training set is not settled by one of them; so each claim above is answered by the analysis, and the run is shown beside it. ',
      'In the ‖w‖ and loss charts the two penalised runs nearly coincide; the orange α‖w‖² line is dashed and drawn on top of the green one so that both stay visible.',
    ),
  };

  /** Steps left before Play stops. */
  const remaining = () => Math.max(0, Math.min(100000, steps.value() || 0)) - runs[0].steps;
  const runner = new Runner({
    client,
    prefix: 'positive',
    kind: 'allPositive',
    status,
    pace: { initial: DEFAULT_PACE },
    stepUnits: 10,
    remaining,
    make: () => {
      const common = { digit: digit.value(), negative: negative.value(), train_size: size.value(), learning_rate: lr.value(), eval_every: EVAL_EVERY };
      return new ExperimentGroup(RUNS.map((r) => client.experiment('allPositive', { ...common, ...r.config(alpha.value()) })));
    },
    onRecords: (records) => {
      for (const group of records) group.forEach((r, k) => ingest(runs[k], r, k === 0 ? 0 : runAlpha, k === 2));
      if (!limits) askLimits();
      render();
    },
    onReset: () => {
      runs = RUNS.map(emptyRun);
      limits = null;
      runAlpha = alpha.value();
      bound = runAlpha > 0 ? Math.sqrt(Math.LN2 / runAlpha) : null;
      render();
      askLimits();
    },
  });

  let asking = null;
  /** The step-size limit 2/L of each run's objective on its training set (from the core). */
  async function askLimits() {
    if (!client.ready || asking) return;
    const group = runner.ensure();
    asking = group;
    try {
      const summaries = await group.summary();
      if (group === runner.experiment) {
        limits = summaries.map((x) => ({ smoothness: x.smoothness, maxStep: x.max_step }));
        render();
      }
    } catch (e) {
      if (!e.crashed) status.set('error', errorText(e));
    } finally {
      asking = null;
    }
  }
  for (const f of [digit.select, negative.select, size.input, lr.input, alpha.input]) f.addEventListener('change', () => runner.reset());
  steps.input.addEventListener('change', () => runner.render());

  /**
   * One step's record: `r.loss` is the data loss at the parameters before the step, so with
   * the previous record's (w, b) it gives the objective there (w = 0, b = 0 before step 1).
   */
  function ingest(run, r, a, bias) {
    const prev = run.last ?? { w_norm: 0, b: 0 };
    const objective = r.loss + a * (prev.w_norm ** 2 + (bias ? prev.b ** 2 : 0));
    // f32 rounding may move a flat objective by a few ulps (≈ 10⁻⁸ here).
    if (objective > run.objective + 1e-7) run.objectiveRises += 1;
    run.objective = objective;
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
    notes.loss,
    notes.l2,
    notes.bound,
    notes.finite,
  );

  /** Change of a series over the last decade of steps (from step/10 to now). */
  function decade(xs, ys, step) {
    return at(xs, ys, step) - at(xs, ys, Math.max(1, Math.floor(step / 10)));
  }

  /**
   * The six claims: `answer` is the analysis (true or false, for every all-positive training
   * set); `agrees` says whether this run behaves as the analysis says (null: the claim is about
   * other training sets, which one run cannot speak to); `verdict` is what the run shows.
   */
  function judge() {
    const [free, , both] = runs;
    const n = free.steps;
    if (n < MIN_JUDGE_STEPS || !free.lastTest) return null;
    const e = {
      bRiseShare: free.bRises / Math.max(1, n - 1),
      bDecade: decade(free.x, free.b, n),
      wDecade: decade(free.x, free.w, n),
      w: free.last.w_norm,
      train: free.last.loss,
      trainFallShare: free.trainFalls / Math.max(1, n - 1),
      testDecade: decade(free.testX, free.test, free.lastTest.step),
      testBothDecade: decade(both.testX, both.test, both.lastTest ? both.lastTest.step : n),
    };
    const f = (v) => formatNumber(v, 3);
    const bRose = e.bRiseShare === 1;
    const wRun = `‖w‖ = ${f(e.w)}, ${e.wDecade > 0 ? `still growing (+${f(e.wDecade)} over the last decade of steps)` : 'no longer growing'}`;
    const limit = limits ? ` (for ε < 2/L = ${f(limits[0].maxStep)} here, every step lowers it)` : '';
    return [
      {
        answer: false,
        agrees: bRose,
        verdict: bRose ? 'refuted' : 'open',
        why: `False for every all-positive set. The log-loss is positive for every finite (w, b) and approaches its infimum 0 only as every score zᵢ → ∞: it has no finite minimiser. Gradient descent then grows the parameters like log t along the max-margin direction of the inputs with a 1 appended (Soudry et al., 2018), whose b-part is positive for any all-positive set, so b → ∞ whatever the examples. This run: ${bRose ? `b rose at every one of the ${n.toLocaleString('en-US')} steps (∂f/∂b < 0 everywhere) — as the analysis says; the rises alone would not prove divergence, since an increasing sequence can converge.` : 'b did not rise at every step — the step size may be too large for the analysis to apply.'}`,
      },
      {
        answer: false,
        agrees: null,
        verdict: 'open',
        why: `False: it depends on the training images. ‖w‖ grows without bound when some w gives xᵢᵀw > 0 for every training image (then the max-margin direction has a non-zero w-part); but, for example, with the two images x and −x, w stays at 0 from w = 0 (their gradients on w cancel). This run: ${wRun}; a finite run cannot tell slow divergence from slow convergence, and says nothing about other training sets.`,
      },
      {
        answer: true,
        agrees: bRose && e.bDecade > 0,
        verdict: bRose && e.bDecade > 0 ? 'supported' : 'open',
        why: `True, for the reason under claim 1: no finite minimiser, and b grows like log t. This run: ${bRose ? `b rose at every step, by ${f(e.bDecade)} over the last decade of steps (log t growth adds the same amount every decade); no finite run can show that it never stops.` : 'b did not rise at every step — the step size may be too large for the analysis to apply.'}`,
      },
      {
        answer: false,
        agrees: e.testDecade > 0,
        verdict: e.testDecade > 0 ? 'refuted' : 'open',
        why: `False in general: the test set has y = 0 images, and as the scores grow with b, such an image is called 1 ever more confidently; its loss −log(1 − ŷ) ≈ z grows without bound (like log t). This run: the test loss ${e.testDecade > 0 ? 'rose' : 'changed'} by ${f(e.testDecade)} over the last decade of steps (the y = 0 images); with α(‖w‖² + b²) it changed by ${f(e.testBothDecade)}.`,
      },
      {
        answer: true,
        agrees: e.trainFallShare === 1,
        verdict: e.trainFallShare === 1 ? 'supported' : 'open',
        why: `True: it is bounded below by 0 and decreases at every step of gradient descent with a small enough step${limit}, so it converges — to its infimum 0, which no finite (w, b) attains. This run: ${e.trainFallShare === 1 ? `it fell at every step, to ${f(e.train)}.` : 'it rose at some steps — the step size is too large for the analysis.'}`,
      },
      {
        answer: true,
        agrees: null,
        verdict: 'open',
        why: `True: see claim 2 — w converges for some training sets (x and −x) and not for others (whenever some w gives xᵢᵀw > 0 for every image). This run: ${wRun}. One run shows one training set; the claim is about all of them.`,
      },
    ];
  }

  const render = onFrame(() => {
    const [free, wOnly, both] = runs;
    const xsOf = (key) => DRAW_ORDER.map((k) => runs[k][key]);
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
    const faster = wOnly.last && free.last && wOnly.last.b > free.last.b;
    setValue(cards.b.caption, `Without L2 and with α‖w‖² b keeps climbing${faster ? ' (faster with α‖w‖²)' : ''}; with α(‖w‖² + b²) it levels off.`);
    setValue(cards.w.caption, 'Norm of the 784 weights; the two penalised runs almost coincide (orange dashed on green).');
    renderNotes(free, wOnly, both);
    renderClaims();
  });

  /** The notes under the charts, with this run's numbers. */
  function renderNotes(free, wOnly, both) {
    const f = (v) => formatNumber(v, 3);
    const n = free.steps;
    let l2 = 'Why the bias must be penalised for L2 to help. With α‖w‖² alone, b is still free: the loss still approaches 0 as b → ∞, and with w held small, b has to do the work of raising the scores. ';
    let grows = '';
    if (n >= MIN_JUDGE_STEPS && wOnly.last && free.last) {
      const [bw, bf] = [wOnly.last.b, free.last.b];
      grows = bw > bf ? 'faster' : 'slower';
      l2 += `Here it grows ${grows} than without L2: at step ${n.toLocaleString('en-US')}, b = ${f(bw)} with α‖w‖² against ${f(bf)} without L2 (and ‖w‖ = ${f(wOnly.last.w_norm)} against ${f(free.last.w_norm)}).`;
    } else {
      l2 += 'Press ▶ Play to compare how fast it grows with and without L2.';
    }
    setValue(notes.l2, l2, grows);

    const parts = ['With α(‖w‖² + b²) every parameter pays and the objective has a minimiser. The objective J starts at log 2 (w = 0, b = 0) and αb² ≤ J, so |b| ≤ √(log 2 / α) for as long as J does not increase. '];
    let state = '';
    if (limits && bound) {
      const L = limits[2].smoothness;
      const max = limits[2].maxStep;
      const eps = lr.value();
      const below = eps < max;
      state = below ? 'below' : 'above';
      parts.push(`That is guaranteed for a step size ε < 2/L, where L = λ_max(X̃ᵀX̃)/(4n) + 2α bounds the curvature of J (X̃: the ${formatNumber(size.value())} standardised training images with a 1 appended; σ′ ≤ ¼): here L = ${f(L)}, so ε < ${f(max)}, and ε = ${formatNumber(eps)} is ${below ? 'below it' : 'not — the bound may fail'}. `);
      if (both.steps >= MIN_JUDGE_STEPS) {
        parts.push(both.objectiveRises === 0 ? `In this run J did not rise at any of its ${both.steps.toLocaleString('en-US')} steps (to f32 rounding), so the bound holds. ` : `In this run J rose at ${both.objectiveRises} of its ${both.steps.toLocaleString('en-US')} steps, so the bound is not guaranteed. `);
        if (both.last && both.last.b > 0) parts.push(`The bound (${f(bound)}) is loose: b = ${f(both.last.b)} is ${formatNumber(bound / both.last.b, 3)}× below it, because the bound uses nothing but αb² ≤ log 2.`);
      }
    } else if (!bound) {
      parts.push('(With α = 0 there is no bound.)');
    }
    setValue(notes.bound, parts.join(''), state);
  }

  function renderClaims() {
    const verdicts = judge();
    claims.forEach((c, i) => {
      const v = verdicts ? verdicts[i] : null;
      c.node.dataset.verdict = v ? v.verdict : '';
      c.node.dataset.answer = v ? String(v.answer) : '';
      c.node.classList.toggle('supported', v?.answer === true);
      c.node.classList.toggle('refuted', v?.answer === false);
      c.node.dataset.run = !v ? '' : v.agrees === null ? 'other-sets' : v.agrees ? 'agrees' : 'not-shown';
      setValue(c.mark, v ? (v.answer ? '✓ true' : '✗ false') : '');
      setValue(c.why, v ? ` — ${v.why}` : '');
    });
    if (!verdicts) {
      setValue(summary, runs[0].steps ? `Judging after ${MIN_JUDGE_STEPS} steps…` : '', '');
      return;
    }
    const claimsWith = (test) => list(verdicts.map((v) => ({ verdict: test(v) ? 'x' : '' })), 'x');
    const ticked = claims.map((c) => c.input.checked);
    const wrong = verdicts.map((v, i) => (v.answer !== ticked[i] ? i + 1 : 0)).filter(Boolean);
    const any = ticked.some(Boolean);
    setValue(
      summary,
      `True: ${claimsWith((v) => v.answer)}; false: ${claimsWith((v) => !v.answer)} (the lecture’s answer too). After ${runs[0].steps.toLocaleString('en-US')} steps this run behaves as the analysis says for ${claimsWith((v) => v.agrees === true)}${verdicts.some((v) => v.agrees === false) ? `, not for ${claimsWith((v) => v.agrees === false)}` : ''}; ${claimsWith((v) => v.agrees === null)} speak of other training sets, which one run cannot settle.` +
        (any ? (wrong.length ? ` Your ticks differ from the answers on claim${wrong.length > 1 ? 's' : ''} ${wrong.join(', ')}.` : ' Your ticks match the answers.') : ''),
      verdicts.map((v) => v.verdict).join(','),
    );
  }

  client.onData(() => {
    digit.setNames(s.classNames);
    negative.setNames(s.classNames);
  });

  whenNear(root, () => {
    const series = DRAW_ORDER.map((k) => ({ label: RUNS[k].label, stroke: RUNS[k].color, ...RUNS[k].line }));
    const x = { label: 'step (log scale)', log: true };
    charts.b = createLineChart(cards.b.box, { x, y: [{ label: 'b', range: (_, lo, hi) => [Math.min(0, lo), hi > 0 ? hi * 1.08 : 1] }], series });
    charts.w = createLineChart(cards.w.box, { x, y: [{ label: '‖w‖' }], series });
    charts.train = createLineChart(cards.train.box, { x, y: [{ label: 'log-loss (nats, log scale)', log: true }], series });
    charts.test = createLineChart(cards.test.box, { x, y: [{ label: 'log-loss (nats)' }], series: series.map((s2) => ({ ...s2, points: false })) });
    render();
  });
}
