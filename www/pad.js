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
    this.background = 'dark';
    this.empty = true;
    this.pointerId = null;
    this.last = null;
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

  point(e) {
    const r = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * PAD_SIZE) / r.width, y: ((e.clientY - r.top) * PAD_SIZE) / r.height };
  }

  down(e) {
    if (this.pointerId !== null || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    this.pointerId = e.pointerId;
    this.canvas.setPointerCapture(e.pointerId);
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

/**
 * Decode an image file, scale it down to at most MAX_IMAGE_SIDE and composite it over white.
 * Rejects with a readable message if the file is not an image the browser can decode.
 * @param {File} file
 * @returns {Promise<{canvas: HTMLCanvasElement, image: ImageData, width: number, height: number}>}
 *   the scaled canvas, its pixels, and the original size.
 */
export async function readImageFile(file) {
  const hint = 'Choose a photo or scan of a handwritten digit (PNG, JPEG, WebP or GIF).';
  if (file.type && !file.type.startsWith('image/')) {
    throw new Error(`“${file.name}” is not an image (${file.type}). ${hint}`);
  }
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(`“${file.name}” could not be read as an image. ${hint}`);
  }
  const { width, height } = bitmap;
  try {
    const scale = Math.min(1, MAX_IMAGE_SIDE / Math.max(width, height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.fillStyle = LIGHT.paper;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return { canvas, image: ctx.getImageData(0, 0, canvas.width, canvas.height), width, height };
  } finally {
    bitmap.close();
  }
}
