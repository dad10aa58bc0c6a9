// @ts-check
// Exercise 1 "L2 regularisation": networks N1 (with α·Σw²) and N2 (without), identical design,
// same initialisation, same minibatches of a small training subset, trained in lockstep by the
// core (L2Lesson, one unit = one epoch). Their training and test losses on one chart, the
// lecture's multiple choice answered from the run, and a sweep over α.

import { createLineChart, PALETTE } from '../charts.js';
import { el, setValue } from '../dom.js';
import { errorText, formatNumber } from '../format.js';
import { lessonClient } from '../lesson-client.js';
import { Driver, lessonSection, onFrame, Runner, whenNear } from '../run-control.js';
import { alignTo } from '../series.js';
import { chartCard, figure, figures, numberField, numTable, statusLine } from '../widgets.js';

/** Section id (URL anchor) and table-of-contents title. */
export const ID = 'ex-l2';
export const TITLE = 'Ex 1 L2';

/** Test-set evaluation every this many epochs (the last epoch is always evaluated). */
const EVAL_EVERY = 5;
/** Training losses closer than this (relative) count as "the same". */
const SAME = 0.05;
/** The core's batch size of both networks (L2Config). */
const BATCH = 50;
/** Play's pace at first (SGD steps per second): 200 epochs of 500 images (2 000 steps) take 20 s. */
const DEFAULT_PACE = 100;
/** α values of the sweep. */
const SWEEP = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3];

/** The lecture's four options, and the comparison each one claims. */
const OPTIONS = [
  { text: 'N1’s training loss is higher than N2’s, but N1’s testing loss is lower than N2’s.', train: 'n1', test: 'n1' },
  { text: 'N1’s and N2’s training loss values are the same, but N2’s testing loss is higher than N1’s.', train: 'same', test: 'n1' },
  { text: 'N1’s and N2’s training loss values are the same, but N1’s testing loss is higher than N2’s.', train: 'same', test: 'n2' },
  { text: 'N2’s training loss is higher than N1’s, but N2’s testing loss is lower than N1’s.', train: 'n2', test: 'n2' },
];

const TEX = {
  n1: String.raw`N_1:\ f = f_{\mathrm{CE}} + \alpha \sum_{j=1}^{m} w_j^2`,
  n2: String.raw`N_2:\ f = f_{\mathrm{CE}}`,
};

/**
 * Which option a finished comparison supports (1-based), or 0 if none.
 * @param {{n1: {train: number, test: number}, n2: {train: number, test: number}}} r
 */
export function supportedOption(r) {
  const rel = (r.n1.train - r.n2.train) / Math.max(r.n1.train, r.n2.train);
  const train = Math.abs(rel) < SAME ? 'same' : rel > 0 ? 'n1' : 'n2';
  // "train: n1" = N1's training loss is the higher; "test: n1" = N1's test loss is the lower.
  const test = r.n1.test < r.n2.test ? 'n1' : 'n2';
  return OPTIONS.findIndex((o) => o.train === train && o.test === test) + 1;
}

/** The section's head (shown at once); `build` makes the rest in a later task. */
export const mount = lessonSection({
  title: 'Exercise 1 · L2 regularisation',
  lede: [
    'Networks N1 and N2 are identical in design, start from the same parameter values and are trained on the same data, but N1’s loss has the extra term α Σ w_j². ',
    'What do we expect at the end of training for the training and test loss that we seek to minimise (the cross-entropy)? Here: softmax regression on a small subset of MNIST, small enough to overfit.',
  ],
  formulas: [TEX.n1, TEX.n2],
}, build);

/**
 * The body of the section (controls, charts, figures) and its wiring.
 * @param {HTMLElement} root
 * @param {import('../session.js').Session} session
 */
