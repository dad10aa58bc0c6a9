// @ts-check
// Section "One SGD step in slow motion": the next minibatch of the Train model and every matrix
// of the step it is about to take — X, Y, Z, Ŷ, Ŷ − Y, ∇W, ∇b, W before → after — stage by stage,
// each with its formula, as the core computed them (Lab.stepView). "Apply" is the session's Step:
// the same minibatch (the trainer's order is deterministic), and the core took the view's loss
// and W after from that very step on a copy of the trainer, so they are what applying gives.

import { PIXELS } from '../constants.js';
import { el, setValue } from '../dom.js';
import { errorText, formatInt, formatNumber } from '../format.js';
import { colorBar, divergingRgb, drawDiverging, drawGray, imageCanvas, maxAbs, robustLimit } from '../images.js';
import { renderTex, tex } from '../math.js';
import { lessonSection } from '../run-control.js';
import { statusLine } from '../widgets.js';

/** Section id (URL anchor) and table-of-contents title. */
export const ID = 'step-view';
export const TITLE = 'One SGD step';

/** Rows of the minibatch shown (the gradient and the weights are always of the whole minibatch). */
export const ROWS = 16;

const TEX = {
  x: String.raw`\mathbf{X} \in \mathbb{R}^{n \times 784}, \quad x_{ij} = \frac{\mathrm{pixel}_{ij}/255 - \mu}{\sigma}`,
  y: String.raw`\mathbf{Y} \in \{0, 1\}^{n \times c}, \quad y_{ik} = 1 \text{ if image } i \text{ is of class } k`,
  z: String.raw`\mathbf{Z} = \mathbf{X}\mathbf{W} + \mathbf{1}_n \mathbf{b}^{\top} \in \mathbb{R}^{n \times c}`,
  yhat: String.raw`\hat{y}_{ik} = \frac{\exp z_{ik}}{\sum_{k'=1}^{c} \exp z_{ik'}}`,
  residual: String.raw`\hat{\mathbf{Y}} - \mathbf{Y} \in \mathbb{R}^{n \times c}`,
  gradW: String.raw`\nabla_{\mathbf{W}} f = \tfrac{1}{n}\, \mathbf{X}^{\top} (\hat{\mathbf{Y}} - \mathbf{Y})`,
  gradWL2: String.raw`\nabla_{\mathbf{W}} f = \tfrac{1}{n}\, \mathbf{X}^{\top} (\hat{\mathbf{Y}} - \mathbf{Y}) + 2\alpha \mathbf{W}`,
  gradB: String.raw`\nabla_{\mathbf{b}} f = \tfrac{1}{n} \textstyle\sum_{i=1}^{n} (\hat{\mathbf{y}}_i - \mathbf{y}_i)`,
  update: String.raw`\mathbf{W} \leftarrow \mathbf{W} - \varepsilon \nabla_{\mathbf{W}} f, \quad \mathbf{b} \leftarrow \mathbf{b} - \varepsilon \nabla_{\mathbf{b}} f`,
};

/** The stages, in the order of the lecture's slides. */
const STAGES = [
  { id: 'x', short: 'X', title: 'X: the images of the minibatch', tex: TEX.x },
  { id: 'y', short: 'Y', title: 'Y: their labels, one-hot', tex: TEX.y },
  { id: 'z', short: 'Z', title: 'Z = XW + b: the scores', tex: TEX.z },
  { id: 'yhat', short: 'Ŷ', title: 'Ŷ = softmax(Z): the guesses', tex: TEX.yhat },
  { id: 'residual', short: 'Ŷ − Y', title: 'Ŷ − Y: how far the guesses are from the ground truth', tex: TEX.residual },
  { id: 'gradw', short: '∇W', title: '∇W: the input features times the error', tex: TEX.gradW },
  { id: 'gradb', short: '∇b', title: '∇b: the error, averaged over the minibatch', tex: TEX.gradB },
  { id: 'w', short: 'W', title: 'W before → after the step', tex: TEX.update },
];

