// @ts-check
// The worker's two wasm modules, built from the one core (scripts/build.sh, Cargo.toml's
// [features]): the start-up module — data, training, prediction, weights files, §1's and §2's
// curves — that the worker begins with, and the full module — also the lecture experiments,
// the step view, numpy weights and your own data set — fetched when a section first needs it.
// The worker's model then moves to the full module exactly (`Lab.runState` → `Lab.takeOver`:
// weights, settings, position and the shuffling itself), and the start-up module's objects are
// freed. The two never hold each other's objects: `state.data` and `state.lab` always belong
// to `state.core`.

import initStart, * as start from './pkg/softmax_lab_start.js';

/** @typedef {typeof import('./pkg/softmax_lab.js')} Full */
/** @typedef {import('./pkg/softmax_lab.js').InitOutput} Exports */

/**
 * What of the worker's state the modules concern.
 * @typedef {object} ModuleState
 * @property {Full} core the module whose `Data` and `Lab` the worker uses now (the start-up
 *   module has the same classes with fewer methods: those only the full one has are called
 *   after `full()`)
 * @property {Exports|null} wasm the exports (memory, allocator) of `core`
 * @property {Exports|null} startWasm the start-up module's exports (for the memory report)
 * @property {any} data the `Data` of `core`, or null
 * @property {any} lab the `Lab` of `core`, or null
 */

/** URL of the full module's bindings (a variable, so the type check does not follow the import). */
const FULL_URL = './pkg/softmax_lab.js';

/** @type {Promise<{m: Full, wasm: Exports}>|null} */
let fullLoading = null;

/**
 * Load the start-up module; resolves when `state.core` can be used.
 * @param {ModuleState} state
 */
export async function loadStart(state) {
  const wasm = /** @type {Exports} */ (/** @type {unknown} */ (await initStart()));
  state.core = /** @type {Full} */ (/** @type {unknown} */ (start));
  state.wasm = wasm;
  state.startWasm = wasm;
}

/** Whether the full module has been asked for (a data set loading now should wait for it). */
export function fullRequested() {
  return fullLoading !== null;
}

/** Fetch and instantiate the full module (once). */
function fetchFull() {
  fullLoading ??= import(FULL_URL).then(async (m) => {
    const wasm = await m.default();
    return { m, wasm };
  });
  fullLoading.catch(() => {
    fullLoading = null; // a failed fetch may be retried by the next request that needs it
  });
  return fullLoading;
}

/**
 * The full module, with the worker's data and model moved to it: what the lecture sections, the
 * step view, numpy weights and your own data call first.
 * @param {ModuleState} state
 * @returns {Promise<Full>}
 */
export async function full(state) {
  let loaded;
  try {
    loaded = await fetchFull();
  } catch (e) {
    throw new Error(`the lecture experiments' WebAssembly module could not be loaded (${e instanceof Error ? e.message : e}); reload the page to try again`, { cause: e });
  }
  moveTo(state, loaded.m, loaded.wasm);
  return loaded.m;
}

/**
 * Make `m` the worker's module, moving its data set and model there (synchronous: no request
 * runs in between). The run continues exactly: the next steps are the ones the start-up module
 * would have taken.
 * @param {ModuleState} state
 * @param {Full} m
 * @param {Exports} wasm
 */
function moveTo(state, m, wasm) {
  if (state.core === m) return;
  if (state.data) {
    const d = state.data;
    const data = m.Data.fromPixels(d.dataset(), d.trainPixels(), d.trainLabels(), d.testPixels(), d.testLabels());
    let lab = null;
    if (state.lab) {
      const defaults = m.defaults();
      lab = new m.Lab(data, defaults.learning_rate, defaults.batch_size, defaults.l2, defaults.seed);
      lab.takeOver(state.lab.runState());
      state.lab.free();
    }
    d.free();
    state.data = data;
    state.lab = lab;
  }
  state.core = m;
  state.wasm = wasm;
}

/**
 * The module a data set about to load goes to: the full one if it has been asked for (then the
 * data set is parsed once, in the module it will stay in), else the start-up one.
 * @param {ModuleState} state
 * @returns {Promise<Full>}
 */
export async function moduleForData(state) {
  if (!fullRequested()) return state.core;
  try {
    return await full(state);
  } catch {
    return state.core; // train without the lecture experiments; their sections say why
  }
}

/**
 * Bytes of wasm memory of each module (the soak test's report): the start-up one's, and the
 * full one's once the worker uses it.
 * @param {ModuleState} state
 */
export function wasmBytes(state) {
  const startBytes = state.startWasm ? state.startWasm.memory.buffer.byteLength : 0;
  const fullBytes = state.wasm && state.wasm !== state.startWasm ? state.wasm.memory.buffer.byteLength : 0;
  return { start: startBytes, full: fullBytes, total: startBytes + fullBytes };
}
