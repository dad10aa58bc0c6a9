// @ts-check
// The module Worker that owns the wasm `Data` and `Lab`. The page never holds the model.
//
// Protocol (typed in protocol.js; lab.js is the client):
//   page → worker   {id, type, ...payload}
//   worker → page   {id, ok: true, result} | {id, ok: false, error}        (one reply per request;
//                                          error = {message, kind, field, reason}: errors.js)
//                   {type: 'load-progress', loaded, total, fromCache}      (unsolicited, while loading)
//                   {type: 'progress', generation, losses, progress, rate, evaluation|null}
//                                                                         (unsolicited, while playing)
//                   {type: 'stopped', generation, reason, message, progress, evaluation}
//                                                                         (play loop ended by itself)
//                   {type: 'fatal', error, restart}                       (the worker is unusable:
//                                          restart = a wasm trap or a broken play loop; the page
//                                          restarts the worker and restores its last checkpoint)
// Test-only: {type: '__test', action} (see TEST_ACTIONS) makes the worker crash, trap, hang or
// report its wasm memory, so the e2e tests and tests/e2e/soak.mjs can exercise recovery.
// Requests are handled in order; the play loop (worker/play.js) runs in time-budgeted chunks
// (the core's `Lab.play`, which also says when the test set is due for an evaluation) and yields
// between them, so requests (pause, predict, setHyperparameters…) are answered within one chunk.
//
// This module dispatches the requests and answers those of loading, stepping, the step view,
// evaluation and prediction; its parts in worker/: the state they all share and its helpers
// (state.js), the play loop with play, setPace and pause (play.js), weights in and out
// (weights.js), and the test-only actions (test-actions.js).

import { full, loadStart, moduleForData } from './wasm-modules.js';
import { errorData } from './errors.js';
import { dataFor, startPrefetch } from './data-client.js';
import { handleLesson, LESSON_PREFIX } from './lessons-worker.js';
import { currentEval, evaluateNow, fatal, isTrap, newGeneration, post, requireLab, state } from './worker/state.js';
import { PLAY_HANDLERS } from './worker/play.js';
import { TEST_ACTIONS } from './worker/test-actions.js';
import { WEIGHT_HANDLERS } from './worker/weights.js';

/**
 * Make `data` the worker's data set with a fresh model on it (the old ones freed): the load's
 * result. Settings that do not fit the new set give way to the defaults (`usedDefaults`).
 * @param {import('./pkg/softmax_lab.js').Data} data (of `state.core`)
 * @param {import('./protocol.js').LiveHyper} hyper
 * @param {number} seed
 */
function adoptData(data, hyper, seed) {
  if (state.lab) state.lab.free();
  if (state.data) state.data.free();
  state.lab = null;
  state.data = null;
  let lab;
  let usedDefaults = false;
  try {
    lab = new state.core.Lab(data, hyper.learning_rate, hyper.batch_size, hyper.l2, seed);
  } catch {
    // The page passes its last valid values; should they not fit this data set, use the defaults.
    const d = state.core.defaults();
    lab = new state.core.Lab(data, d.learning_rate, d.batch_size, d.l2, d.seed);
    usedDefaults = true;
  }
  state.data = data;
  state.lab = lab;
  newGeneration();
  const evaluation = evaluateNow();
  return {
    dataset: data.dataset(),
    trainSize: data.trainSize(),
    testSize: data.testSize(),
    classNames: data.classNames(),
    transform: lab.transform(),
    progress: lab.progress(),
    generation: state.generation,
    evaluation,
    usedDefaults,
  };
}

