// The pure data helpers of www/data.js: manifest entries, checksums, the manifest's errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { availability, FILE_ROLES, fetchDataset, fetchManifest, MANIFEST_URL, sha256Hex } from '../../www/data.js';

const GOOD = { status: 'available', encoding: 'xz', files: ['a.xz', 'b.xz', 'c.xz', 'd.xz'], bytes: [1, 2, 3, 4], raw_bytes: [16, 8, 16, 8] };

test('availability: a complete entry is available', () => {
  assert.deepEqual(availability(GOOD), { available: true, reason: '' });
  assert.deepEqual(availability({ ...GOOD, sha256: ['a', 'b', 'c', 'd'] }), { available: true, reason: '' });
  assert.deepEqual(availability({ ...GOOD, label_order: [1, null, 3, null] }), { available: true, reason: '' });
  // One download holding both images files (train, then test), one per labels file.
  const JOINED = { ...GOOD, files: ['images.xz', 'b.xz', 'd.xz'], bytes: [1, 2, 4], parts: [[0, 2], [1], [3]], names: ['a', 'b', 'c', 'd'] };
  assert.deepEqual(availability(JOINED), { available: true, reason: '' });
});

test('availability: every malformed or missing entry is refused with its reason', () => {
  assert.deepEqual(availability(undefined), { available: false, reason: 'not listed in data/manifest.json' });
  assert.deepEqual(availability({ ...GOOD, status: 'missing', reason: 'run ./lab setup' }), { available: false, reason: 'run ./lab setup' });
  assert.deepEqual(availability({ ...GOOD, status: 'missing' }), { available: false, reason: 'status "missing" in data/manifest.json' });
  const wrong = { available: false, reason: 'data/manifest.json lists the files incorrectly' };
  assert.deepEqual(availability({ ...GOOD, files: GOOD.files.slice(1) }), wrong);
  assert.deepEqual(availability({ ...GOOD, files: 'a.xz' }), wrong);
  assert.deepEqual(availability({ ...GOOD, bytes: [1, 2, 3] }), wrong);
  assert.deepEqual(availability({ ...GOOD, bytes: [1, 2, 3, 0] }), wrong);
  assert.deepEqual(availability({ ...GOOD, bytes: [1, 2, 3, 4.5] }), wrong);
  assert.deepEqual(availability({ ...GOOD, bytes: [1, 2, 3, '4'] }), wrong);
  assert.deepEqual(availability({ ...GOOD, sha256: ['a'] }), wrong);
  assert.deepEqual(availability({ ...GOOD, sha256: 'abc' }), wrong);
  assert.deepEqual(availability({ ...GOOD, raw_bytes: undefined }), wrong);
  assert.deepEqual(availability({ ...GOOD, raw_bytes: [16, 8, 16] }), wrong);
  assert.deepEqual(availability({ ...GOOD, label_order: [1, null, 3] }), wrong);
  assert.deepEqual(availability({ ...GOOD, label_order: [0, null, 3, null] }), wrong, 'a file ordered by itself');
  assert.deepEqual(availability({ ...GOOD, label_order: [1, 0, null, null] }), wrong, 'ordered by a file that is itself ordered');
  assert.deepEqual(availability({ ...GOOD, label_order: [4, null, 3, null] }), wrong);
  const JOINED = { ...GOOD, files: ['images.xz', 'b.xz', 'd.xz'], bytes: [1, 2, 4], parts: [[0, 2], [1], [3]], names: ['a', 'b', 'c', 'd'] };
  assert.deepEqual(availability({ ...JOINED, parts: [[0, 2], [1], [2]] }), wrong, 'a file held twice, one never');
  assert.deepEqual(availability({ ...JOINED, parts: [[0, 2], [1, 3]] }), wrong, 'fewer parts than downloads');
  assert.deepEqual(availability({ ...JOINED, parts: [[0, 2], [1], []] }), wrong);
  assert.deepEqual(availability({ ...JOINED, bytes: [1, 2] }), wrong);
  assert.deepEqual(availability({ ...JOINED, names: undefined }), wrong, 'parts need the published names');
  assert.deepEqual(availability({ ...JOINED, names: ['a', 'b', 'c', '../d'] }), wrong);
  // The manifest of an earlier setup (gzip files): say what to do.
  const { encoding: _, ...gzip } = GOOD;
  assert.deepEqual(availability(gzip), { available: false, reason: 'data/manifest.json lists gzip files, which this page does not read (it was written by another version of ./lab setup): run ./lab setup again' });
  assert.deepEqual(availability({ ...GOOD, encoding: 'zstd' }), { available: false, reason: 'data/manifest.json lists zstd files, which this page does not read (it was written by another version of ./lab setup): run ./lab setup again' });
});

