// @ts-check
// A reversible pixel transform that makes xz compress images better (scripts/fetch-data.sh uses it
// for Fashion-MNIST; the manifest's "transform" says so): each pixel goes into one of 256 buckets
// chosen from its already-known neighbours (left a, up b, up-left c, up-right d): the
// LOCO-I/MED prediction of it (32 levels of 8) and how busy the neighbourhood is
// (|a−c| + |b−c| + |b−d|, 8 levels). The pixels are stored bucket after bucket, each bucket in
// the pixels' order, so that xz sees pixels of like neighbourhoods together: in effect a context
// model for xz, which has none of its own for images. xz itself does all the compressing.
//
// Layout of a transformed stream of n IDX images files (the files one after the other before):
// the n 16-byte IDX headers, the 256 bucket sizes (u32, little-endian), then the pixels of all
// the files' images bucket by bucket. Undoing it walks the pixels in order, works out each
// pixel's bucket from the neighbours it has already put back and takes that bucket's next
// pixel. Pure functions, no DOM.

/** The name the manifest gives this transform. */
export const CONTEXT_TRANSFORM = 'med-context-256';
const BUCKETS = 256;
const HEADER = 16;
/** What the transform adds to its files: the bucket sizes. */
export const CONTEXT_HEAD = BUCKETS * 4;

/** act (0 … 765) → its level 0 … 7: thresholds 1, 3, 7, 15, 31, 63, 127. */
const LEVEL = new Uint8Array(766);
for (let v = 0, q = 0; v < LEVEL.length; v++) {
  while (q < 7 && v >= 2 ** (q + 1) - 1) q++;
  LEVEL[v] = q;
}

/** An error in a transformed stream: `message` says what is wrong. */
export class ContextError extends Error {}

const be = (b, at) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;

/**
 * The images of IDX images file headers: count, rows, cols, checked.
 * @param {Uint8Array} header 16 bytes
 */
function shape(header, i) {
  if (be(header, 0) !== 0x803) throw new ContextError(`file ${i + 1} is not an IDX images file`);
  const n = be(header, 4);
  const rows = be(header, 8);
  const cols = be(header, 12);
  if (!rows || !cols || rows * cols > 1 << 20) throw new ContextError(`file ${i + 1} has images of ${rows} × ${cols} pixels`);
  return { n, rows, cols };
}

/**
 * The bucket of every pixel in order, worked out from its neighbours in `pixels`: with `keys`,
 * the pixels are all there and keys[i] gets pixel i's bucket (sorting); without, pixel i is taken
 * from `stream` at next[its bucket]++ as soon as its neighbours are back (restoring). One loop for
 * both, so that they cannot disagree; it runs over 55 million pixels in the page's worker.
 * @param {Uint8Array} pixels
 * @param {{n: number, rows: number, cols: number}[]} shapes
 * @param {Uint8Array|null} keys
 * @param {Uint8Array} stream
 * @param {Uint32Array} next
 */
function walk(pixels, shapes, keys, stream, next) {
  let i = 0;
  for (const { n, rows, cols } of shapes) {
    for (let img = 0; img < n; img++) {
      for (let y = 0; y < rows; y++) {
        for (let x = 0; x < cols; x++, i++) {
          let a = 0;
          let b = 0;
          let c = 0;
          let d = 0;
          if (x > 0) a = pixels[i - 1];
          if (y > 0) {
            b = pixels[i - cols];
            if (x > 0) c = pixels[i - cols - 1];
            if (x + 1 < cols) d = pixels[i - cols + 1];
          }
          // Branch-free (the pixels are noisy: branches on them would be mispredicted). MED is
          // a + b − c clamped to [min(a, b), max(a, b)].
          const ab = a - b;
          const abm = ab >> 31;
          const min = b + (ab & abm);
          const max = a - (ab & abm);
          let g = a + b - c;
          let t = g - min;
          g -= t & (t >> 31); // max(g, min)
          t = g - max;
          const med = max + (t & (t >> 31)); // min(g, max)
          let ac = a - c;
          ac = (ac ^ (ac >> 31)) - (ac >> 31);
          let bc = b - c;
          bc = (bc ^ (bc >> 31)) - (bc >> 31);
          let bd = b - d;
          bd = (bd ^ (bd >> 31)) - (bd >> 31);
          const k = ((med >> 3) << 3) | LEVEL[ac + bc + bd];
          if (keys) keys[i] = k;
          else pixels[i] = stream[next[k]++];
        }
      }
    }
  }
}

