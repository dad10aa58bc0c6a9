// @ts-check
// Section "Draw": a drawing pad and image input, the 28×28 image the model sees, and the
// model's class probabilities, updated live while drawing and while training.

import { DATASET_NAMES, SIDE } from '../constants.js';
import { el, setValue } from '../dom.js';
import { NONE } from '../format.js';
import { drawGray } from '../images.js';
import { renderTex, tex } from '../math.js';
import { DEFAULT_BRUSH, DrawingPad, PAD_SIZE, readImageFile } from '../pad.js';

/** Section id (URL anchor) and table-of-contents title. */
export const ID = 'draw';
export const TITLE = 'Draw';

/** While training, re-classify the drawing at most this often. */
const REPREDICT_MS = 200;
/** Ink whose bounding box is smaller than this fraction of the pad is "a dot", not a digit. */
const TINY_MARK = 0.15;

const TEX = {
  model: String.raw`\hat{\mathbf{y}} = \operatorname{softmax}(\mathbf{x}\mathbf{W} + \mathbf{b})`,
};

function transformTex(t) {
  return String.raw`x_j = \frac{\mathrm{pixel}_j/255 - ${t.mean.toFixed(4)}}{${t.std.toFixed(4)}}`;
}

/**
 * Build the section and wire it to the session.
 * @param {HTMLElement} root the <section> element
 * @param {import('../session.js').Session} session
 */
