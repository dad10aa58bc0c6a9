// @ts-check
// Section 4 "Softmax regression": one-hot labels of a few test images; the numbers of one
// prediction of the main model (the drawn digit, or a chosen test image) — the ten scores z_k,
// the shift m = max z, e^(z_k − m), their sum, ŷ_k and the cross-entropy for a chosen true
// class, exactly as the core computed them; and softmax with c = 2 against logistic
// regression on the same data (TwoClassLesson), their probabilities and losses side by side.

import { PIXELS } from '../constants.js';
import { el, setValue } from '../dom.js';
import { errorText, formatNumber } from '../format.js';
import { drawGray, pixelCanvas, pixelImage } from '../images.js';
import { lessonClient } from '../lesson-client.js';
import { tex } from '../math.js';
import { lessonSection, oneAtATime, onFrame, Runner, trackNear } from '../run-control.js';
import { classField, figure, figures, numberField, numTable, statusLine } from '../widgets.js';

/** Section id (URL anchor) and table-of-contents title. */
export const ID = 'softmax';
export const TITLE = '4 Softmax';

/** Test images whose one-hot labels are shown. */
const ONE_HOT_EXAMPLES = [0, 1, 2, 3, 4, 5];
/** While the main model trains, recompute the numbers at most this often. */
const REFRESH_MS = 250;
/** Significant digits shown in the c = 2 comparison (f64 agrees to about 15). */
const TWO_CLASS_DIGITS = 13;
/** Steps of the c = 2 model after which Play stops. */
const TWO_CLASS_STEPS = 300;

const TEX = {
  z: String.raw`z_k = \mathbf{x}^\top\mathbf{w}^{(k)} + b_k`,
  softmax: String.raw`\hat{y}_k = \frac{\exp z_k}{\sum_{k'=1}^{c}\exp z_{k'}}`,
  ce: String.raw`f_{\mathrm{CE}} = -\sum_{k=1}^{c} y_k \log \hat{y}_k`,
  shift: String.raw`\hat{y}_k = \frac{e^{z_k - m}}{\sum_{k'} e^{z_{k'} - m}},\quad m = \max_{k} z_k`,
  ceShift: String.raw`-\log\hat{y}_y = \underbrace{m + \log\textstyle\sum_{k} e^{z_k - m}}_{\log\sum_k e^{z_k}} - z_y`,
  two: String.raw`\frac{e^{z_1}}{e^{z_0} + e^{z_1}} = \sigma(z_1 - z_0) = \sigma\bigl(\mathbf{x}^\top(\mathbf{w}^{(1)} - \mathbf{w}^{(0)}) + (b_1 - b_0)\bigr)`,
};

/** The section's head (shown at once); `build` makes the rest in a later task. */
export const mount = lessonSection({
  title: '4 · Softmax regression',
  lede: [
    'For c classes: one weight vector w⁽ᵏ⁾ per class gives a score z_k, and the softmax turns the c scores (ten for MNIST) into probabilities that are positive and sum to 1. ',
    'Labels become one-hot vectors y, and the loss is the cross-entropy.',
  ],
  formulas: [TEX.z, TEX.softmax, TEX.ce],
}, build);

/**
 * The body of the section (controls, charts, figures) and its wiring.
 * @param {HTMLElement} root
 * @param {import('../session.js').Session} session
 */
