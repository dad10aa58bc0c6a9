// The data sets' decoder for the page's worker: the xz-embedded wasm module that the npm package
// xz-decompress (pinned in package.json) ships base64-encoded inside its UMD build, written out
// as www/vendor/xz/xz-embedded.wasm (with .br/.gz copies, scripts/compress.mjs) for www/xz.js,
// the lab's own driver of it. Run by scripts/fetch-data.sh: the encoding of data/ and the
// decoder that reads it are set up together. Prints the module's size.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompress } from './compress.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE = join(ROOT, 'node_modules/xz-decompress');
const OUT = join(ROOT, 'www/vendor/xz/xz-embedded.wasm');

const { version } = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8'));
const umd = readFileSync(join(PACKAGE, 'dist/package/xz-decompress.js'), 'utf8');
const found = umd.match(/"data:application\/wasm;base64,([A-Za-z0-9+/=]+)"/);
if (!found) throw new Error(`node_modules/xz-decompress ${version}: no embedded wasm module found (another version than the one package.json pins?)`);
const wasm = Buffer.from(found[1], 'base64');
const exports = WebAssembly.Module.exports(new WebAssembly.Module(wasm)).map((e) => e.name).sort().join(',');
if (exports !== 'create_context,destroy_context,get_next_output,memory,supply_input') {
  throw new Error(`node_modules/xz-decompress ${version}: the wasm module exports ${exports}, not what www/xz.js drives`);
}
mkdirSync(dirname(OUT), { recursive: true });
let same = false;
try {
  same = readFileSync(OUT).equals(wasm);
} catch {
  // not there yet
}
if (!same) {
  writeFileSync(`${OUT}.tmp`, wasm);
  renameSync(`${OUT}.tmp`, OUT);
}
const { raw, gz, br } = precompress(OUT);
console.log(`    www/vendor/xz/xz-embedded.wasm (xz-decompress ${version}): ${raw} bytes, ${gz} gzipped, ${br} with brotli`);
