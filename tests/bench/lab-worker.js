// Benchmark worker for softmax-lab's own core: the same wasm module (www/pkg) and the same
// `Data` / `Lab` API that the page's worker (www/worker.js) drives, trained the way the page
// trains (`lab.train(n)` in chunks of about 30 ms, one progress message per chunk).
//
// Request {type: 'run', batches: [1, 10, 100, 1000]} → reply {type: 'result', result} | {type: 'error', error}.

import init, { Data, Lab } from '../../www/pkg/softmax_lab.js';
import { CHUNK_MS, decodeDataset, median, reply, throughput } from './mnist.js';

/** The page's defaults (src/train.rs): the accuracy runs use exactly these. */
const LR = 0.05;
const L2 = 0;
const SEED = 541;
const TARGET_ACCURACY = 0.92;

/** Train exactly `steps` steps in page-sized chunks; returns the milliseconds it took. */
function trainSteps(lab, steps) {
  let msPerStep = 1;
  let done = 0;
  const start = performance.now();
  while (done < steps) {
    const n = Math.max(1, Math.min(steps - done, Math.floor(CHUNK_MS / msPerStep)));
    const t0 = performance.now();
    const losses = lab.train(n);
    msPerStep = 0.7 * msPerStep + (0.3 * (performance.now() - t0)) / Math.max(1, losses.length);
    done += losses.length;
    self.postMessage({ type: 'progress', steps: done });
    if (losses.length < n) throw new Error(`diverged: ${lab.takeDivergence()}`);
  }
  return performance.now() - start;
}

async function run({ batches }) {
  const t0 = performance.now();
  await init();
  const t1 = performance.now();
  const mnist = await decodeDataset('mnist');
  if (!mnist) throw new Error('data/manifest.json lists no MNIST (run ./lab setup)');
  const files = mnist.buffers;
  const t2 = performance.now();
  const data = new Data('mnist', files[0], files[1], files[2], files[3]);
  const t3 = performance.now();
  const first = new Lab(data, LR, 100, L2, SEED);
  const t4 = performance.now();
  first.free();
  const n = data.trainSize();
  const result = {
    // Loading, in this worker: fetch + compile + instantiate the wasm; fetch + decode (xz, while
    // downloading) + order + check the four files; parse and validate them into `Data`; build a
    // `Lab` (fits the standardisation).
    loadMs: { wasmInit: t1 - t0, fetchAndDecode: t2 - t1, data: t3 - t2, lab: t4 - t3 },
    // The data sets' decoding, each from the network as the page's first visit does it.
    decode: { mnist: { decodeMs: mnist.decodeMs, wallMs: mnist.wallMs, wireBytes: mnist.wireBytes, decodedBytes: mnist.decodedBytes } },
    throughput: {},
    crossOriginIsolated: self.crossOriginIsolated,
  };

  for (const batch of batches) {
    const lab = new Lab(data, LR, batch, L2, SEED);
    result.throughput[batch] = throughput((k) => lab.train(k).length, batch);
    lab.free();
  }

  // One epoch at the default batch 100: five consecutive epochs of one run, the fastest (and
  // the median), as for the throughput windows.
  {
    const lab = new Lab(data, LR, 100, L2, SEED);
    const epochs = [];
    for (let e = 0; e < 5; e++) epochs.push(trainSteps(lab, n / 100) / 1000);
    result.epochSeconds = Math.min(...epochs);
    result.epochSecondsMedian = median(epochs);
    result.epochs = epochs;
    // Full test-set evaluation (10 000 images): what the page pays every time it evaluates.
    const evals = [];
    for (let i = 0; i < 5; i++) {
      const e0 = performance.now();
      lab.evaluate();
      evals.push(performance.now() - e0);
    }
    result.evaluateMs = median(evals);
    lab.free();
  }

  // From a fresh model to ≥ 92 % on the full test set with the defaults, evaluating the whole
  // test set after every 100 steps (evaluation time included).
  {
    const lab = new Lab(data, LR, 100, L2, SEED);
    const start = performance.now();
    let accuracy = 0;
    let steps = 0;
    while (accuracy < TARGET_ACCURACY && steps < 100 * n) {
      trainSteps(lab, 100);
      steps += 100;
      accuracy = lab.evaluate().accuracy;
    }
    result.timeTo92 = { seconds: (performance.now() - start) / 1000, steps, accuracy, epochs: (steps * 100) / n };
    lab.free();
  }
  data.free();
  // Fashion-MNIST's decoding too (the larger set), after the rest so it cannot slow it.
  const fashion = await decodeDataset('fashion').catch((e) => ({ error: e.message }));
  if (fashion) result.decode.fashion = fashion.error ? fashion : { decodeMs: fashion.decodeMs, wallMs: fashion.wallMs, wireBytes: fashion.wireBytes, decodedBytes: fashion.decodedBytes };
  return result;
}

self.onmessage = (event) => reply(run, event.data);
