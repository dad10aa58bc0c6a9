// @ts-check
// The images of an IDX pair in label order and back: how scripts/fetch-data.sh stores the
// images files (through scripts/data-order.mjs) and how www/data.js puts them back in the
// published order. Pure functions, no DOM.

/**
 * Where the images of an IDX pair go when they are stored in label order (a stable counting
 * sort: class 0's images in their published order, then class 1's, …), which is how
 * scripts/fetch-data.sh stores them — similar images side by side compress better, and the
 * order costs nothing to store, since the labels file gives it. Null if the pair does not fit
 * together (then the core refuses it with its reason).
 * @param {Uint8Array} images an IDX images file
 * @param {Uint8Array} labels its IDX labels file
 * @returns {{n: number, size: number, slot: Uint32Array}|null} slot[i] = the stored position of published image i
 */
function labelSlots(images, labels) {
  if (images.length < 16 || labels.length < 8) return null;
  const be = (b, at) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
  const n = be(labels, 4);
  const size = be(images, 8) * be(images, 12);
  if (be(labels, 0) !== 0x801 || be(images, 0) !== 0x803 || be(images, 4) !== n || labels.length !== 8 + n || images.length !== 16 + n * size) return null;
  const start = new Uint32Array(257);
  for (let i = 0; i < n; i++) start[labels[8 + i] + 1]++;
  for (let c = 1; c <= 256; c++) start[c] += start[c - 1];
  const slot = new Uint32Array(n);
  for (let i = 0; i < n; i++) slot[i] = start[labels[8 + i]]++;
  return { n, size, slot };
}

/**
 * An IDX images file put in label order (what scripts/fetch-data.sh compresses), or back in
 * the published order (`restore`). A pair that does not fit together is returned unchanged.
 * @template {Uint8Array} T
 * @param {T} images
 * @param {Uint8Array} labels
 * @param {boolean} restore
 * @returns {T|Uint8Array<ArrayBuffer>}
 */
export function labelOrder(images, labels, restore) {
  const s = labelSlots(images, labels);
  if (!s) return images;
  const out = new Uint8Array(images.length);
  out.set(images.subarray(0, 16));
  for (let i = 0; i < s.n; i++) {
    const published = 16 + i * s.size;
    const stored = 16 + s.slot[i] * s.size;
    if (restore) out.set(images.subarray(stored, stored + s.size), published);
    else out.set(images.subarray(published, published + s.size), stored);
  }
  return out;
}
