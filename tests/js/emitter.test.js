// The event emitter (www/emitter.js) shared by the worker client, the session and the lessons client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter } from '../../www/emitter.js';

test('listeners get the detail, in the order they subscribed, per type', () => {
  const e = new Emitter();
  const calls = [];
  e.on('a', (d) => calls.push(['first', d]));
  e.on('b', (d) => calls.push(['other type', d]));
  e.on('a', (d) => calls.push(['second', d]));
  e.emit('a', 1);
  e.emit('a', 2);
  assert.deepEqual(calls, [['first', 1], ['second', 1], ['first', 2], ['second', 2]]);
});

test('emitting a type nobody listens to does nothing', () => {
  const e = new Emitter();
  let called = false;
  e.on('x', () => {
    called = true;
  });
  e.emit('y', 0);
  assert.equal(called, false);
});

test('a listener added while emitting is called in the same emit', () => {
  const e = new Emitter();
  const calls = [];
  e.on('t', () => {
    calls.push('outer');
    if (calls.length === 1) e.on('t', () => calls.push('added'));
  });
  e.emit('t');
  assert.deepEqual(calls, ['outer', 'added']);
});

test('subclasses (LabClient, Session) keep their own listeners', () => {
  class A extends Emitter {}
  const a = new A();
  const b = new A();
  let n = 0;
  a.on('e', () => n++);
  b.emit('e');
  assert.equal(n, 0);
  a.emit('e');
  assert.equal(n, 1);
});
