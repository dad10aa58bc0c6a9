// ./lab dist: build dist/, the lab as a folder of static files for any host (GitHub Pages, a
// university web folder, `python3 -m http.server`), at any sub-path. It holds exactly what the page
// loads — index.html (with its CSP as a meta element), the modules, styles, wasm, vendored
// libraries and fonts, the web app manifest and icon, the data manifest and the data sets it lists
// as available — plus sw.js, the service worker with the list and hashes of the app's files
// (scripts/precache.mjs), so that after one visit the lab works offline. No server logic.
// Usage: node scripts/dist.mjs [--out DIR] [--no-data]
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serviceWorker, servedPath } from './precache.mjs';
import { isFresh, precompress } from './compress.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const outArg = args.indexOf('--out');
const OUT = resolve(outArg >= 0 && args[outArg + 1] ? args[outArg + 1] : join(ROOT, 'dist'));
const DATA = !args.includes('--no-data');

const say = (s) => console.log(`\x1b[1;34m==>\x1b[0m ${s}`);
const note = (s) => console.log(`    ${s}`);
function die(s) {
  console.error(`\x1b[1;31merror:\x1b[0m ${s}`);
  process.exit(1);
}
const mb = (b) => `${(b / 1e6).toFixed(2)} MB`;

for (const need of ['www/pkg/softmax_lab_start_bg.wasm', 'www/pkg/softmax_lab_bg.wasm', 'www/vendor/katex/katex.min.mjs', 'data/manifest.json']) {
  if (!existsSync(join(ROOT, need))) die(`${need} is missing: run ./lab build (./lab dist runs it first)`);
}
if (OUT === ROOT || ROOT.startsWith(`${OUT}/`)) die(`refusing to write the build over the repository (${OUT})`);

say(`Building ${OUT}`);
const sw = serviceWorker(ROOT);
rmSync(OUT, { recursive: true, force: true });
/** Copy what serve.mjs would send for `rel` (the minified copy of the page's own modules and style sheets). */
const copy = (rel) => {
  mkdirSync(dirname(join(OUT, rel)), { recursive: true });
  const from = servedPath(ROOT, rel);
  copyFileSync(from, join(OUT, rel));
  return statSync(from).size;
};
/** Text and wasm: precompressed copies beside them, for hosts that serve those (scripts/compress.mjs). */
const COMPRESSIBLE = /\.(html|js|mjs|css|json|wasm|svg|webmanifest)$/;
let appBytes = 0;
let appBrotli = 0;
for (const f of sw.files) {
  appBytes += copy(f.path);
  if (!COMPRESSIBLE.test(f.path)) {
    appBrotli += statSync(join(ROOT, f.path)).size; // fonts: compressed already
    continue;
  }
  const src = join(ROOT, f.path);
  if (isFresh(`${src}.br`, src) && isFresh(`${src}.gz`, src)) {
    // made by the build (the wasm, the vendored libraries): copy, do not compress again
    copy(`${f.path}.br`);
    copy(`${f.path}.gz`);
    appBrotli += statSync(`${src}.br`).size;
  } else {
    appBrotli += precompress(join(OUT, f.path)).br;
  }
}
writeFileSync(join(OUT, 'sw.js'), sw.source);
// GitHub Pages: serve the folder as it is (no Jekyll processing).
writeFileSync(join(OUT, '.nojekyll'), '');
note(`the app: ${sw.files.length} files, ${mb(appBytes)} (${mb(appBrotli)} with brotli; .br and .gz copies beside each text file and the wasm), offline version ${sw.version}`);

if (DATA) {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'data/manifest.json'), 'utf8'));
  for (const [name, entry] of Object.entries(manifest)) {
    if (entry.status !== 'available') {
      note(`data set ${name}: not included (${entry.reason || entry.status})`);
      continue;
    }
    let bytes = 0;
    for (const file of entry.files) bytes += copy(`data/${name}/${file}`);
    note(`data set ${name}: ${entry.files.length} files, ${mb(bytes)}`);
  }
} else {
  note('data sets: left out (--no-data); the page will say they are missing');
}
say('Done. To publish: copy the folder as it is to any static host, e.g.');
note(`python3 -m http.server --directory ${OUT} 8000   (then open http://127.0.0.1:8000/)`);
note('The page works at any sub-path (all its URLs are relative) and offline after one visit over HTTPS or on localhost.');
