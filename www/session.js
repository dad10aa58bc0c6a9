// The training session: the one app-state object and every state transition (loading, stepping,
// playing, resetting, live hyperparameters, evaluation). No DOM: sections subscribe to events and
// redraw on 'frame', which fires at most once per animation frame.

import { availability, fetchManifest } from './data.js';
import { TestSeries, TrainSeries } from './series.js';

/** Quiet time after the last manual Step before the test set is evaluated. */
const STEP_EVAL_DELAY_MS = 250;
/** Names of the hyperparameters in the order of the form. */
export const HYPER_FIELDS = ['learningRate', 'batchSize', 'l2', 'seed'];
/** Human names of the data sets. */
export const DATASET_NAMES = { mnist: 'MNIST', fashion: 'Fashion-MNIST' };

/**
 * Create the session (and its state object) on top of a worker client.
 * @param {import('./lab.js').LabClient} lab
 * @param {string} baseUrl URL of the page, against which data paths are resolved.
 */
export function createSession(lab, baseUrl) {
  return new Session(lab, baseUrl);
}

/** See createSession. */
export class Session {
  constructor(lab, baseUrl) {
    this.lab = lab;
    this.baseUrl = baseUrl;
    this.listeners = new Map();
    this.frameRequested = false;
    this.changes = new Set();
    this.stepEvalTimer = 0;
    this.hyperChain = Promise.resolve();
    /** The single mutable app state. */
    this.state = {
      status: { state: 'loading', message: 'Starting the lab…' },
      load: null,
      manifest: null,
      defaults: null,
      dataset: 'mnist',
      classNames: [],
      trainSize: 0,
      testSize: 0,
      transform: null,
      generation: 0,
      hyper: null,
      input: null,
      errors: { learningRate: null, batchSize: null, l2: null, seed: null },
      playing: false,
      busy: true,
      progress: { step: 0, epoch: 0, examples_seen: 0, epochs_fraction: 0 },
      rate: 0,
      train: new TrainSeries(),
      test: new TestSeries(),
      evaluation: null,
      diverged: null,
    };
    lab.on('progress', (m) => this.onProgress(m));
    lab.on('stopped', (m) => this.onStopped(m));
    lab.on('load-progress', (m) => {
      if (!this.state.load) return;
      this.state.load = { ...this.state.load, loaded: m.loaded, total: m.total, fromCache: m.fromCache, phase: m.phase || 'download' };
      this.invalidate('load');
    });
    lab.on('fatal', (m) => this.fail(m.error));
  }

  /**
   * Subscribe to an event: 'frame' (with the Set of what changed since the last frame),
   * 'dataset' (a new model: new data set or Reset), 'hyper' ({fill}: validation done; fill =
   * the form should show state.input, e.g. the defaults).
   * @param {string} type
   * @param {(detail: any) => void} fn
   */
  on(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(fn);
  }

  emit(type, detail) {
    for (const fn of this.listeners.get(type) || []) fn(detail);
  }

