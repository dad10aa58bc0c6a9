// Static server for the lab: only the page, its modules and the generated data, on localhost.
// Sends the Content-Security-Policy (nothing leaves the machine) and correct MIME types.
// Usage: node scripts/serve.mjs [--port 8000] [--host 127.0.0.1] [--embed-origins '*'] [--bench] [--test-data]
// --embed-origins: who may frame the embed view (index.html?embed=<section>): * (default) or a
// list of origins; every other page is sent with frame-ancestors 'none'.
// --host 0.0.0.0 listens on every interface and prints the machine's addresses (a classroom on
// one laptop: students open the printed URL); the default listens on this machine only.
// --bench also serves the benchmark pages (tests/bench/) and the TensorFlow.js files they
// compare against (./lab bench); without it only the lab itself is served.
// --test-data (the browser tests' server) also serves the decoded IDX files that ./lab setup
// keeps beside the xz files, at the URLs the page caches them under, so that a test can start
// with the data cache of a second visit (tests/e2e/support/data-cache.js). The page never asks
// for them.
import { createServer } from 'node:http';
import { createReadStream, readFile, statSync } from 'node:fs';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { networkInterfaces } from 'node:os';
import { fileURLToPath } from 'node:url';
import { appFiles, serviceWorker, servedPath } from './precache.mjs';
import { isFresh } from './compress.mjs';
import { HEADER_CSP, carriesPolicy, embedAncestors, embedCsp } from './csp.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const PORT = Number(arg('--port', process.env.PORT || 8000));
const HOST = arg('--host', '127.0.0.1');
const BENCH = args.includes('--bench');

/** What may be served: the page and its assets, nothing else of the repository. */
const ALLOWED = [/^\/index\.html$/, /^\/www\//, /^\/data\/(manifest\.json|[a-z]+\/[a-z0-9-]+\.xz)$/, /^\/favicon\.svg$/];
/** With --bench: the benchmark pages and workers, and the TensorFlow.js builds they load. */
const BENCH_ALLOWED = [
  /^\/tests\/bench\/[a-z0-9-]+\.(html|js)$/,
  /^\/node_modules\/@tensorflow\/tfjs\/dist\/tf\.min\.js$/,
  /^\/node_modules\/@tensorflow\/tfjs-backend-wasm\/dist\/(tf-backend-wasm\.min\.js|tfjs-backend-wasm(-simd|-threaded-simd)?\.wasm)$/,
];
if (BENCH) ALLOWED.push(...BENCH_ALLOWED);
if (args.includes('--test-data')) ALLOWED.push(/^\/data\/[a-z]+\/[a-z0-9-]+-ubyte$/);

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.png': 'image/png',
  '.gz': 'application/octet-stream',
  '.xz': 'application/x-xz',
};

// The policy (scripts/csp.mjs): the same as index.html's meta element, plus frame-ancestors.
const CSP = HEADER_CSP;
let EMBED_CSP;
try {
  EMBED_CSP = embedCsp(embedAncestors(arg('--embed-origins', '*')));
} catch (e) {
  console.error(`error: ${e.message}`);
  process.exit(2);
}

const server = createServer((req, res) => {
  let path;
  let embed;
  try {
    const url = new URL(req.url, 'http://x');
    path = decodeURIComponent(url.pathname);
    embed = url.searchParams.has('embed');
  } catch {
    res.writeHead(400).end('bad request');
    return;
  }
  if (path === '/') path = '/index.html';
  if (path === '/sw.js') return sendServiceWorker(req, res);
  const asked = normalize(join(ROOT, path));
  if (!asked.startsWith(ROOT + sep) || !ALLOWED.some((re) => re.test(path)) || path.includes('..')) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    return;
  }
  // The page's own modules and style sheets: their minified copy when it is fresh (scripts/minify.mjs).
  const file = servedPath(ROOT, path.slice(1));
  let st;
  try {
    st = statSync(file);
    if (!st.isFile()) throw new Error('not a file');
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    return;
  }
  const type = extname(file);
  const encoding = COMPRESSIBLE.has(type) ? acceptedEncoding(req.headers['accept-encoding']) : null;
  const version = fileVersion(st);
  const etag = `"${version}${encoding ? `-${encoding}` : ''}"`;
  const headers = {
    'Content-Type': MIME[type] || 'application/octet-stream',
    'Cache-Control': 'no-cache',
    ETag: etag,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
  if (carriesPolicy(path)) {
    // Only the page's embed view may be framed (by --embed-origins); everything else: frame-ancestors 'none'.
    headers['Content-Security-Policy'] = embed && path === '/index.html' ? EMBED_CSP : CSP;
    headers['Cross-Origin-Opener-Policy'] = 'same-origin';
  }
  if (COMPRESSIBLE.has(type)) headers.Vary = 'Accept-Encoding';
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers).end();
    return;
  }
  if (!encoding) {
    // Streamed, never read whole: the data sets are 11 and 31 MB (tests/js/serve-load.test.js).
    res.writeHead(200, { ...headers, 'Content-Length': st.size });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
    return;
  }
  compressed(file, version, encoding).then(
    (body) => {
      res.writeHead(200, { ...headers, 'Content-Encoding': encoding, 'Content-Length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
    (e) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`cannot compress ${path}: ${e.message}`),
  );
});

