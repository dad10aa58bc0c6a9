// @ts-check
// The training session: the one app-state object and every state transition (loading, stepping,
// playing, resetting, live hyperparameters, evaluation, importing weights). Keeping the work is
// delegated: checkpoints and resuming them (session-checkpoints.js), recovery from a crashed
// worker (session-recovery.js), the shareable link (session-link.js). No DOM: sections
// subscribe to events and redraw on 'frame', which fires at most once per animation frame.

import { DATASET_NAMES } from './constants.js';
import { availability, fetchManifest } from './data.js';
import { Emitter } from './emitter.js';
import { sentence } from './format.js';
import { buildLink } from './share.js';
import { Checkpoints } from './session-checkpoints.js';
import { chooseOpening } from './session-link.js';
import { Recovery } from './session-recovery.js';
import { exportWeights, importWeights } from './session-weights.js';
import { loadOwnData } from './session-own-data.js';
import { keepFinishedRun, noteSteps, startRun } from './runs-session.js';
import { initialState } from './session-state.js';

/** Quiet time after the last manual Step before the test set is evaluated. */
const STEP_EVAL_DELAY_MS = 250;
/** The status while training plays. */
const TRAINING = 'Training in the background: the charts update as it runs. Press Pause to stop.';
/** Names of the hyperparameters in the order of the form. */
export const HYPER_FIELDS = ['learning_rate', 'batch_size', 'l2', 'seed'];

/**
 * Events of the session: 'frame' (the Set of what changed since the last frame), 'dataset' (a
 * new model: new data set or Reset), 'hyper' ({fill}: validation done; fill = the form should
 * show state.input, e.g. the defaults).
 * @typedef {{frame: Set<string>, dataset: import('./session-state.js').SessionState, hyper: {fill: boolean}}} SessionEvents
 */

/**
 * The form's values for the core's defaults.
 * @param {import('./protocol.js').Defaults} d
 * @returns {import('./protocol.js').Hyper}
 */
function hyperOf(d) {
  return { learning_rate: d.learning_rate, batch_size: d.batch_size, l2: d.l2, seed: d.seed };
}

/**
 * Create the session (and its state object) on top of a worker client.
 * @param {import('./lab.js').LabClient} lab
 * @param {string} baseUrl URL of the page, against which data paths are resolved.
 */
export function createSession(lab, baseUrl) {
  return new Session(lab, baseUrl);
}

/**
 * See createSession.
 * @extends {Emitter<SessionEvents>}
 */
