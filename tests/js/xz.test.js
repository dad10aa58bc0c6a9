// The data sets' decoder (www/xz.js, xz-embedded's wasm from npm xz-decompress) and the label
// order of the images (www/data-order.js): exact round trips, and every broken stream named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { XzDecoder, XzError } from '../../www/xz.js';
import { labelOrder } from '../../www/data-order.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const MODULE = new WebAssembly.Module(readFileSync(`${REPO}/www/vendor/xz/xz-embedded.wasm`));
/** xz as scripts/fetch-data.sh runs it (Debian's xz-utils). */
const xz = (bytes, opts = '-T1 --check=crc32 --lzma2=preset=6,lc=4') => execFileSync('xz', [...opts.split(' '), '-c'], { input: bytes, maxBuffer: 1 << 28 });

/** Decode `stream` fed in pieces of `piece` bytes. */
function decode(stream, piece = 4096) {
  const d = new XzDecoder(MODULE);
  const parts = [];
  const take = (p) => parts.push(Buffer.from(p));
  for (let at = 0; at < stream.length; at += piece) d.push(stream.subarray(at, at + piece), take);
  d.finish(take);
  return Buffer.concat(parts);
}

/** Bytes that compress somewhat (like images: runs and noise). */
function sample(n, seed = 7) {
  const b = Buffer.alloc(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    b[i] = i % 97 < 60 ? 0 : s >>> 24;
  }
  return b;
}

test('xz streams decode exactly, whatever the size of the pieces they arrive in', () => {
  const plain = sample(300_000);
  const stream = xz(plain);
  for (const piece of [1, 7, 4096, 65536, 65537, stream.length]) assert.ok(decode(stream, piece).equals(plain), `pieces of ${piece}`);
  assert.ok(decode(xz(Buffer.alloc(0))).equals(Buffer.alloc(0)), 'an empty file');
  assert.ok(decode(xz(plain, '-T1 --check=crc32 --lzma2=preset=9e,lc=4,dict=393216')).equals(plain), 'the setup settings');
  assert.ok(decode(xz(plain, '-T1 --check=crc64 -1')).equals(plain), 'CRC-64');
});

test('every broken stream is refused with its reason', () => {
  const plain = sample(200_000);
  const stream = xz(plain);
  const fails = (bytes, reason) => assert.throws(() => decode(bytes), (e) => e instanceof XzError && reason.test(e.message), String(reason));
  fails(stream.subarray(0, stream.length - 20), /cut short/);
  fails(stream.subarray(0, 5), /cut short/);
  fails(Buffer.alloc(0), /cut short/);
  const flipped = Buffer.from(stream);
  flipped[stream.length >> 1] ^= 0x10;
  fails(flipped, /corrupt/);
  fails(Buffer.from('<!doctype html><title>404 Not Found</title> a server page instead of the file'), /not an xz file/);
  fails(Buffer.concat([stream, Buffer.from('trailing bytes')]), /not an xz file|corrupt/);
  // A decoder is closed once it failed or finished.
  const d = new XzDecoder(MODULE);
  d.push(stream, () => {});
  d.finish(() => {});
  assert.throws(() => d.push(stream, () => {}), /already closed/);
});

test('images in label order and back: the published file exactly; a pair that does not fit is left alone', () => {
  const n = 500;
  const labels = Buffer.alloc(8 + n);
  labels.writeUInt32BE(0x801, 0);
  labels.writeUInt32BE(n, 4);
  const images = Buffer.alloc(16 + n * 4);
  images.writeUInt32BE(0x803, 0);
  images.writeUInt32BE(n, 4);
  images.writeUInt32BE(2, 8);
  images.writeUInt32BE(2, 12);
  for (let i = 0; i < n; i++) {
    labels[8 + i] = (i * 7) % 10;
    images.writeUInt32BE(i, 16 + i * 4); // each image says which it is
  }
  const sorted = Buffer.from(labelOrder(images, labels, false));
  assert.ok(sorted.subarray(0, 16).equals(images.subarray(0, 16)), 'the header stays');
  const order = Array.from({ length: n }, (_, k) => sorted.readUInt32BE(16 + k * 4));
  const expect = Array.from({ length: n }, (_, i) => i).sort((a, b) => labels[8 + a] - labels[8 + b] || a - b);
  assert.deepEqual(order, expect, 'a stable sort by label');
  assert.ok(Buffer.from(labelOrder(sorted, labels, true)).equals(images), 'restored exactly');
  assert.equal(labelOrder(images.subarray(0, 100), labels, true).length, 100, 'cut short: unchanged');
  const wrongMagic = Buffer.from(labels);
  wrongMagic.writeUInt32BE(0x803, 0);
  assert.equal(labelOrder(images, wrongMagic, true), images, 'not a labels file: the same array back');
  assert.equal(labelOrder(images, labels.subarray(0, 8 + n - 1), true), images, 'one label short');
});

test('the real data set: its downloads decode, cut apart and in the published order, to the published MD5s', { skip: !existsSync(`${REPO}/data/manifest.json`) && 'run ./lab setup' }, () => {
  const m = JSON.parse(readFileSync(`${REPO}/data/manifest.json`, 'utf8')).mnist;
  const names = m.names ?? m.files.map((f) => f.replace(/\.xz$/, ''));
  const files = [];
  (m.parts ?? [[0], [1], [2], [3]]).forEach((ks, j) => {
    const whole = decode(readFileSync(`${REPO}/data/mnist/${m.files[j]}`), 65536);
    let at = 0;
    for (const k of ks) files[k] = whole.subarray(at, (at += m.raw_bytes[k]));
    assert.equal(at, whole.length, `${m.files[j]}: exactly its files`);
  });
  const md5 = (b) => execFileSync('md5sum', { input: b, maxBuffer: 1 << 27 }).toString().slice(0, 32);
  files.forEach((b, k) => {
    const by = m.label_order?.[k];
    const published = by === null || by === undefined ? b : Buffer.from(labelOrder(b, files[by], true));
    assert.equal(md5(published), m.md5[k], names[k]);
  });
});
