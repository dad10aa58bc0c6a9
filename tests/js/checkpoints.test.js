// The saved-session record: a record saved by an older page is brought to the current version
// (nothing saved is lost on an update), anything else is refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { upgradeRecord } from '../../www/session-checkpoints.js';

const WEIGHTS = '{"format":"softmax-lab-weights"}';

test('a version-1 record (learningRate, batchSize) comes back with the core\'s field names', () => {
  const old = { version: 1, savedAt: 5, dataset: 'mnist', weights: WEIGHTS, step: 40540, examplesSeen: 4054000, train: null, test: null, hyper: { learningRate: 0.05, batchSize: 100, l2: 0.001, seed: 541 } };
  const r = upgradeRecord(old);
  assert.equal(r.version, 2);
  assert.deepEqual(r.hyper, { learning_rate: 0.05, batch_size: 100, l2: 0.001, seed: 541 });
  assert.equal(r.step, 40540);
  assert.equal(r.weights, WEIGHTS);
  assert.equal(old.hyper.learningRate, 0.05, 'the stored object is not changed in place');
});

test('a current record is returned as it is', () => {
  const rec = { version: 2, dataset: 'fashion', weights: WEIGHTS, hyper: { learning_rate: 0.1, batch_size: 7, l2: 0, seed: 1 } };
  assert.equal(upgradeRecord(rec), rec);
});

test('records of unknown versions or without settings are refused', () => {
  for (const r of [undefined, null, 'x', {}, { version: 3, hyper: {} }, { version: 2 }, { version: 1, hyper: null }]) {
    assert.equal(upgradeRecord(r), null, JSON.stringify(r));
  }
});

test('kept runs are optional fields of version 2: a record with them comes back with them, one without has none', async () => {
  const { readRuns } = await import('../../www/runs.js');
  const run = { id: 'r1', slot: 0, visible: false, dataset: 'mnist', trainSize: 60000, hyper: { learning_rate: 0.05, batch_size: 100, l2: 0, seed: 541 }, startHyper: { learning_rate: 0.05, batch_size: 100, l2: 0, seed: 541 }, steps: 2, examples: 200, train: { x: [1, 2], smooth: [2.3, 2.2] }, test: { x: [0, 2], loss: [2.3, 2.1], accuracy: [10, 30] }, knots: [[0, 0], [2, 200]] };
  const rec = { version: 2, dataset: 'mnist', weights: WEIGHTS, hyper: run.hyper, runs: [run], runId: 'r2' };
  const r = upgradeRecord(rec);
  assert.deepEqual(readRuns(r.runs), [run]);
  const old = upgradeRecord({ version: 1, dataset: 'mnist', weights: WEIGHTS, hyper: { learningRate: 0.05, batchSize: 100, l2: 0, seed: 541 } });
  assert.deepEqual(readRuns(old.runs), []);
});