export class Session extends Emitter {
  /**
   * @param {import('./lab.js').LabClient} lab
   * @param {string} baseUrl
   */
  constructor(lab, baseUrl) {
    super();
    this.lab = lab;
    this.baseUrl = baseUrl;
    this.checkpoints = new Checkpoints(this);
    this.recovery = new Recovery(this);
    this.frameRequested = false;
    /** @type {Set<string>} */
    this.changes = new Set();
    /** Timer of the evaluation after manual Steps. */
    this.stepEvalTimer = 0;
    /** @type {Promise<void>} */
    this.hyperChain = Promise.resolve();
    /** @type {import('./session-own-data.js').OwnPick|null} the files of your own data set (kept in memory only) */
    this.ownPick = null;
    this.state = initialState();
    lab.on('crash', (m) => this.recovery.recover(m.reason));
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
   * Show a message above the sections (replacing one with the same id).
   * @param {string} id
   * @param {'info'|'warn'|'error'} kind
   * @param {string} text
   * @param {import('./session-state.js').Action[]} [actions]
   */
  notify(id, kind, text, actions = []) {
    this.state.notices = [...this.state.notices.filter((n) => n.id !== id), { id, kind, text, actions }];
    this.invalidate('notices');
  }

  /** @param {string} id */
  dismiss(id) {
    this.state.notices = this.state.notices.filter((n) => n.id !== id);
    this.invalidate('notices');
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

  /**
   * Set the status line (and the button beside it).
   * @param {import('./session-state.js').SessionState['status']['state']} state
   * @param {string} message
   * @param {import('./session-state.js').Action|null} [action]
   */
  setStatus(state, message, action = null) {
    this.state.status = { state, message };
    this.state.action = action;
    this.invalidate('status', 'controls');
  }

  /**
   * Show an error; if training was running, stop it (page and worker stay in agreement).
   * Errors of requests cut off by a worker crash are left to the recovery, which says more.
   * @param {(Error & {crashed?: boolean})|string} error
   * @param {() => void} [retry] offered as a Retry button beside the message
   */
  fail(error, retry) {
    if (typeof error === 'object' && error?.crashed) return;
    const message = sentence(typeof error === 'string' ? error : error.message);
    if (this.state.playing) {
      this.state.playing = false;
      this.lab.expectProgress(false);
      this.lab.pause().catch(() => {});
    }
    this.setStatus('error', message, retry ? { label: 'Retry', testid: 'retry', run: retry } : null);
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

  /**
   * Load the wasm module and the manifest, then the data set and model: the one a shared link
   * names, else the saved session (resumed), else MNIST with the defaults.
   */
  async start() {
    const s = this.state;
    this.setStatus('loading', 'Starting the lab…');
    let ready = false;
    try {
      const [{ defaults }, manifest] = await Promise.all([this.lab.init(), fetchManifest(this.baseUrl)]);
      s.defaults = defaults;
      s.manifest = manifest;
      ready = true;
    } catch (e) {
      this.fail(e, () => this.start());
    }
    if (!ready) return;
    this.checkpoints.watchPage();
    s.hyper = hyperOf(s.defaults);
    const { dataset, restore } = await chooseOpening(this, await this.checkpoints.read());
    s.input = { ...s.hyper };
    this.invalidate('controls', 'hyper');
    this.emit('hyper', { fill: true });
    await this.loadDataset(dataset, { restore });
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
   * @param {{restore?: import('./session-checkpoints.js').SavedSession|null, why?: 'resume'|'crash'}} [options]
   *   a checkpoint to continue, and why (a reload or a crash: the message differs)
   * @returns {Promise<boolean>} whether the data set and model are loaded
   */
  async loadDataset(name, { restore = null, why = 'resume' } = {}) {
    const s = this.state;
    if (name === 'files') return loadOwnData(this, this.ownPick, { restore, why });
    const { available, reason } = this.datasetAvailability(name);
    if (!available) {
      this.fail(`${DATASET_NAMES[name] || name} is not available: ${reason}`);
      return false;
    }
    if (s.playing) await this.pause();
    clearTimeout(this.stepEvalTimer);
    s.busy = true;
    s.playing = false;
    if (!restore) await keepFinishedRun(this, 'dataset'); // a new model: the old run stays on the charts
    s.load = { name, phase: 'download', loaded: 0, total: s.manifest[name].bytes.reduce((a, b) => a + b, 0), fromCache: false };
    this.setStatus('loading', `Loading ${DATASET_NAMES[name]}…`);
    this.invalidate('load');
    try {
      const r = await this.lab.load({
        baseUrl: this.baseUrl,
        dataset: name,
        entry: s.manifest[name],
        hyper: { learning_rate: s.hyper.learning_rate, batch_size: s.hyper.batch_size, l2: s.hyper.l2 },
        seed: s.hyper.seed,
      });
      await this.takeModel(r, { restore, why });
      return true;
    } catch (e) {
      s.busy = false;
      s.load = null;
      this.invalidate('load');
      if (e.crashed) return false; // the recovery takes over
      const kept = s.generation > 0 ? ` The ${DATASET_NAMES[s.dataset]} model is kept.` : ' Sections that need no data still work.';
      this.fail(`${e.message || e}.${kept}`, () => this.loadDataset(name, { restore }));
      return false;
    }
  }

  /**
   * Take the fresh model of a data-set load (built-in or your own files): its data set, sizes,
   * class names and transform, a new run, and the checkpoint to continue if any.
   * @param {import('./protocol.js').LoadResult} r
   * @param {{restore?: import('./session-checkpoints.js').SavedSession|null, why?: 'resume'|'crash'}} options
   */
  async takeModel(r, { restore = null, why = 'resume' }) {
    const s = this.state;
    s.dataset = r.dataset;
    s.classNames = r.classNames;
    s.trainSize = r.trainSize;
    s.testSize = r.testSize;
    s.transform = r.transform;
    this.newRun(r);
    this.addEvaluation(r.evaluation);
    s.busy = false;
    s.load = null;
    if (r.usedDefaults) {
      s.hyper = hyperOf(s.defaults);
      s.input = { ...s.hyper };
      this.emit('hyper', { fill: true });
    }
    if (restore) await this.checkpoints.resume(restore, why);
    this.emit('dataset', s);
    this.invalidate('load', 'progress', 'train', 'test', 'dataset');
    this.idleStatus();
    // Batch-size limits depend on the training-set size, and the form may have changed while
    // loading: re-check what is typed and give the new model the valid values.
    await this.updateHyper({}, true);
    this.checkpoints.save();
  }

  /**
   * A new model generation in the worker: curves start over.
   * @param {{generation: number, progress: import('./protocol.js').Progress}} r
   */
  newRun(r) {
    const s = this.state;
    s.generation = r.generation;
    s.progress = r.progress;
    s.rate = 0;
    s.diverged = null;
    s.train.clear();
    s.test.clear();
    startRun(this, r.progress);
    s.evaluation = null;
  }

  /**
   * Take the model the worker now has after importWeights: new generation, its progress, and
   * (for a checkpoint of the same step) the saved curves.
   * @param {import('./protocol.js').ImportResult} r
   * @param {import('./session-checkpoints.js').SavedSession|null} [record]
   */
  adopt(r, record = null) {
    const s = this.state;
    clearTimeout(this.stepEvalTimer);
    this.newRun(r);
    if (record && record.step === r.progress.step && record.train && record.test) {
      Object.assign(s.train, record.train);
      Object.assign(s.test, record.test);
    }
    this.addEvaluation(r.evaluation);
    this.invalidate('progress', 'train', 'test');
    this.emit('dataset', s);
  }

  /** Whether Step/Play may start: model loaded and no invalid training hyperparameter. */
  canTrain() {
    const s = this.state;
    return !s.busy && s.status.state !== 'loading' && s.hyper !== null && !s.errors.learning_rate && !s.errors.batch_size && !s.errors.l2 && s.generation > 0;
  }

  /**
   * Take new values typed into the form (any subset of HYPER_FIELDS), validate each with the
   * core, keep the last valid ones and apply learning rate, batch size and α to the live model.
   * @param {Partial<import('./protocol.js').Hyper>} values
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
      const changed = ['learning_rate', 'batch_size', 'l2'].some((f) => before[f] !== s.hyper[f]);
      if ((changed || force) && s.generation > 0) {
        await this.lab.setHyperparameters({ learning_rate: s.hyper.learning_rate, batch_size: s.hyper.batch_size, l2: s.hyper.l2 });
      }
      this.state.link = buildLink(this.baseUrl, s.hyper, s.dataset === 'files' ? 'mnist' : s.dataset); // a link cannot carry files
      if (changed) this.checkpoints.unsaved = true;
      this.emit('hyper', { fill: false });
      this.invalidate('controls', 'hyper');
    }).catch((e) => this.fail(e));
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
      if (!this.state.playing) this.idleStatus(); // "Paused at step N" follows the steps
      clearTimeout(this.stepEvalTimer);
      this.stepEvalTimer = setTimeout(async () => {
        await this.evaluate();
        await this.checkpoints.save();
      }, STEP_EVAL_DELAY_MS);
    } catch (e) {
      this.fail(e);
    }
  }

  /**
   * Start continuous training in the worker, at the chosen pace; with `epochs`, it pauses by
   * itself exactly where the epoch counter has grown by that many.
   * @param {number} [epochs]
   */
  async play(epochs) {
    await this.hyperChain;
    if (!this.canTrain() || this.state.playing) return;
    clearTimeout(this.stepEvalTimer);
    this.state.playing = true;
    this.state.diverged = null;
    this.setStatus('training', epochs ? `Training ${epochs} epoch${epochs === 1 ? '' : 's'}: it pauses by itself at the end of epoch ${this.state.progress.epoch + epochs}. Press Pause to stop sooner.` : TRAINING);
    try {
      await this.lab.play({ epochs, stepsPerSecond: this.state.pace });
      if (this.state.playing) this.lab.expectProgress(true);
    } catch (e) {
      this.fail(e);
    }
  }

  /**
   * The pace of Play (steps per second, or null for full speed); applies at once, also while playing.
   * @param {number|null} stepsPerSecond
   */
  async setPace(stepsPerSecond) {
    this.state.pace = stepsPerSecond;
    this.invalidate('controls');
    if (!this.state.playing) return; // Play sends the pace
    try {
      await this.lab.setPace(stepsPerSecond);
    } catch (e) {
      this.fail(e);
    }
  }

  /** Stop continuous training; the worker evaluates the test set at the step where it stopped. */
  async pause() {
    if (!this.state.playing) return;
    this.state.playing = false;
    this.lab.expectProgress(false);
    this.invalidate('controls');
    try {
      const r = await this.lab.pause();
      if (r.generation === this.state.generation) {
        this.state.progress = r.progress;
        this.addEvaluation(r.evaluation);
      }
      this.invalidate('progress');
      if (this.state.status.state !== 'error') this.idleStatus();
      await this.checkpoints.save();
    } catch (e) {
      this.fail(e);
    }
  }

  /** Re-initialise the weights and the shuffling from the seed in the form. */
  async reset() {
    const s = this.state;
    await this.hyperChain;
    if (s.busy || s.errors.seed || s.generation === 0) return;
    clearTimeout(this.stepEvalTimer);
    try {
      await keepFinishedRun(this, 'reset');
      const r = await this.lab.reset(s.hyper.seed);
      this.newRun(r);
      this.addEvaluation(r.evaluation);
      this.invalidate('progress', 'train', 'test');
      this.emit('dataset', s);
      if (s.playing) this.setStatus('training', TRAINING);
      else this.idleStatus();
      await this.checkpoints.save();
    } catch (e) {
      this.fail(e);
    }
  }

  /** Evaluate the full test set now (if the last evaluation is stale). */
  async evaluate() {
    if (this.state.generation === 0) return;
    try {
      const r = await this.lab.evaluate();
      if (r.generation === this.state.generation) this.addEvaluation(r.evaluation);
    } catch (e) {
      this.fail(e);
    }
  }

  /**
   * The weights file of the model as it is now, with test figures evaluated for exactly it.
   * @returns {Promise<{json: string, filename: string}>}
   */
  exportWeights() {
    return exportWeights(this);
  }

  /**
   * Import a weights file chosen by the user (session-weights.js).
   * @param {File} file
   */
  importWeights(file) {
    return importWeights(this, file);
  }

  /**
   * Take test-set figures if they belong to the current model.
   * @param {import('./protocol.js').Evaluation|null|undefined} e
   */
  addEvaluation(e) {
    if (!e || e.generation !== this.state.generation) return;
    this.state.evaluation = e;
    this.state.test.add(e);
    this.invalidate('test');
  }

  /**
   * Take steps the worker ran (a Step, or a chunk while playing).
   * @param {{generation: number, progress: import('./protocol.js').Progress, losses: Float32Array}} r
   */
  ingestSteps(r) {
    const s = this.state;
    if (r.generation !== s.generation) return;
    s.progress = r.progress;
    if (r.losses.length > 0) this.checkpoints.unsaved = true;
    if (r.losses.length > 0) noteSteps(this); // the settings the run trains with (kept runs' labels)
    if (r.losses.length > 0) s.train.append(r.losses, r.progress.step, r.progress.examples_seen);
    this.invalidate('progress', 'train');
  }

  /** @param {import('./protocol.js').ProgressEvent} m */
  onProgress(m) {
    const s = this.state;
    if (m.generation !== s.generation) return;
    this.ingestSteps(m);
    s.rate = m.rate;
    if (m.evaluation) this.addEvaluation(m.evaluation);
  }

  /** @param {import('./protocol.js').StoppedEvent} m */
  onStopped(m) {
    if (m.generation !== this.state.generation) return;
    this.state.playing = false;
    this.lab.expectProgress(false);
    this.state.progress = m.progress;
    this.addEvaluation(m.evaluation);
    this.invalidate('progress');
    if (m.reason === 'diverged') this.diverge(m.message);
    else this.idleStatus();
  }

  /**
   * Training diverged: stop, say so, and offer Reset.
   * @param {string} message the core's
   */
  diverge(message) {
    this.state.diverged = message;
    this.state.playing = false;
    this.lab.expectProgress(false);
    this.setStatus('error', `${sentence(message)}. Training is paused; the weights are those of the last good step.`, {
      label: '↺ Reset',
      testid: 'diverged-reset',
      run: () => this.reset(),
    });
    this.checkpoints.save();
  }
}
