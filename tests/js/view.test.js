// The page's views (www/view.js): ?only= and ?embed= name one section; anything else is refused with a reason.
// The CSP of the embed view (scripts/csp.mjs): only frame-ancestors differs; --embed-origins is checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseView } from '../../www/view.js';
import { parseLink } from '../../www/share.js';
import { HEADER_CSP, embedAncestors, embedCsp } from '../../scripts/csp.mjs';

const IDS = ['sigmoid', 'train', 'draw'];

test('no view parameter: the whole lab', () => {
  assert.deepEqual(parseView('?lr=0.1', IDS), { mode: 'full', section: null, problem: null });
});

test('?only= and ?embed= name one section', () => {
  assert.deepEqual(parseView('?only=train', IDS), { mode: 'only', section: 'train', problem: null });
  assert.deepEqual(parseView('?embed=sigmoid&lr=0.1', IDS), { mode: 'embed', section: 'sigmoid', problem: null });
});

test('an unknown section, two views or a repeated one: the whole lab, with the reason', () => {
  assert.match(parseView('?only=nope', IDS).problem, /only=“nope” is not a section of the lab \(sigmoid, train, draw\)/);
  assert.match(parseView('?only=', IDS).problem, /only=“” is not a section/);
  assert.match(parseView('?only=train&embed=train', IDS).problem, /more than one view/);
  assert.match(parseView('?only=train&only=draw', IDS).problem, /more than one view/);
  assert.equal(parseView('?only=x'.padEnd(200, 'x'), IDS).problem.includes('x'.repeat(30)), false);
});

test('the run link passes the view parameters over', () => {
  assert.deepEqual(parseLink('?only=train&embed=draw'), { present: false, values: {}, problems: [] });
});

test('the embed view may be framed; its policy is otherwise the header policy', () => {
  assert.equal(embedCsp().replace(/frame-ancestors .*$/, ''), HEADER_CSP.replace(/frame-ancestors .*$/, ''));
  assert.match(embedCsp(), /; frame-ancestors \*$/);
  assert.equal(embedAncestors('https://a.edu, http://127.0.0.1:9000'), 'https://a.edu http://127.0.0.1:9000');
  for (const bad of ["'self'; script-src *", 'javascript:x', '', 'https://a.edu/path']) assert.throws(() => embedAncestors(bad), /--embed-origins/);
});

test('an instructor link: section controls and hide= parsed strictly; buildSectionLink writes the same syntax', async () => {
  const { buildSectionLink } = await import('../../www/share.js');
  const link = parseLink('?atten-badness=4&atten-negative=3&hide=speed,atten-steps&only=attenuation');
  assert.deepEqual(link.values, { controls: { 'atten-badness': '4', 'atten-negative': '3' }, hide: ['speed', 'atten-steps'] });
  assert.deepEqual(link.problems, []);
  const bad = parseLink('?atten-lr=<1>&hide=ok,No!&atten-lr=2');
  assert.deepEqual(bad.problems, ['atten-lr=“<1>” is not a number or an option', 'hide=“ok,No!”: “No!” is not a control\'s name', '“atten-lr” appears more than once: the first value is used']);
  const href = buildSectionLink('http://h/lab/?x=1#y', 'attenuation', { controls: { 'atten-badness': '4' }, hide: ['atten-steps'] });
  assert.equal(href, 'http://h/lab/?atten-badness=4&hide=atten-steps&only=attenuation');
  assert.deepEqual(parseLink(new URL(href).search).values, { controls: { 'atten-badness': '4' }, hide: ['atten-steps'] });
  const train = buildSectionLink('http://h/', 'train', { hyper: { learning_rate: 0.2, batch_size: 10, l2: 0, seed: 7 }, dataset: 'mnist', hide: ['batch-size'] });
  assert.equal(train, 'http://h/?lr=0.2&batch=10&l2=0&seed=7&dataset=mnist&hide=batch-size&only=train');
});
