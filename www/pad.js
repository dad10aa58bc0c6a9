// @ts-check
// The drawing pad (pointer events: mouse, pen, touch) and image input. The pad keeps its own
// coordinate system of PAD_SIZE × PAD_SIZE units whatever its CSS size, and a backing store at
// the device pixel ratio so strokes stay crisp. Preprocessing happens in wasm (worker), not here.

/** Pad side in drawing units (= CSS pixels at full size). */
export const PAD_SIZE = 280;
/** Side of the RGBA snapshot sent for preprocessing. */
export const CAPTURE_SIZE = 280;
/** Uploaded images are first scaled down to at most this side. */
export const MAX_IMAGE_SIDE = 1024;
/** Default brush diameter in pad units (MNIST strokes are ~1/8 of the digit height). */
export const DEFAULT_BRUSH = 20;

const DARK = { paper: '#000000', ink: '#ffffff' };
const LIGHT = { paper: '#ffffff', ink: '#000000' };

/** A canvas you can draw on; calls `onChange()` after every change of its pixels. */
export class DrawingPad {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {{onChange: () => void}} options
   */
  constructor(canvas, { onChange }) {
    this.canvas = canvas;
    this.onChange = onChange;
    this.brush = DEFAULT_BRUSH;
    this.colors = DARK;
    /** @type {'dark'|'light'} the background of the drawing (light after a dark-on-light image) */
    this.background = 'dark';
    this.empty = true;
    this.pointerId = null;
    this.last = null;
    /** @type {DOMRect|null} the canvas's box during a stroke (point), forgotten when the page moves */
    this.rect = null;
    this.ctx = canvas.getContext('2d');
    this.capture2d = null;
    this.resizeBacking();
    this.clear();
    canvas.addEventListener('pointerdown', (e) => this.down(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    canvas.addEventListener('pointerup', (e) => this.up(e));
    canvas.addEventListener('pointercancel', (e) => this.up(e));
    canvas.addEventListener('lostpointercapture', (e) => this.up(e));
    canvas.addEventListener('contextmenu', (e) => e.preventDefault()); // long-press on touch screens
    const forgetRect = () => {
      this.rect = null;
    };
    window.addEventListener('scroll', forgetRect, { capture: true, passive: true });
    window.addEventListener('resize', forgetRect, { passive: true });
    // Keep the backing store matched to the device pixel ratio (zoom, moving screens).
    window.matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`).addEventListener('change', () => this.rescale(), { once: true });
  }

  /** Backing store = PAD_SIZE × devicePixelRatio, drawing in pad units. */
  resizeBacking() {
    const ratio = Math.min(3, Math.max(1, window.devicePixelRatio || 1));
    const side = Math.round(PAD_SIZE * ratio);
    this.canvas.width = side;
    this.canvas.height = side;
    this.ctx.setTransform(side / PAD_SIZE, 0, 0, side / PAD_SIZE, 0, 0);
    this.ctx.lineCap = 'round';
    this.ctx.lineJoin = 'round';
    this.ctx.imageSmoothingQuality = 'high';
  }

  rescale() {
    const copy = document.createElement('canvas');
    copy.width = this.canvas.width;
    copy.height = this.canvas.height;
    copy.getContext('2d').drawImage(this.canvas, 0, 0);
    this.resizeBacking();
    this.ctx.drawImage(copy, 0, 0, PAD_SIZE, PAD_SIZE);
    window.matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`).addEventListener('change', () => this.rescale(), { once: true });
  }

  /**
   * Brush diameter in pad units.
   * @param {number} width
   */
  setBrush(width) {
    this.brush = width;
  }

  /** Erase to black paper (white ink, like MNIST). */
  clear() {
    this.colors = DARK;
    this.background = 'dark';
    this.ctx.fillStyle = this.colors.paper;
    this.ctx.fillRect(0, 0, PAD_SIZE, PAD_SIZE);
    this.empty = true;
    this.onChange();
  }

  /**
   * Pad units of a pointer event. The canvas's box is read once a stroke (and again after a scroll
   * or resize): reading it at every move forced a layout of the page the bars had just changed —
   * 0.6 s of the main thread in 15 s of drawing while the model trained (a CPU profile).
   */
  point(e) {
    this.rect ??= this.canvas.getBoundingClientRect();
    const r = this.rect;
    return { x: ((e.clientX - r.left) * PAD_SIZE) / r.width, y: ((e.clientY - r.top) * PAD_SIZE) / r.height };
  }

  down(e) {
    if (this.pointerId !== null || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    this.pointerId = e.pointerId;
    this.canvas.setPointerCapture(e.pointerId);
    this.rect = null; // where the pad is now (the page may have moved since the last stroke)
    const p = this.point(e);
    this.last = p;
    const ctx = this.ctx;
    ctx.fillStyle = this.colors.ink;
    ctx.beginPath();
    ctx.arc(p.x, p.y, this.brush / 2, 0, Math.PI * 2);
    ctx.fill();
    this.empty = false;
    this.onChange();
  }

  move(e) {
    if (e.pointerId !== this.pointerId) return;
    e.preventDefault();
    const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    const ctx = this.ctx;
    ctx.strokeStyle = this.colors.ink;
    ctx.lineWidth = this.brush;
    ctx.beginPath();
    ctx.moveTo(this.last.x, this.last.y);
    for (const ev of events.length ? events : [e]) {
      const p = this.point(ev);
      ctx.lineTo(p.x, p.y);
      this.last = p;
    }
    ctx.stroke();
    this.onChange();
  }

  up(e) {
    if (e.pointerId !== this.pointerId) return;
    this.pointerId = null;
    this.last = null;
  }

  /**
   * The pad's pixels as CAPTURE_SIZE² RGBA (a fresh buffer each time, so it can be transferred).
   * @returns {ImageData}
   */
  capture() {
    if (!this.capture2d) {
      const c = document.createElement('canvas');
      c.width = CAPTURE_SIZE;
      c.height = CAPTURE_SIZE;
      this.capture2d = c.getContext('2d', { willReadFrequently: true });
      this.capture2d.imageSmoothingQuality = 'high';
    }
    this.capture2d.drawImage(this.canvas, 0, 0, CAPTURE_SIZE, CAPTURE_SIZE);
    return this.capture2d.getImageData(0, 0, CAPTURE_SIZE, CAPTURE_SIZE);
  }

  /**
   * Show an image on the pad, fitted (contain) on paper of the tone preprocessing found, and
   * keep drawing in the matching ink; later snapshots are classified with that background.
   * @param {HTMLCanvasElement} image e.g. from readImageFile
   * @param {boolean} lightBackground
   * @param {{notify?: boolean}} [options] notify = call onChange (false if already classified)
   */
  showImage(image, lightBackground, { notify = true } = {}) {
    this.colors = lightBackground ? LIGHT : DARK;
    this.background = lightBackground ? 'light' : 'dark';
    const fit = Math.min(PAD_SIZE / image.width, PAD_SIZE / image.height);
    const w = image.width * fit;
    const h = image.height * fit;
    const ctx = this.ctx;
    ctx.fillStyle = this.colors.paper;
    ctx.fillRect(0, 0, PAD_SIZE, PAD_SIZE);
    ctx.drawImage(image, (PAD_SIZE - w) / 2, (PAD_SIZE - h) / 2, w, h);
    this.empty = false;
    if (notify) this.onChange();
  }
}

/** Images above this many pixels are refused before decoding (a 10 000 × 10 000 image would
 * take 400 MB of memory to decode); phone photos (12–48 megapixels) are below it. */
export const MAX_IMAGE_PIXELS = 50_000_000;
/** Longest side an SVG drawing is rendered at (it has no pixels of its own). */
export const SVG_SIDE = 560;
/** Bytes read to find an image's size in its header (JPEG headers can carry large EXIF blocks). */
const HEADER_BYTES = 256 * 1024;

/**
 * Width and height from the header of a PNG, GIF, JPEG, WebP or BMP file, without decoding.
 * @param {Uint8Array} b the first bytes of the file
 * @returns {{format: string, width: number, height: number}|null} null if not recognised
 */
export function imageHeaderSize(b) {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const ascii = (at, n) => String.fromCharCode(...b.subarray(at, at + n));
  if (b.length >= 24 && b[0] === 0x89 && ascii(1, 3) === 'PNG') return { format: 'PNG', width: dv.getUint32(16), height: dv.getUint32(20) };
  if (b.length >= 10 && ascii(0, 4) === 'GIF8') return { format: 'GIF', width: dv.getUint16(6, true), height: dv.getUint16(8, true) };
  if (b.length >= 26 && ascii(0, 2) === 'BM') return { format: 'BMP', width: Math.abs(dv.getInt32(18, true)), height: Math.abs(dv.getInt32(22, true)) };
  if (b.length >= 30 && ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') {
    const chunk = ascii(12, 4);
    if (chunk === 'VP8 ') return { format: 'WebP', width: dv.getUint16(26, true) & 0x3fff, height: dv.getUint16(28, true) & 0x3fff };
    if (chunk === 'VP8L') {
      const bits = dv.getUint32(21, true);
      return { format: 'WebP', width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
    }
    if (chunk === 'VP8X') return { format: 'WebP', width: (dv.getUint32(24, true) & 0xffffff) + 1, height: (dv.getUint32(27, true) & 0xffffff) + 1 };
    return null;
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    // JPEG: walk the marker segments to the frame header (SOF0–SOF15 but DHT, JPG, DAC).
    let at = 2;
    while (at + 9 < b.length) {
      if (b[at] !== 0xff) return null;
      const marker = b[at + 1];
      if (marker === 0xff) {
        at += 1;
        continue;
      }
      const length = dv.getUint16(at + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { format: 'JPEG', width: dv.getUint16(at + 7), height: dv.getUint16(at + 5) };
      }
      at += 2 + length;
    }
  }
  return null;
}

function isSvg(file, head) {
  if (file.type === 'image/svg+xml' || /\.svgz?$/i.test(file.name)) return true;
  const text = new TextDecoder().decode(head.subarray(0, 512)).trimStart();
  return /^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(text);
}

/**
 * Render an SVG file through an <img> from a blob: URL (scripts in it do not run and it loads
 * nothing: SVG as an image is sandboxed), at SVG_SIDE on its longer side.
 * @returns {Promise<HTMLImageElement>}
 */
async function loadSvg(file, hint) {
  const url = URL.createObjectURL(new Blob([file], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } catch {
    throw new Error(`“${file.name}” is not an SVG image the browser can draw. ${hint}`);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * Decode an image file (PNG, JPEG, WebP, GIF, BMP, or SVG drawn as an image), scale it down to
 * at most MAX_IMAGE_SIDE and composite it over white. Rejects with a readable message if the
 * file is empty, not an image, or too large to decode safely (checked in its header first).
 * @param {File} file
 * @returns {Promise<{canvas: HTMLCanvasElement, image: ImageData, width: number, height: number, format: string}>}
 *   the scaled canvas, its pixels, and the original size and format.
 */
export async function readImageFile(file) {
  const hint = 'Choose a photo or scan of a handwritten digit (PNG, JPEG, WebP, GIF or SVG).';
  if (file.size === 0) throw new Error(`“${file.name}” is empty (0 bytes). ${hint}`);
  if (file.type && !file.type.startsWith('image/')) {
    throw new Error(`“${file.name}” is not an image (${file.type}). ${hint}`);
  }
  const head = new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer());
  let source;
  let format;
  let width;
  let height;
  if (isSvg(file, head)) {
    source = await loadSvg(file, hint);
    format = 'SVG';
    // An SVG without width/height has no size of its own: draw it square.
    const [w0, h0] = source.naturalWidth > 0 && source.naturalHeight > 0 ? [source.naturalWidth, source.naturalHeight] : [1, 1];
    const fit = SVG_SIDE / Math.max(w0, h0);
    [width, height] = [Math.max(1, Math.round(w0 * fit)), Math.max(1, Math.round(h0 * fit))];
  } else {
    const size = imageHeaderSize(head);
    if (size && size.width * size.height > MAX_IMAGE_PIXELS) {
      const mp = ((size.width * size.height) / 1e6).toFixed(0);
      throw new Error(`“${file.name}” is ${size.width.toLocaleString('en-US')} × ${size.height.toLocaleString('en-US')} pixels (${mp} megapixels); the lab opens images up to ${MAX_IMAGE_PIXELS / 1e6} megapixels. Crop or scale it down first.`);
    }
    try {
      source = await createImageBitmap(file);
    } catch {
      throw new Error(`“${file.name}” could not be read as an image. ${hint}`);
    }
    format = size ? size.format : 'image';
    ({ width, height } = source);
  }
  try {
    const scale = format === 'SVG' ? 1 : Math.min(1, MAX_IMAGE_SIDE / Math.max(width, height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.fillStyle = LIGHT.paper;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
    let image;
    try {
      image = ctx.getImageData(0, 0, canvas.width, canvas.height);
    } catch (e) {
      throw new Error(`the pixels of “${file.name}” cannot be read (${e.message}). ${hint}`, { cause: e });
    }
    return { canvas, image, width, height, format };
  } finally {
    if ('close' in source) source.close();
  }
}
