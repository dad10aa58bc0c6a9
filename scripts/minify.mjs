// Minified copies of the page's own modules and style sheets (www/, not the generated pkg/ and
// vendor/, nor sw.js, which serve.mjs and dist.mjs assemble), in target/www-min/ under the same
// paths. esbuild removes comments and whitespace and shortens syntax but keeps every name, so a
// stack trace still names its functions; one file in, one file out (no bundling: the module
// graph the browser loads is the one in www/). The page's own files went from 194 to 121 KB with
// brotli (docs/speed.md).
// scripts/serve.mjs, the service worker's hashes and scripts/dist.mjs read each file through
// `servedPath` (scripts/precache.mjs): the copy while it is at least as new as its source, else
// the source itself, so an edit is served at once, before the next build, and all three always
// agree on the bytes.
// Usage: node scripts/minify.mjs   (scripts/build.sh runs it)
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isFresh } from './compress.mjs';
import { MIN_DIR, appFiles, isOwnSource } from './precache.mjs';

/**
 * Write the stale or missing copies.
 * @param {string} root
 * @returns {Promise<{files: number, written: number, raw: number, min: number}>}
 */
export async function minifyAll(root) {
  const { transform } = await import('esbuild');
  let written = 0;
  let raw = 0;
  let min = 0;
  const files = appFiles(root).filter(isOwnSource);
  for (const rel of files) {
    const src = join(root, rel);
    const copy = join(root, MIN_DIR, rel);
    if (!isFresh(copy, src)) {
      const code = readFileSync(src, 'utf8');
      const out = await transform(code, {
        loader: rel.endsWith('.css') ? 'css' : 'js',
        minifyWhitespace: true,
        minifySyntax: true,
        legalComments: 'none',
        sourcefile: rel,
      });
      mkdirSync(dirname(copy), { recursive: true });
      writeFileSync(`${copy}.tmp`, out.code);
      renameSync(`${copy}.tmp`, copy); // whole or not at all: a server reading it meanwhile
      written += 1;
    }
    raw += statSync(src).size;
    min += statSync(copy).size;
  }
  return { files: files.length, written, raw, min };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
  minifyAll(root).then(
    ({ files, written, raw, min }) => console.log(`    ${MIN_DIR}: ${files} modules and style sheets, ${written} minified now; ${raw} → ${min} bytes (esbuild, names kept)`),
    (e) => {
      console.error(`\x1b[1;31merror:\x1b[0m could not minify the page's modules: ${e.message}`);
      process.exit(1);
    },
  );
}
