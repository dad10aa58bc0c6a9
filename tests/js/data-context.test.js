// The context transform of the images (www/data-context.js, what setup puts Fashion-MNIST's
// images through before xz): exact round trips, edge values, and broken streams named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONTEXT_HEAD, ContextError, contextRestore, contextSort } from '../../www/data-context.js';
import { XzDecoder } from '../../www/xz.js';
import { labelOrder } from '../../www/data-order.js';
import { availability, CONTEXT_TRANSFORM as NAMED_BY_DATA_JS } from '../../www/data.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** An IDX images file of n images of rows × cols, pixel i of image j from fill(j, i). */
function idx(n, rows, cols, fill) {
  const b = Buffer.alloc(16 + n * rows * cols);
  b.writeUInt32BE(0x803, 0);
  b.writeUInt32BE(n, 4);
  b.writeUInt32BE(rows, 8);
  b.writeUInt32BE(cols, 12);
  for (let j = 0; j < n; j++) for (let i = 0; i < rows * cols; i++) b[16 + j * rows * cols + i] = fill(j, i);
  return b;
}

/** Real-looking 28 × 28 images: a dark background, a bright blob with texture and noise. */
function images(n, seed = 5) {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 24);
  return idx(n, 28, 28, (j, i) => {
    const y = (i / 28) | 0;
    const x = i % 28;
    const r = Math.hypot(x - 14 - (j % 5), y - 14 + (j % 3));
    return r > 6 + (j % 7) ? 0 : Math.min(255, 120 + ((x * 17 + y * 5 + j) % 90) + (rnd() >> 2));
  });
}

test('the transform and its inverse: exact round trips, one file or two, edge values 0 and 255', () => {
  const a = images(300);
  const b = images(57, 9);
  const edges = idx(4, 28, 28, (j, i) => [0, 255, (i & 1) * 255, i % 3 ? 255 : 0][j]);
  const odd = idx(3, 5, 7, (j, i) => (i * 37 + j * 101) & 255); // another shape
  for (const files of [[a], [a, b], [edges], [b, edges, odd], [idx(0, 28, 28, () => 0)]]) {
    const stream = contextSort(files);
    assert.equal(stream.length, files.reduce((t, f) => t + f.length, 0) + CONTEXT_HEAD, 'the files and the bucket sizes');
    assert.ok(Buffer.from(contextRestore(stream, files.length)).equals(Buffer.concat(files)), `${files.length} files`);
  }
  // It reorders: the pixels of a textured image are not left in place.
  assert.ok(!Buffer.from(contextSort([a]).subarray(16 + CONTEXT_HEAD)).equals(a.subarray(16)));
});

test('www/data.js names the transform as www/data-context.js does', async () => {
  const { CONTEXT_TRANSFORM } = await import('../../www/data-context.js');
  assert.equal(NAMED_BY_DATA_JS, CONTEXT_TRANSFORM);
});

test('availability: a manifest naming the transform is read; another transform, or a malformed list, asks for ./lab setup again', () => {
  const entry = { status: 'available', encoding: 'xz', files: ['images.xz', 'b.xz', 'd.xz'], bytes: [1, 2, 4], raw_bytes: [16, 8, 16, 8], parts: [[0, 2], [1], [3]], names: ['a', 'b', 'c', 'd'] };
  assert.deepEqual(availability({ ...entry, transform: [NAMED_BY_DATA_JS, null, null] }), { available: true, reason: '' });
  assert.deepEqual(availability({ ...entry, transform: [null, null, null] }), { available: true, reason: '' });
  for (const transform of [['paeth-v9', null, null], [NAMED_BY_DATA_JS, null], 'med-context-256', [1, null, null]]) {
    const { available, reason } = availability({ ...entry, transform });
    assert.equal(available, false, JSON.stringify(transform));
    assert.match(reason, /run \.\/lab setup again/);
  }
});

test('a broken stream is refused with what is wrong', () => {
  const files = [images(40), images(10, 3)];
  const stream = contextSort(files);
  const refused = (s, n, pattern, what) => assert.throws(() => contextRestore(s, n), (e) => e instanceof ContextError && pattern.test(e.message), what);
  refused(stream.subarray(0, stream.length - 1), 2, /cut short: 32,?\d+ of 32,?\d+ bytes|cut short/, 'one byte short');
  refused(stream.subarray(0, 100), 2, /cut short: 100 bytes, not even the 1056 bytes of its headers/, 'cut inside the headers');
  refused(new Uint8Array(0), 2, /cut short/, 'empty');
  refused(Buffer.concat([stream, Buffer.alloc(1)]), 2, /longer than its headers say/, 'one byte too many');
  const notIdx = Buffer.from(stream);
  notIdx[19] = 1; // file 2's magic
  refused(notIdx, 2, /file 2 is not an IDX images file/, 'a wrong magic');
  const badSizes = Buffer.from(stream);
  badSizes.writeUInt32LE(badSizes.readUInt32LE(32) + 1, 32);
  refused(badSizes, 2, /bucket sizes add up to/, 'bucket sizes that do not add up');
  // One pixel moved from a bucket to the one before it: the later one runs out.
  const shifted = Buffer.from(stream);
  const full = [...Array(256).keys()].filter((k) => shifted.readUInt32LE(32 + 4 * k) > 0);
  shifted.writeUInt32LE(shifted.readUInt32LE(32 + 4 * full[0]) + 1, 32 + 4 * full[0]);
  shifted.writeUInt32LE(shifted.readUInt32LE(32 + 4 * full[1]) - 1, 32 + 4 * full[1]);
  refused(shifted, 2, /bucket \d+ (runs out|has pixels left over) \(the stream is inconsistent\)/, 'a bucket that runs out');
  assert.throws(() => contextSort([images(3).subarray(0, 100)]), /file 1 has 100 bytes/);
});

test('the real Fashion-MNIST download decodes, transformed back and in the published order, to the published MD5s', { skip: !existsSync(`${REPO}/data/manifest.json`) && 'run ./lab setup' }, (t) => {
  const m = JSON.parse(readFileSync(`${REPO}/data/manifest.json`, 'utf8')).fashion;
  if (m.status !== 'available' || !m.transform?.[0]) return t.skip('Fashion-MNIST is not there, or not transformed');
  const d = new XzDecoder(new WebAssembly.Module(readFileSync(`${REPO}/www/vendor/xz/xz-embedded.wasm`)));
  const decoded = new Uint8Array(m.raw_bytes[0] + m.raw_bytes[2] + CONTEXT_HEAD);
  let at = 0;
  const take = (p) => {
    decoded.set(p, at);
    at += p.length;
  };
  const stream = readFileSync(`${REPO}/data/fashion/${m.files[0]}`);
  for (let i = 0; i < stream.length; i += 65536) d.push(stream.subarray(i, i + 65536), take);
  d.finish(take);
  assert.equal(at, decoded.length);
  const t0 = performance.now();
  const both = contextRestore(decoded, 2);
  t.diagnostic(`inverse transform of ${both.length} bytes: ${(performance.now() - t0).toFixed(0)} ms`);
  const labels = (k) => readFileSync(`${REPO}/data/fashion/${m.names[k]}`);
  const md5 = (b) => execFileSync('md5sum', { input: b, maxBuffer: 1 << 27 }).toString().slice(0, 32);
  assert.equal(md5(labelOrder(both.subarray(0, m.raw_bytes[0]), labels(1), true)), m.md5[0], 'training images');
  assert.equal(md5(labelOrder(both.subarray(m.raw_bytes[0]), labels(3), true)), m.md5[2], 'test images');
});