/**
 * The transformed stream of IDX images files (what setup compresses).
 * @param {Uint8Array[]} files
 * @returns {Uint8Array}
 */
export function contextSort(files) {
  const shapes = files.map((f, i) => {
    if (f.length < HEADER) throw new ContextError(`file ${i + 1} is shorter than an IDX header`);
    const s = shape(f, i);
    if (f.length !== HEADER + s.n * s.rows * s.cols) throw new ContextError(`file ${i + 1} has ${f.length} bytes, its header says ${HEADER + s.n * s.rows * s.cols}`);
    return s;
  });
  const total = files.reduce((t, f) => t + f.length - HEADER, 0);
  const pixels = new Uint8Array(total);
  let at = 0;
  for (const f of files) {
    pixels.set(f.subarray(HEADER), at);
    at += f.length - HEADER;
  }
  const keys = new Uint8Array(total);
  walk(pixels, shapes, keys, pixels, new Uint32Array(0));
  const count = new Uint32Array(BUCKETS);
  for (let i = 0; i < total; i++) count[keys[i]]++;
  const head = files.length * HEADER + CONTEXT_HEAD;
  const out = new Uint8Array(head + total);
  files.forEach((f, i) => out.set(f.subarray(0, HEADER), i * HEADER));
  const sizes = new DataView(out.buffer, files.length * HEADER, CONTEXT_HEAD);
  const next = new Uint32Array(BUCKETS);
  for (let k = 0, start = head; k < BUCKETS; start += count[k], k++) {
    sizes.setUint32(k * 4, count[k], true);
    next[k] = start;
  }
  for (let i = 0; i < total; i++) out[next[keys[i]]++] = pixels[i];
  return out;
}

/**
 * The IDX images files back, one after the other, from a transformed stream of `files` of them.
 * Throws a ContextError for a stream that is cut short, too long or inconsistent.
 * @param {Uint8Array} stream
 * @param {number} files how many IDX files the stream holds
 * @returns {Uint8Array<ArrayBuffer>}
 */
export function contextRestore(stream, files) {
  const head = files * HEADER + CONTEXT_HEAD;
  if (stream.length < head) throw new ContextError(`it is cut short: ${stream.length} bytes, not even the ${head} bytes of its headers`);
  const shapes = [];
  let total = 0;
  for (let i = 0; i < files; i++) {
    const s = shape(stream.subarray(i * HEADER, (i + 1) * HEADER), i);
    shapes.push(s);
    total += s.n * s.rows * s.cols;
  }
  if (stream.length !== head + total) {
    throw new ContextError(stream.length < head + total ? `it is cut short: ${stream.length} of ${head + total} bytes` : `it is longer than its headers say (${stream.length} bytes, not ${head + total})`);
  }
  const sizes = new DataView(stream.buffer, stream.byteOffset + files * HEADER, CONTEXT_HEAD);
  const next = new Uint32Array(BUCKETS);
  const end = new Uint32Array(BUCKETS);
  let start = head;
  for (let k = 0; k < BUCKETS; k++) {
    next[k] = start;
    start += sizes.getUint32(k * 4, true);
    end[k] = start;
  }
  if (start !== head + total) throw new ContextError(`its bucket sizes add up to ${start - head} pixels, its headers say ${total}`);
  // A bucket that runs out takes the first bytes of the next one, so that another one has
  // pixels left over: checked once at the end, not in the loop.
  const pixels = new Uint8Array(total);
  walk(pixels, shapes, null, stream, next);
  for (let k = 0; k < BUCKETS; k++) {
    if (next[k] !== end[k]) throw new ContextError(`its bucket ${k} ${next[k] > end[k] ? 'runs out' : 'has pixels left over'} (the stream is inconsistent)`);
  }
  const out = new Uint8Array(total + files * HEADER);
  let at = 0;
  let from = 0;
  shapes.forEach((s, i) => {
    const size = s.n * s.rows * s.cols;
    out.set(stream.subarray(i * HEADER, (i + 1) * HEADER), at);
    out.set(pixels.subarray(from, from + size), at + HEADER);
    at += HEADER + size;
    from += size;
  });
  return out;
}
