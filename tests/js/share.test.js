// The shareable link (www/share.js): build → parse round trip, and every value parseLink refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLink, LINK_DATASETS, LINK_NAMES, LINK_PARAMS, parseLink } from '../../www/share.js';

const HYPER = { learning_rate: 0.1, batch_size: 100, l2: 0.0001, seed: 42 };

test('buildLink replaces query and fragment and names every setting', () => {
  const link = buildLink('http://127.0.0.1:8000/lab/index.html?old=1#train', HYPER, 'fashion');
  assert.equal(link, 'http://127.0.0.1:8000/lab/index.html?lr=0.1&batch=100&l2=0.0001&seed=42&dataset=fashion');
});

test('a built link parses back to the same settings, with no problems', () => {
  for (const hyper of [HYPER, { learning_rate: 2.5e-7, batch_size: 1, l2: 0, seed: 4294967295 }, { learning_rate: 1e21, batch_size: 60000, l2: 1e-12, seed: 0 }]) {
    for (const dataset of LINK_DATASETS) {
      const parsed = parseLink(new URL(buildLink('http://h/', hyper, dataset)).search);
      assert.deepEqual(parsed, { present: true, values: { ...hyper, dataset }, problems: [] });
    }
  }
});

test('LINK_NAMES is LINK_PARAMS inverted', () => {
  assert.deepEqual(LINK_NAMES, { learning_rate: 'lr', batch_size: 'batch', l2: 'l2', seed: 'seed' });
  for (const [name, field] of Object.entries(LINK_PARAMS)) assert.equal(LINK_NAMES[field], name);
  assert.equal(Object.keys(LINK_NAMES).length, Object.keys(LINK_PARAMS).length);
});

test('no query: nothing present, nothing refused', () => {
  assert.deepEqual(parseLink(''), { present: false, values: {}, problems: [] });
  assert.deepEqual(parseLink('?'), { present: false, values: {}, problems: [] });
});

test('values that are not plain decimal numbers are refused, one problem each', () => {
  for (const raw of ['0x10', 'Infinity', '-Infinity', 'NaN', '', ' 1', '1 ', '1,5', '1e', '.', '+', '1..2', '1e+']) {
    const r = parseLink(`?lr=${encodeURIComponent(raw)}`);
    assert.equal(r.present, true, raw);
    assert.deepEqual(r.values, {}, raw);
    assert.deepEqual(r.problems, [`lr=“${raw}” is not a number`], raw);
  }
});

test('plain decimal forms are taken', () => {
  const r = parseLink('?lr=.5&batch=%2B10&l2=1E-3&seed=-0');
  assert.deepEqual(r.values, { learning_rate: 0.5, batch_size: 10, l2: 0.001, seed: -0 });
  assert.deepEqual(r.problems, []);
  // An unencoded '+' is a space in a query string: not a number.
  assert.deepEqual(parseLink('?batch=+10').problems, ['batch=“ 10” is not a number']);
});

test('a repeated parameter keeps its first value and says so', () => {
  const r = parseLink('?seed=1&seed=2');
  assert.deepEqual(r.values, { seed: 1 });
  assert.deepEqual(r.problems, ['“seed” appears more than once: the first value is used']);
});

test('an unknown data set is refused', () => {
  const r = parseLink('?dataset=cifar');
  assert.deepEqual(r.values, {});
  assert.deepEqual(r.problems, ['dataset=“cifar” is not one of mnist, fashion']);
});

test('an unknown parameter is refused but counts as a link', () => {
  const r = parseLink('?lr=0.2&utm_source=x');
  assert.equal(r.present, true);
  assert.deepEqual(r.values, { learning_rate: 0.2 });
  assert.deepEqual(r.problems, ['the link\'s parameter “utm_source” is not one the lab knows (lr, batch, l2, seed, dataset, hide, <control>)']);
});

test('long values are quoted shortened', () => {
  const raw = 'x'.repeat(40);
  const r = parseLink(`?batch=${raw}`);
  assert.deepEqual(r.problems, [`batch=“${'x'.repeat(24)}…” is not a number`]);
});

test('several problems are all reported, in order', () => {
  const r = parseLink('?lr=abc&dataset=svhn&lr=1&foo=1');
  assert.equal(r.problems.length, 4);
  assert.match(r.problems[0], /^lr=“abc”/);
  assert.match(r.problems[1], /^dataset=“svhn”/);
  assert.match(r.problems[2], /“lr” appears more than once/);
  assert.match(r.problems[3], /“foo”/);
});

test('presenter mode’s parameters are not the run link’s (present.js)', () => {
  assert.deepEqual(parseLink('?present&step=2'), { present: false, values: {}, problems: [] });
  assert.deepEqual(parseLink('?present&lr=0.5').values, { learning_rate: 0.5 });
});