/** Request handlers: each returns the result (or throws); transfers go in `result.transfer`. */
const HANDLERS = {
  async init() {
    await state.wasmReady;
    const d = state.core.defaults();
    state.chunkMs = d.play_chunk_ms;
    return { defaults: d };
  },

  async load({ baseUrl, dataset, entry, hyper, seed }) {
    await state.wasmReady;
    state.playing = false;
    const { buffers, fromCache } = await dataFor(baseUrl, dataset, entry, (p) => post({ type: 'load-progress', ...p }));
    post({ type: 'load-progress', phase: 'parse', loaded: 1, total: 1, fromCache });
    // Parse and validate the new data before dropping the old, so that bad files leave the
    // current model usable; the old data's memory is then reused by the allocator. The data set
    // goes to the full module if a section has asked for it already (it is not copied later).
    const core = await moduleForData(state);
    let data;
    try {
      data = new core.Data(dataset, buffers[0], buffers[1], buffers[2], buffers[3]);
    } catch (e) {
      throw new Error(`${errorData(e).message}. The data files are damaged: run ./lab setup again`, { cause: e });
    }
    buffers.length = 0;
    return { ...adoptData(data, hyper, seed), fromCache };
  },

  /**
   * Your own data set from files the user picked (CSV or IDX; the core's `Data.fromFiles`
   * validates them, row and column in its message): a fresh model on it. A set the core
   * refuses leaves the current data and model as they were.
   * @param {import('./protocol.js').Requests['loadFiles']} request
   */
  async loadFiles({ train, test, names, testShare, hyper, seed }) {
    await state.wasmReady;
    const m = await full(state);
    state.playing = false;
    const bytes = (b) => (b ? new Uint8Array(b) : undefined);
    const data = m.Data.fromFiles(bytes(train[0]), bytes(train[1]), bytes(test?.[0]), bytes(test?.[1]), bytes(names), testShare, seed);
    return { ...adoptData(data, hyper, seed), fromCache: false, heldOut: data.heldOut() };
  },

  async validate({ learning_rate, batch_size, l2, seed }) {
    await state.wasmReady;
    const n = state.data ? state.data.trainSize() : state.core.defaults().train_size;
    return state.core.validateHyperparameters(learning_rate, batch_size, l2, seed, n);
  },

  setHyperparameters({ learning_rate, batch_size, l2 }) {
    requireLab().setHyperparameters(learning_rate, batch_size, l2); // the core re-learns a step's cost
    return null;
  },

  step({ count }) {
    const lab = requireLab();
    const losses = lab.train(count);
    const divergence = lab.takeDivergence() || null;
    const evaluation = divergence ? currentEval() : null;
    return { losses, progress: lab.progress(), generation: state.generation, divergence, evaluation, transfer: [losses.buffer] };
  },

  /**
   * The next step in slow motion, computed and not taken (the core's `Lab.stepView`): the rows
   * of its first `rows` examples, the gradient and the weights of the whole minibatch. The next
   * `step` of 1 takes exactly this minibatch and gives exactly its loss and weights after.
   * @param {{rows: number}} request
   */
  async stepView({ rows }) {
    await full(state);
    const lab = requireLab();
    const view = lab.stepView(rows);
    const transfer = Object.values(view).flatMap((v) => (ArrayBuffer.isView(v) ? [v.buffer] : []));
    return { view, generation: state.generation, playing: state.playing, transfer };
  },

  reset({ seed }) {
    const lab = requireLab();
    lab.reset(seed);
    state.generation += 1;
    state.rateSamples = [];
    state.rate = 0;
    const evaluation = evaluateNow();
    return { progress: lab.progress(), generation: state.generation, evaluation };
  },

  evaluate() {
    return { evaluation: currentEval(), generation: state.generation };
  },

  predict({ rgba, width, height, background }) {
    const lab = requireLab();
    let prepared;
    try {
      prepared = state.core.prepareImage(new Uint8Array(rgba), width, height, background);
    } catch (e) {
      const error = errorData(e);
      if (error.kind === 'empty_image') return { empty: true, message: error.message };
      throw e;
    }
    const pixels = new Float32Array(prepared.pixels);
    const probs = lab.predict(pixels);
    state.predictions += 1;
    return {
      empty: false,
      pixels,
      probs,
      bbox: prepared.bbox,
      lightBackground: prepared.light_background,
      step: lab.progress().step,
      transfer: [pixels.buffer, probs.buffer],
    };
  },

  predictPixels({ pixels }) {
    const lab = requireLab();
    const probs = lab.predict(pixels);
    state.predictions += 1;
    return { probs, step: lab.progress().step, transfer: [probs.buffer] };
  },

  /** Liveness probe for the page's watchdog. */
  ping() {
    return { playing: state.playing };
  },

  /** Test-only (documented in docs/testing.md, "Test hooks"): see TEST_ACTIONS (worker/test-actions.js). */
  __test({ action }) {
    const run = TEST_ACTIONS[action];
    if (!run) throw new Error(`unknown test action "${action}"`);
    return run();
  },

  ...PLAY_HANDLERS,
  ...WEIGHT_HANDLERS,
};

self.onmessage = async (event) => {
  const { id, type, ...payload } = event.data;
  if (type === 'prefetch' && id === undefined) {
    startPrefetch(payload, (p) => post({ type: 'load-progress', ...p })); // boot.js: no reply
    return;
  }
  const handler = HANDLERS[type] ?? (type.startsWith(LESSON_PREFIX) ? (p) => handleLesson(type, p, state, () => full(state)) : undefined);
  try {
    if (!handler) throw new Error(`unknown request "${type}"`);
    const result = await handler(payload);
    const transfer = (result && result.transfer) || [];
    if (result && result.transfer) delete result.transfer;
    post({ id, ok: true, result }, transfer);
  } catch (e) {
    post({ id, ok: false, error: errorData(e) });
    if (isTrap(e)) fatal(e);
  }
};

state.wasmReady = loadStart(state);
state.wasmReady.catch((e) => post({ type: 'fatal', error: `the WebAssembly module failed to load: ${errorData(e).message}` }));
