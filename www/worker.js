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
// Requests are handled in order; the play loop runs in time-budgeted chunks (the core's
// `Lab.play`, which also says when the test set is due for an evaluation) and yields between
// them, so requests (pause, predict, setHyperparameters…) are answered within one chunk.

import { full, loadStart, moduleForData, wasmBytes } from './wasm-modules.js';
import { errorData } from './errors.js';
import { dataFor, startPrefetch } from './data-client.js';
import { handleLesson, LESSON_PREFIX } from './lessons-worker.js';

/** Window over which examples per second are measured. */
const RATE_WINDOW_MS = 1000;

/** Everything the worker holds. */
const state = {
  wasmReady: null,
  /** The wasm module in use (wasm-modules.js: the start-up one, then the full one), its exports and the start-up module's. */
  core: /** @type {import('./wasm-modules.js').Full} */ (/** @type {unknown} */ (null)),
  wasm: null,
  startWasm: null,
  data: null,
  lab: null,
  generation: 0,
  playing: false,
  loopId: 0,
  lastEval: null,
  lastEvalTime: 0,
  /** Time budget of one chunk of the play loop (ms): the core's `PLAY_CHUNK_MS`, from `defaults()`. */
  chunkMs: 8,
  /** Steps per second while playing (Infinity: full speed), and the steps owed at that pace. */
  pace: Infinity,
  allowance: 0,
  lastTick: 0,
  /** Play stops when the epoch counter reaches this ("train N epochs"); -1: no such stop. */
  untilEpoch: -1,
  rateSamples: [],
  rate: 0,
  /** Images classified so far (diagnostic, for the soak test). */
  predictions: 0,
};

// Chunks are chained through a MessageChannel (no 4 ms timer clamping); each Play gets a new
// loop id so a stale tick from an earlier Play/Pause cycle cannot start a second chain.
const tick = new MessageChannel();
tick.port1.onmessage = (event) => {
  if (event.data === state.loopId) runChunk();
};

/** The worker's global scope (the type check's lib is the page's DOM). */
const scope = /** @type {{postMessage(message: unknown, transfer: Transferable[]): void, close(): void}} */ (/** @type {unknown} */ (self));

/**
 * @param {unknown} message
 * @param {Transferable[]} [transfer]
 */
function post(message, transfer = []) {
  scope.postMessage(message, transfer);
}

/** A trap leaves the wasm instance in an unknown state: the page must restart the worker. */
function isTrap(e) {
  return e instanceof WebAssembly.RuntimeError;
}

function fatal(e) {
  state.playing = false;
  post({ type: 'fatal', restart: true, error: `the training worker stopped: ${isTrap(e) ? 'its WebAssembly trapped' : 'training failed'} (${errorData(e).message})` });
}

function requireLab() {
  if (!state.lab) throw new Error('no data set is loaded yet');
  return state.lab;
}

/** Evaluate the full test set and remember the result with the step it belongs to. */
function evaluateNow() {
  const lab = requireLab();
  const m = lab.evaluate();
  const p = lab.progress();
  state.lastEval = { loss: m.loss, accuracy: m.accuracy, count: m.count, step: p.step, generation: state.generation };
  state.lastEvalTime = performance.now();
  return state.lastEval;
}

function currentEval() {
  const p = requireLab().progress();
  const e = state.lastEval;
  return e && e.generation === state.generation && e.step === p.step ? e : evaluateNow();
}

function measureRate(examplesSeen) {
  const now = performance.now();
  const s = state.rateSamples;
  s.push({ t: now, n: examplesSeen });
  while (s.length > 2 && now - s[1].t >= RATE_WINDOW_MS) s.shift();
  const first = s[0];
  if (now - first.t > 0 && s.length > 1) state.rate = ((examplesSeen - first.n) * 1000) / (now - first.t);
  return state.rate;
}

/** A new model (data set, import): its own generation, step cost and rate measured afresh. */
function newGeneration() {
  state.generation += 1;
  state.rateSamples = [];
  state.rate = 0;
}

function stop(reason, message) {
  state.playing = false;
  // Evaluate the weights training stopped at, so the test figures shown belong to them.
  post({ type: 'stopped', generation: state.generation, reason, message, progress: state.lab.progress(), evaluation: currentEval() });
}

/** One chunk of continuous training; any exception ends the worker's usefulness. */
function runChunk() {
  try {
    trainChunk();
  } catch (e) {
    fatal(e);
  }
}

/** Most steps one chunk may owe at a slow pace (a pause of the tab must not become a burst). */
const MAX_OWED_SECONDS = 0.25;