  /**
   * Note that part of the state changed; listeners of 'frame' run once on the next frame.
   * @param {...string} what e.g. 'status', 'progress', 'train', 'test', 'load', 'controls'.
   */
  invalidate(...what) {
    for (const w of what) this.changes.add(w);
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      const changes = this.changes;
      this.changes = new Set();
      this.emit('frame', changes);
    });
  }

  setStatus(state, message) {
    this.state.status = { state, message };
    this.invalidate('status', 'controls');
  }

  /** Show an error; if training was running, stop it (page and worker stay in agreement). */
  fail(message) {
    if (this.state.playing) {
      this.state.playing = false;
      this.lab.pause().catch(() => {});
    }
    this.setStatus('error', message);
  }

  /** Human status for a session that is not playing. */
  idleStatus() {
    const s = this.state;
    if (s.progress.step === 0) {
      this.setStatus('ready', `Ready: ${DATASET_NAMES[s.dataset]} loaded (${s.trainSize.toLocaleString('en')} training and ${s.testSize.toLocaleString('en')} test images). Press Play or Step.`);
    } else {
      this.setStatus('paused', `Paused at step ${s.progress.step.toLocaleString('en')}. Press Play to continue.`);
    }
  }

  /** Load the wasm module, the manifest and MNIST. */
  async start() {
    try {
      const [{ defaults }, manifest] = await Promise.all([this.lab.init(), fetchManifest(this.baseUrl)]);
      const s = this.state;
      s.defaults = defaults;
      s.manifest = manifest;
      s.hyper = { learningRate: defaults.learning_rate, batchSize: defaults.batch_size, l2: defaults.l2, seed: defaults.seed };
      s.input = { ...s.hyper };
      this.invalidate('controls', 'hyper');
      this.emit('hyper', { fill: true });
      await this.loadDataset('mnist');
    } catch (e) {
      this.fail(e.message);
    }
  }

  /**
   * Whether a data set can be picked, and if not, why.
   * @param {string} name
   */
  datasetAvailability(name) {
    return this.state.manifest ? availability(this.state.manifest[name]) : { available: false, reason: 'loading' };
  }

  /**
   * Switch to a data set: download it (progress in state.load), build a new model, evaluate.
   * @param {string} name "mnist" or "fashion".
   */
  async loadDataset(name) {
    const s = this.state;
    const { available, reason } = this.datasetAvailability(name);
    if (!available) {
      this.fail(`${DATASET_NAMES[name] || name} is not available: ${reason}`);
      return;
    }
    clearTimeout(this.stepEvalTimer);
    s.busy = true;
    s.playing = false;
    s.load = { name, phase: 'download', loaded: 0, total: s.manifest[name].bytes.reduce((a, b) => a + b, 0), fromCache: false };
    this.setStatus('loading', `Loading ${DATASET_NAMES[name]}…`);
    this.invalidate('load');
    try {
      const r = await this.lab.load({
        baseUrl: this.baseUrl,
        dataset: name,
        entry: s.manifest[name],
        hyper: { learningRate: s.hyper.learningRate, batchSize: s.hyper.batchSize, l2: s.hyper.l2 },
        seed: s.hyper.seed,
      });
      s.dataset = r.dataset;
      s.classNames = r.classNames;
      s.trainSize = r.trainSize;
      s.testSize = r.testSize;
      s.transform = r.transform;
      s.generation = r.generation;
      s.progress = r.progress;
      s.rate = 0;
      s.diverged = null;
      s.train.clear();
      s.test.clear();
      s.evaluation = null;
      this.addEvaluation(r.evaluation);
      s.busy = false;
      s.load = null;
      if (r.usedDefaults) {
        const d = s.defaults;
        s.hyper = { learningRate: d.learning_rate, batchSize: d.batch_size, l2: d.l2, seed: d.seed };
        s.input = { ...s.hyper };
        this.emit('hyper', { fill: true });
      }
      this.emit('dataset', s);
      this.invalidate('load', 'progress', 'train', 'test', 'dataset');
      this.idleStatus();
      // Batch-size limits depend on the training-set size, and the form may have changed while
      // loading: re-check what is typed and give the new model the valid values.
      await this.updateHyper({}, true);
    } catch (e) {
      s.busy = false;
      s.load = null;
      this.invalidate('load');
      this.fail(e.message);
    }
  }

  /** Whether Step/Play may start: model loaded and no invalid training hyperparameter. */
  canTrain() {
    const s = this.state;
    return !s.busy && s.status.state !== 'loading' && s.hyper !== null && !s.errors.learningRate && !s.errors.batchSize && !s.errors.l2 && s.generation > 0;
  }

  /**
   * Take new values typed into the form (any subset of HYPER_FIELDS), validate each with the
   * core, keep the last valid ones and apply learning rate, batch size and α to the live model.
   * @param {object} values
   * @param {boolean} [force] send the values to the worker even if unchanged (new model).
   * @returns {Promise<void>} settles once the worker has the values.
   */
  updateHyper(values, force = false) {
    const s = this.state;
    if (!s.input) return Promise.resolve();
    Object.assign(s.input, values);
    const input = { ...s.input };
    this.hyperChain = this.hyperChain.then(async () => {
      const errors = await this.lab.validate(input);
      s.errors = errors;
      const before = { ...s.hyper };
      for (const f of HYPER_FIELDS) if (!errors[f]) s.hyper[f] = input[f];
      const changed = ['learningRate', 'batchSize', 'l2'].some((f) => before[f] !== s.hyper[f]);
      if ((changed || force) && s.generation > 0) {
        await this.lab.setHyperparameters({ learningRate: s.hyper.learningRate, batchSize: s.hyper.batchSize, l2: s.hyper.l2 });
      }
      this.emit('hyper', { fill: false });
      this.invalidate('controls', 'hyper');
    }).catch((e) => this.fail(e.message));
    return this.hyperChain;
  }

  /** Run one minibatch step (the test set is evaluated once the clicking stops). */
  async step() {
    await this.hyperChain;
    if (!this.canTrain() || this.state.playing) return;
    try {
      const r = await this.lab.step(1);
      this.ingestSteps(r);
      if (r.divergence) {
        this.addEvaluation(r.evaluation);
        this.diverge(r.divergence);
        return;
      }
      if (this.state.status.state === 'error') this.idleStatus();
      else if (this.state.status.state === 'ready' && this.state.progress.step > 0) this.idleStatus();
      clearTimeout(this.stepEvalTimer);
      this.stepEvalTimer = setTimeout(() => this.evaluate(), STEP_EVAL_DELAY_MS);
    } catch (e) {
      this.fail(e.message);
    }
  }

  /** Start continuous training in the worker. */
  async play() {
    await this.hyperChain;
    if (!this.canTrain() || this.state.playing) return;
    clearTimeout(this.stepEvalTimer);
    this.state.playing = true;
    this.state.diverged = null;
    this.setStatus('training', 'Training in the background: the charts update as it runs. Press Pause to stop.');
    try {
      await this.lab.play();
    } catch (e) {
      this.fail(e.message);
    }
  }

  /** Stop continuous training; the worker evaluates the test set at the step where it stopped. */
  async pause() {
    if (!this.state.playing) return;
    this.state.playing = false;
    this.invalidate('controls');
    try {
      const r = await this.lab.pause();
      if (r.generation === this.state.generation) {
        this.state.progress = r.progress;
        this.addEvaluation(r.evaluation);
      }
      this.invalidate('progress');
      if (this.state.status.state !== 'error') this.idleStatus();
    } catch (e) {
      this.fail(e.message);
    }
  }

  /** Re-initialise the weights and the shuffling from the seed in the form. */
  async reset() {
    const s = this.state;
    await this.hyperChain;
    if (s.busy || s.errors.seed || s.generation === 0) return;
    clearTimeout(this.stepEvalTimer);
    try {
      const r = await this.lab.reset(s.hyper.seed);
      s.generation = r.generation;
      s.progress = r.progress;
      s.diverged = null;
      s.train.clear();
      s.test.clear();
      s.evaluation = null;
      s.rate = 0;
      this.addEvaluation(r.evaluation);
      this.invalidate('progress', 'train', 'test');
      this.emit('dataset', s);
      if (s.playing) this.setStatus('training', 'Training in the background: the charts update as it runs. Press Pause to stop.');
      else this.idleStatus();
    } catch (e) {
      this.fail(e.message);
    }
  }

  /** Evaluate the full test set now (if the last evaluation is stale). */
  async evaluate() {
    if (this.state.generation === 0) return;
    try {
      const r = await this.lab.evaluate();
      if (r.generation === this.state.generation) this.addEvaluation(r.evaluation);
    } catch (e) {
      this.fail(e.message);
    }
  }

  /**
   * The weights file of the model as it is now, with test figures evaluated for exactly it.
   * @returns {Promise<{json: string, filename: string}>}
   */
  async exportWeights() {
    const r = await this.lab.exportWeights();
    if (r.generation === this.state.generation) this.addEvaluation(r.evaluation);
    return { json: r.json, filename: `softmax-lab-${r.dataset}-step${r.progress.step}.json` };
  }

  addEvaluation(e) {
    if (!e || e.generation !== this.state.generation) return;
    this.state.evaluation = e;
    this.state.test.add(e);
    this.invalidate('test');
  }

  ingestSteps(r) {
    const s = this.state;
    if (r.generation !== s.generation) return;
    s.progress = r.progress;
    if (r.losses.length > 0) s.train.append(r.losses, r.progress.step);
    this.invalidate('progress', 'train');
  }

  onProgress(m) {
    const s = this.state;
    if (m.generation !== s.generation) return;
    this.ingestSteps(m);
    s.rate = m.rate;
    if (m.evaluation) this.addEvaluation(m.evaluation);
  }

  onStopped(m) {
    if (m.generation !== this.state.generation) return;
    this.state.playing = false;
    this.state.progress = m.progress;
    this.addEvaluation(m.evaluation);
    this.invalidate('progress');
    if (m.reason === 'diverged') this.diverge(m.message);
    else this.idleStatus();
  }

  diverge(message) {
    this.state.diverged = message;
    this.state.playing = false;
    this.setStatus('error', `${message[0].toUpperCase()}${message.slice(1)}. Training is paused.`);
  }
}
