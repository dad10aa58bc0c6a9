// @ts-check
// 28×28 images (<img> elements where they are painted once, canvases where they are repainted
// as the model trains), and the diverging colour map (with its colour bar and the limits that
// scale it) that shows signed values such as weights.

import { el, setValue } from './dom.js';
import { PIXELS, SIDE } from './constants.js';
import { formatNumber, NONE } from './format.js';

/** Diverging colour map (negative → white → positive), after ColorBrewer RdBu. */
const DIVERGING = [
  [33, 102, 172],
  [103, 169, 207],
  [209, 229, 240],
  [247, 247, 247],
  [253, 219, 199],
  [239, 138, 98],
  [178, 24, 43],
];
/** The same as a CSS gradient (colour-bar legends). */
export const DIVERGING_CSS = `linear-gradient(to right, ${DIVERGING.map(([r, g, b]) => `rgb(${r} ${g} ${b})`).join(', ')})`;

/**
 * An image element for a 28×28 image painted once (or seldom), scaled up by CSS (pixelated),
 * empty (transparent) until painted. An <img>, not a canvas: Chromium composites every canvas
 * as a layer of its own, and the browser sorts and commits the page's layers again at every
 * frame while the model trains. Images repainted as the model trains or a drawing changes are
 * canvases (pixelCanvas): a new PNG per update costs more than the layer.
 * @param {object} [props] extra element properties (class, testid, aria-label — the image's alt text…)
 * @returns {HTMLImageElement}
 */
export function pixelImage(props = {}) {
  const { 'aria-label': label = '', ...rest } = /** @type {Record<string, any>} */ (props);
  const img = el('img', { width: SIDE, height: SIDE, alt: label, ...rest, class: `img28 ${rest.class || ''}`.trim() });
  clearImage(img);
  return img;
}

/**
 * A canvas for a 28×28 image repainted often (the model's weights while it trains, the drawing
 * as the model sees it), scaled up by CSS (pixelated).
 * @param {object} [props] extra element properties (class, testid, aria-label…)
 * @returns {HTMLCanvasElement}
 */
export function pixelCanvas(props = {}) {
  return el('canvas', { width: SIDE, height: SIDE, role: 'img', ...props, class: `img28 ${/** @type {any} */ (props).class || ''}`.trim() });
}

/** The 28 × 28 canvas images are painted on before they become an image's PNG (made on first use). */
let scratch = /** @type {CanvasRenderingContext2D|null} */ (null);
/** The PNG of a transparent 28 × 28 image (made on first use). */
let transparent = '';

function scratchContext() {
  if (!scratch) {
    const c = document.createElement('canvas');
    c.width = SIDE;
    c.height = SIDE;
    scratch = /** @type {CanvasRenderingContext2D} */ (c.getContext('2d'));
  }
  return scratch;
}

/**
 * Back to empty (transparent: the element's background shows).
 * @param {HTMLImageElement|HTMLCanvasElement} target
 */
export function clearImage(target) {
  if (target instanceof HTMLImageElement) {
    transparent ||= Object.assign(document.createElement('canvas'), { width: SIDE, height: SIDE }).toDataURL();
    target.src = transparent;
  } else target.getContext('2d')?.clearRect(0, 0, target.width, target.height);
}

/**
 * Fill a 28×28 image pixel by pixel: `rgb(i)` gives pixel i's colour. An <img> gets the pixels
 * as a PNG (a data: URL, which the page's CSP allows for images); a canvas is drawn on.
 * @param {HTMLImageElement|HTMLCanvasElement} target
 * @param {(i: number) => number[]} rgb
 */
function paint(target, rgb) {
  const image = target instanceof HTMLImageElement;
  const ctx = image ? scratchContext() : /** @type {CanvasRenderingContext2D} */ (target.getContext('2d'));
  const img = ctx.createImageData(SIDE, SIDE);
  for (let i = 0; i < PIXELS; i++) {
    img.data.set(rgb(i), 4 * i);
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  if (image) target.src = ctx.canvas.toDataURL();
}

/**
 * Draw grey levels (ink bright): bytes 0–255 or intensities 0–1 (`max` = 1).
 * @param {HTMLImageElement|HTMLCanvasElement} canvas
 * @param {ArrayLike<number>} values 784 values
 * @param {number} [max] the value drawn white
 */
export function drawGray(canvas, values, max = 255) {
  paint(canvas, (i) => {
    const v = Math.round(Math.min(1, Math.max(0, values[i] / max)) * 255);
    return [v, v, v];
  });
}

/** RGB of the diverging map at t ∈ [−1, 1]. */
export function divergingRgb(t) {
  const u = ((Math.max(-1, Math.min(1, t)) + 1) / 2) * (DIVERGING.length - 1);
  const i = Math.min(DIVERGING.length - 2, Math.floor(u));
  const f = u - i;
  const [a, b] = [DIVERGING[i], DIVERGING[i + 1]];
  return [0, 1, 2].map((c) => Math.round(a[c] + (b[c] - a[c]) * f));
}

/**
 * Draw signed values with the diverging map, ±`limit` at the ends (0 = white).
 * @param {HTMLImageElement|HTMLCanvasElement} canvas
 * @param {ArrayLike<number>} values 784 values (or more: `offset`, `stride` pick them)
 * @param {number} limit
 * @param {{offset?: number, stride?: number}} [layout] value of pixel i = values[offset + i·stride]
 */
export function drawDiverging(canvas, values, limit, { offset = 0, stride = 1 } = {}) {
  const inv = limit > 0 ? 1 / limit : 0;
  paint(canvas, (i) => divergingRgb(values[offset + i * stride] * inv));
}

/**
 * A colour-scale limit that a few extreme values do not wash out: the 99th percentile of |v|
 * (values beyond it are drawn at full colour).
 * @param {ArrayLike<number>} values
 */
export function robustLimit(values) {
  // A typed array sorts numerically in native code: 4× faster than an Array with a comparator
  // for W's 7,840 values (Node 20), which Learned rescales for while the model trains.
  const a = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i]);
    if (Number.isFinite(v)) a[n++] = v;
  }
  if (n === 0) return 0;
  const sorted = a.subarray(0, n).sort();
  return sorted[Math.min(n - 1, Math.floor(0.99 * n))] || sorted[n - 1];
}

/** Largest |v| of `values` (0 if none is finite). */
export function maxAbs(values) {
  let m = 0;
  for (const v of values) if (Number.isFinite(v) && Math.abs(v) > m) m = Math.abs(v);
  return m;
}

/**
 * A colour bar for the diverging map: −limit … 0 … +limit, with a caption.
 * @param {string} caption what the colours measure
 * @returns {{node: HTMLElement, set: (limit: number) => void}}
 */
export function colorBar(caption) {
  const lo = el('span', {}, NONE);
  const hi = el('span', {}, NONE);
  const node = el(
    'div',
    { class: 'color-bar' },
    el('span', { class: 'color-bar-caption' }, caption),
    el('span', { class: 'color-bar-scale' }, lo, el('span', { class: 'color-bar-ramp', style: { background: DIVERGING_CSS } }), hi),
  );
  return {
    node,
    set(limit) {
      const t = formatNumber(limit, 2);
      setValue(lo, `−${t}`);
      setValue(hi, `+${t}`);
    },
  };
}
