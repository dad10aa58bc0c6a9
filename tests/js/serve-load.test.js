// A classroom on one laptop, on loopback: 50 clients fetch the page and the four MNIST files from
// scripts/serve.mjs at once. Every response completes, every byte is checked (length and SHA-256
// against data/manifest.json and the file on disk), and the server's peak memory
// stays bounded — it streams files, it never holds them whole (50 × 9 MB would be 450 MB).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { servedPath } from '../../scripts/precache.mjs';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CLIENTS = 50;
/** Peak resident memory allowed for the server (Node itself is about 50 MB). */
const MAX_RSS_MB = 200;

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** The server's peak resident set (VmHWM) in MB, from /proc (Linux). */
function peakRssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
  return kb / 1024;
}

test(`${CLIENTS} clients fetch the page and MNIST at once: all complete, every byte checked, server memory bounded`, { timeout: 180_000 }, async () => {
  const manifest = JSON.parse(readFileSync(`${REPO}/data/manifest.json`, 'utf8'));
  const mnist = manifest.mnist;
  assert.equal(mnist.status, 'available', 'MNIST must be present: run ./lab setup');
  const files = [
    { path: 'index.html', sha256: sha256(readFileSync(`${REPO}/index.html`)), bytes: readFileSync(`${REPO}/index.html`).length },
    // A module goes out as its minified copy when the build made a fresh one (scripts/minify.mjs).
    { path: 'www/main.js', sha256: sha256(readFileSync(servedPath(REPO, 'www/main.js'))), bytes: readFileSync(servedPath(REPO, 'www/main.js')).length },
    { path: 'data/manifest.json', sha256: sha256(readFileSync(`${REPO}/data/manifest.json`)), bytes: readFileSync(`${REPO}/data/manifest.json`).length },
    // The files as served (the manifest's SHA-256 is of what they decode to), their length as the manifest says.
    ...mnist.files.map((f, i) => ({ path: `data/mnist/${f}`, sha256: sha256(readFileSync(`${REPO}/data/mnist/${f}`)), bytes: mnist.bytes[i] })),
  ];

  const server = fork(`${REPO}/scripts/serve.mjs`, ['--port', '0'], { env: { ...process.env, SERVE_QUIET: '1' }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  try {
    const { url } = await new Promise((resolve, reject) => {
      server.once('message', resolve);
      server.once('exit', (code) => reject(new Error(`serve.mjs exited with ${code}`)));
    });
    const baseline = peakRssMb(server.pid);

    async function client() {
      for (const f of files) {
        const response = await fetch(new URL(f.path, url));
        assert.equal(response.status, 200, f.path);
        const hash = createHash('sha256');
        let length = 0;
        // Read as a stream, as a browser does: the client holds no whole file either.
        for await (const chunk of response.body) {
          hash.update(chunk);
          length += chunk.length;
        }
        assert.equal(length, f.bytes, `${f.path}: length`);
        assert.equal(hash.digest('hex'), f.sha256, `${f.path}: SHA-256`);
      }
      return files.length;
    }

    const t0 = performance.now();
    const done = await Promise.all(Array.from({ length: CLIENTS }, client));
    const seconds = (performance.now() - t0) / 1000;
    assert.equal(done.reduce((a, b) => a + b, 0), CLIENTS * files.length);
    const peak = peakRssMb(server.pid);
    const total = (CLIENTS * files.reduce((s, f) => s + f.bytes, 0)) / 1e6;
    console.log(`${CLIENTS} clients, ${total.toFixed(0)} MB in ${seconds.toFixed(1)} s; server peak RSS ${peak.toFixed(0)} MB (${baseline.toFixed(0)} MB at start)`);
    assert.ok(peak < MAX_RSS_MB, `server peak RSS ${peak.toFixed(0)} MB ≥ ${MAX_RSS_MB} MB: it must stream files, not buffer them`);
  } finally {
    server.kill();
  }
});
