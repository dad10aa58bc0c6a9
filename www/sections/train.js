// @ts-check
// Section "Train": the main model. This module lays the section out, shows the progress figures
// and routes the session's frames to its parts in train/: the controls (Step / Play / Pause /
// Reset, the pace, weights out and in, train/controls.js), the form (data set, hyperparameters
// with their formulas, the link to the run, train/form.js) and the two live charts with the
// kept runs (train/charts.js).

import { el, setValue } from '../dom.js';
import { formatEpochs, formatInt, formatLoss, formatPercent, formatRate, NONE } from '../format.js';
import { tex } from '../math.js';
import { mountCharts } from './train/charts.js';
import { mountControls } from './train/controls.js';
import { mountForm } from './train/form.js';

/** Section id (URL anchor) and table-of-contents title. */
export const ID = 'train';
export const TITLE = 'Train';

const MODEL_TEX = [
  String.raw`\hat{\mathbf{y}} = \operatorname{softmax}(\mathbf{x}\mathbf{W} + \mathbf{b}),`,
  String.raw`\mathbf{W} \in \mathbb{R}^{784 \times 10},\ \mathbf{b} \in \mathbb{R}^{10},`,
  String.raw`\hat{y}_k = \frac{\exp z_k}{\sum_{k'=1}^{10} \exp z_{k'}}, \quad \mathbf{z} = \mathbf{x}\mathbf{W} + \mathbf{b}`,
];

/**
 * A progress figure: label, value (data-value for the tests) and a line below it.
 * @param {string} testid
 * @param {string} label
 */
function stat(testid, label) {
  const value = el('dd', { testid, class: 'stat-value', data: { value: '0' } }, NONE);
  const sub = el('dd', { class: 'stat-sub' });
  return { node: el('div', { class: 'stat' }, el('dt', {}, label), value, sub), value, sub };
}

/**
 * Build the section and wire it to the session.
 * @param {HTMLElement} root the <section> element
 * @param {import('../session.js').Session} session
 */
export function mount(root, session) {
  const s = session.state;
  const controls = mountControls(session);
  const form = mountForm(session);
  const charts = mountCharts(session);

  // --- Figures ------------------------------------------------------------------------------------
  const stats = {
    step: stat('step-count', 'Step'),
    epoch: stat('epoch', 'Epochs'),
    seen: stat('examples-seen', 'Examples seen'),
    rate: stat('examples-per-sec', 'Examples / s'),
    trainLoss: stat('train-loss', 'Train loss'),
    testLoss: stat('test-loss', 'Test loss'),
    testAcc: stat('test-accuracy', 'Test accuracy'),
  };

  root.append(
    el(
      'header',
      { class: 'section-head' },
      el('h2', {}, 'Train softmax regression'),
      el(
        'div',
        { class: 'head-row' },
        el(
          'p',
          { class: 'lede' },
          'Minibatch stochastic gradient descent on the 60,000 training images, in a background thread of your browser. ',
          'Change the learning rate, batch size or α while it runs: the next step uses them.',
        ),
        el('div', { class: 'formula-row model-formula', role: 'group', 'aria-label': 'The model' }, ...MODEL_TEX.map((m) => tex(m, { display: true }))),
      ),
    ),
    ...controls.nodes,
    el('dl', { class: 'stats' }, ...Object.values(stats).map((x) => x.node)),
    el('div', { class: 'train-grid' }, form.node, charts.node),
  );

  // --- Rendering (at most once per animation frame) --------------------------------------------
  function renderControls() {
    controls.renderControls();
    form.renderControls();
  }

  function renderFiles() {
    controls.renderFiles();
    form.renderLink();
  }

  function renderProgress() {
    const p = s.progress;
    setValue(stats.step.value, formatInt(p.step), p.step);
    // Round down: never claim a pass that has not finished (2.998 shows as 2.99).
    setValue(stats.epoch.value, formatEpochs(p.epochs_fraction), p.epochs_fraction);
    setValue(stats.epoch.sub, `${formatInt(p.epoch)} full pass${p.epoch === 1 ? '' : 'es'}`);
    setValue(stats.seen.value, formatInt(p.examples_seen), p.examples_seen);
    setValue(stats.seen.sub, s.trainSize ? `${formatInt(s.trainSize)} per epoch` : '');
    setValue(stats.rate.value, formatRate(s.rate), Math.round(s.rate));
    setValue(stats.rate.sub, s.rate > 0 ? (s.playing ? 'while playing' : 'last run') : 'while playing');
    charts.renderKeep();
  }

  function renderTrain() {
    const t = s.train;
    const smooth = t.smoothed;
    setValue(stats.trainLoss.value, formatLoss(smooth), Number.isFinite(smooth) ? smooth : '');
    setValue(stats.trainLoss.sub, Number.isFinite(t.last) ? `smoothed · last batch ${formatLoss(t.last)}` : 'no step yet');
    stats.trainLoss.node.title = 'Exponential moving average (β = 0.95) of the minibatch cross-entropies';
    charts.renderTrain();
  }

  function renderTest() {
    const e = s.evaluation;
    const stale = e && e.step !== s.progress.step;
    const lossOk = e && Number.isFinite(e.loss);
    setValue(stats.testLoss.value, e ? (lossOk ? formatLoss(e.loss) : 'not finite') : NONE, lossOk ? e.loss : '');
    setValue(stats.testAcc.value, e ? formatPercent(e.accuracy) : NONE, e && Number.isFinite(e.accuracy) ? e.accuracy : '');
    stats.testAcc.value.dataset.step = e ? String(e.step) : ''; // the step the figures are of (a test hook)
    const at = e ? `${formatInt(e.count)} images · step ${formatInt(e.step)}` : 'not evaluated yet';
    setValue(stats.testLoss.sub, at);
    setValue(stats.testAcc.sub, at);
    stats.testLoss.node.classList.toggle('stale', Boolean(stale));
    stats.testAcc.node.classList.toggle('stale', Boolean(stale));
    charts.renderTest();
  }

  session.on('frame', (changes) => {
    if (changes.has('controls') || changes.has('status') || changes.has('dataset') || changes.has('load')) renderControls();
    if (changes.has('import') || changes.has('saved') || changes.has('hyper') || changes.has('dataset')) renderFiles();
    if (changes.has('own-data')) form.renderOwnData();
    if (changes.has('hyper')) form.renderHyper();
    if (changes.has('progress')) renderProgress();
    if (changes.has('train')) renderTrain();
    if (changes.has('test') || changes.has('progress')) renderTest();
    if (changes.has('runs') || changes.has('hyper')) charts.renderRuns();
    if (changes.has('runs')) charts.renderCharts();
  });

  renderControls();
  renderProgress();
  renderTrain();
  renderTest();
  charts.renderRuns();
}
