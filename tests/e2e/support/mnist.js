// Node-side helpers for the e2e tests: read the raw MNIST test set, score an exported weights
// file independently of the lab (float64, our own code), and make PNG images of digits.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync, deflateSync } from 'node:zlib';
import { join, resolve } from 'node:path';

export const REPO = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** The real data/manifest.json (./lab setup writes it). */
export function manifest() {
  return JSON.parse(readFileSync(join(REPO, 'data', 'manifest.json'), 'utf8'));
}
export const SIDE = 28;
export const INPUT_DIM = SIDE * SIDE;

/** The bytes of data/mnist/<name>, from the uncompressed file or its .gz. */
function readData(name) {
  const plain = join(REPO, 'data', 'mnist', name);
  if (existsSync(plain)) return readFileSync(plain);
  const gz = `${plain}.gz`;
  if (existsSync(gz)) return gunzipSync(readFileSync(gz));
  throw new Error(`${plain}(.gz) is missing: run ./lab setup first`);
}

/** Parse an IDX file with full checks (magic, dimensions, length). */
export function parseIdx(buf, kind) {
  const magic = buf.readUInt32BE(0);
  if (kind === 'images') {
    if (magic !== 0x803) throw new Error(`images: bad magic 0x${magic.toString(16)}`);
    const [n, rows, cols] = [buf.readUInt32BE(4), buf.readUInt32BE(8), buf.readUInt32BE(12)];
    if (rows !== SIDE || cols !== SIDE || buf.length !== 16 + n * rows * cols) throw new Error('images: bad size');
    return { n, data: buf.subarray(16) };
  }
  if (magic !== 0x801) throw new Error(`labels: bad magic 0x${magic.toString(16)}`);
  const n = buf.readUInt32BE(4);
  if (buf.length !== 8 + n) throw new Error('labels: bad size');
  return { n, data: buf.subarray(8) };
}

let cached;
/** The full MNIST test set: {n, images (n·784 bytes), labels (n bytes)}. */
export function mnistTest() {
  if (!cached) {
    const images = parseIdx(readData('t10k-images-idx3-ubyte'), 'images');
    const labels = parseIdx(readData('t10k-labels-idx1-ubyte'), 'labels');
    if (images.n !== labels.n) throw new Error('image/label count mismatch');
    cached = { n: images.n, images: images.data, labels: labels.data };
  }
  return cached;
}

/** Pixels (784 bytes) of test image i. */
export function testImage(i) {
  const t = mnistTest();
  return t.images.subarray(i * INPUT_DIM, (i + 1) * INPUT_DIM);
}

/**
 * Score a weights file on the whole test set in float64, straight from its documented
 * contract: x = (pixel/255 − mean)/std, z = xW + b, prediction = argmax z.
 * Returns {n, correct, accuracy, loss, logits(i)}.
 */
export function scoreWeights(file, set = mnistTest()) {
  const { mean, std } = file.input;
  const c = file.b.length;
  // W flattened to float64, row j = input j.
  const W = new Float64Array(INPUT_DIM * c);
  file.W.forEach((row, j) => row.forEach((v, k) => { W[j * c + k] = v; }));
  const b = Float64Array.from(file.b);
  const lut = new Float64Array(256);
  for (let p = 0; p < 256; p++) lut[p] = (p / 255 - mean) / std;
  const z = new Float64Array(c);
  const logits = (img) => {
    z.set(b);
    for (let j = 0; j < INPUT_DIM; j++) {
      const x = lut[img[j]];
      const o = j * c;
      for (let k = 0; k < c; k++) z[k] += x * W[o + k];
    }
    return z;
  };
  let correct = 0;
  let lossSum = 0;
  for (let i = 0; i < set.n; i++) {
    const zz = logits(set.images.subarray(i * INPUT_DIM, (i + 1) * INPUT_DIM));
    let best = 0;
    let max = -Infinity;
    for (let k = 0; k < c; k++) if (zz[k] > max) { max = zz[k]; best = k; }
    let s = 0;
    for (let k = 0; k < c; k++) s += Math.exp(zz[k] - max);
    lossSum += max + Math.log(s) - zz[set.labels[i]];
    if (best === set.labels[i]) correct++;
  }
  return { n: set.n, correct, accuracy: correct / set.n, loss: lossSum / set.n, logits: (img) => Array.from(logits(img)) };
}

// ---------------------------------------------------------------- PNG encoding (by hand)

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** Encode 8-bit RGB pixels (width·height·3 bytes) as a PNG file. */
export function encodePng(width, height, rgb) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0; // deflate, adaptive filtering, no interlace
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    raw[y * (1 + width * 3)] = 0; // filter: none
    Buffer.from(rgb.buffer, rgb.byteOffset + y * width * 3, width * 3).copy(raw, y * (1 + width * 3) + 1);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * A grey-level PNG of one colour (`grey` 0–255), cheap at any size: a 10 000 × 10 000 file is
 * about 100 kB (rows of one value deflate to almost nothing).
 */
export function encodeGrayPng(width, height, grey = 255) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // colour type: greyscale
  const raw = Buffer.alloc(height * (1 + width), grey);
  for (let y = 0; y < height; y++) raw[y * (1 + width)] = 0; // filter: none
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 1 })), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * A 28×28 MNIST digit (ink bright) as a "scan": dark ink on slightly grey, slightly uneven,
 * slightly noisy paper, upscaled bilinearly by `scale`. Deterministic (seeded noise).
 * Returns {width, height, rgb}.
 */
export function scanOfDigit(pixels, { scale = 8, paper = 232, ink = 28, shade = 12, noise = 6, seed = 1 } = {}) {
  const w = SIDE * scale;
  const h = SIDE * scale;
  const rgb = new Uint8Array(w * h * 3);
  let s = seed >>> 0 || 1;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const at = (x, y) => pixels[Math.min(SIDE - 1, Math.max(0, y)) * SIDE + Math.min(SIDE - 1, Math.max(0, x))] / 255;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Bilinear sample of the 28×28 image at the centre of this output pixel.
      const fx = (x + 0.5) / scale - 0.5;
      const fy = (y + 0.5) / scale - 0.5;
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      const tx = fx - x0;
      const ty = fy - y0;
      const v = (1 - ty) * ((1 - tx) * at(x0, y0) + tx * at(x0 + 1, y0)) + ty * ((1 - tx) * at(x0, y0 + 1) + tx * at(x0 + 1, y0 + 1));
      const bg = paper - shade * (x / w); // light falls off a little to the right
      const lum = bg + (ink - bg) * v + (rand() * 2 - 1) * noise;
      const l = Math.max(0, Math.min(255, Math.round(lum)));
      // A faint warm tint, like paper under a lamp.
      rgb[(y * w + x) * 3] = Math.min(255, l + 3);
      rgb[(y * w + x) * 3 + 1] = l;
      rgb[(y * w + x) * 3 + 2] = Math.max(0, l - 4);
    }
  }
  return { width: w, height: h, rgb };
}