export function mount(root, session) {
  const s = session.state;
  /** This section's view state (pending requests, last prepared image). */
  const view = { dirty: false, inFlight: false, pixels: null, lastRepredict: 0, repredicting: false, repredictTimer: 0, stale: false, imageRequest: 0, drawNote: false };

  const canvas = el('canvas', { testid: 'draw-canvas', class: 'pad', width: PAD_SIZE, height: PAD_SIZE, 'aria-label': 'Drawing pad: draw a digit with the mouse, a pen or a finger', role: 'img', 'aria-describedby': 'pad-help' });
  // How to use the pad, for a screen reader; the keyboard's route is Open image….
  const padHelp = el('p', { id: 'pad-help', testid: 'pad-help', class: 'visually-hidden' }, 'Draw with the mouse, a pen or a finger; the prediction follows as you draw, and Clear starts again. Without a pointer, use Open image… below the pad to classify a picture file instead.');
  const heading = el('h2', { testid: 'draw-heading' }, 'Draw a digit');
  const lede = el('p', { class: 'lede' });
  const brush = el('input', { id: 'brush', type: 'range', min: '6', max: '40', step: '1', value: String(DEFAULT_BRUSH) });
  const brushValue = el('output', { for: 'brush', class: 'brush-value' }, `${DEFAULT_BRUSH} px`);
  const clear = el('button', { type: 'button', testid: 'clear', class: 'btn' }, 'Clear');
  const fileInput = el('input', { id: 'image-input', testid: 'image-input', type: 'file', accept: 'image/*', class: 'visually-hidden' });
  const fileLabel = el('label', { for: 'image-input', class: 'btn file-btn' }, 'Open image…');
  const message = el('p', { class: 'pad-message', role: 'status', 'aria-live': 'polite' });

  const seen = el('canvas', { class: 'seen', width: SIDE, height: SIDE, 'aria-label': 'The 28 × 28 image the model sees', role: 'img' });
  const seenCtx = seen.getContext('2d');
  const seenNote = el('p', { class: 'seen-note' });
  const transformMath = el('div', { class: 'math math-display' });

  const prediction = el('output', { testid: 'prediction', class: 'prediction-value' }, NONE);
  const predictionHint = el('p', { class: 'prediction-hint' }, 'Draw a digit');
  const modelNote = el('p', { class: 'prediction-note' });
  const bars = el('ol', { class: 'probs', 'aria-label': 'Class probabilities' });
  const rows = [];

  const pad = new DrawingPad(canvas, { onChange: () => schedule() });

  brush.addEventListener('input', () => {
    pad.setBrush(Number(brush.value));
    brushValue.textContent = `${brush.value} px`;
  });
  clear.addEventListener('click', () => {
    view.imageRequest += 1;
    setValue(message, '');
    pad.clear();
  });
  fileInput.addEventListener('change', () => {
    const file = fileInput.files && fileInput.files[0];
    fileInput.value = '';
    if (file) openImage(file);
  });

  root.append(
    el(
      'header',
      { class: 'section-head' },
      heading,
      lede,
    ),
    el(
      'div',
      { class: 'draw-grid' },
      el(
        'div',
        { class: 'card pad-card' },
        el('div', { class: 'pad-frame' }, canvas),
        padHelp,
        el(
          'div',
          { class: 'pad-tools' },
          el('label', { for: 'brush', class: 'brush-label' }, 'Brush'),
          brush,
          brushValue,
        ),
        el('div', { class: 'pad-tools' }, clear, fileInput, fileLabel),
        message,
      ),
      el(
        'div',
        { class: 'card seen-card' },
        el('h3', {}, 'What the model sees'),
        seen,
        seenNote,
        el('p', { class: 'field-note' }, 'Each of the 784 pixels (ink = 255) becomes one input:'),
        transformMath,
      ),
      el(
        'div',
        { class: 'card prediction-card' },
        el('h3', {}, 'Prediction'),
        el('div', { class: 'prediction' }, prediction, predictionHint),
        tex(TEX.model, { display: true }),
        bars,
        modelNote,
      ),
    ),
  );

  function buildBars() {
    bars.replaceChildren();
    rows.length = 0;
    const names = s.classNames.length ? s.classNames : Array.from({ length: 10 }, (_, k) => String(k));
    names.forEach((name, k) => {
      const fill = el('span', { class: 'prob-fill' });
      const value = el('span', { class: 'prob-value' }, NONE);
      const row = el(
        'li',
        { testid: `prob-${k}`, class: 'prob', data: { value: '' } },
        el('span', { class: 'prob-name' }, name),
        el('span', { class: 'prob-bar' }, fill),
        value,
      );
      rows.push({ row, fill, value });
      bars.append(row);
    });
  }

  /** What the data set's images show: "digit", "piece of clothing", or "image" (own data). */
  function thing() {
    return s.dataset === 'fashion' ? 'piece of clothing' : s.dataset === 'mnist' ? 'digit' : 'image';
  }

  function emptyHint() {
    return `Draw a ${thing()}`;
  }

  /** The heading, the lede, the pad's label and the page's tagline follow the data set. */
  function nameTheData() {
    const data = DATASET_NAMES[s.dataset] || 'your data set';
    setValue(heading, `Draw a ${thing()}`);
    setValue(lede, `White ink on black, like ${data}. The pad is cropped, scaled to fit 20 × 20 and centred by its centre of mass in 28 × 28 — the way MNIST was made — then classified by the model as it is right now, even while it trains.`);
    canvas.setAttribute('aria-label', `Drawing pad: draw a ${thing()} with the mouse, a pen or a finger`);
    for (const node of document.querySelectorAll('[data-dataset-name]')) setValue(/** @type {HTMLElement} */ (node), data);
  }

  /** Share the 28×28 image the model sees (or null) with other sections (§4, §5): `state.drawn`. */
  function publish(pixels) {
    if (s.drawn === pixels) return;
    s.drawn = pixels;
    session.invalidate('drawn');
  }

  function showEmpty(text) {
    view.pixels = null;
    publish(null);
    setValue(prediction, NONE);
    setValue(predictionHint, text || emptyHint());
    predictionHint.hidden = false;
    setValue(modelNote, '');
    for (const r of rows) {
      r.row.dataset.value = '';
      r.row.classList.remove('top');
      r.fill.style.width = '0%';
      setValue(r.value, NONE);
    }
    seenCtx.fillStyle = '#000';
    seenCtx.fillRect(0, 0, SIDE, SIDE);
    setValue(seenNote, 'Nothing drawn yet.');
  }

  function showPixels(pixels) {
    drawGray(seen, pixels, 1);
  }

  function showProbs(probs, step) {
    if (rows.length !== probs.length) buildBars();
    let top = 0;
    for (let k = 1; k < probs.length; k++) if (probs[k] > probs[top]) top = k;
    rows.forEach((r, k) => {
      const p = probs[k];
      r.row.dataset.value = String(p);
      r.row.classList.toggle('top', k === top);
      r.fill.style.width = `${(p * 100).toFixed(2)}%`;
      setValue(r.value, `${(p * 100).toFixed(1)} %`);
    });
    setValue(prediction, s.classNames[top] ?? String(top));
    predictionHint.hidden = true;
    setValue(modelNote, step === 0 ? 'The model is untrained (step 0): its weights are random. Press Play or Step above.' : `Model at step ${step.toLocaleString('en-US')}.`);
  }

  /**
   * Classify the pad as soon as the current input event is handled (pointer moves of one task
   * coalesce), one request at a time; a drawing made while a request is out is sent when it
   * returns. Not waiting for the next animation frame saves up to 16.7 ms per update.
   */
  function schedule() {
    view.dirty = true;
    if (!view.inFlight) queueMicrotask(run);
  }

  /** A message about the drawing (not about an opened image), cleared when the drawing is fine. */
  function drawNote(text) {
    if (!text && !view.drawNote) return;
    view.drawNote = Boolean(text);
    setValue(message, text);
  }

  async function run() {
    if (!view.dirty || view.inFlight) return;
    view.dirty = false;
    if (pad.empty) {
      drawNote('');
      showEmpty();
      return;
    }
    if (s.generation === 0) {
      const failed = s.status.state === 'error';
      setValue(predictionHint, failed ? 'No model: the data set did not load (see the message at the top)' : 'The model is still loading…');
      predictionHint.hidden = false;
      return;
    }
    view.inFlight = true;
    try {
      const capture = pad.capture();
      const r = await session.lab.predict(capture, pad.background);
      if (pad.empty) showEmpty();
      else if (r.empty) {
        showEmpty(`No ${thing()} stands out`);
        drawNote(`Nothing stands out from the background: the pad is (almost) all one colour. Clear it and draw a ${thing()}.`);
      } else {
        view.pixels = r.pixels;
        publish(r.pixels);
        showPixels(r.pixels);
        setValue(seenNote, r.lightBackground ? 'Dark ink on light paper was detected and inverted.' : 'Ink bright on black, as in MNIST.');
        showProbs(r.probs, r.step);
        const [x0, y0, x1, y1] = r.bbox;
        const tiny = Math.max(x1 - x0, y1 - y0) < TINY_MARK * capture.width;
        drawNote(tiny ? `That is only a dot: it is scaled up to fill 20 × 20 pixels, so the model sees a blob and its guess means little. Draw a whole ${thing()}.` : '');
      }
    } catch (e) {
      drawNote(`Could not classify the drawing: ${e.message}`);
    } finally {
      view.inFlight = false;
      if (view.dirty) queueMicrotask(run);
    }
  }

  /** Re-classify the last prepared image with the model as it is now (training moves it). */
  async function repredict() {
    if (!view.pixels || pad.empty || view.inFlight) return;
    if (view.repredicting) {
      view.stale = true; // the model moved on while we were asking: ask again afterwards
      return;
    }
    view.repredicting = true;
    view.lastRepredict = performance.now();
    try {
      const r = await session.lab.predictPixels(view.pixels);
      if (view.pixels && !pad.empty) showProbs(r.probs, r.step);
    } catch {
      /* the next frame tries again; errors surface through the session */
    } finally {
      view.repredicting = false;
      if (view.stale) {
        view.stale = false;
        requestRepredict();
      }
    }
  }

  async function openImage(file) {
    const ticket = ++view.imageRequest;
    view.drawNote = false;
    setValue(message, `Reading “${file.name}”…`);
    try {
      const { canvas: image, image: pixels, width, height, format } = await readImageFile(file);
      const size = format === 'SVG' ? 'an SVG drawing' : `${width} × ${height}`;
      if (ticket !== view.imageRequest) return;
      if (s.generation === 0) throw new Error('the model is still loading; try again in a moment');
      const r = await session.lab.predict(pixels, 'auto');
      if (ticket !== view.imageRequest) return;
      if (r.empty) {
        pad.showImage(image, true, { notify: false });
        showEmpty(`No ${thing()} found in the image`);
        setValue(message, `No ${thing()} found in “${file.name}” (${size}): the image has too little contrast.`);
        return;
      }
      pad.showImage(image, r.lightBackground, { notify: false }); // already classified
      view.pixels = r.pixels;
      publish(r.pixels);
      showPixels(r.pixels);
      setValue(seenNote, r.lightBackground ? 'Dark ink on light paper was detected and inverted.' : 'Light ink on a dark background was detected.');
      showProbs(r.probs, r.step);
      setValue(message, `“${file.name}” (${size}): you can draw over it, or Clear.`);
    } catch (e) {
      if (ticket === view.imageRequest) setValue(message, e.message);
    }
  }

  /** Re-classify soon: now if the last one is old enough, else once REPREDICT_MS have passed. */
  function requestRepredict() {
    if (!view.pixels || view.repredictTimer) return;
    const wait = REPREDICT_MS - (performance.now() - view.lastRepredict);
    if (wait <= 0) repredict();
    else
      view.repredictTimer = setTimeout(() => {
        view.repredictTimer = 0;
        repredict();
      }, wait);
  }

  session.on('frame', (changes) => {
    if (changes.has('train')) requestRepredict();
  });
  session.on('dataset', () => {
    nameTheData();
    buildBars();
    if (s.transform) renderTex(transformMath, transformTex(s.transform), true);
    if (pad.empty) showEmpty();
    else schedule();
  });

  nameTheData();
  buildBars();
  showEmpty();
}
