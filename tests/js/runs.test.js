// Kept runs (www/runs.js): a run with no steps is not kept; keeping the same run replaces it;
// five at most, the oldest dropped, colours stable; bounded points; labels; reading them back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEPT_POINTS, keepRun, MAX_KEPT, readRuns, runLabel, snapshotRun, thinIndices } from '../../www/runs.js';

const HYPER = { learning_rate: 0.05, batch_size: 100, l2: 0, seed: 541 };

function run(id, steps = 10, hyper = HYPER) {
  const x = Array.from({ length: steps }, (_, i) => i + 1);
  return {
    id,
    dataset: 'mnist',
    trainSize: 60_000,
    hyper,
    startHyper: null,
    steps,
    examples: steps * 100,
    train: { x, smooth: x.map((s) => 2 / s), knots: [[0, 0], [steps, steps * 100]] },
    test: { x: [0, steps], loss: [2.3, 0.5], accuracy: [10, 85] },
  };
}

test('a run with 0 steps is not kept', () => {
  assert.equal(snapshotRun(run('a', 0)), null);
  const r = snapshotRun(run('a', 3));
  assert.equal(r.steps, 3);
  assert.deepEqual(r.startHyper, HYPER, 'started with the settings it has when none were recorded');
  assert.deepEqual(r.knots, [[0, 0], [3, 300]]);
});

test('keeping the same run again replaces it, in its colour and visibility', () => {
  let list = keepRun([], snapshotRun(run('a', 5))).list;
  list = [{ ...list[0], visible: false }];
  const { list: next, dropped } = keepRun(list, snapshotRun(run('a', 9)));
  assert.equal(dropped, null);
  assert.equal(next.length, 1);
  assert.equal(next[0].steps, 9);
  assert.equal(next[0].visible, false);
  assert.equal(next[0].slot, 0);
});

test('five at most: the sixth drops the oldest, and takes its free colour', () => {
  let list = [];
  for (let i = 0; i < MAX_KEPT; i++) list = keepRun(list, snapshotRun(run(`r${i}`))).list;
  assert.deepEqual(list.map((r) => r.slot), [0, 1, 2, 3, 4]);
  const { list: next, dropped } = keepRun(list, snapshotRun(run('r5')));
  assert.equal(dropped.id, 'r0');
  assert.equal(next.length, MAX_KEPT);
  assert.deepEqual(next.map((r) => r.id), ['r1', 'r2', 'r3', 'r4', 'r5']);
  assert.equal(next[4].slot, 0, 'the colour of the dropped run');
});

test('kept curves are thinned to a bounded number of real points, dense at the start for the log axis', () => {
  const r = snapshotRun(run('long', 50_000));
  assert.ok(r.train.x.length <= KEPT_POINTS, `${r.train.x.length} points`);
  assert.equal(r.train.x[0], 1);
  assert.equal(r.train.x[r.train.x.length - 1], 50_000);
  r.train.x.forEach((s, i) => assert.equal(r.train.smooth[i], 2 / s));
  assert.ok(r.train.x.filter((s) => s <= 100).length >= 20, 'the first 100 steps keep points for a log axis');
  const idx = thinIndices([1, 2, 3]);
  assert.deepEqual(idx, [0, 1, 2]);
});

test('labels name ε, n, α, seed and data set, and what changed during the run', () => {
  assert.equal(runLabel({ hyper: HYPER, dataset: 'mnist' }), 'ε 0.05 · n 100 · α 0 · seed 541 · MNIST');
  assert.equal(runLabel({ hyper: { ...HYPER, learning_rate: 0.1 }, startHyper: HYPER, dataset: 'fashion' }), 'ε 0.05→0.1 · n 100 · α 0 · seed 541 · Fashion-MNIST');
});

test('runs read back from a record: the well-formed ones only', () => {
  const good = snapshotRun(run('a'));
  assert.deepEqual(readRuns([good]), [good]);
  assert.deepEqual(readRuns(undefined), []);
  assert.deepEqual(readRuns([{ ...good, train: { x: [1, 2], smooth: [1] } }]), []);
  assert.deepEqual(readRuns([{ ...good, slot: 7 }]), []);
  assert.deepEqual(readRuns([good, { ...good, id: 'b' }]).length, 1, 'two runs in one colour: the first stays');
});
