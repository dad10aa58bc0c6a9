// @ts-check
// The training session: the one app-state object, what the page shows of it (the status line,
// notices, and 'frame', which fires at most once per animation frame with what changed) and the
// live hyperparameters. Its transitions live beside it, each session-*.js one concern: a new
// model (session-load.js: opening, loading a data set, adopting an import), training
// (session-training.js: Step, Play, Pause, Reset, what the worker reports), weights in and out
// (session-weights.js), your own data set (session-own-data.js), checkpoints and resuming them
// (session-checkpoints.js), recovery from a crashed worker (session-recovery.js), the
// shareable link (session-link.js). No DOM: sections subscribe to events and redraw on 'frame'.

import { DATASET_NAMES } from './constants.js';
import { Emitter } from './emitter.js';
import { sentence } from './format.js';
import { buildLink } from './share.js';
import { Checkpoints } from './session-checkpoints.js';
import { adopt, datasetAvailability, loadDataset, start, takeModel } from './session-load.js';
import { Recovery } from './session-recovery.js';
import { addEvaluation, evaluate, onProgress, onStopped, pause, play, reset, setPace, step } from './session-training.js';
import { exportWeights, importWeights } from './session-weights.js';
import { initialState } from './session-state.js';

/** Names of the hyperparameters in the order of the form. */
export const HYPER_FIELDS = ['learning_rate', 'batch_size', 'l2', 'seed'];

/**
 * Events of the session: 'frame' (the Set of what changed since the last frame), 'dataset' (a
 * new model: new data set or Reset), 'hyper' ({fill}: validation done; fill = the form should
 * show state.input, e.g. the defaults).
 * @typedef {{frame: Set<string>, dataset: import('./session-state.js').SessionState, hyper: {fill: boolean}}} SessionEvents
 */

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
    lab.on('progress', (m) => onProgress(this, m));
    lab.on('stopped', (m) => onStopped(this, m));
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

  // --- A new model (session-load.js) ---------------------------------------------------------

  /** Open the lab: the wasm module, the manifest, then the link's data set, the saved session or MNIST. */
  start() {
    return start(this);
  }

  /**
   * Whether a data set can be picked, and if not, why.
   * @param {string} name
   */
  datasetAvailability(name) {
    return datasetAvailability(this, name);
  }

  /**
   * Switch to a data set: download it, build a new model, evaluate (session-load.js).
   * @param {string} name "mnist", "fashion" or "files".
   * @param {{restore?: import('./session-checkpoints.js').SavedSession|null, why?: 'resume'|'crash'}} [options]
   * @returns {Promise<boolean>} whether the data set and model are loaded
   */
  loadDataset(name, options) {
    return loadDataset(this, name, options);
  }

  /**
   * Take the fresh model of a data-set load, and the checkpoint to continue if any.
   * @param {import('./protocol.js').LoadResult} r
   * @param {{restore?: import('./session-checkpoints.js').SavedSession|null, why?: 'resume'|'crash'}} options
   */
  takeModel(r, options) {
    return takeModel(this, r, options);
  }

  /**
   * Take the model the worker has after an import (with the saved curves of a checkpoint).
   * @param {import('./protocol.js').ImportResult} r
   * @param {import('./session-checkpoints.js').SavedSession|null} [record]
   */
  adopt(r, record = null) {
    adopt(this, r, record);
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

  // --- Training (session-training.js) ----------------------------------------------------------

  /** Run one minibatch step (the test set is evaluated once the clicking stops). */
  step() {
    return step(this);
  }

  /**
   * Train continuously at the chosen pace; with `epochs`, pause by itself after that many.
   * @param {number} [epochs]
   */
  play(epochs) {
    return play(this, epochs);
  }

  /**
   * The pace of Play (steps per second, or null for full speed); applies at once.
   * @param {number|null} stepsPerSecond
   */
  setPace(stepsPerSecond) {
    return setPace(this, stepsPerSecond);
  }

  /** Stop continuous training; the worker evaluates the test set where it stopped. */
  pause() {
    return pause(this);
  }

  /** Re-initialise the weights and the shuffling from the seed in the form. */
  reset() {
    return reset(this);
  }

  /** Evaluate the full test set now (if the last evaluation is stale). */
  evaluate() {
    return evaluate(this);
  }

  /**
   * Take test-set figures if they belong to the current model.
   * @param {import('./protocol.js').Evaluation|null|undefined} e
   */
  addEvaluation(e) {
    addEvaluation(this, e);
  }

  // --- Weights in and out (session-weights.js) --------------------------------------------------

  /**
   * The weights file of the model as it is now, with test figures evaluated for exactly it.
   * @returns {Promise<{json: string, filename: string}>}
   */
  exportWeights() {
    return exportWeights(this);
  }

  /**
   * Import a weights file chosen by the user.
   * @param {File} file
   */
  importWeights(file) {
    return importWeights(this, file);
  }
}
