// Promise-based client of the training worker (worker.js). Each request gets an id and a
// Promise; unsolicited messages ('progress', 'stopped', 'load-progress', 'fatal') go to listeners.

/** Path of the worker module, relative to this file. */
const WORKER_URL = new URL('./worker.js', import.meta.url);

/**
 * Start the worker and return its client.
 * @returns {LabClient}
 */
export function createLabClient() {
  return new LabClient(new Worker(WORKER_URL, { type: 'module', name: 'softmax-lab' }));
}

/** Client of the worker: one method per request type. */
export class LabClient {
  /** @param {Worker} worker */
  constructor(worker) {
    this.worker = worker;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = new Map();
    worker.onmessage = (event) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.fail(`the training worker crashed: ${event.message || 'unknown error'}`);
    };
    worker.onmessageerror = () => this.fail('a message from the training worker could not be read');
  }

  receive(message) {
    if (message.id !== undefined) {
      const entry = this.pending.get(message.id);
      if (!entry) return;
      this.pending.delete(message.id);
      if (message.ok) entry.resolve(message.result);
      else entry.reject(new Error(message.error));
      return;
    }
    for (const fn of this.listeners.get(message.type) || []) fn(message);
  }

  fail(text) {
    for (const entry of this.pending.values()) entry.reject(new Error(text));
    this.pending.clear();
    for (const fn of this.listeners.get('fatal') || []) fn({ type: 'fatal', error: text });
  }

  /**
   * Listen to unsolicited messages of one type.
   * @param {'progress'|'stopped'|'load-progress'|'fatal'} type
   * @param {(message: object) => void} fn
   */
  on(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(fn);
  }

  /**
   * Send a request; resolves with its result, rejects with the worker's error message.
   * @param {string} type
   * @param {object} [payload]
   * @param {Transferable[]} [transfer]
   * @returns {Promise<any>}
   */
  request(type, payload = {}, transfer = []) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, type, ...payload }, transfer);
    });
  }

  /** Load the wasm module; resolves with `{defaults}`. */
  init() {
    return this.request('init');
  }

  /**
   * Download (or read from cache) a data set and build a fresh model on it.
   * @param {{baseUrl: string, dataset: string, entry: object, hyper: object, seed: number}} args
   */
  load(args) {
    return this.request('load', args);
  }

  /** Check each hyperparameter alone; resolves with `{learningRate, batchSize, l2, seed}` error messages or null. */
  validate(hyper) {
    return this.request('validate', hyper);
  }

  /** Apply learning rate, batch size and L2 α to the running model (rejects with the core's message). */
  setHyperparameters(hyper) {
    return this.request('setHyperparameters', hyper);
  }

  /** Run `count` minibatch steps; resolves with `{losses, progress, generation, divergence}`. */
  step(count = 1) {
    return this.request('step', { count });
  }

  /** Start continuous training; progress arrives as 'progress' messages. */
  play() {
    return this.request('play');
  }

  /** Stop continuous training; resolves with `{progress, generation, evaluation}` (evaluated where it stopped). */
  pause() {
    return this.request('pause');
  }

  /** Re-initialise the model from `seed`; resolves with `{progress, generation, evaluation}`. */
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
   * @returns {Promise<{empty: boolean, message?: string, pixels?: Float32Array, probs?: Float32Array, bbox?: number[], lightBackground?: boolean, step?: number}>}
   */
  predict(image, background) {
    const rgba = image.data.buffer;
    return this.request('predict', { rgba, width: image.width, height: image.height, background }, [rgba]);
  }

  /** Class probabilities of an already prepared 28×28 image (intensities 0..1). */
  predictPixels(pixels) {
    return this.request('predictPixels', { pixels });
  }

  /** The weights file of the current model with fresh test figures: `{json, evaluation, progress, dataset}`. */
  exportWeights() {
    return this.request('exportWeights');
  }
}
