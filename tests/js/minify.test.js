// scripts/minify.mjs: the minified copies the server, the service worker's list and dist/ send in
// place of the page's own modules and style sheets, and when they must not be used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { minifyAll } from '../../scripts/minify.mjs';
import { MIN_DIR, isOwnSource, servedPath } from '../../scripts/precache.mjs';

function tree() {
  const root = mkdtempSync(join(tmpdir(), 'minify-'));
  mkdirSync(join(root, 'www/pkg'), { recursive: true });
  mkdirSync(join(root, 'www/css'), { recursive: true });
  writeFileSync(join(root, 'www/a.js'), '// a comment\nexport function twice(value) {\n  // another\n  return value * 2;\n}\nexport const NAME = twice.name;\n');
  writeFileSync(join(root, 'www/css/b.css'), '/* tokens */\n.x {\n  color: red;\n}\n');
  writeFileSync(join(root, 'www/pkg/glue.js'), 'export const generated = 1;\n');
  writeFileSync(join(root, 'www/sw.js'), 'self.x = 1;\n');
  return root;
}

test('only the page’s own modules and style sheets are minified', () => {
  assert.ok(isOwnSource('www/main.js'));
  assert.ok(isOwnSource('www/sections/train/charts.js'));
  assert.ok(isOwnSource('www/css/base.css'));
  assert.ok(!isOwnSource('www/pkg/softmax_lab.js'), 'wasm-bindgen’s output');
  assert.ok(!isOwnSource('www/vendor/katex/katex.min.mjs'), 'vendored, minified by the build already');
  assert.ok(!isOwnSource('www/sw.js'), 'assembled by precache.mjs');
  assert.ok(!isOwnSource('index.html'));
});

test('the copies are smaller, keep names and exports, and are served only while fresh', async () => {
  const root = tree();
  try {
    assert.equal(servedPath(root, 'www/a.js'), join(root, 'www/a.js'), 'no copy yet: the source');
    const r = await minifyAll(root);
    assert.equal(r.files, 2);
    assert.equal(r.written, 2);
    assert.ok(r.min < r.raw);
    const copy = join(root, MIN_DIR, 'www/a.js');
    const code = readFileSync(copy, 'utf8');
    assert.ok(!code.includes('comment') && !code.includes('another'), code);
    const m = await import(`data:text/javascript,${encodeURIComponent(code)}`);
    assert.equal(m.twice(21), 42);
    assert.equal(m.NAME, 'twice', 'function names are kept (stack traces name them)');
    assert.equal(servedPath(root, 'www/a.js'), copy);
    assert.equal(servedPath(root, 'www/pkg/glue.js'), join(root, 'www/pkg/glue.js'));
    assert.equal((await minifyAll(root)).written, 0, 'nothing stale: nothing written');
    // An edit after the build: the source is served until the next build makes a new copy.
    const later = new Date(Date.now() + 5000);
    utimesSync(join(root, 'www/a.js'), later, later);
    assert.equal(servedPath(root, 'www/a.js'), join(root, 'www/a.js'));
    assert.equal((await minifyAll(root)).written, 1);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
