// Chart data (www/series.js): smoothing, thinning, test evaluations, alignTo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignTo, EMA_BETA, markSeen, MAX_POINTS, seenAtStep, TestSeries, TrainSeries } from '../../www/series.js';

test('TrainSeries: raw losses at their steps, bias-corrected moving average', () => {
  const s = new TrainSeries();
  assert.ok(Number.isNaN(s.smoothed));
  s.append([2, 4], 2); // steps 1 and 2
  assert.deepEqual(s.x, [1, 2]);
  assert.deepEqual(s.raw, [2, 4]);
  assert.equal(s.smooth[0], 2); // bias-corrected: the first value is the loss itself
  const b = EMA_BETA;
  const expected = (b * (1 - b) * 2 + (1 - b) * 4) / (1 - b * b);
  assert.ok(Math.abs(s.smooth[1] - expected) < 1e-12);
  assert.equal(s.last, 4);
  assert.equal(s.lastStep, 2);
});

test('TrainSeries skips non-finite losses but keeps the step numbers right', () => {
  const s = new TrainSeries();
  s.append(Float32Array.of(1, NaN, Infinity, 0.5), 10); // steps 7..10
  assert.deepEqual(s.x, [7, 10]);
  assert.deepEqual(s.raw, [1, 0.5]);
  assert.equal(s.lastStep, 10);
});

test('TrainSeries thins to multiples of a doubling stride, every point a real value', () => {
  const s = new TrainSeries();
  const n = 3 * MAX_POINTS;
  const losses = Array.from({ length: n }, (_, i) => 1 / (i + 1)); // step k has loss 1/k
  s.append(losses, n);
  assert.ok(s.x.length <= MAX_POINTS);
  assert.ok(s.stride >= 2);
  assert.equal(s.x[0], 1, 'the first step stays');
  for (let i = 0; i < s.x.length; i++) {
    if (i > 0) assert.equal(s.x[i] % s.stride, 0);
    assert.equal(s.raw[i], 1 / s.x[i]);
  }
  assert.equal(s.raw.length, s.x.length);
  assert.equal(s.smooth.length, s.x.length);
  s.clear();
  assert.deepEqual([s.x, s.raw, s.smooth, s.stride, s.lastStep], [[], [], [], 1, 0]);
});

test('TestSeries: percent accuracy, same step replaced, older steps ignored, non-finite skipped', () => {
  const t = new TestSeries();
  t.add({ step: 0, loss: 2.3, accuracy: 0.1 });
  t.add({ step: 100, loss: 0.5, accuracy: 0.9 });
  t.add({ step: 100, loss: 0.4, accuracy: 0.91 });
  t.add({ step: 50, loss: 9, accuracy: 0 });
  t.add({ step: 200, loss: NaN, accuracy: 0.95 });
  assert.deepEqual(t.x, [0, 100]);
  assert.deepEqual(t.loss, [2.3, 0.4]);
  assert.deepEqual(t.accuracy, [10, 91]);
});

test('TestSeries stays bounded and keeps the first and the newest evaluation', () => {
  const t = new TestSeries();
  for (let step = 0; step <= MAX_POINTS; step++) t.add({ step, loss: step, accuracy: 0.5 });
  assert.ok(t.x.length <= MAX_POINTS);
  assert.equal(t.x[0], 0);
  assert.equal(t.x.at(-1), MAX_POINTS);
  assert.deepEqual(t.loss, t.x);
});

test('alignTo places a sparse series on the grid, null elsewhere', () => {
  assert.deepEqual(alignTo([0, 10, 20, 30, 40], [10, 30, 35], ['a', 'b', 'c']), [null, 'a', null, 'b', null]);
  assert.deepEqual(alignTo([1, 2], [], []), [null, null]);
  assert.deepEqual(alignTo([], [1], [5]), []);
});

test('examples seen per step: one knot per batch-size change, exact at every step', () => {
  const knots = [[0, 0]];
  for (let step = 10; step <= 600; step += 10) markSeen(knots, step, step * 100); // batch 100
  assert.deepEqual(knots, [[0, 0], [600, 60_000]], 'a straight line is two knots');
  for (let step = 605; step <= 660; step += 5) markSeen(knots, step, 60_000 + (step - 600) * 1000); // batch 1000
  assert.deepEqual(knots, [[0, 0], [600, 60_000], [660, 120_000]]);
  assert.equal(seenAtStep(knots, 0), 0);
  assert.equal(seenAtStep(knots, 300), 30_000);
  assert.equal(seenAtStep(knots, 630), 90_000);
  assert.equal(seenAtStep(knots, 670), 130_000, 'beyond the last knot: the last batch size');
  assert.ok(Number.isNaN(seenAtStep([], 5)));
  assert.equal(seenAtStep([[50, 5000]], 10), 1000, 'one knot (a resumed old record): proportional');
  markSeen(knots, 100, 1); // older than the last knot: ignored
  assert.equal(knots.length, 3);
});

test('TrainSeries records examples seen with each chunk, and forgets them on clear', () => {
  const s = new TrainSeries();
  s.knots = [[0, 0]];
  s.append([1, 1, 1], 3, 300);
  s.append([1, 1], 5, 2300); // batch 1000 from step 4
  assert.equal(s.seenAt(3), 300);
  assert.equal(s.seenAt(5), 2300);
  assert.equal(s.seenAt(4), 1300);
  s.clear();
  assert.deepEqual(s.knots, []);
});
