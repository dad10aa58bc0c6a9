// Benchmark worker for the baseline: TensorFlow.js 4.22 (`@tensorflow/tfjs` with its `cpu`
// backend, or `@tensorflow/tfjs-backend-wasm`) training the identical model on the identical
// data: softmax regression 784 → 10, W ~ N(0, 0.01²), b = 0, mean cross-entropy, plain SGD with
// the same learning rate and batch sizes, inputs standardised with the training set's pixel mean
// and standard deviation exactly as the lab does (x = (pixel/255 − mean)/std), a fresh shuffle
// every epoch. The SGD step is written by hand with the closed-form gradient
// ∇W = Xᵀ(softmax(XW + b) − Y)/n, ∇b = Σ(softmax − Y)/n (what tf.grads would compute, without
// the tape), inside tf.tidy, and reads each step's loss back as the lab does. The whole training
// set is held as one standardised float32 tensor and minibatches are taken with tf.gather: the
// usual TensorFlow.js arrangement (tfjs-examples/mnist-core), and its conversion cost is paid
// once, before timing.
//
// A classic worker, because the TF.js bundles are UMD scripts. Their bundled regenerator runtime
// assigns the global `regeneratorRuntime` from strict code and, when that throws, falls back to
// Function() — which the lab's CSP forbids (no 'unsafe-eval'). Declaring the global first lets
// the assignment succeed, so TF.js runs under the same CSP as the lab.
//
// Request {type: 'run', backend: 'wasm' | 'cpu', batches} → {type: 'result', result} | {type: 'error', error}.

self.regeneratorRuntime = undefined;
importScripts('../../node_modules/@tensorflow/tfjs/dist/tf.min.js', '../../node_modules/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js');

const tf = self.tf;
/** Helpers shared with lab-worker.js (mnist.js, a module: imported when the request comes). */
let loadMnist;
let throughput;
const LR = 0.05;
const SEED = 541;
const D = 784;
const C = 10;

/** A small seeded PRNG (mulberry32) for the shuffles. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Images as one standardised float32 tensor [n, 784] and labels as one-hot [n, 10]. */
function tensors(images, labels, lut) {
  const n = labels.length - 8;
  const x = new Float32Array(n * D);
  for (let i = 0; i < n * D; i++) x[i] = lut[images[16 + i]];
  const y = new Float32Array(n * C);
  for (let i = 0; i < n; i++) y[i * C + labels[8 + i]] = 1;
  return { n, x: tf.tensor2d(x, [n, D]), y: tf.tensor2d(y, [n, C]), labels: labels.subarray(8) };
}

/** x = (pixel/255 − mean)/std with the mean and (population) std of the training pixels, as src/data/dataset.rs. */
function standardisation(images) {
  const hist = new Float64Array(256);
  for (let i = 16; i < images.length; i++) hist[images[i]] += 1;
  const count = images.length - 16;
  let mean = 0;
  for (let v = 0; v < 256; v++) mean += (v / 255) * hist[v];
  mean /= count;
  let variance = 0;
  for (let v = 0; v < 256; v++) variance += (v / 255 - mean) ** 2 * hist[v];
  const std = Math.sqrt(variance / count) || 1;
  const lut = new Float32Array(256);
  for (let v = 0; v < 256; v++) lut[v] = (v / 255 - mean) / std;
  return { mean, std, lut };
}

/** A model and its SGD loop over `train`; `step(k)` runs k minibatch steps and returns k. */
function sgd(train, batch) {
  const w = tf.variable(tf.randomNormal([D, C], 0, 0.01, 'float32', SEED));
  const b = tf.variable(tf.zeros([C]));
  const order = Int32Array.from({ length: train.n }, (_, i) => i);
  const random = prng(SEED);
  let cursor = train.n;
  const losses = [];
  const step = (k) => {
    for (let s = 0; s < k; s++) {
      if (cursor + batch > train.n) {
        for (let i = order.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [order[i], order[j]] = [order[j], order[i]];
        }
        cursor = 0;
      }
      const idx = tf.tensor1d(order.subarray(cursor, cursor + batch), 'int32');
      cursor += batch;
      const loss = tf.tidy(() => {
        const x = tf.gather(train.x, idx);
        const y = tf.gather(train.y, idx);
        const logp = tf.logSoftmax(tf.add(tf.matMul(x, w), b));
        const ce = tf.neg(tf.mean(tf.sum(tf.mul(y, logp), 1)));
        const delta = tf.div(tf.sub(tf.exp(logp), y), batch);
        w.assign(tf.sub(w, tf.mul(tf.matMul(x, delta, true, false), LR)));
        b.assign(tf.sub(b, tf.mul(tf.sum(delta, 0), LR)));
        return ce;
      });
      idx.dispose();
      losses.push(loss.dataSync()[0]);
      loss.dispose();
      if (losses.length > 10000) losses.length = 0;
    }
    return k;
  };
  const accuracy = (test) =>
    tf.tidy(() => {
      const pred = tf.argMax(tf.add(tf.matMul(test.x, w), b), 1).dataSync();
      let correct = 0;
      for (let i = 0; i < test.n; i++) correct += pred[i] === test.labels[i] ? 1 : 0;
      return correct / test.n;
    });
  const dispose = () => {
    w.dispose();
    b.dispose();
  };
  return { step, accuracy, dispose, lastLoss: () => losses[losses.length - 1] };
}

async function run({ backend, batches }) {
  if (backend === 'wasm') tf.wasm.setWasmPaths(new URL('../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', self.location.href).href);
  if (!(await tf.setBackend(backend))) throw new Error(`TensorFlow.js backend ${backend} is not available`);
  await tf.ready();
  const files = await loadMnist();
  const { mean, std, lut } = standardisation(files[0]);
  const train = tensors(files[0], files[1], lut);
  const test = tensors(files[2], files[3], lut);
  const result = {
    tfjs: tf.version.tfjs,
    backend: tf.getBackend(),
    simd: backend === 'wasm' ? await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') : null,
    threads: backend === 'wasm' ? await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT') : null,
    crossOriginIsolated: self.crossOriginIsolated,
    standardisation: { mean, std },
    throughput: {},
  };
  for (const batch of batches) {
    const m = sgd(train, batch);
    result.throughput[batch] = throughput(m.step, batch);
    m.dispose();
  }
  // One epoch at batch 100 from a fresh model, and its test accuracy (the same model learns
  // the same thing: about 0.917 after one epoch).
  const m = sgd(train, 100);
  const t0 = performance.now();
  m.step(train.n / 100);
  result.epochSeconds = (performance.now() - t0) / 1000;
  result.accuracyAfterEpoch = m.accuracy(test);
  result.lastLoss = m.lastLoss();
  m.dispose();
  return result;
}

self.onmessage = async (event) => {
  const shared = await import('./mnist.js');
  ({ loadMnist, throughput } = shared);
  shared.reply(run, event.data);
};
