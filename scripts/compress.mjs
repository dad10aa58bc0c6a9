// Precompressed copies for the static server and for static hosts: for each file given, FILE.br
// (brotli, quality 11) and FILE.gz (gzip -9), made again only when FILE is newer than them.
// scripts/serve.mjs sends them with Content-Encoding when the browser accepts it; ./lab dist
// copies them beside their files for hosts that serve precompressed files (nginx gzip_static,
// brotli_static). Usage: node scripts/compress.mjs FILE...
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Whether the copy `copy` of `file` exists and is not older than it. */
export function isFresh(copy, file) {
  try {
    return statSync(copy).mtimeMs >= statSync(file).mtimeMs;
  } catch {
    return false;
  }
}

/** Write whole or not at all (a server reading the copy meanwhile never sees half of it). */
function writeAtomic(path, bytes) {
  writeFileSync(`${path}.tmp`, bytes);
  renameSync(`${path}.tmp`, path);
}

/** @param {string} file @returns {{br: number, gz: number, raw: number}} sizes in bytes */
export function precompress(file) {
  const st = statSync(file);
  const fresh = (copy) => isFresh(copy, file);
  let bytes = null;
  const read = () => (bytes ??= readFileSync(file));
  if (!fresh(`${file}.br`)) {
    writeAtomic(`${file}.br`, brotliCompressSync(read(), { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: st.size } }));
  }
  if (!fresh(`${file}.gz`)) writeAtomic(`${file}.gz`, gzipSync(read(), { level: 9 }));
  return { raw: st.size, br: statSync(`${file}.br`).size, gz: statSync(`${file}.gz`).size };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const file of process.argv.slice(2)) {
    const { raw, br, gz } = precompress(file);
    console.log(`    ${file}: ${raw} bytes, ${br} brotli, ${gz} gzip`);
  }
}
