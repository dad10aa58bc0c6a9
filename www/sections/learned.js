// @ts-check
// Section 5 "What the model learned": the ten weight vectors w⁽ᵏ⁾ of the main model as 28×28
// images (diverging colours, redrawn while it trains), the bias vector as bars, the per-pixel
// contributions w⁽ᵏ⁾ ⊙ x of the drawn digit (or a test image) to its top classes, and the
// confusion matrix on the full test set, whose cells open a gallery of their test images.

import { PIXELS } from '../constants.js';
import { el, setValue } from '../dom.js';
import { errorText, formatNumber } from '../format.js';
import { colorBar, drawDiverging, drawGray, maxAbs, pixelCanvas, pixelImage, robustLimit } from '../images.js';
import { lessonClient } from '../lesson-client.js';
import { lessonSection, oneAtATime, trackNear } from '../run-control.js';
import { figure, numberField, statusLine } from '../widgets.js';

/** Section id (URL anchor) and table-of-contents title. */
export const ID = 'learned';
export const TITLE = '5 Learned';

/** While the main model trains, read its weights at most this often. */
const WEIGHTS_MS = 300;
/** …and evaluate the confusion matrix at most this often (it costs a pass over the test set). */
const CONFUSION_MS = 3000;
/** Quiet time after a Step or Pause before the confusion matrix is evaluated again. */
const QUIET_MS = 400;
/** Classes whose contribution maps are shown. */
const TOP = 3;
/** Images a gallery shows. */
const GALLERY = 30;

const TEX = {
  z: String.raw`z_k = \sum_{j=1}^{784} w^{(k)}_j x_j + b_k`,
  contribution: String.raw`c^{(k)}_j = w^{(k)}_j\, x_j`,
};

/** The section's head (shown at once); `build` makes the rest in a later task. */
export const mount = lessonSection({
  title: '5 · What the model learned',
  lede: [
    'Each class k has its own weight vector w⁽ᵏ⁾ — 784 numbers, one per pixel, so it can be shown as an image: where it is red, ink raises the score z_k; where blue, ink lowers it. ',
    'They are read from the model of the Train section and redrawn while it trains.',
  ],
  formulas: [TEX.z, TEX.contribution],
}, build);

/**
 * The body of the section (controls, charts, figures) and its wiring.
 * @param {HTMLElement} root
 * @param {import('../session.js').Session} session
 */