function build(root, session) {
  const client = lessonClient(session);
  const empty = () => ({ x: [], n1Train: [], n2Train: [], testX: [], n1Test: [], n2Test: [], last: null, lastTest: null });
  let run = empty();
  const charts = {};

  const size = numberField({ id: 'l2-size', label: 'Training subset', value: 500, min: 1, max: 10000, step: '1', note: 'images' });
  const alpha = numberField({ id: 'l2-alpha', label: 'N1’s α', value: 0.01, min: 0, max: 100 });
  const epochs = numberField({ id: 'l2-epochs', label: 'Epochs', value: 200, min: 1, max: 2000, step: '1' });
  const status = statusLine('l2-status');
  const figs = {
    epoch: figure('l2-epoch', 'Epoch'),
    n1Train: figure('l2-n1-train', 'N1 training loss'),
    n2Train: figure('l2-n2-train', 'N2 training loss'),
    n1Test: figure('l2-n1-test', 'N1 test loss'),
    n2Test: figure('l2-n2-test', 'N2 test loss'),
    norms: figure('l2-norms', '‖W‖ of N1 / N2'),
  };
  const card = chartCard('l2-chart', 'Training and test loss of N1 and N2 (log scale)', '', 'Press ▶ Play.');
  const choice = el('fieldset', { class: 'quiz', testid: 'l2-quiz' }, el('legend', {}, 'What would we expect at the end of training? Tick one, then run.'));
  const optionNodes = OPTIONS.map((o, i) => {
    const input = el('input', { type: 'radio', name: 'l2-choice', value: String(i + 1), id: `l2-choice-${i + 1}` });
    const mark = el('span', { class: 'quiz-mark' });
    const node = el('label', { class: 'quiz-option', for: `l2-choice-${i + 1}`, testid: `l2-option-${i + 1}`, data: { supported: '' } }, input, el('span', {}, o.text), mark);
    choice.append(node);
    input.addEventListener('change', () => render());
    return { node, input, mark };
  });
  const answer = el('p', { class: 'lesson-verdict', testid: 'l2-supported', data: { value: '' } });

  /** Epochs left before Play stops. */
  const remaining = () => Math.max(0, epochs.value() || 0) - (run.last ? run.last.epoch : 0);
  const runner = new Runner({
    client,
    prefix: 'l2',
    kind: 'l2',
    status,
    unit: 'epoch',
    pace: { initial: DEFAULT_PACE, stepsPerUnit: () => Math.ceil(Math.max(1, size.value() || 1) / BATCH) },
    config: () => ({ train_size: size.value(), alpha: alpha.value(), eval_every: EVAL_EVERY }),
    remaining,
    onRecords: (records) => {
      for (const r of records) {
        run.x.push(r.epoch);
        run.n1Train.push(r.n1.train.loss);
        run.n2Train.push(r.n2.train.loss);
        run.last = r;
        if (r.n1.test) {
          run.testX.push(r.epoch);
          run.n1Test.push(r.n1.test.loss);
          run.n2Test.push(r.n2.test.loss);
          run.lastTest = r;
        }
      }
      render();
    },
    onReset: () => {
      run = empty();
      render();
    },
  });
  for (const f of [size.input, alpha.input]) f.addEventListener('change', () => runner.reset());
  epochs.input.addEventListener('change', () => runner.render());

  // --- α sweep -----------------------------------------------------------------------------
  const sweep = { results: [], experiment: null, done: 0 };
  const sweepButton = el('button', { type: 'button', class: 'btn btn-wide', testid: 'l2-sweep' }, `Sweep α over ${SWEEP.join(', ')}`);
  const sweepStop = el('button', { type: 'button', class: 'btn', testid: 'l2-sweep-stop' }, 'Stop');
  const sweepStatus = statusLine('l2-sweep-status');
  const sweepCard = chartCard('l2-sweep-chart', 'Final losses against α (log scales)', 'Each point: a fresh pair N1, N2 trained for the chosen number of epochs on the same subset; N2 ignores α, so its losses are flat.', 'Press “Sweep α”.');
  const sweepBest = el('p', { class: 'lesson-verdict', testid: 'l2-sweep-best', data: { value: '' } });
  const { node: sweepTable, body: sweepBody } = numTable('l2-sweep-table', ['α', 'N1 train', 'N1 test', 'N2 test', 'option']);
  const sweepDriver = new Driver({
    chunk: () => sweepChunk(),
    onState: () => renderSweepButtons(),
    onError: (e) => sweepStatus.set('error', errorText(e)),
  });
  sweepButton.addEventListener('click', () => {
    sweep.results = [];
    sweep.experiment?.free();
    sweep.experiment = null;
    sweep.done = 0;
    renderSweep();
    sweepDriver.play();
  });
  sweepStop.addEventListener('click', () => sweepDriver.pause());

  async function sweepChunk() {
    const i = sweep.results.length;
    if (i >= SWEEP.length) return false;
    const total = Math.max(1, epochs.value() || 1);
    sweep.experiment ??= client.experiment('l2', { train_size: size.value(), alpha: SWEEP[i], eval_every: total });
    const r = await sweep.experiment.run({ maxUnits: total - sweep.done });
    sweep.done += r.units;
    sweepStatus.set('running', `α = ${SWEEP[i]}: epoch ${sweep.done} of ${total}…`);
    const last = r.records[r.records.length - 1];
    if (sweep.done >= total && last) {
      sweep.results.push({ alpha: SWEEP[i], n1: { train: last.n1.train.loss, test: last.n1.test.loss }, n2: { train: last.n2.train.loss, test: last.n2.test.loss } });
      sweep.experiment.free();
      sweep.experiment = null;
      sweep.done = 0;
      renderSweep();
    }
    if (sweep.results.length === SWEEP.length) sweepStatus.set('idle', `Done: ${SWEEP.length} pairs of ${total} epochs each.`);
    return sweep.results.length < SWEEP.length;
  }

  function renderSweepButtons() {
    const ready = client.ready;
    sweepButton.disabled = !ready || Boolean(sweepDriver.busy);
    sweepStop.disabled = !sweepDriver.playing;
  }

  function renderSweep() {
    const res = sweep.results;
    charts.sweep?.update([res.map((r) => r.alpha), res.map((r) => r.n1.train), res.map((r) => r.n1.test), res.map((r) => r.n2.train), res.map((r) => r.n2.test)]);
    sweepCard.empty.hidden = res.length > 0;
    if (!res.length) {
      setValue(sweepBest, '', '');
      sweepBody.replaceChildren();
      return;
    }
    const best = res.reduce((a, b) => (b.n1.test < a.n1.test ? b : a));
    // Too strong: N1 fits its training images worse and its test loss is above N2's too.
    const worse = res.filter((r) => r.n1.test > r.n2.test && r.n1.train > r.n2.train);
    const none = worse.every((r) => supportedOption(r) === 0);
    setValue(
      sweepBest,
      `Lowest N1 test loss at α = ${best.alpha} (${formatNumber(best.n1.test, 4)}; N2: ${formatNumber(best.n2.test, 4)}).` +
        (worse.length ? ` With α = ${worse.map((r) => r.alpha).join(', ')} the penalty is too strong: N1 underfits, and its training and test losses are both above N2’s${none ? ' — then none of the four options holds' : ' (the last column says which option each α supports)'}.` : ''),
      best.alpha,
    );
    sweepBody.replaceChildren(
      ...res.map((r) => {
        const k = supportedOption(r);
        return el(
          'tr',
          { class: r === best ? 'is-true' : '' },
          el('th', { scope: 'row' }, String(r.alpha)),
          ...[r.n1.train, r.n1.test, r.n2.test].map((v) => el('td', {}, formatNumber(v, 4))),
          el('td', {}, k ? String(k) : 'none'),
        );
      }),
    );
  }

  root.append(
    el('div', { class: 'lesson-grid-2 quiz-grid' }, el('div', { class: 'card' }, choice, answer), el('div', { class: 'card lesson-side' }, figures(...Object.values(figs)), status.node)),
    el('div', { class: 'lesson-controls' }, size.node, alpha.node, epochs.node, runner.node()),
    card.node,
    el('h3', { class: 'lesson-sub' }, 'How the answer changes with α'),
    el('div', { class: 'lesson-controls' }, el('div', { class: 'toolbar-buttons' }, sweepButton, sweepStop), sweepStatus.node),
    el('div', { class: 'lesson-grid' }, sweepCard.node, el('div', { class: 'card lesson-side' }, el('div', { class: 'sweep-table' }, sweepTable), sweepBest, el('p', { class: 'lesson-note' }, 'Training loss means the cross-entropy on the subset, without the penalty; test loss is on all 10,000 test images. Both networks: ε = 0.05, batch 50, seed 541.'))),
  );

  const render = onFrame(() => {
    charts.main?.update([run.x, run.n1Train, run.n2Train, alignTo(run.x, run.testX, run.n1Test), alignTo(run.x, run.testX, run.n2Test)]);
    card.empty.hidden = run.x.length > 0;
    const r = run.last;
    const t = run.lastTest;
    figs.epoch.set(r ? r.epoch : 0, String(r ? r.epoch : 0));
    figs.n1Train.set(r ? r.n1.train.loss : NaN);
    figs.n2Train.set(r ? r.n2.train.loss : NaN);
    figs.n1Test.set(t ? t.n1.test.loss : NaN);
    figs.n2Test.set(t ? t.n2.test.loss : NaN);
    figs.norms.set(r ? r.n1.weight_norm : NaN, r ? `${formatNumber(r.n1.weight_norm, 3)} / ${formatNumber(r.n2.weight_norm, 3)}` : undefined);
    setValue(card.caption, `Cross-entropy of each network on its ${formatNumber(size.value())} training images after every epoch (solid), and on the 10,000 test images every ${EVAL_EVERY} epochs (dashed, dots). N1 with α = ${formatNumber(alpha.value())}, N2 with α = 0.`);
    renderAnswer();
  });

  function renderAnswer() {
    const t = run.lastTest;
    const picked = optionNodes.findIndex((o) => o.input.checked) + 1;
    if (!t) {
      optionNodes.forEach((o) => {
        o.node.dataset.supported = '';
        o.node.classList.remove('supported', 'refuted');
        setValue(o.mark, '');
      });
      setValue(answer, picked ? 'Now press ▶ Play: the run will tick the option it supports.' : '', '');
      return;
    }
    const cmp = { n1: { train: t.n1.train.loss, test: t.n1.test.loss }, n2: { train: t.n2.train.loss, test: t.n2.test.loss } };
    const k = supportedOption(cmp);
    optionNodes.forEach((o, i) => {
      const yes = i + 1 === k;
      o.node.dataset.supported = String(yes);
      o.node.classList.toggle('supported', yes);
      o.node.classList.toggle('refuted', !yes);
      setValue(o.mark, yes ? '✓ this run' : '');
    });
    const done = remaining() <= 0;
    const facts = `At epoch ${t.epoch}${done ? ' (the end)' : ''}: training loss N1 ${formatNumber(cmp.n1.train, 3)} vs N2 ${formatNumber(cmp.n2.train, 3)}; test loss N1 ${formatNumber(cmp.n1.test, 3)} vs N2 ${formatNumber(cmp.n2.test, 3)}.`;
    const verdict = k
      ? ` The run supports option ${k}${picked ? (picked === k ? ' — your answer.' : ` — you ticked ${picked}.`) : '.'}`
      : ' None of the four options matches this run (try another α or more epochs).';
    setValue(answer, facts + verdict, k);
  }

  whenNear(root, () => {
    const dashed = [6, 4];
    charts.main = createLineChart(card.box, {
      x: { label: 'epoch' },
      y: [{ label: 'cross-entropy (nats)', log: true }],
      series: [
        { label: 'N1 training', stroke: PALETTE.n1, width: 2.5 },
        { label: 'N2 training', stroke: PALETTE.n2, width: 2.5 },
        { label: 'N1 test', stroke: PALETTE.n1, dash: dashed, points: true },
        { label: 'N2 test', stroke: PALETTE.n2, dash: dashed, points: true },
      ],
    });
    charts.sweep = createLineChart(sweepCard.box, {
      x: { label: 'α of N1 (log scale)', log: true },
      y: [{ label: 'cross-entropy (nats)', log: true }],
      series: [
        { label: 'N1 training', stroke: PALETTE.n1, width: 2.5, points: true },
        { label: 'N1 test', stroke: PALETTE.n1, dash: dashed, points: true },
        { label: 'N2 training', stroke: PALETTE.n2, width: 1.5 },
        { label: 'N2 test', stroke: PALETTE.n2, dash: dashed, width: 1.5 },
      ],
    });
    render();
    renderSweep();
  });
  client.onData(() => {
    sweepDriver.pause();
    sweep.results = [];
    sweep.experiment = null;
    sweep.done = 0;
    renderSweep();
    renderSweepButtons();
  });
  renderSweepButtons();
}
