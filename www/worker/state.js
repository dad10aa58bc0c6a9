// @ts-check
// Everything the training worker holds (`state`: the wasm modules, the data set and the model,
// the play loop's pace and rate) and the helpers each of its parts uses: posting to the page,
// the fatal report after a trap, the test-set evaluation of the current weights, and a new
// model generation. worker.js, play.js, weights.js and test-actions.js all share this state.

import { errorData } from '../errors.js';

/** Everything the worker holds. */
export const state = {
  wasmReady: null,
  /** The wasm module in use (wasm-modules.js: the start-up one, then the full one), its exports and the start-up module's. */
  core: /** @type {import('../wasm-modules.js').Full} */ (/** @type {unknown} */ (null)),
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

/** The worker's global scope (the type check's lib is the page's DOM). */
export const scope = /** @type {{postMessage(message: unknown, transfer: Transferable[]): void, close(): void}} */ (/** @type {unknown} */ (self));

/**
 * @param {unknown} message
 * @param {Transferable[]} [transfer]
 */
export function post(message, transfer = []) {
  scope.postMessage(message, transfer);
}

/** A trap leaves the wasm instance in an unknown state: the page must restart the worker. */
export function isTrap(e) {
  return e instanceof WebAssembly.RuntimeError;
}

export function fatal(e) {
  state.playing = false;
  post({ type: 'fatal', restart: true, error: `the training worker stopped: ${isTrap(e) ? 'its WebAssembly trapped' : 'training failed'} (${errorData(e).message})` });
}

export function requireLab() {
  if (!state.lab) throw new Error('no data set is loaded yet');
  return state.lab;
}

/** Evaluate the full test set and remember the result with the step it belongs to. */
export function evaluateNow() {
  const lab = requireLab();
  const m = lab.evaluate();
  const p = lab.progress();
  state.lastEval = { loss: m.loss, accuracy: m.accuracy, count: m.count, step: p.step, generation: state.generation };
  state.lastEvalTime = performance.now();
  return state.lastEval;
}

export function currentEval() {
  const p = requireLab().progress();
  const e = state.lastEval;
  return e && e.generation === state.generation && e.step === p.step ? e : evaluateNow();
}

/** A new model (data set, import): its own generation, step cost and rate measured afresh. */
export function newGeneration() {
  state.generation += 1;
  state.rateSamples = [];
  state.rate = 0;
}
