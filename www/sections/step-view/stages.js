// @ts-check
// The eight stages of the step view — X, Y, Z, Ŷ, Ŷ − Y, ∇W, ∇b, W before → after — with their
// formulas: the card of each stage with its thumbnails, heat maps, colour bars, weight images
// and notes, and the drawing of one view (the core's `Lab.stepView`) into them.

import { PIXELS } from '../../constants.js';
import { el, setValue } from '../../dom.js';
import { formatInt, formatNumber } from '../../format.js';
import { colorBar, drawDiverging, drawGray, pixelImage, maxAbs, robustLimit } from '../../images.js';
import { renderTex, tex } from '../../math.js';
import { diverging, heatMap, sequential } from './heat-map.js';

export const TEX = {
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
export const STAGES = [
  { id: 'x', short: 'X', title: 'X: the images of the minibatch', tex: TEX.x },
  { id: 'y', short: 'Y', title: 'Y: their labels, one-hot', tex: TEX.y },
  { id: 'z', short: 'Z', title: 'Z = XW + b: the scores', tex: TEX.z },
  { id: 'yhat', short: 'Ŷ', title: 'Ŷ = softmax(Z): the guesses', tex: TEX.yhat },
  { id: 'residual', short: 'Ŷ − Y', title: 'Ŷ − Y: how far the guesses are from the ground truth', tex: TEX.residual },
  { id: 'gradw', short: '∇W', title: '∇W: the input features times the error', tex: TEX.gradW },
  { id: 'gradb', short: '∇b', title: '∇b: the error, averaged over the minibatch', tex: TEX.gradB },
  { id: 'w', short: 'W', title: 'W before → after the step', tex: TEX.update },
];

/** ‖column k‖ of a 784 × c matrix (row-major). */
function columnNorm(w, k, c) {
  let s = 0;
  for (let j = 0; j < PIXELS; j++) s += w[j * c + k] ** 2;
  return Math.sqrt(s);
}

/**
 * A 28 × 28 image with a caption (and ‖w‖ in data-norm if given).
 * @param {string} testid
 * @param {string} label
 * @param {string} caption
 * @param {(image: HTMLImageElement) => void} paint
 * @param {number} [norm]
 */
function imageFigure(testid, label, caption, paint, norm) {
  const canvas = pixelImage({ 'aria-label': label });
  paint(canvas);
  return el(
    'figure',
    { class: 'sv-image', testid, data: norm === undefined ? {} : { norm: String(norm) } },
    canvas,
    el('figcaption', { title: caption }, caption, norm === undefined ? null : el('span', { class: 'sv-norm' }, `‖w‖ ${formatNumber(norm, 3)}`)),
  );
}

/**
 * The stages' cards, and `draw` to show one view in them.
 * @param {import('../../session-state.js').SessionState} s the session's state (class names, input transform)
 */
export function mountStages(s) {
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

  // --- Drawing one view ----------------------------------------------------------------------
  function draw(/** @type {import('../../protocol.js').StepView} */ v) {
    const names = Array.from({ length: v.c }, (_, k) => s.classNames[k] ?? String(k));
    const rowNames = Array.from({ length: v.rows }, (_, i) => `training image #${v.indices[i]}, a ${names[v.labels[i]]}`);

    // X
    thumbs.replaceChildren(
      ...Array.from({ length: v.rows }, (_, i) => {
        const canvas = pixelImage({ 'aria-label': rowNames[i] });
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

  return { cards, draw };
}