/**
 * Steps for about one chunk (the core times them, within the pace's allowance), then report,
 * evaluate if due, and yield: at once at full speed, or when the next step is due.
 */
function trainChunk() {
  if (!state.playing || !state.lab) return;
  const lab = state.lab;
  let maxSteps = Infinity;
  if (Number.isFinite(state.pace)) {
    const now = performance.now();
    state.allowance = Math.min(state.allowance + ((now - state.lastTick) * state.pace) / 1000, Math.max(1, state.pace * MAX_OWED_SECONDS));
    state.lastTick = now;
    maxSteps = Math.floor(state.allowance);
    if (maxSteps < 1) {
      schedule();
      return;
    }
  }
  const losses = lab.play(state.chunkMs, state.lastEvalTime, maxSteps, state.untilEpoch);
  if (Number.isFinite(state.pace)) state.allowance -= losses.length;
  const divergence = lab.takeDivergence();
  const evaluation = !divergence && lab.takeEvalDue() ? evaluateNow() : null;
  const reached = lab.takeEpochReached();
  const progress = lab.progress();
  const rate = measureRate(progress.examples_seen);
  post({ type: 'progress', generation: state.generation, losses, progress, rate, evaluation }, [losses.buffer]);
  if (divergence) {
    stop('diverged', divergence);
    return;
  }
  if (reached) {
    stop('epochs', `reached the end of epoch ${progress.epoch}`);
    return;
  }
  schedule();
}

/** The next chunk: at once (MessageChannel, no timer clamping) unless the pace asks to wait. */
function schedule() {
  if (Number.isFinite(state.pace) && state.allowance < 1) {
    const id = state.loopId;
    const wait = ((1 - state.allowance) * 1000) / state.pace;
    setTimeout(() => id === state.loopId && runChunk(), wait);
  } else {
    tick.port2.postMessage(state.loopId);
  }
}

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

