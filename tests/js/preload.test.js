// index.html preloads exactly the page's static module graph (scripts/module-graph.mjs), so no
// module waits for the one that imports it, and nothing is preloaded that the page does not load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { moduleGraph, preloadedModules, staticImports } from '../../scripts/module-graph.mjs';

test('the static imports of a module are read, relative ones only, dynamic ones not', () => {
  const source = [
    "import { a } from './a.js';",
    "import * as b from '../b.js';",
    "export { c } from './c.js';",
    "import './side-effect.js';",
    "import x from 'node:fs';",
    "const later = import('./dynamic.js');",
    "import {\n  d,\n  e,\n} from './multi-line.js';",
  ].join('\n');
  assert.deepEqual(staticImports(source), ['./a.js', '../b.js', './c.js', './side-effect.js', './multi-line.js']);
});

test('index.html preloads every module of the page, and only those', () => {
  const graph = moduleGraph();
  assert.ok(graph.length > 40 && graph.includes('www/sections/sigmoid.js') && graph.includes('www/boot.js'), `${graph.length} modules`);
  const preloaded = preloadedModules();
  const missing = graph.filter((f) => !preloaded.includes(f));
  const extra = preloaded.filter((f) => !graph.includes(f));
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, 'run `node scripts/module-graph.mjs` and put its output after the main.js modulepreload in index.html');
  assert.equal(new Set(preloaded).size, preloaded.length, 'each module once');
});
