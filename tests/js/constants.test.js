// Shared constants (www/constants.js) and that the modules that depend on them agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DATASET_NAMES, PIXELS, SIDE } from '../../www/constants.js';
import { LINK_DATASETS } from '../../www/share.js';

test('an MNIST image is 28 × 28 = 784 pixels', () => {
  assert.equal(SIDE, 28);
  assert.equal(PIXELS, 784);
  assert.equal(PIXELS, SIDE * SIDE);
});

test('every data set a link may name has a human name, and so has your own (which no link may name)', () => {
  assert.deepEqual(Object.keys(DATASET_NAMES).sort(), [...LINK_DATASETS, 'files'].sort());
  assert.ok(!LINK_DATASETS.includes('files'), 'a link cannot carry files');
  assert.equal(DATASET_NAMES.files, 'your data set');
  assert.equal(DATASET_NAMES.mnist, 'MNIST');
  assert.equal(DATASET_NAMES.fashion, 'Fashion-MNIST');
});
