// @ts-check
// Promise-based client of the training worker (worker.js). Each request gets an id and a
// Promise; unsolicited messages ('progress', 'stopped', 'load-progress', 'fatal') go to listeners.
// A watchdog notices a worker that died or hangs (requests unanswered, or no progress while
// playing); then, like after a wasm trap or an uncaught error in the worker, listeners of
// 'crash' are told, and the session calls restart() and restores its checkpoint.

import { Emitter } from './emitter.js';
import { LabError } from './errors.js';
import { takeWorker } from './boot.js';

/** @import * as P from './protocol.js' */

/** Silence from the worker (while a request waits or training plays) before it is probed… */
export const WATCHDOG_SILENCE_MS = 8000;
/** …silence allowed while a data set loads (parsing 47 MB on a slow phone is quiet)… */
export const WATCHDOG_LOAD_SILENCE_MS = 60_000;
/** …and how long the probe (a ping) may then take before the worker counts as hung. */
export const WATCHDOG_PROBE_MS = 3000;
/** Name of the window event that carries the test-only requests (docs/testing.md, "Test hooks"). */
export const TEST_EVENT = 'softmax-lab-test';

/**
 * An error of a request cut off by a crash (`crashed`: the recovery reports it, not the caller).
 * @param {string} reason
 * @returns {Error & {crashed: true}}
 */
function crashError(reason) {
  return Object.assign(new Error(reason), { crashed: /** @type {const} */ (true) });
}

/**
 * Start the worker and return its client.
 * @returns {LabClient}
 */
export function createLabClient() {
  // The worker boot.js started before the page's modules had loaded; a fresh one after a crash.
  const client = new LabClient(takeWorker);
  // Test-only: `window.dispatchEvent(new CustomEvent('softmax-lab-test', {detail: {action, reply}}))`
  // forwards {type: '__test', action} to the worker; `reply(result | {error})` gets the answer.
  window.addEventListener(TEST_EVENT, (event) => {
    const { action, reply } = /** @type {CustomEvent} */ (event).detail || {};
    client.request('__test', { action }).then(
      (r) => reply?.(r),
      (e) => reply?.({ error: e.message }),
    );
  });
  return client;
}

/**
 * Client of the worker: one method per request type; unsolicited messages are its events.
 * @extends {Emitter<import('./protocol.js').LabEvents>}
 */
export class LabClient extends Emitter {
  /** @param {() => Worker} spawn creates the worker (again after a crash). */
  constructor(spawn) {
    super();
    this.spawn = spawn;
    this.nextId = 1;
    /** @type {Map<number, {resolve: (result: any) => void, reject: (e: Error) => void, type: string}>} */
    this.pending = new Map();
    this.streaming = false;
    this.probe = null;
    this.dead = false;
    this.attach(spawn());
    this.watchdog = setInterval(() => this.watch(), 1000);
    document.addEventListener('visibilitychange', () => {
      // Timers of a hidden page are throttled: do not count that time as the worker's silence.
      if (!document.hidden) this.lastHeard = performance.now();
    });
  }