/** The section's head (shown at once); `build` makes the rest in a later task. */
export const mount = lessonSection({
  title: 'One SGD step in slow motion',
  lede: [
    'The next minibatch of the Train model and every matrix of the step it is about to take, as the core computes them: ',
    'the scores Z, the guesses Ŷ, how far they are from the labels Y, and the gradient — “how far the guesses are from ground truth” times “the input features”. ',
    'Walk through it with Next, then apply it: the model takes exactly this step, as if you had pressed Step.',
  ],
  formulas: [TEX.z, String.raw`\hat{\mathbf{Y}} = \operatorname{softmax}(\mathbf{Z})`, TEX.gradWL2],
}, build);

/**
 * A heat map of an n × c matrix in its own horizontally scrolling box: cells carry data-value,
 * are reachable with the keyboard (one tab stop, arrow keys move) and say their number on hover
 * or focus (title and a readout line).
 * @param {string} testid
 * @param {string} symbol the matrix's name in the readout ("Z", "Ŷ")
 */
function heatMap(testid, symbol) {
  const table = el('table', { class: 'sv-grid', testid, 'aria-label': `${symbol}, one row per image, one column per class` });
  const scroll = el('div', { class: 'sv-scroll', tabindex: -1 }, table);
  const hint = el('p', { class: 'sv-scroll-hint', 'aria-hidden': 'true' }, '← scroll sideways for every class →');
  hint.hidden = true;
  const readout = el('p', { class: 'sv-readout', testid: `${testid}-readout`, 'aria-live': 'polite' }, 'Hover over or focus a cell for its number.');
  const show = (/** @type {EventTarget|null} */ target) => {
    const cell = target instanceof HTMLElement ? target.closest('td[data-value]') : null;
    if (cell instanceof HTMLElement && cell.title) setValue(readout, cell.title);
  };
  table.addEventListener('mouseover', (e) => show(e.target));
  table.addEventListener('focusin', (e) => show(e.target));
  table.addEventListener('keydown', (e) => {
    const cell = e.target instanceof HTMLElement ? e.target.closest('td[data-value]') : null;
    if (!(cell instanceof HTMLTableCellElement)) return;
    const moves = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    const next = table.querySelector(`td[data-i="${Number(cell.dataset.i) + move[0]}"][data-k="${Number(cell.dataset.k) + move[1]}"]`);
    if (next instanceof HTMLElement) {
      cell.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    }
  });
  const overflow = () => {
    hint.hidden = scroll.scrollWidth <= scroll.clientWidth + 1;
  };
  new ResizeObserver(overflow).observe(scroll);
  return {
    node: el('div', { class: 'sv-heat' }, hint, scroll, readout),
    /**
     * @param {{values: ArrayLike<number>, rows: number, c: number, names: string[], rowNames: string[], color: (v: number) => string, text?: (v: number) => string, digits?: number, extra?: {head: string, value: (i: number) => number}}} m
     */
    set({ values, rows, c, names, rowNames, color, text, digits = 4, extra }) {
      const long = names.some((n) => n.length > 2);
      table.classList.toggle('sv-grid-long', long);
      const head = el('tr', {}, el('th', { class: 'sv-corner', scope: 'col' }, 'i \\ k'), ...names.map((n) => el('th', { scope: 'col', title: n }, el('span', {}, n))), extra ? el('th', { scope: 'col', class: 'sv-extra' }, extra.head) : null);
      const body = Array.from({ length: rows }, (_, i) =>
        el(
          'tr',
          {},
          el('th', { scope: 'row', title: rowNames[i] }, String(i + 1)),
          ...Array.from({ length: c }, (_, k) => {
            const v = values[i * c + k];
            return el('td', {
              data: { value: String(v), i: String(i), k: String(k) },
              tabindex: i === 0 && k === 0 ? 0 : -1,
              title: `${symbol} of image ${i + 1} (${rowNames[i]}), class ${names[k]}: ${formatNumber(v, digits)}`,
              style: { background: color(v) },
            }, text ? text(v) : '');
          }),
          extra ? el('td', { class: 'sv-extra', data: { sum: String(extra.value(i)) } }, extra.value(i).toFixed(4)) : null,
        ),
      );
      table.replaceChildren(el('thead', {}, head), el('tbody', {}, ...body));
      setValue(readout, 'Hover over or focus a cell for its number.');
      requestAnimationFrame(overflow);
    },
  };
}

