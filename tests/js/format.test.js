// Formatters (www/format.js): what the page shows for numbers and messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enUS, errorText, formatInt, formatLoss, formatMB, formatNumber, formatPercent, formatRate, NONE, sentence } from '../../www/format.js';

test('formatNumber: significant digits, separators, exponent form at the extremes', () => {
  assert.equal(formatNumber(0.5), '0.5');
  assert.equal(formatNumber(1234.5678), '1,235');
  assert.equal(formatNumber(-0.012345), '-0.01235');
  assert.equal(formatNumber(0), '0');
  assert.equal(formatNumber(0.001), '0.001');
  assert.equal(formatNumber(0.00012346), '1.235 × 10⁻⁴');
  assert.equal(formatNumber(2.5e6), '2.500 × 10⁶');
  assert.equal(formatNumber(-3e-12, 2), '-3.0 × 10⁻¹²');
  assert.equal(formatNumber(123456, 2), '120,000');
  for (const v of [NaN, Infinity, -Infinity, null, undefined]) assert.equal(formatNumber(v), NONE);
});

test('formatInt, formatLoss, formatPercent, formatRate, formatMB', () => {
  assert.equal(formatInt(60000), '60,000');
  assert.equal(formatInt(2.6), '3');
  assert.equal(formatInt(NaN), NONE);
  assert.equal(formatLoss(0.12345), '0.123');
  assert.equal(formatLoss(123.45), '123');
  assert.equal(formatLoss(-Infinity), NONE);
  assert.equal(formatPercent(0.92314), '92.31 %');
  assert.equal(formatPercent(1, 0), '100 %');
  assert.equal(formatPercent(undefined), NONE);
  assert.equal(formatRate(41234), '41,200');
  assert.equal(formatRate(999), '999');
  assert.equal(formatRate(123456), '123,000');
  assert.equal(formatRate(0), NONE);
  assert.equal(formatRate(-5), NONE);
  assert.equal(formatMB(9_700_000), '9.7 MB');
  assert.equal(formatMB(0), '0.0 MB');
});

test('sentence and errorText capitalise the message', () => {
  assert.equal(sentence('the worker crashed'), 'The worker crashed');
  assert.equal(sentence(''), '');
  assert.equal(errorText(new Error('no data set is loaded yet')), 'No data set is loaded yet');
  assert.equal(errorText('ε must be positive'), 'Ε must be positive');
  assert.equal(errorText(new Error('')), 'Error');
});

test('enUS: the text of toLocaleString("en-US", options), each options object its own format', () => {
  const options = [{ maximumFractionDigits: 12 }, { maximumFractionDigits: 3 }, { minimumFractionDigits: 2, maximumFractionDigits: 2 }, { maximumSignificantDigits: 1 }, { maximumSignificantDigits: 4 }];
  const values = [0, -0, 1, -1.5, 0.1 + 0.2, 1234.5678, 12345678.9, 1e-7, 2.5e21, 0.000123456, -98765.4321];
  // Alternate the options so that a format cached under the wrong key would show.
  for (const v of values) for (const o of options) assert.equal(enUS(v, o), v.toLocaleString('en-US', o), `${v} with ${JSON.stringify(o)}`);
});
