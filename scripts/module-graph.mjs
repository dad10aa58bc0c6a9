// The page's static module graph from www/main.js, for index.html's <link rel="modulepreload">
// list: with it the browser fetches every module at once instead of one import level per round
// trip. tests/js/preload.test.js keeps the list equal to the graph;
// `node scripts/module-graph.mjs` prints the link elements to paste after the main.js one.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Static `import … from '…'` and `export … from '…'` specifiers of a module's source (relative ones only). */
export function staticImports(source) {
  const out = [];
  const re = /^\s*(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm;
  for (const m of source.matchAll(re)) out.push(m[1] ?? m[2]);
  return out;
}

/**
 * Every module reachable from `entry` by static imports, paths relative to the repository, in
 * the order first reached (breadth first).
 * @param {string} [entry]
 */
export function moduleGraph(entry = 'www/main.js') {
  const seen = new Set([entry]);
  const queue = [entry];
  while (queue.length) {
    const file = queue.shift();
    for (const spec of staticImports(readFileSync(join(ROOT, file), 'utf8'))) {
      const dep = relative(ROOT, resolve(ROOT, dirname(file), spec));
      if (!seen.has(dep)) {
        seen.add(dep);
        queue.push(dep);
      }
    }
  }
  return [...seen];
}

/** The modulepreload hrefs index.html lists. */
export function preloadedModules(html = readFileSync(join(ROOT, 'index.html'), 'utf8')) {
  return [...html.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)].map((m) => m[1]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const f of moduleGraph().slice(1)) console.log(`    <link rel="modulepreload" href="${f}" />`);
}