/** CSS colour of the diverging map at t ∈ [−1, 1]. */
function diverging(t) {
  const [r, g, b] = divergingRgb(t);
  return `rgb(${r} ${g} ${b})`;
}

/** CSS colour of a probability: white (0) → blue (1). */
function sequential(p) {
  const f = Math.max(0, Math.min(1, p));
  const mix = (from, to) => Math.round(from + (to - from) * f);
  return `rgb(${mix(255, 33)} ${mix(255, 102)} ${mix(255, 172)})`;
}

/** ‖column k‖ of a 784 × c matrix (row-major). */
function columnNorm(w, k, c) {
  let s = 0;
  for (let j = 0; j < PIXELS; j++) s += w[j * c + k] ** 2;
  return Math.sqrt(s);
}

/**
 * The body of the section and its wiring.
 * @param {HTMLElement} root
 * @param {import('../session.js').Session} session
 */
function build(root, session) {
  const s = session.state;
  const view = {
    /** @type {import('../protocol.js').StepView|null} */
    data: null,
    generation: -1,
    crashes: 0,
    stage: 0,
    busy: false,
    /** @type {string|null} */
    error: null,
  };
  let crashes = 0;
  session.lab.on('crash', () => {
    crashes += 1;
  });

  // --- Controls ------------------------------------------------------------------------------
  const take = el('button', { type: 'button', class: 'btn', testid: 'step-view-refresh', title: 'Compute the step the Train model takes next, without taking it' }, 'Take the next minibatch');
  const prev = el('button', { type: 'button', class: 'btn', testid: 'step-view-prev', title: 'Back one stage' }, '◀ Back');
  const next = el('button', { type: 'button', class: 'btn btn-primary', testid: 'step-view-next', title: 'The next stage of the step' }, 'Next ▶');
  const all = el('button', { type: 'button', class: 'btn btn-ghost', testid: 'step-view-all', title: 'Show every stage at once' }, 'Show all');
  const apply = el('button', { type: 'button', class: 'btn', testid: 'step-view-apply', title: 'Take this step on the Train model (the same as pressing Step)' }, 'Apply this step');
  const stageText = el('span', { class: 'sv-stage-text', testid: 'step-view-stage', data: { value: '0' }, role: 'status' });
  const dots = el(
    'ol',
    { class: 'sv-dots', 'aria-label': 'Stages' },
    ...STAGES.map((st, i) => el('li', {}, el('button', { type: 'button', class: 'sv-dot', testid: `step-view-goto-${i}`, title: st.title, on: { click: () => goTo(i) } }, st.short))),
  );
  const status = statusLine('step-view-status');
  const stale = el('p', { class: 'sv-stale', testid: 'step-view-stale', role: 'alert' });
  stale.hidden = true;

  // --- Figures of the step -------------------------------------------------------------------
  const fig = (testid, label) => {
    const value = el('dd', { testid, class: 'fig-value', data: { value: '' } }, '–');
    return { node: el('div', { class: 'fig' }, el('dt', {}, label), value), value };
  };
  const figs = { step: fig('step-view-step', 'Step'), n: fig('step-view-n', 'Minibatch n'), loss: fig('step-view-loss', 'Loss f_CE of this minibatch'), applied: fig('step-view-applied', 'Last applied step: its loss') };
  const rowsNote = el('p', { class: 'sv-rows-note', testid: 'step-view-rows' });

  // --- The stages ----------------------------------------------------------------------------
  const thumbs = el('div', { class: 'sv-thumbs', testid: 'step-view-x' });
  const yMap = heatMap('step-view-y', 'Y');
  const zMap = heatMap('step-view-z', 'Z');
  const yhatMap = heatMap('step-view-yhat', 'Ŷ');
  const resMap = heatMap('step-view-residual', 'Ŷ − Y');
  const zBar = colorBar('z_ik: red high, blue low (scale: largest |z| of the rows shown)');
  const resBar = colorBar('ŷ_ik − y_ik: red = guessed too high, blue = too low');
  resBar.set(1);
  const gradGrid = el('div', { class: 'sv-images', testid: 'step-view-gradw' });
  const gradBar = colorBar('∂f/∂w_jk (common scale: 99th percentile of |∇W|)');
  const gradNote = el('p', { class: 'lesson-note', testid: 'step-view-gradw-note' });
  const gradWMath = tex(TEX.gradW, { display: true });
  const gradB = el('div', { class: 'bias-bars sv-bars', testid: 'step-view-gradb' });
  const wBefore = el('div', { class: 'sv-images', testid: 'step-view-w-before' });
  const wChange = el('div', { class: 'sv-images', testid: 'step-view-w-change' });
  const wAfter = el('div', { class: 'sv-images', testid: 'step-view-w-after' });
  const wBar = colorBar('w_jk, before and after (one scale: 99th percentile of |W| after)');
  const changeBar = colorBar('−ε ∂f/∂w_jk: the change (its own scale)');
  const bTable = el('table', { class: 'num-table sv-b', testid: 'step-view-b' });
  const wNote = el('p', { class: 'lesson-note', testid: 'step-view-w-note' });
  const xNote = el('p', { class: 'lesson-note' });
  const notes = {
    y: el('p', { class: 'lesson-note' }, 'One row per image: a 1 in the column of its label, 0 elsewhere.'),
    z: el('p', { class: 'lesson-note' }, 'Row i holds the c scores of image i: its 784 inputs times each class’s weights, plus the bias.'),
    yhat: el('p', { class: 'lesson-note' }, 'Each row is a probability distribution over the classes (the last column: its sum). Dark blue: the model is sure.'),
    residual: el('p', { class: 'lesson-note' }, 'Where the label is, ŷ − 1 ≤ 0 (blue: too little probability); elsewhere ŷ ≥ 0 (red: too much). A confident right guess is white throughout.'),
    gradb: el('p', { class: 'lesson-note' }, 'The column means of Ŷ − Y over the whole minibatch: a class that got too much probability on average has its bias lowered.'),
  };

  const bodies = {
    x: [thumbs, xNote],
    y: [yMap.node, notes.y],
    z: [zMap.node, zBar.node, notes.z],
    yhat: [yhatMap.node, notes.yhat],
    residual: [resMap.node, resBar.node, notes.residual],
    gradw: [gradGrid, gradBar.node, gradNote],
    gradb: [gradB, notes.gradb],
    w: [
      el('h4', { class: 'sv-h4' }, 'W before'), wBefore, wBar.node,
      el('h4', { class: 'sv-h4' }, '−ε∇W: the change'), wChange, changeBar.node,
      el('h4', { class: 'sv-h4' }, 'W − ε∇W after'), wAfter,
      el('h4', { class: 'sv-h4' }, 'b before → after'), el('div', { class: 'sv-scroll' }, bTable), wNote,
    ],
  };
  const cards = STAGES.map((st, i) =>
    el(
      'section',
      { class: 'card sv-stage', data: { stage: String(i) }, 'aria-label': st.title },
      el('div', { class: 'sv-stage-head' }, el('h3', {}, `${i + 1} · ${st.title}`), st.id === 'gradw' ? gradWMath : tex(st.tex, { display: true })),
      ...bodies[st.id],
    ),
  );
  const panel = el(
    'div',
    { class: 'sv', testid: 'step-view', data: { state: 'empty', step: '', n: '', rows: '' } },
    el(
      'div',
      { class: 'card sv-controls' },
      el('div', { class: 'sv-toolbar', role: 'group', 'aria-label': 'Walk through the step' }, take, prev, next, all, apply),
      el('div', { class: 'sv-progress' }, dots, stageText),
      el('dl', { class: 'figs' }, figs.step.node, figs.n.node, figs.loss.node, figs.applied.node),
      rowsNote,
      stale,
      status.node,
    ),
    ...cards,
  );
  root.append(panel);

  // --- State ---------------------------------------------------------------------------------
  const ready = () => s.generation > 0 && !s.busy && s.status.state !== 'loading';

  /** Whether the view is of the step the Train model takes next, with the settings it has now. */
  function current() {
    const v = view.data;
    return Boolean(v) && ready() && view.generation === s.generation && view.crashes === crashes && v.step === s.progress.step + 1
      && v.learning_rate === s.hyper?.learning_rate && v.batch_size === s.hyper?.batch_size && v.l2 === s.hyper?.l2;
  }

  function renderControls() {
    const fresh = current();
    const state = !view.data ? 'empty' : fresh ? 'current' : 'stale';
    panel.dataset.state = state;
    take.disabled = view.busy || !ready() || s.playing;
    apply.disabled = view.busy || !fresh || s.playing || !session.canTrain();
    prev.disabled = !view.data || view.stage === 0;
    next.disabled = !view.data || view.stage === STAGES.length - 1;
    all.disabled = !view.data || view.stage === STAGES.length - 1;
    take.classList.toggle('btn-primary', state === 'stale');
    let why = '';
    if (view.data && !fresh) {
      why = s.progress.step + 1 !== view.data.step || view.generation !== s.generation || view.crashes !== crashes
        ? `The Train model has moved on (it is at step ${formatInt(s.progress.step)} now): this view of step ${formatInt(view.data.step)} is stale. Take the next minibatch to see the step it takes now.`
        : 'The settings changed (ε, n or α): this view is stale. Take the next minibatch to see the step with the new settings.';
      if (s.playing) why += ' (Pause training first.)';
    }
    stale.hidden = !why;
    setValue(stale, why);
    if (!view.error) {
      if (!ready()) status.set('idle', 'Waiting for the data set to load…');
      else if (view.busy) status.set('running', 'Computing the step in the worker…');
      else if (!view.data && s.playing) status.set('idle', 'The Train model is training: pause it to take its next minibatch.');
      else if (!view.data) status.set('idle', 'Press “Take the next minibatch” to see the step the Train model takes next, before it takes it.');
      else status.set('idle', fresh ? `Step ${formatInt(view.data.step)} of the Train model, not taken yet: walk through it, then apply it.` : 'Stale: see above.');
    }
  }

  function renderStage() {
    cards.forEach((card, i) => {
      card.hidden = !view.data || i > view.stage;
      card.classList.toggle('sv-current', i === view.stage);
    });
    for (const [i, dot] of [...dots.querySelectorAll('button')].entries()) {
      dot.classList.toggle('sv-dot-done', i <= view.stage);
      if (i === view.stage) dot.setAttribute('aria-current', 'step');
      else dot.removeAttribute('aria-current');
      dot.disabled = !view.data;
    }
    const st = STAGES[view.stage];
    setValue(stageText, `Stage ${view.stage + 1} of ${STAGES.length}: ${st.title}`, view.stage);
    renderControls();
  }

  function goTo(i, scroll = true) {
    view.stage = Math.max(0, Math.min(STAGES.length - 1, i));
    renderStage();
    if (scroll) cards[view.stage].scrollIntoView({ block: 'nearest' });
  }

  // --- Drawing one view ----------------------------------------------------------------------
  function draw(/** @type {import('../protocol.js').StepView} */ v) {
    const names = Array.from({ length: v.c }, (_, k) => s.classNames[k] ?? String(k));
    const rowNames = Array.from({ length: v.rows }, (_, i) => `training image #${v.indices[i]}, a ${names[v.labels[i]]}`);
    panel.dataset.step = String(v.step);
    panel.dataset.n = String(v.n);
    panel.dataset.rows = String(v.rows);
    setValue(figs.step.value, formatInt(v.step), v.step);
    setValue(figs.n.value, formatInt(v.n), v.n);
    setValue(figs.loss.value, formatNumber(v.loss, 5), v.loss);
    const shown = v.rows < v.n ? `Showing the first ${formatInt(v.rows)} of ${formatInt(v.n)} rows of X, Y, Z, Ŷ and Ŷ − Y; ∇W, ∇b and W are of all ${formatInt(v.n)}.` : `All ${formatInt(v.n)} rows of the minibatch are shown.`;
    setValue(rowsNote, shown);

    // X
    thumbs.replaceChildren(
      ...Array.from({ length: v.rows }, (_, i) => {
        const canvas = imageCanvas({ 'aria-label': rowNames[i] });
        drawGray(canvas, v.pixels.subarray(i * PIXELS, (i + 1) * PIXELS));
        return el('figure', { class: 'sv-thumb', testid: `step-view-x-${i}`, data: { index: String(v.indices[i]), label: String(v.labels[i]) } }, canvas, el('figcaption', { title: names[v.labels[i]] }, `${i + 1} · ${names[v.labels[i]]}`));
      }),
    );
    setValue(xNote, `Row i of X is image i: 784 inputs, shown as the picture (μ = ${formatNumber(s.transform?.mean ?? NaN, 4)}, σ = ${formatNumber(s.transform?.std ?? NaN, 4)}). ${v.rows < v.n ? `The first ${v.rows} of the ${formatInt(v.n)} images; ` : ''}training images #${Array.from(v.indices.subarray(0, Math.min(4, v.rows))).join(', #')}${v.n > 4 ? ', …' : '.'}`);

    // Y, Z, Ŷ, Ŷ − Y
    const base = { rows: v.rows, c: v.c, names, rowNames };
    yMap.set({ ...base, values: v.y, color: (y) => (y > 0 ? 'rgb(15 23 42)' : '#fff'), text: (y) => (y > 0 ? '1' : ''), digits: 1 });
    const zLimit = maxAbs(v.z) || 1;
    zBar.set(zLimit);
    zMap.set({ ...base, values: v.z, color: (z) => diverging(z / zLimit) });
    yhatMap.set({
      ...base,
      values: v.y_hat,
      color: sequential,
      extra: { head: 'Σₖ ŷ', value: (i) => v.y_hat.subarray(i * v.c, (i + 1) * v.c).reduce((a, b) => a + b, 0) },
    });
    resMap.set({ ...base, values: v.residual, color: (r) => diverging(r) });

    // ∇W
    const gLimit = robustLimit(v.grad_w);
    gradBar.set(gLimit);
    gradGrid.replaceChildren(...names.map((name, k) => imageFigure(`step-view-gradw-${k}`, `∇W of class ${name}`, name, (c) => drawDiverging(c, v.grad_w, gLimit, { offset: k, stride: v.c }))));
    renderTex(gradWMath, v.l2 > 0 ? TEX.gradWL2 : TEX.gradW, true);
    setValue(gradNote, `${v.l2 > 0 ? `Includes the L2 term 2αW (α = ${formatNumber(v.l2)}), which pulls every weight towards 0. ` : 'α = 0: no L2 term (with α > 0 it adds 2αW). '}Column k of ∇W as an image: where it is red, the step lowers w_jk; where blue, it raises it. Inputs are standardised, so the background (x_j < 0) counts too.`);

    // ∇b
    const bLimit = maxAbs(v.grad_b) || 1;
    gradB.replaceChildren(
      ...names.map((name, k) => {
        const g = v.grad_b[k];
        const w = (Math.abs(g) / bLimit) * 50;
        return el(
          'div',
          { class: 'bias-row', testid: `step-view-gradb-${k}`, data: { value: String(g) } },
          el('span', { class: 'bias-name', title: name }, name),
          el('span', { class: 'bias-track' }, el('span', { class: `bias-fill${g < 0 ? ' neg' : ''}`, style: { width: `${w}%`, left: g >= 0 ? '50%' : `${50 - w}%` } })),
          el('span', { class: 'bias-value' }, formatNumber(g, 3)),
        );
      }),
    );

    // W before → after
    const wLimit = robustLimit(v.w_after);
    wBar.set(wLimit);
    const change = Float32Array.from(v.grad_w, (g) => -v.learning_rate * g);
    const cLimit = robustLimit(change);
    changeBar.set(cLimit);
    wBefore.replaceChildren(...names.map((name, k) => imageFigure(`step-view-w-before-${k}`, `W of class ${name} before`, name, (c) => drawDiverging(c, v.w_before, wLimit, { offset: k, stride: v.c }), columnNorm(v.w_before, k, v.c))));
    wChange.replaceChildren(...names.map((name, k) => imageFigure(`step-view-w-change-${k}`, `Change of the weights of class ${name}`, name, (c) => drawDiverging(c, change, cLimit, { offset: k, stride: v.c }))));
    wAfter.replaceChildren(...names.map((name, k) => imageFigure(`step-view-w-after-${k}`, `W of class ${name} after`, name, (c) => drawDiverging(c, v.w_after, wLimit, { offset: k, stride: v.c }), columnNorm(v.w_after, k, v.c))));
    bTable.replaceChildren(
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'k'), el('th', { scope: 'col' }, 'b before'), el('th', { scope: 'col' }, '−ε ∂f/∂b'), el('th', { scope: 'col' }, 'b after'))),
      el(
        'tbody',
        {},
        ...names.map((name, k) =>
          el(
            'tr',
            {},
            el('th', { scope: 'row' }, name),
            el('td', { testid: `step-view-b-before-${k}`, data: { value: String(v.b_before[k]) } }, formatNumber(v.b_before[k], 5)),
            el('td', {}, formatNumber(-v.learning_rate * v.grad_b[k], 3)),
            el('td', { testid: `step-view-b-after-${k}`, data: { value: String(v.b_after[k]) } }, formatNumber(v.b_after[k], 5)),
          ),
        ),
      ),
    );
    setValue(wNote, `ε = ${formatNumber(v.learning_rate)}. W after is the real step’s (computed by taking it on a copy of the model): applying this view gives exactly these weights and the loss ${formatNumber(v.loss, 5)}. ‖w⁽ᵏ⁾‖ under each image.`);
  }

  /**
   * A 28 × 28 image with a caption (and ‖w‖ in data-norm if given).
   * @param {string} testid
   * @param {string} label
   * @param {string} caption
   * @param {(canvas: HTMLCanvasElement) => void} paint
   * @param {number} [norm]
   */
  function imageFigure(testid, label, caption, paint, norm) {
    const canvas = imageCanvas({ 'aria-label': label });
    paint(canvas);
    return el(
      'figure',
      { class: 'sv-image', testid, data: norm === undefined ? {} : { norm: String(norm) } },
      canvas,
      el('figcaption', { title: caption }, caption, norm === undefined ? null : el('span', { class: 'sv-norm' }, `‖w‖ ${formatNumber(norm, 3)}`)),
    );
  }

  // --- Actions -------------------------------------------------------------------------------
  async function takeView() {
    if (view.busy || !ready() || s.playing) return;
    view.busy = true;
    view.error = null;
    renderControls();
    try {
      await session.hyperChain; // the settings the model has
      const r = await session.lab.stepView(ROWS);
      view.data = r.view;
      view.generation = r.generation;
      view.crashes = crashes;
      draw(r.view);
    } catch (e) {
      if (!e.crashed) {
        view.error = errorText(e);
        status.set('error', e.kind === 'diverged' ? `This step would diverge: ${view.error}. Reset the model or lower ε.` : view.error);
      }
    } finally {
      view.busy = false;
      renderStage();
    }
  }

  async function applyView() {
    await session.hyperChain;
    const v = view.data;
    if (!v || !current() || view.busy || s.playing) {
      renderControls();
      return;
    }
    view.busy = true;
    renderControls();
    try {
      await session.step(); // the Train section's Step: charts, counters and saving follow
    } finally {
      view.busy = false;
    }
    const t = s.train;
    if (s.progress.step === v.step && t.lastStep === v.step) {
      setValue(figs.applied.value, `${formatNumber(t.last, 5)} at step ${formatInt(v.step)}${t.last === v.loss ? ' (as the view said)' : ''}`, t.last);
      figs.applied.value.dataset.step = String(v.step);
      await takeView(); // the next minibatch, at the same stage
    } else {
      renderControls();
    }
  }

  take.addEventListener('click', () => takeView());
  apply.addEventListener('click', () => applyView());
  next.addEventListener('click', () => goTo(view.stage + 1));
  prev.addEventListener('click', () => goTo(view.stage - 1));
  all.addEventListener('click', () => goTo(STAGES.length - 1, false));

  // Nothing is taken by itself (except the next view after Apply): a panel that filled in while
  // the page scrolls past would push the sections below it (the drawing pad) under the finger.
  session.on('frame', () => renderControls());
  renderStage();
}