/**
 * The page's own files (text and wasm, each under 1 MB) go out compressed: brotli where the
 * browser takes it, else gzip, each made once per file version and kept in memory. The data sets
 * are xz files already (www/data.js decodes and checks them in the worker), so they go out as
 * they are, with no Content-Encoding: the browser must hand the worker the xz bytes.
 */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.wasm', '.svg', '.webmanifest']);
/** file → {version, br?: Promise<Buffer>, gzip?: Promise<Buffer>} */
const compressedFiles = new Map();

/** @param {string|undefined} accept the request's Accept-Encoding */
function acceptedEncoding(accept) {
  const names = String(accept || '').split(',').map((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q && Number(q.slice(2)) === 0 ? '' : name;
  });
  if (names.includes('br')) return 'br';
  if (names.includes('gzip')) return 'gzip';
  return null;
}

/** @param {import('node:fs').Stats} st */
function fileVersion(st) {
  return `${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}`;
}

/**
 * Compress the app's files once the server listens, one after another in the background, so the
 * first visitor does not wait while thirty files are compressed at once (a cold load measured
 * 1 s for the style sheets on a loaded 2-core machine).
 */
function warmCompressed() {
  let files;
  try {
    files = appFiles(ROOT).filter((f) => COMPRESSIBLE.has(extname(f)));
  } catch {
    return; // not built yet: compressed on request
  }
  const next = () => {
    const rel = files.shift();
    if (!rel) return;
    const file = servedPath(ROOT, rel);
    let st;
    try {
      st = statSync(file);
    } catch {
      setImmediate(next);
      return;
    }
    compressed(file, fileVersion(st), 'br').then(next, next);
  };
  next();
}

function compressed(file, version, encoding) {
  let entry = compressedFiles.get(file);
  if (!entry || entry.version !== version) {
    entry = { version };
    compressedFiles.set(file, entry);
  }
  if (!entry[encoding]) {
    entry[encoding] = new Promise((fulfil, reject) => {
      // A precompressed copy from the build (scripts/compress.mjs: the wasm and the vendored
      // libraries, at the highest settings), if it is not older than the file; else made here,
      // at the build's settings (brotli 11: 9 % smaller than brotli 5 for the page's own
      // modules, 194 against 213 KB, for about 0.75 s of CPU in all, spent once per file version
      // and mostly by warmCompressed before the first visitor asks).
      const copy = `${file}.${encoding === 'br' ? 'br' : 'gz'}`;
      if (isFresh(copy, file)) {
        readFile(copy, (error, bytes) => (error ? reject(error) : fulfil(bytes)));
        return;
      }
      readFile(file, (error, bytes) => {
        if (error) return reject(error);
        const done = (e, out) => (e ? reject(e) : fulfil(out));
        if (encoding === 'br') brotliCompress(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length } }, done);
        else gzip(bytes, { level: 9 }, done);
      });
    });
    entry[encoding].catch(() => compressedFiles.delete(file));
  }
  return entry[encoding];
}

/** /sw.js: www/sw.js with the list of the app's files and their hashes (scripts/precache.mjs). */
function sendServiceWorker(req, res) {
  let source;
  try {
    ({ source } = serviceWorker(ROOT));
  } catch (e) {
    res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`cannot build the service worker: ${e.message} (run ./lab build)`);
    return;
  }
  const body = Buffer.from(source);
  res.writeHead(200, {
    'Content-Type': MIME['.js'],
    'Content-Length': body.length,
    'Cache-Control': 'no-cache',
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

server.on('error', (e) => {
  if (e.code === 'EADDRINUSE') {
    console.error(`error: port ${PORT} is in use. Stop the other server, or run with PORT=8001.`);
  } else {
    console.error(`error: ${e.message}`);
  }
  process.exit(1);
});

/** The machine's own addresses, for a room that connects to this laptop (--host 0.0.0.0). */
function lanUrls(port) {
  const urls = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list || []) {
      if (a.internal) continue;
      if (a.family === 'IPv4') urls.push(`http://${a.address}:${port}/`);
      else if (HOST === '::' && !a.address.startsWith('fe80')) urls.push(`http://[${a.address}]:${port}/`);
    }
  }
  return urls;
}

server.listen(PORT, HOST, () => {
  const port = server.address().port;
  const everywhere = HOST === '0.0.0.0' || HOST === '::';
  const url = `http://${everywhere ? '127.0.0.1' : HOST}:${port}/`;
  if (process.env.SERVE_QUIET !== '1') {
    console.log(`\n  softmax-lab is being served at ${url}`);
    if (everywhere) {
      const lan = lanUrls(port);
      console.log(lan.length ? `  on the local network: ${lan.join('  ')}` : '  (this machine has no network address other than loopback)');
      console.log('  Anyone who can reach this machine can open the lab; the data never leaves it except to them.');
    }
    console.log('  (Ctrl+C to stop)\n');
  }
  if (process.send) process.send({ url });
  warmCompressed();
});