function build(root, session) {
  const client = lessonClient(session);
  const s = session.state;
  const view = { oneHot: false, lastAsk: 0, timer: 0, source: 'test', trueTouched: false, details: null, step: 0 };
  // The table follows the model and the drawing only while it is near the screen; it catches up
  // when it comes near again.
  const place = trackNear(root, () => {
    if (!client.ready) return;
    if (!view.oneHot) {
      view.oneHot = true;
      showOneHot();
    }
    ask();
  });

  // --- One-hot examples -------------------------------------------------------------------------
  const oneHotRows = el('div', { class: 'onehot', testid: 'softmax-onehot' });

  // --- The numbers of one prediction -------------------------------------------------------------
  const sourceSelect = el(
    'select',
    { id: 'softmax-source', testid: 'softmax-source' },
    el('option', { value: 'drawn' }, 'your drawing (Draw section)'),
    el('option', { value: 'test' }, 'a test image'),
  );
  const index = numberField({ id: 'softmax-index', label: 'Test image #', value: 0, min: 0, max: 9999, step: '1' });
  const next = el('button', { type: 'button', class: 'btn btn-small', testid: 'softmax-next' }, 'Next image');
  const trueClass = classField({ id: 'softmax-true', label: 'True class y', value: 0 });
  const input = pixelCanvas({ testid: 'softmax-input', 'aria-label': 'The 28 × 28 input', class: 'img-large' });
  const inputNote = el('p', { class: 'lesson-note' });
  const status = statusLine('softmax-status');
  const rows = [];
  // Each header also in words: axe counts no MathML as a header's text (empty-table-header).
  const HEADS = [['k', 'k'], ['z_k', 'z k'], ['z_k - m', 'z k minus m'], ['e^{z_k - m}', 'e to the z k minus m'], ['\\hat{y}_k', 'y hat k'], ['y_k', 'y k']];
  const { node: table, body: tbody } = numTable('softmax-table', HEADS.map(([h, words]) => el('span', {}, el('span', { class: 'visually-hidden' }, words), el('span', { 'aria-hidden': 'true' }, tex(h)))));
  const figs = {
    shift: figure('softmax-shift', 'shift m = max z_k'),
    sum: figure('softmax-sum', 'Σ e^(z_k − m)'),
    lse: figure('softmax-lse', 'log Σ e^(z_k)'),
    ce: figure('softmax-ce', 'cross-entropy −log ŷ_y (nats)'),
    predicted: figure('softmax-predicted', 'argmax ŷ_k'),
  };
  const modelNote = el('p', { class: 'lesson-note', testid: 'softmax-model-step', data: { value: '' } });

  function buildRows() {
    tbody.replaceChildren();
    rows.length = 0;
    const names = s.classNames.length ? s.classNames : Array.from({ length: 10 }, (_, k) => String(k));
    names.forEach((name, k) => {
      const cells = [0, 1, 2, 3, 4].map(() => el('td', {}));
      const row = el('tr', { testid: `softmax-row-${k}` }, el('th', { scope: 'row' }, names.length === 10 && name === String(k) ? name : `${k} ${name}`), ...cells);
      rows.push({ row, cells });
      tbody.append(row);
    });
  }

  // --- c = 2 -------------------------------------------------------------------------------------
  const twoA = classField({ id: 'twoclass-positive', label: 'Class 1', value: 3 });
  const twoB = classField({ id: 'twoclass-negative', label: 'Class 0', value: 5 });
  const twoStatus = statusLine('twoclass-status');
  const twoFigs = {
    step: figure('twoclass-step-count', 'SGD steps'),
    diff: figure('twoclass-max-diff', 'max |softmax ŷ₁ − σ(xᵀw + b)|'),
    ce: figure('twoclass-ce', 'mean cross-entropy, softmax (nats)'),
    log: figure('twoclass-logloss', 'mean log-loss, logistic (nats)'),
    disagree: figure('twoclass-disagree', 'different predictions'),
  };
  const { node: twoTable, body: twoBody } = numTable('twoclass-table', ['test image #', 'digit (y)', 'softmax ŷ₁', 'σ(xᵀw + b)', 'cross-entropy (nats)', 'log-loss (nats)']);
  const twoNote = el('p', { class: 'lesson-note', testid: 'twoclass-note' });
  const two = { step: 0, summary: null, names: ['', ''] };
  const twoRunner = new Runner({
    client,
    prefix: 'twoclass',
    kind: 'twoClass',
    status: twoStatus,
    summary: true,
    stepUnits: 10,
    config: () => {
      two.names = [twoB.value(), twoA.value()].map((k) => s.classNames[k] ?? String(k));
      return { positive: twoA.value(), negative: twoB.value(), examples: 6 };
    },
    remaining: () => TWO_CLASS_STEPS - two.step,
    onRecords: (records, r) => {
      if (records.length) two.step = records[records.length - 1].step;
      two.summary = r.summary;
      renderTwo();
    },
    onReset: async () => {
      two.step = 0;
      two.summary = null;
      renderTwo();
      // The equivalence holds for any weights: compare at the random initialisation already.
      if (!client.ready) return;
      try {
        const exp = twoRunner.ensure();
        const summary = await exp.summary();
        if (exp === twoRunner.experiment && two.step === 0) {
          two.summary = summary;
          renderTwo();
        }
      } catch (e) {
        if (!e.crashed) twoStatus.set('error', errorText(e));
      }
    },
  });
  for (const f of [twoA.select, twoB.select]) f.addEventListener('change', () => twoRunner.reset());

  root.append(
    el(
      'div',
      { class: 'lesson-grid-onehot' },
      el('div', { class: 'card' }, el('h3', {}, 'One-hot labels of the first test images'), oneHotRows, el('p', { class: 'lesson-note' }, 'Exactly one coordinate of each y is 1: the slot of its class (computed by the core’s oneHot).')),
      el(
        'div',
        { class: 'card lesson-side' },
        el('h3', {}, 'The input'),
        el('label', { class: 'lfield', for: 'softmax-source' }, el('span', { class: 'lfield-label' }, 'Classify'), sourceSelect),
        el('div', { class: 'lesson-controls' }, index.node, next),
        el('div', { class: 'img-row' }, input),
        inputNote,
        trueClass.node,
      ),
    ),
    el('h3', { class: 'lesson-sub' }, 'The numbers the model used for this input'),
    el(
      'div',
      { class: 'lesson-grid' },
      el('div', { class: 'card table-card' }, table, modelNote),
      el(
        'div',
        { class: 'card lesson-side' },
        tex(TEX.shift, { display: true }),
        tex(TEX.ceShift, { display: true }),
        figures(figs.shift, figs.sum, figs.lse, figs.ce, figs.predicted),
        el('p', { class: 'lesson-note' }, 'Subtracting m changes no ŷ_k (it cancels in the fraction) but keeps every exponential ≤ 1, so nothing overflows even for huge scores.'),
        status.node,
      ),
    ),
    el('h3', { class: 'lesson-sub' }, 'With c = 2, softmax regression is logistic regression'),
    el('div', { class: 'formula-row lesson-formulas-center' }, tex(TEX.two, { display: true })),
    el('p', { class: 'lesson-text' }, 'Train a softmax model with two classes on two digits (f64), then build the logistic model w = w⁽¹⁾ − w⁽⁰⁾, b = b₁ − b₀ from its weights and compare the two on every held-out test image of the pair.'),
    el('div', { class: 'lesson-controls' }, twoA.node, twoB.node, twoRunner.node()),
    el('div', { class: 'lesson-grid' }, el('div', { class: 'card table-card' }, twoTable, twoNote), el('div', { class: 'card lesson-side' }, figures(...Object.values(twoFigs)), twoStatus.node)),
  );

  // --- Rendering ----------------------------------------------------------------------------------
  const render = onFrame(() => {
    const d = view.details;
    if (!d) return;
    const names = s.classNames;
    if (rows.length !== d.z.length) buildRows();
    d.z.forEach((z, k) => {
      const { row, cells } = rows[k];
      const values = [z, z - d.shift, d.exp_shifted[k], d.probabilities[k], d.one_hot[k]];
      values.forEach((v, j) => setValue(cells[j], j === 4 ? String(v) : formatNumber(v, 5), v));
      row.classList.toggle('is-predicted', k === d.predicted);
      row.classList.toggle('is-true', k === d.true_class);
    });
    figs.shift.set(d.shift);
    figs.sum.set(d.sum_exp_shifted);
    figs.lse.set(d.log_sum_exp);
    figs.ce.set(d.cross_entropy);
    figs.predicted.set(d.predicted, names[d.predicted] ?? String(d.predicted));
    setValue(figs.ce.note, `y = ${names[d.true_class] ?? d.true_class}: ŷ_y = ${formatNumber(d.probabilities[d.true_class], 4)}`);
    setValue(modelNote, `The main model (Train section) at step ${view.step.toLocaleString('en-US')}${view.step === 0 ? ': untrained, random weights — press Play there' : ''}. Scores z_k as the model computes them (f32); the rest in f64. Bold row: predicted class; marked row: the true class y.`, view.step);
  });

  function renderTwo() {
    const sum = two.summary;
    twoFigs.step.set(two.step, String(two.step));
    if (!sum) {
      for (const f of [twoFigs.diff, twoFigs.ce, twoFigs.log, twoFigs.disagree]) f.set(NaN);
      twoBody.replaceChildren();
      setValue(twoNote, '');
      return;
    }
    // Class 1 (y = 1) and class 0 (y = 0) of the experiment shown.
    const digitOf = (label) => two.names[label === 1 ? 1 : 0];
    twoFigs.diff.set(sum.max_probability_difference);
    setValue(twoFigs.diff.note, `over ${sum.count.toLocaleString('en-US')} held-out images`);
    twoFigs.ce.set(sum.mean_cross_entropy);
    twoFigs.log.set(sum.mean_log_loss);
    setValue(twoFigs.log.note, `differs by ${formatNumber(Math.abs(sum.mean_cross_entropy - sum.mean_log_loss), 2)}`);
    twoFigs.disagree.set(sum.prediction_disagreements, String(sum.prediction_disagreements));
    twoBody.replaceChildren(
      ...sum.examples.map((e) => el(
        'tr',
        {},
        el('th', { scope: 'row' }, `#${e.test_index}`),
        el('td', { data: { value: String(e.label) } }, `${digitOf(e.label)} (${e.label})`),
        ...[e.softmax_p1, e.logistic_p1, e.cross_entropy, e.log_loss].map((v) => el('td', { data: { value: String(v) } }, v.toPrecision(TWO_CLASS_DIGITS))),
      )),
    );
    setValue(twoNote, `The first ${sum.examples.length} test images of ${two.names[1]} and ${two.names[0]}, numbered as in the whole test set (the Test image # above); y = 1 for ${two.names[1]}, 0 for ${two.names[0]}.`);
  }

  // --- Requests -----------------------------------------------------------------------------------
  function request() {
    if (view.source === 'drawn' && s.drawn) return { pixels: s.drawn };
    return { index: clampIndex(index.value()) };
  }

  function clampIndex(i) {
    const max = (s.testSize || 10000) - 1;
    return Number.isFinite(i) ? Math.min(max, Math.max(0, Math.round(i))) : 0;
  }

  /** Ask for the numbers (one request in flight; the latest wins). */
  const ask = oneAtATime(async () => {
    if (!client.ready || !place.near) return;
    view.lastAsk = performance.now();
    try {
      const req = request();
      if (req.index !== undefined) {
        const img = await client.call('testImages', { indices: [req.index] });
        drawGray(input, img.pixels);
        if (!view.trueTouched) trueClass.select.value = String(img.labels[0]);
        setValue(inputNote, `Test image #${req.index}: labelled ${s.classNames[img.labels[0]] ?? img.labels[0]}.`);
      } else {
        drawGray(input, req.pixels, 1);
        setValue(inputNote, 'Your drawing, as the model sees it (28 × 28). Choose the class you meant as y.');
      }
      let r = await client.call('softmaxDetails', { ...req, trueClass: trueClass.value() });
      if (req.pixels && !view.trueTouched && r.details.predicted !== r.details.true_class) {
        // A drawing has no label: until one is chosen, y is the class the model predicts.
        trueClass.select.value = String(r.details.predicted);
        r = await client.call('softmaxDetails', { ...req, trueClass: r.details.predicted });
      }
      view.details = r.details;
      view.step = r.step;
      status.set('idle', '');
      render();
    } catch (e) {
      if (!e.crashed) status.set('error', errorText(e));
    }
  });

  /** Recompute soon while the model trains (at most every REFRESH_MS). */
  function refresh() {
    if (view.timer) return;
    const wait = Math.max(0, REFRESH_MS - (performance.now() - view.lastAsk));
    view.timer = setTimeout(() => {
      view.timer = 0;
      ask();
    }, wait);
  }

  async function showOneHot() {
    try {
      const r = await client.call('testImages', { indices: ONE_HOT_EXAMPLES });
      const names = s.classNames;
      oneHotRows.replaceChildren(
        el('div', { class: 'onehot-head' }, el('span', {}, 'image'), el('span', {}, 'label'), el('span', { class: 'onehot-slots' }, ...names.map((n, k) => el('span', {}, names.length === 10 && n === String(k) ? n : String(k))))),
        ...ONE_HOT_EXAMPLES.map((idx, i) => {
          const canvas = pixelImage({ 'aria-label': `Test image #${idx}`, class: 'img-small' });
          drawGray(canvas, r.pixels.subarray(i * PIXELS, (i + 1) * PIXELS));
          const row = r.oneHot.slice(i * r.classes, (i + 1) * r.classes);
          return el(
            'div',
            { class: 'onehot-row', testid: `onehot-${i}`, data: { value: row.join(',') } },
            canvas,
            el('span', { class: 'onehot-label' }, names[r.labels[i]] ?? String(r.labels[i])),
            el('span', { class: 'onehot-slots' }, ...Array.from(row, (v) => el('span', { class: v === 1 ? 'hot' : '' }, String(v)))),
          );
        }),
      );
    } catch (e) {
      if (!e.crashed) status.set('error', errorText(e));
    }
  }

  sourceSelect.addEventListener('change', () => {
    view.source = sourceSelect.value;
    view.trueTouched = false;
    ask();
  });
  index.input.addEventListener('change', () => {
    view.trueTouched = false;
    ask();
  });
  next.addEventListener('click', () => {
    index.input.value = String((clampIndex(index.value()) + 1) % (s.testSize || 10000));
    view.source = 'test';
    sourceSelect.value = 'test';
    view.trueTouched = false;
    ask();
  });
  trueClass.select.addEventListener('change', () => {
    view.trueTouched = true;
    ask();
  });

  session.on('frame', (changes) => {
    if (changes.has('drawn')) {
      sourceSelect.options[0].disabled = !s.drawn;
      if (s.drawn) {
        // A new drawing: show its numbers, with its predicted class as y until one is chosen.
        if (view.source !== 'drawn') view.trueTouched = false;
        view.source = 'drawn';
        sourceSelect.value = 'drawn';
      } else if (view.source === 'drawn') {
        view.source = 'test';
        sourceSelect.value = 'test';
      }
      ask();
    }
    if (changes.has('train') || changes.has('dataset')) refresh();
  });

  client.onData(() => {
    trueClass.setNames(s.classNames);
    twoA.setNames(s.classNames);
    twoB.setNames(s.classNames);
    buildRows();
    view.oneHot = false;
    if (place.near) {
      view.oneHot = true;
      showOneHot();
      ask();
    }
  });
  session.on('dataset', () => refresh());

  sourceSelect.options[0].disabled = !s.drawn;
  sourceSelect.value = 'test';
}
