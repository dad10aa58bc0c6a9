// The benchmark page: starts one module Worker per job and resolves with its result.
// tests/bench/run.mjs calls window.bench(...) through Playwright, one job at a time.

/** The workers: softmax-lab's is a module (like the page's); TF.js's is classic (see its header). */
const WORKERS = {
  lab: { url: './lab-worker.js', type: 'module' },
  tfjs: { url: './tfjs-worker.js', type: 'classic' },
};

const log = document.getElementById('log');

/**
 * Run one benchmark job in a fresh worker.
 * @param {'lab'|'tfjs'} kind
 * @param {object} request e.g. {batches: [1, 10, 100, 1000]} or {backend: 'wasm', batches}
 * @returns {Promise<object>}
 */
window.bench = (kind, request) =>
  new Promise((resolve, reject) => {
    const worker = new Worker(new URL(WORKERS[kind].url, import.meta.url), { type: WORKERS[kind].type, name: `bench-${kind}` });
    log.textContent += `${kind} ${JSON.stringify(request)}…\n`;
    worker.onmessage = ({ data }) => {
      if (data.type === 'progress') return;
      worker.terminate();
      if (data.type === 'result') resolve(data.result);
      else reject(new Error(data.error));
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(`worker ${kind} failed: ${e.message || "could not start"} (${e.filename}:${e.lineno}:${e.colno})`));
    };
    worker.postMessage({ type: 'run', ...request });
  });

window.benchReady = true;