/** numpy files as the core's facade takes them: the first, and the second if there is one. */
function numpyArgs(files) {
  const [a, b] = files;
  return [a.name, new Uint8Array(a.bytes), b ? b.name : undefined, b ? new Uint8Array(b.bytes) : undefined];
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

  /**
   * Train continuously at `stepsPerSecond` (null: full speed); with `epochs`, stop exactly where
   * the epoch counter has grown by that many.
   * @param {{epochs?: number, stepsPerSecond?: number|null}} request
   */
  play({ epochs, stepsPerSecond = null }) {
    const lab = requireLab();
    HANDLERS.setPace({ stepsPerSecond });
    state.untilEpoch = Number.isInteger(epochs) && epochs > 0 ? lab.progress().epoch + epochs : -1;
    if (!state.playing) {
      state.playing = true;
      state.loopId += 1;
      state.rateSamples = [];
      state.allowance = 1; // the first step at once
      state.lastTick = performance.now();
      tick.port2.postMessage(state.loopId);
    }
    return { generation: state.generation, untilEpoch: state.untilEpoch };
  },

  /**
   * The pace of Play in steps per second (a positive number), or null for full speed; live.
   * @param {{stepsPerSecond: number|null}} request
   */
  setPace({ stepsPerSecond }) {
    const fullSpeed = stepsPerSecond === null || stepsPerSecond === undefined;
    if (!fullSpeed && !(Number.isFinite(stepsPerSecond) && stepsPerSecond > 0)) throw new Error(`the pace must be a positive number of steps per second; got ${stepsPerSecond}`);
    state.pace = fullSpeed ? Infinity : stepsPerSecond;
    state.allowance = 0; // the next step one pace-interval from now
    state.lastTick = performance.now();
    state.rateSamples = [];
    if (state.playing) {
      // A new chain at the new pace (a slow pace's pending wait is dropped with the old id).
      state.loopId += 1;
      tick.port2.postMessage(state.loopId);
    }
    return null;
  },

  pause() {
    const lab = requireLab();
    state.playing = false;
    // Evaluate where training stopped, so the figures shown when paused belong to these weights.
    return { progress: lab.progress(), generation: state.generation, evaluation: currentEval() };
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

  /**
   * Load a weights file (the user's import, or a checkpoint the page saved). A file the core
   * rejects changes nothing. An accepted one also brings where its run stood (the core's
   * `Lab.importWeights`: re-seeded with the file's seed, its weights, hyperparameters, step count
   * and shuffling position), so training continues that run.
   */
  importWeights({ json }) {
    const lab = requireLab();
    const r = lab.importWeights(json); // throws with the reason; the current model is kept
    state.playing = false;
    newGeneration();
    const evaluation = evaluateNow();
    // The core's account of the resume ({seed, hyperparameters, hyper_applied,
    // progress_restored, exact}) as it is, with where the model now stands.
    return { ...r, progress: lab.progress(), generation: state.generation, evaluation };
  },

  /**
   * numpy weights (one `.npz`, or two `.npy`): their test accuracy under each input transform
   * they may expect (the core's `Lab.scoreNumpyWeights`); the model is not changed.
   * @param {import('./protocol.js').Requests['scoreNumpy']} request
   */
  async scoreNumpy({ files, customMean, customStd }) {
    await full(state);
    const lab = requireLab();
    state.playing = false;
    return lab.scoreNumpyWeights(...numpyArgs(files), customMean, customStd);
  },

  /**
   * Put numpy weights on the model, for inputs `(pixel/255 − mean)/std` (the core re-expresses
   * them for the lab's own transform): a new model generation at step 0. A refusal changes nothing.
   * @param {import('./protocol.js').Requests['importNumpy']} request
   */
  async importNumpy({ files, mean, std }) {
    await full(state);
    const lab = requireLab();
    lab.importNumpyWeights(...numpyArgs(files), mean, std);
    state.playing = false;
    newGeneration();
    const evaluation = evaluateNow();
    return { progress: lab.progress(), generation: state.generation, evaluation };
  },

  /** The model as an `.npz` (W, b, mean, std, classes), for Export weights. */
  async exportNpz() {
    await full(state);
    const lab = requireLab();
    const bytes = new Uint8Array(lab.exportNpz());
    return { bytes, progress: lab.progress(), dataset: state.data.dataset(), transfer: [bytes.buffer] };
  },

  /** The weights file of the model as it is (no test figures): the page's checkpoint. */
  checkpoint() {
    const lab = requireLab();
    const json = lab.exportWeights(NaN, NaN, 0);
    return { json, progress: lab.progress(), dataset: state.data.dataset(), generation: state.generation };
  },

  /** Liveness probe for the page's watchdog. */
  ping() {
    return { playing: state.playing };
  },

  /** Test-only (documented in docs/testing.md, "Test hooks"): see TEST_ACTIONS. */
  __test({ action }) {
    const run = TEST_ACTIONS[action];
    if (!run) throw new Error(`unknown test action "${action}"`);
    return run();
  },

  exportWeights() {
    const lab = requireLab();
    const evaluation = currentEval();
    // A non-finite loss arrives as null from serde: pass NaN so the file says "not evaluated".
    const finite = (x) => (typeof x === 'number' && Number.isFinite(x) ? x : NaN);
    const json = lab.exportWeights(finite(evaluation.loss), finite(evaluation.accuracy), evaluation.count);
    return { json, evaluation, progress: lab.progress(), dataset: state.data.dataset(), generation: state.generation };
  },
};

/**
 * Test-only actions: each simulates one way a worker dies. `trap` asks the wasm allocator for
 * 4 GB (a real out-of-memory trap in wasm, as a runaway allocation would cause), `throw` throws
 * outside any handler (the Worker's 'error' event), `close` ends the worker silently (requests
 * go unanswered: the page's watchdog), `hang` spins forever (likewise); `memory` reports the
 * wasm memory (of both modules) for the soak test; `moveToFull` moves the model to the full module now
 * and says which module holds it before and after (the handover e2e test).
 */
const TEST_ACTIONS = {
  trap() {
    state.wasm.__wbindgen_malloc(0xfffffff0, 8);
    return null;
  },
  throw() {
    setTimeout(() => {
      throw new Error('test-only crash of the training worker');
    });
    return null;
  },
  close() {
    setTimeout(() => scope.close());
    return null;
  },
  hang() {
    setTimeout(() => {
      for (;;) {
        /* spin: the page's watchdog must notice */
      }
    });
    return null;
  },
  memory() {
    const p = state.lab ? state.lab.progress() : { step: 0, epochs_fraction: 0 };
    const bytes = wasmBytes(state);
    return { wasmBytes: bytes.total, startBytes: bytes.start, fullBytes: bytes.full, step: p.step, epochs: p.epochs_fraction, predictions: state.predictions };
  },
  async moveToFull() {
    const before = state.wasm === state.startWasm ? 'start' : 'full';
    await full(state);
    return { before, after: state.wasm === state.startWasm ? 'start' : 'full', step: state.lab ? state.lab.progress().step : null };
  },
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
