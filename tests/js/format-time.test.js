// Epochs and durations as the page shows them (www/format.js): epochs are rounded, never
// truncated (8.3583 is "8.36", not "8.35"); a pace's run length in seconds, minutes, hours.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, formatEpochs, NONE } from '../../www/format.js';

test('formatEpochs rounds to two decimals, with separators', () => {
  assert.equal(formatEpochs(8.3583), '8.36');
  assert.equal(formatEpochs(8.3549), '8.35');
  assert.equal(formatEpochs(0.005), '0.01');
  assert.equal(formatEpochs(2), '2.00');
  assert.equal(formatEpochs(0), '0.00');
  assert.equal(formatEpochs(1234.5), '1,234.50');
  assert.equal(formatEpochs(8.3583, 3), '8.358');
  // 600 steps of batch 100 on 60 000 images is one epoch; step 5015 is 8.3583… epochs.
  assert.equal(formatEpochs(5015 / 600), '8.36');
  for (const v of [NaN, Infinity, null, undefined]) assert.equal(formatEpochs(/** @type {number} */ (v)), NONE);
});

test('formatDuration: seconds, minutes, hours', () => {
  assert.equal(formatDuration(0.4), '0.4 s');
  assert.equal(formatDuration(2), '2 s');
  assert.equal(formatDuration(12.5), '13 s');
  assert.equal(formatDuration(50), '50 s');
  assert.equal(formatDuration(100), '1 min 40 s');
  assert.equal(formatDuration(120), '2 min');
  assert.equal(formatDuration(2000), '33 min 20 s');
  assert.equal(formatDuration(7500), '2 h 5 min');
  assert.equal(formatDuration(-1), NONE);
  assert.equal(formatDuration(NaN), NONE);
});