test('four files per data set', () => {
  assert.deepEqual(FILE_ROLES, ['train-images', 'train-labels', 'test-images', 'test-labels']);
});

test('sha256Hex is lower-case hex SHA-256', async () => {
  assert.equal(await sha256Hex(new TextEncoder().encode('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(await sha256Hex(new Uint8Array(0)), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

test('fetchManifest says what is wrong with the manifest', async (t) => {
  const reply = (r) => t.mock.method(globalThis, 'fetch', async () => r);
  reply({ ok: false, status: 404 });
  await assert.rejects(fetchManifest('http://h/'), { message: `${MANIFEST_URL} is missing (HTTP 404): run ./lab setup to fetch the data` });
  reply({ ok: true, json: async () => JSON.parse('{') });
  await assert.rejects(fetchManifest('http://h/'), /is not valid JSON/);
  reply({ ok: true, json: async () => ({ fashion: {} }) });
  await assert.rejects(fetchManifest('http://h/'), /has no "mnist" entry/);
  reply({ ok: true, json: async () => ({ mnist: GOOD }) });
  assert.deepEqual(await fetchManifest('http://h/'), { mnist: GOOD });
  t.mock.method(globalThis, 'fetch', async () => {
    throw new Error('connection refused');
  });
  await assert.rejects(fetchManifest('http://h/'), { message: `cannot reach the server for ${MANIFEST_URL} (connection refused)` });
});

test('fetchDataset: the first download that fails stops the others of the set, and its message stands', async (t) => {
  const decoder = readFileSync(new URL('../../www/vendor/xz/xz-embedded.wasm', import.meta.url));
  /** The downloads still running, and whether each was told to stop. */
  const seen = {};
  t.mock.method(globalThis, 'fetch', async (url, init = {}) => {
    const path = String(url);
    if (path.endsWith('xz-embedded.wasm')) return new Response(decoder);
    const name = path.slice(path.lastIndexOf('/') + 1);
    seen[name] = { aborted: false };
    init.signal?.addEventListener('abort', () => (seen[name].aborted = true));
    if (name === 'b.xz') {
      await new Promise((done) => {
        setTimeout(done, 20); // the others have started
      });
      return new Response('not found', { status: 404 });
    }
    // The others send their first bytes, then stall (a slow link) until the browser aborts them,
    // which errors the body as a real fetch's does.
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new Uint8Array([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]));
        init.signal?.addEventListener('abort', () => controller.error(init.signal.reason));
      },
    });
    return new Response(body);
  });
  const started = Date.now();
  await assert.rejects(fetchDataset('http://h/', 'x', { ...GOOD, bytes: [100, 100, 100, 100] }, () => {}, { useCache: false }), { message: 'data/x/b.xz is missing on the server (HTTP 404): run ./lab setup' });
  assert.deepEqual(Object.keys(seen).sort(), ['a.xz', 'b.xz', 'c.xz', 'd.xz']);
  for (const name of ['a.xz', 'c.xz', 'd.xz']) assert.equal(seen[name].aborted, true, `${name} was stopped`);
  assert.ok(Date.now() - started < 5000);
});