function build(root, session) {
  const client = lessonClient(session);
  const s = session.state;
  const view = { missed: true, weightsAt: -1, weightsBusy: false, weightsTimer: 0, confusionAt: -1, confusionBusy: false, confusionTimer: 0, cell: null, confusion: null, lastConfusion: 0 };
  // The images and the matrix follow the model and the drawing only while the section is near the
  // screen; what changed while it was far is caught up when it comes near again.
  const place = trackNear(root, () => {
    if (view.missed) all();
  });
  /** True while far from the screen, and then what was asked for is caught up when near. */
  const far = () => {
    if (place.near) return false;
    view.missed = true;
    return true;
  };

  // --- Weights and bias --------------------------------------------------------------------------
  const weightGrid = el('div', { class: 'weight-grid', testid: 'learned-weights', data: { step: '' } });
  const weightCanvases = [];
  const weightBar = colorBar('w⁽ᵏ⁾_j: red raises z_k, blue lowers it (common scale: 99th percentile of |W|)');
  const biasBox = el('div', { class: 'bias-bars', testid: 'learned-bias' });
  const stepFig = figure('learned-step', 'Model at step');

  // --- Contributions -----------------------------------------------------------------------------
  const sourceNote = el('p', { class: 'lesson-note' });
  const index = numberField({ id: 'learned-index', label: 'Test image # (when nothing is drawn)', value: 0, min: 0, max: 9999, step: '1' });
  const inputCanvas = pixelCanvas({ testid: 'learned-input', 'aria-label': 'The input x' });
  const contribBox = el('div', { class: 'contrib-grid', testid: 'learned-contributions' });
  /** @type {{figure: HTMLElement, canvas: HTMLCanvasElement, head: HTMLElement, sums: Text}[]} the contribution images' cells, reused */
  const contribCells = [];
  const contribBar = colorBar('w_j x_j: how much pixel j adds to z_k');

  // --- Confusion matrix and gallery --------------------------------------------------------------
  const matrix = el('table', { class: 'confusion', testid: 'confusion-matrix' });
  const accFig = figure('confusion-accuracy', 'Test accuracy');
  const refresh = el('button', { type: 'button', class: 'btn btn-small', testid: 'confusion-refresh' }, 'Evaluate now');
  const gallery = el('div', { class: 'gallery', testid: 'gallery', data: { count: '' } });
  const galleryTitle = el('h3', { testid: 'gallery-title' }, 'Click a cell of the matrix');
  const status = statusLine('learned-status');

  root.append(
    el(
      'div',
      { class: 'lesson-grid' },
      el('div', { class: 'card' }, el('h3', {}, 'The ten weight vectors w⁽ᵏ⁾ as 28 × 28 images'), weightGrid, weightBar.node),
      el('div', { class: 'card lesson-side' }, el('dl', { class: 'fig-one' }, stepFig.node), el('h3', {}, 'The bias vector b'), biasBox, status.node),
    ),
    el('h3', { class: 'lesson-sub' }, 'Which pixels made the decision: w⁽ᵏ⁾ ⊙ x for the top classes'),
    el(
      'div',
      { class: 'card contrib-card' },
      el('div', { class: 'contrib-input' }, el('span', { class: 'lfield-label' }, 'Input x'), inputCanvas, sourceNote, index.node),
      contribBox,
      contribBar.node,
      el('p', { class: 'lesson-note' }, 'Inputs are standardised (x_j = (pixel/255 − μ)/σ), so background pixels are negative, not 0: they contribute too. Each map sums to z_k − b_k.'),
    ),
    el('h3', { class: 'lesson-sub' }, 'Confusion matrix on the full test set'),
    el(
      'div',
      { class: 'lesson-grid-confusion' },
      el('div', { class: 'card table-card' }, el('div', { class: 'confusion-head' }, el('dl', { class: 'fig-one' }, accFig.node), refresh), matrix, el('p', { class: 'lesson-note' }, 'Row: true class; column: predicted class; number: how many of the test images. Colour: share of the row.')),
      el('div', { class: 'card' }, galleryTitle, gallery),
    ),
  );

  // --- Weights -------------------------------------------------------------------------------
  function buildWeights(c) {
    weightGrid.replaceChildren();
    weightCanvases.length = 0;
    const names = s.classNames;
    for (let k = 0; k < c; k++) {
      const canvas = pixelCanvas({ testid: `learned-w-${k}`, 'aria-label': `Weights of class ${names[k] ?? k}` });
      weightCanvases.push(canvas);
      weightGrid.append(el('figure', { class: 'weight-cell' }, canvas, el('figcaption', {}, names[k] ?? String(k))));
    }
  }

  async function readWeights() {
    if (far() || !client.ready || view.weightsBusy) return;
    view.weightsBusy = true;
    try {
      const r = await client.call('modelWeights');
      const c = r.b.length;
      if (weightCanvases.length !== c) buildWeights(c);
      const limit = robustLimit(r.w);
      for (let k = 0; k < c; k++) drawDiverging(weightCanvases[k], r.w, limit, { offset: k, stride: c });
      weightBar.set(limit);
      drawBias(r.b);
      view.weightsAt = r.step;
      weightGrid.dataset.step = String(r.step);
      stepFig.set(r.step, r.step.toLocaleString('en-US'));
    } catch (e) {
      if (!e.crashed) status.set('error', errorText(e));
    } finally {
      view.weightsBusy = false;
    }
  }

  function drawBias(b) {
    const limit = maxAbs(b) || 1;
    const names = s.classNames;
    if (biasBox.children.length !== b.length) {
      biasBox.replaceChildren(...Array.from(b, (_, k) => el('div', { class: 'bias-row', testid: `learned-bias-${k}`, data: { value: '' } }, el('span', { class: 'bias-name' }, names[k] ?? String(k)), el('span', { class: 'bias-track' }, el('span', { class: 'bias-fill' })), el('span', { class: 'bias-value' }))));
    }
    Array.from(b).forEach((v, k) => {
      const row = /** @type {HTMLElement} */ (biasBox.children[k]);
      row.dataset.value = String(v);
      const fill = /** @type {HTMLElement} */ (row.querySelector('.bias-fill'));
      const w = (Math.abs(v) / limit) * 50;
      fill.style.width = `${w}%`;
      fill.style.left = v >= 0 ? '50%' : `${50 - w}%`;
      fill.classList.toggle('neg', v < 0);
      setValue(row.querySelector('.bias-value'), formatNumber(v, 3));
    });
  }

  /** Read the weights again soon if the model moved (at most every WEIGHTS_MS). */
  function scheduleWeights() {
    if (view.weightsTimer || s.progress.step === view.weightsAt) return;
    view.weightsTimer = setTimeout(() => {
      view.weightsTimer = 0;
      readWeights();
      contributions();
    }, WEIGHTS_MS);
  }

  // --- Contributions -------------------------------------------------------------------------
  function input() {
    if (s.drawn) return { pixels: s.drawn };
    const i = index.value();
    return { index: Number.isFinite(i) ? Math.min((s.testSize || 10000) - 1, Math.max(0, Math.round(i))) : 0 };
  }

  const contributions = oneAtATime(async () => {
    if (far() || !client.ready) return;
    try {
      const req = input();
      if (req.pixels) {
        drawGray(inputCanvas, req.pixels, 1);
        setValue(sourceNote, 'Your drawing (Draw section).');
      } else {
        const img = await client.call('testImages', { indices: [req.index] });
        drawGray(inputCanvas, img.pixels);
        setValue(sourceNote, `Nothing drawn: test image #${req.index} (a ${s.classNames[img.labels[0]] ?? img.labels[0]}).`);
      }
      const r = await client.call('contributions', { ...req, count: TOP });
      const names = s.classNames;
      const limit = robustLimit(r.maps);
      contribBar.set(limit);
      // The cells are made once and redrawn in place: a drawing updates them at every stroke.
      while (contribCells.length < r.top.length) {
        const i = contribCells.length;
        const canvas = pixelCanvas({ testid: `learned-contrib-${i}`, class: 'img-large' });
        const head = el('strong', {});
        const sums = document.createTextNode('');
        const box = el('figure', { class: 'contrib-cell' }, canvas, el('figcaption', {}, head, el('br', {}), sums));
        contribCells.push({ figure: box, canvas, head, sums });
      }
      const shown = Array.from(r.top, (k, i) => {
        const cell = contribCells[i];
        const map = r.maps.subarray(i * PIXELS, (i + 1) * PIXELS);
        cell.canvas.setAttribute('aria-label', `Contributions to the score of class ${names[k] ?? k}`);
        drawDiverging(cell.canvas, map, limit);
        let sum = 0;
        for (const v of map) sum += v;
        cell.figure.dataset.class = String(k);
        cell.figure.dataset.value = String(r.probs[k]);
        cell.head.textContent = `${names[k] ?? k}: ŷ = ${formatNumber(r.probs[k], 3)}`;
        cell.sums.data = `Σ_j w_j x_j = ${formatNumber(sum, 4)}, b_k = ${formatNumber(r.bias[k], 3)}`;
        return cell.figure;
      });
      const kids = contribBox.children;
      if (kids.length !== shown.length || shown.some((f, i) => kids[i] !== f)) contribBox.replaceChildren(...shown);
    } catch (e) {
      if (!e.crashed) status.set('error', errorText(e));
    }
  });

  // --- Confusion matrix ----------------------------------------------------------------------
  async function evaluate() {
    if (far() || !client.ready || view.confusionBusy) return;
    view.confusionBusy = true;
    view.lastConfusion = performance.now();
    try {
      const r = await client.call('confusion');
      view.confusion = r;
      view.confusionAt = r.step;
      drawMatrix(r);
      if (view.cell) openCell(view.cell.t, view.cell.p);
    } catch (e) {
      if (!e.crashed) status.set('error', errorText(e));
    } finally {
      view.confusionBusy = false;
    }
  }

  function scheduleConfusion() {
    if (view.confusionTimer || s.progress.step === view.confusionAt) return;
    // While playing: every CONFUSION_MS; after steps or a pause: once things are quiet.
    const wait = s.playing ? Math.max(0, CONFUSION_MS - (performance.now() - view.lastConfusion)) : QUIET_MS;
    view.confusionTimer = setTimeout(() => {
      view.confusionTimer = 0;
      evaluate();
    }, wait);
  }

  function drawMatrix(r) {
    const c = Math.round(Math.sqrt(r.confusion.length));
    const names = s.classNames;
    accFig.set(r.accuracy, `${(r.accuracy * 100).toFixed(2)} %`);
    setValue(accFig.note, `${r.count.toLocaleString('en-US')} images · step ${r.step.toLocaleString('en-US')}`);
    const head = el('tr', {}, el('th', { class: 'corner' }, el('span', {}, 'true ↓ / predicted →')), ...Array.from({ length: c }, (_, p) => el('th', { scope: 'col' }, names[p] ?? String(p))));
    const rows = Array.from({ length: c }, (_, t) => {
      const total = r.confusion.slice(t * c, (t + 1) * c).reduce((a, b) => a + b, 0) || 1;
      return el(
        'tr',
        {},
        el('th', { scope: 'row' }, names[t] ?? String(t)),
        ...Array.from({ length: c }, (_, p) => {
          const n = r.confusion[t * c + p];
          const share = n / total;
          const button = el('button', {
            type: 'button',
            class: `cell ${t === p ? 'diag' : 'off'}${view.cell && view.cell.t === t && view.cell.p === p ? ' open' : ''}`,
            testid: `confusion-${t}-${p}`,
            data: { value: String(n) },
            title: `${n} test images of ${names[t] ?? t} classified as ${names[p] ?? p}`,
            style: { background: cellColor(t === p ? share : Math.min(1, share * 8), t === p) },
            disabled: n === 0,
          }, String(n));
          button.addEventListener('click', () => openCell(t, p));
          return el('td', {}, button);
        }),
      );
    });
    matrix.replaceChildren(el('thead', {}, head), el('tbody', {}, ...rows));
  }

  async function openCell(t, p) {
    view.cell = { t, p };
    for (const b of matrix.querySelectorAll('button.open')) b.classList.remove('open');
    matrix.querySelector(`[data-testid="confusion-${t}-${p}"]`)?.classList.add('open');
    const names = s.classNames;
    try {
      const r = await client.call('cell', { trueClass: t, predictedClass: p, limit: GALLERY });
      if (!view.cell || view.cell.t !== t || view.cell.p !== p) return;
      setValue(galleryTitle, `True ${names[t] ?? t}, predicted ${names[p] ?? p}: ${r.count.toLocaleString('en-US')} test image${r.count === 1 ? '' : 's'}${r.count > r.items.length ? ` (the ${r.items.length} most confident)` : ''}`);
      gallery.dataset.count = String(r.count);
      gallery.replaceChildren(
        ...r.items.map((item, i) => {
          const canvas = pixelImage({ 'aria-label': `Test image #${item.index}` });
          drawGray(canvas, r.pixels.subarray(i * PIXELS, (i + 1) * PIXELS));
          return el(
            'figure',
            { class: 'gallery-item', testid: `gallery-item-${i}`, data: { index: String(item.index), value: String(item.probabilities[p]) } },
            canvas,
            el('figcaption', {}, `#${item.index}`, el('br', {}), `ŷ_${names[p] ?? p} = ${formatNumber(item.probabilities[p], 3)}`, t !== p ? el('br', {}) : null, t !== p ? `ŷ_${names[t] ?? t} = ${formatNumber(item.probabilities[t], 3)}` : null),
          );
        }),
      );
    } catch (e) {
      if (!e.crashed) status.set('error', errorText(e));
    }
  }

  refresh.addEventListener('click', () => evaluate());
  index.input.addEventListener('change', () => contributions());

  session.on('frame', (changes) => {
    const model = changes.has('train') || changes.has('progress');
    const drawn = changes.has('drawn');
    if (!(model || drawn) || far()) return;
    if (model) {
      scheduleWeights();
      scheduleConfusion();
    }
    if (drawn) contributions();
  });
  function all() {
    if (far()) return;
    view.missed = false;
    readWeights();
    contributions();
    evaluate();
  }
  client.onData(() => {
    view.cell = null;
    gallery.replaceChildren();
    setValue(galleryTitle, 'Click a cell of the matrix');
    all();
  });
  session.on('dataset', () => all());
}

/** Background of a confusion cell: white → green (diagonal) or → red (errors) with `share`. */
function cellColor(share, diagonal) {
  const [r, g, b] = diagonal ? [21, 128, 61] : [185, 28, 28];
  const f = Math.max(0, Math.min(1, share)) * (diagonal ? 0.6 : 0.7);
  const mix = (c) => Math.round(255 + (c - 255) * f);
  return `rgb(${mix(r)} ${mix(g)} ${mix(b)})`;
}
