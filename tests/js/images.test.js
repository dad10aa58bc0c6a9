// The colour-scale limit of the diverging maps (www/images.js robustLimit): the 99th percentile
// of |v| over the finite values, checked against the definition written out with a plain sort.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { robustLimit } from '../../www/images.js';

/** The definition: sort the finite |v|, take the element at ⌊0.99 n⌋ (the largest if that is 0). */
function reference(values) {
  const a = Array.from(values, Math.abs).filter(Number.isFinite).sort((x, y) => x - y);
  return a.length ? a[Math.min(a.length - 1, Math.floor(0.99 * a.length))] || a[a.length - 1] : 0;
}

/** A seeded generator (mulberry32), so that a failure comes back. */
function random(seed) {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

test('robustLimit: the 99th percentile of |v|, skipping NaN and ±∞', () => {
  assert.equal(robustLimit([]), 0);
  assert.equal(robustLimit([NaN, Infinity, -Infinity]), 0);
  assert.equal(robustLimit([0, 0, 0]), 0);
  assert.equal(robustLimit([-3]), 3);
  // 100 values 1 … 100: index 99 of the sorted ones is the largest.
  assert.equal(robustLimit(Array.from({ length: 100 }, (_, i) => i + 1)), 100);
  // 1,000 values: index 990, so the ten largest are beyond it.
  assert.equal(robustLimit(Array.from({ length: 1000 }, (_, i) => -(i + 1))), 991);
  // Mostly zeros: the percentile is 0, and the largest value is used instead.
  assert.equal(robustLimit([...new Array(500).fill(0), 0.25, -7]), 7);
  assert.equal(robustLimit([NaN, 2, -Infinity, -5, 1]), 5);
});

test('robustLimit agrees with the definition on Float32Arrays like W (7,840 values) and on plain arrays', () => {
  const r = random(541);
  for (const n of [1, 2, 99, 100, 101, 784, 7840]) {
    const w = new Float32Array(n);
    for (let i = 0; i < n; i++) w[i] = (r() - 0.5) * 0.05 * (r() < 0.01 ? 40 : 1);
    if (n > 10) w[3] = NaN;
    assert.equal(robustLimit(w), reference(w), `Float32Array of ${n}`);
    const plain = Array.from(w, (v) => v * 3);
    assert.equal(robustLimit(plain), reference(plain), `Array of ${n}`);
  }
});
