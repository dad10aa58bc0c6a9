// A chart's CSV (www/chart-csv.js): comments, a header with units, every value in full, empty
// fields where a series has no value, fields quoted when they need it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCsv, columnName, csvField, fileName } from '../../www/chart-csv.js';

test('comment lines, a header naming series and units, one row per x', () => {
  const csv = buildCsv({
    comments: ['Training loss (softmax-lab)', 'run 1: ε 0.05 · n 100,\nseed 541'],
    columns: ['step', columnName('this run: smoothed (EMA)', 'nats'), columnName('run 1: smoothed loss (ε 0.05 · n 100 · α 0)', 'nats')],
    data: [
      [1, 2, 3],
      [2.302585092994046, 1.5, 0.1 + 0.2],
      [undefined, 2, null],
    ],
  });
  assert.equal(
    csv,
    [
      '# Training loss (softmax-lab)',
      '# run 1: ε 0.05 · n 100, seed 541',
      'step,this run: smoothed (EMA) (nats),run 1: smoothed loss (ε 0.05 · n 100 · α 0) (nats)',
      '1,2.302585092994046,',
      '2,1.5,2',
      '3,0.30000000000000004,',
      '',
    ].join('\n'),
  );
});

test('non-finite values are empty fields; quoting per RFC 4180', () => {
  assert.equal(buildCsv({ columns: ['x', 'y'], data: [[1], [NaN]] }), 'x,y\n1,\n');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('plain'), 'plain');
  assert.throws(() => buildCsv({ columns: ['x'], data: [[1], [2]] }), /1 column names for 2 columns/);
});

test('file names from titles', () => {
  assert.equal(fileName('Test set: loss and accuracy', 'csv'), 'softmax-lab-test-set-loss-and-accuracy.csv');
  assert.equal(fileName('σ(z) and its derivative σ′(z)', 'png'), 'softmax-lab-σ-z-and-its-derivative-σ-z.png');
  assert.equal(fileName('', 'png'), 'softmax-lab-chart.png');
});