  attach(worker) {
    this.worker = worker;
    this.dead = false;
    this.lastHeard = performance.now();
    worker.onmessage = (event) => {
      if (worker === this.worker) this.receive(event.data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      if (worker === this.worker) this.crash(`the training worker crashed (${event.message || 'unknown error'})`);
    };
    worker.onmessageerror = () => this.fail('a message from the training worker could not be read');
  }

  /**
   * Tell the watchdog whether progress messages are expected (training plays).
   * @param {boolean} on
   */
  expectProgress(on) {
    this.streaming = on;
    this.lastHeard = performance.now();
  }

  watch() {
    if (this.dead || document.hidden) return;
    const waiting = [...this.pending.values()];
    if (waiting.length === 0 && !this.streaming) return;
    const loading = waiting.some((p) => p.type === 'load');
    const limit = loading ? WATCHDOG_LOAD_SILENCE_MS : WATCHDOG_SILENCE_MS;
    const silence = performance.now() - this.lastHeard;
    if (silence < limit || this.probe) return;
    // Silent for too long: a ping must come back soon, or the worker is dead or stuck.
    const worker = this.worker;
    const timer = setTimeout(() => {
      if (worker === this.worker && this.probe === timer) {
        this.probe = null;
        this.crash(`the training worker stopped responding (silent for ${Math.round((silence + WATCHDOG_PROBE_MS) / 1000)} s)`);
      }
    }, WATCHDOG_PROBE_MS);
    this.probe = timer;
    this.request('ping').then(
      () => {
        if (this.probe === timer) {
          clearTimeout(timer);
          this.probe = null;
        }
      },
      () => {},
    );
  }

  /**
   * The worker is unusable: reject what waits and tell the 'crash' listeners (the session
   * restarts it). Further messages from the old worker are ignored.
   * @param {string} reason
   */
  crash(reason) {
    if (this.dead) return;
    this.dead = true;
    this.streaming = false;
    clearTimeout(this.probe);
    this.probe = null;
    for (const entry of this.pending.values()) entry.reject(crashError(reason));
    this.pending.clear();
    this.emit('crash', { type: 'crash', reason });
  }

  /** Replace the worker by a fresh one (after a crash): terminate, spawn, start listening. */
  restart() {
    this.crash('the training worker was restarted');
    this.worker.terminate();
    this.attach(this.spawn());
  }

  receive(message) {
    this.lastHeard = performance.now();
    if (message.type === 'fatal' && message.restart) {
      this.crash(message.error);
      return;
    }
    if (message.id !== undefined) {
      const entry = this.pending.get(message.id);
      if (!entry) return;
      this.pending.delete(message.id);
      if (message.ok) entry.resolve(message.result);
      else entry.reject(new LabError(message.error));
      return;
    }
    this.emit(message.type, message);
  }

  fail(text) {
    this.streaming = false;
    for (const entry of this.pending.values()) entry.reject(new Error(text));
    this.pending.clear();
    this.emit('fatal', { type: 'fatal', error: text });
  }

  /**
   * Send a request; resolves with its result, rejects with the worker's error message.
   * @template {P.RequestType} T
   * @param {T} type
   * @param {P.Requests[T]} [payload]
   * @param {Transferable[]} [transfer]
   * @returns {Promise<P.Results[T]>}
   */
  request(type, payload = /** @type {P.Requests[T]} */ ({}), transfer = []) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.dead) {
        reject(crashError('the training worker is restarting'));
        return;
      }
      if (this.pending.size === 0) this.lastHeard = performance.now();
      this.pending.set(id, { resolve, reject, type });
      /** @type {P.RequestMessage<T>} */
      const message = { id, type, ...payload };
      this.worker.postMessage(message, transfer);
    });
  }

  /** Load the wasm module; resolves with `{defaults}`. */
  init() {
    return this.request('init');
  }

  /**
   * Download (or read from cache) a data set and build a fresh model on it.
   * @param {P.Requests['load']} args
   */
  load(args) {
    return this.request('load', args);
  }

  /**
   * Check each hyperparameter alone; resolves with `{learning_rate, batch_size, l2, seed}` error messages or null.
   * @param {P.Hyper} hyper
   */
  validate(hyper) {
    return this.request('validate', hyper);
  }

  /**
   * Apply learning rate, batch size and L2 α to the running model (rejects with the core's message).
   * @param {P.LiveHyper} hyper
   */
  setHyperparameters(hyper) {
    return this.request('setHyperparameters', hyper);
  }

  /**
   * Run `count` minibatch steps; resolves with `{losses, progress, generation, divergence}`.
   * @param {number} [count]
   */
  step(count = 1) {
    return this.request('step', { count });
  }

  /**
   * The next step in slow motion, not taken: `{view, generation, playing}` (only the first
   * `rows` examples' rows cross; the gradient and weights are whole).
   * @param {number} rows
   */
  stepView(rows) {
    return this.request('stepView', { rows });
  }

  /**
   * Start continuous training; progress arrives as 'progress' messages. With `epochs`, training
   * stops by itself ('stopped', reason 'epochs') where the epoch counter has grown by that many.
   * @param {{epochs?: number, stepsPerSecond: number|null}} options the pace (null: full speed)
   */
  play({ epochs, stepsPerSecond }) {
    return this.request('play', { epochs, stepsPerSecond });
  }

  /**
   * The pace of Play, live: steps per second, or null for full speed.
   * @param {number|null} stepsPerSecond
   */
  setPace(stepsPerSecond) {
    return this.request('setPace', { stepsPerSecond });
  }

  /** Stop continuous training; resolves with `{progress, generation, evaluation}` (evaluated where it stopped). */
  pause() {
    return this.request('pause');
  }

  /**
   * Re-initialise the model from `seed`; resolves with `{progress, generation, evaluation}`.
   * @param {number} seed
   */
  reset(seed) {
    return this.request('reset', { seed });
  }

  /** Test-set metrics of the current model (re-evaluated only if stale). */
  evaluate() {
    return this.request('evaluate');
  }

  /**
   * Preprocess an RGBA image and classify it.
   * @param {ImageData} image
   * @param {'dark'|'light'|'auto'} background
   */
  predict(image, background) {
    const rgba = image.data.buffer;
    return this.request('predict', { rgba, width: image.width, height: image.height, background }, [rgba]);
  }

  /**
   * Class probabilities of an already prepared 28×28 image (intensities 0..1).
   * @param {Float32Array} pixels
   */
  predictPixels(pixels) {
    return this.request('predictPixels', { pixels });
  }

  /** The weights file of the current model with fresh test figures: `{json, evaluation, progress, dataset}`. */
  exportWeights() {
    return this.request('exportWeights');
  }

  /**
   * Load a weights file; rejects with the core's reason (the model is then unchanged). On
   * success the model continues the file's run: `{progress, generation, evaluation, exact,
   * progress_restored, hyper_applied, seed, hyperparameters}` (the core's names).
   * @param {string} json
   */
  importWeights(json) {
    return this.request('importWeights', { json });
  }

  /**
   * Your own data set (CSV or IDX files, a names file; without a test file `testShare` of the
   * training rows held out with `seed`) and a fresh model on it; rejects with the core's reason.
   * @param {P.Requests['loadFiles']} args
   */
  loadFiles(args) {
    return this.request('loadFiles', args);
  }

  /**
   * Score numpy weights (one `.npz` or two `.npy`) under each input transform; the model is not changed.
   * @param {P.NumpyFile[]} files
   * @param {number} customMean NaN (with customStd NaN): no custom transform
   * @param {number} customStd
   */
  scoreNumpy(files, customMean, customStd) {
    return this.request('scoreNumpy', { files, customMean, customStd });
  }

  /**
   * Put numpy weights on the model for inputs `(pixel/255 − mean)/std`; rejects with the core's reason.
   * @param {P.NumpyFile[]} files
   * @param {number} mean
   * @param {number} std
   */
  importNumpy(files, mean, std) {
    return this.request('importNumpy', { files, mean, std });
  }

  /** The model as `.npz` bytes: `{bytes, progress, dataset}`. */
  exportNpz() {
    return this.request('exportNpz');
  }

  /** The current weights file without test figures (a checkpoint): `{json, progress, dataset, generation}`. */
  checkpoint() {
    return this.request('checkpoint');
  }
}
