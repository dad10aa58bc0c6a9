// The training session: the one app-state object and every state transition (loading, stepping,
// playing, resetting, live hyperparameters, evaluation, importing weights), and keeping the work:
// checkpoints in IndexedDB (resumed on reload), recovery from a crashed worker, the shareable
// link. No DOM: sections subscribe to events and redraw on 'frame', which fires at most once per
// animation frame.

import { availability, fetchManifest } from './data.js';
import { TestSeries, TrainSeries } from './series.js';
import { BEFORE_LINK, CURRENT, SessionStore } from './store.js';
import { buildLink, parseLink } from './share.js';

/** Quiet time after the last manual Step before the test set is evaluated. */
const STEP_EVAL_DELAY_MS = 250;
/** While the model changes, a checkpoint is saved at least this often… */
export const CHECKPOINT_EVERY_MS = 5000;
/** …and always on Pause, after Step, Reset, import and data-set loads, and when the page hides. */
/** Largest weights file the page reads (the core's limit too; a 784×10 model is about 0.2 MB). */
export const MAX_IMPORT_BYTES = 16 * 1024 * 1024;
/** A worker that crashes more often than this within CRASH_WINDOW_MS is not restarted again. */
const MAX_RESTARTS = 3;
const CRASH_WINDOW_MS = 60_000;
/** Version of the saved-session record. */
const RECORD_VERSION = 1;
/** The link's parameter names, for messages. */
const LINK_NAMES = { learningRate: 'lr', batchSize: 'batch', l2: 'l2', seed: 'seed' };
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

/** Capitalise the first letter of a message. */
export function sentence(text) {
  return text ? `${text[0].toUpperCase()}${text.slice(1)}` : text;
}

/** See createSession. */
export class Session {
  constructor(lab, baseUrl) {
    this.lab = lab;
    this.baseUrl = baseUrl;
    this.store = new SessionStore();
    /** The last checkpoint taken (also in IndexedDB): what a crash or a reload comes back to. */
    this.checkpoint = null;
    this.unsaved = false;
    this.saving = null;
    this.saveAgain = false;
    this.recovering = false;
    this.crashes = [];
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
      /** A button offered beside the status ({label, testid, run}): Retry, or Reset after divergence. */
      action: null,
      /** Messages above the sections: {id, kind: 'info'|'warn'|'error', text, actions: [{label, testid, run}]}. */
      notices: [],
      /** Outcome of the last weights import: {ok, text}. */
      importResult: null,
      /** The last saved checkpoint: {step, savedAt}, or {error}. */
      saved: null,
      /** The address that replays this run from step 0. */
      link: '',
    };
    lab.on('crash', (m) => this.recover(m.reason));
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
   * @param {{label: string, testid: string, run: () => void}[]} [actions]
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

  setStatus(state, message, action = null) {
    this.state.status = { state, message };
    this.state.action = action;
    this.invalidate('status', 'controls');
  }

  /**
   * Show an error; if training was running, stop it (page and worker stay in agreement).
   * Errors of requests cut off by a worker crash are left to the recovery, which says more.
   * @param {Error|string} error
   * @param {() => void} [retry] offered as a Retry button beside the message
   */
  fail(error, retry) {
    if (error && error.crashed) return;
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
    this.watchPage();
    s.hyper = { learningRate: s.defaults.learning_rate, batchSize: s.defaults.batch_size, l2: s.defaults.l2, seed: s.defaults.seed };
    const saved = await this.readSaved();
    const link = parseLink(globalThis.location?.search || '');
    let dataset = 'mnist';
    let restore = null;
    if (link.present) {
      dataset = await this.applyLink(link);
      if (saved) this.offerSavedBeforeLink(saved);
    } else if (saved && !this.datasetAvailability(saved.dataset).available) {
      const { reason } = this.datasetAvailability(saved.dataset);
      this.notify('resume', 'warn', `The saved session was on ${DATASET_NAMES[saved.dataset] || saved.dataset}, which is not available here (${reason}): this is a fresh MNIST model.`);
    } else if (saved) {
      s.hyper = { ...saved.hyper };
      dataset = saved.dataset;
      restore = saved;
    }
    s.input = { ...s.hyper };
    this.invalidate('controls', 'hyper');
    this.emit('hyper', { fill: true });
    await this.loadDataset(dataset, { restore });
  }

  /** Save on page hide (tab switch, reload, close), and every CHECKPOINT_EVERY_MS while changing. */
  watchPage() {
    if (this.watching) return;
    this.watching = true;
    setInterval(() => {
      if (this.unsaved) this.saveCheckpoint();
    }, CHECKPOINT_EVERY_MS);
    const hide = () => {
      if (this.state.generation > 0) this.saveCheckpoint();
    };
    globalThis.addEventListener?.('pagehide', hide);
    globalThis.document?.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') hide();
    });
  }

  /** The saved session, or null (none, unreadable, or from another version). */
  async readSaved() {
    try {
      const r = await this.store.get(CURRENT);
      const ok = r && r.version === RECORD_VERSION && typeof r.weights === 'string' && r.hyper && typeof r.dataset === 'string';
      return ok ? r : null;
    } catch (e) {
      this.notify('storage', 'warn', `Sessions cannot be saved in this browser (${e.message}): reloading the page starts over.`);
      return null;
    }
  }

  /**
   * Take the settings of a shared link: each value the core accepts; the defaults for the rest,
   * with one message that lists what was not taken and why. The link then leaves the address
   * bar, so that a reload resumes this session instead of starting the link's run again.
   * @returns {Promise<string>} the data set to load
   */
  async applyLink(link) {
    const s = this.state;
    const v = link.values;
    const problems = [...link.problems];
    const errors = await this.lab.validate({ ...s.hyper, ...v });
    for (const [field, name] of Object.entries(LINK_NAMES)) {
      if (v[field] === undefined) continue;
      if (errors[field]) problems.push(`${name}=${v[field]}: ${errors[field]}`);
      else s.hyper[field] = v[field];
    }
    let dataset = v.dataset || 'mnist';
    const { available, reason } = this.datasetAvailability(dataset);
    if (!available) {
      problems.push(`${DATASET_NAMES[dataset]} is not available here (${reason})`);
      dataset = 'mnist';
    }
    const h = s.hyper;
    const settings = `ε = ${h.learningRate}, batch size ${h.batchSize}, α = ${h.l2}, seed ${h.seed}, ${DATASET_NAMES[dataset]}`;
    if (problems.length) {
      this.notify('link', 'warn', `This link's settings could not all be used — ${problems.join('; ')}. The defaults stand in for those. Running: ${settings}.`, [
        { label: 'OK', testid: 'notice-ok', run: () => this.dismiss('link') },
      ]);
    } else {
      this.notify('link', 'info', `Opened a shared run: ${settings}, from step 0. The same steps give the same numbers as on the machine it came from.`, [
        { label: 'OK', testid: 'notice-ok', run: () => this.dismiss('link') },
      ]);
    }
    const loc = globalThis.location;
    if (loc) globalThis.history?.replaceState(null, '', `${loc.pathname}${loc.hash}`);
    return dataset;
  }

  /** A shared link replaces the saved session: keep that one aside and offer it back. */
  offerSavedBeforeLink(saved) {
    this.store.put(BEFORE_LINK, saved).catch(() => {});
    this.notify('before-link', 'info', `Your saved session (${DATASET_NAMES[saved.dataset] || saved.dataset}, step ${saved.step.toLocaleString('en-US')}) was kept aside for this link.`, [
      {
        label: 'Go back to it',
        testid: 'restore-before-link',
        run: async () => {
          this.dismiss('before-link');
          this.dismiss('link');
          const s = this.state;
          s.hyper = { ...saved.hyper };
          s.input = { ...s.hyper };
          this.emit('hyper', { fill: true });
          await this.loadDataset(saved.dataset, { restore: saved });
        },
      },
    ]);
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
  async loadDataset(name, { restore = null, why = 'resume' } = {}) {
    const s = this.state;
    const { available, reason } = this.datasetAvailability(name);
    if (!available) {
      this.fail(`${DATASET_NAMES[name] || name} is not available: ${reason}`);
      return false;
    }
    if (s.playing) await this.pause();
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
      this.newRun(r);
      this.addEvaluation(r.evaluation);
      s.busy = false;
      s.load = null;
      if (r.usedDefaults) {
        const d = s.defaults;
        s.hyper = { learningRate: d.learning_rate, batchSize: d.batch_size, l2: d.l2, seed: d.seed };
        s.input = { ...s.hyper };
        this.emit('hyper', { fill: true });
      }
      if (restore) await this.resume(restore, why);
      this.emit('dataset', s);
      this.invalidate('load', 'progress', 'train', 'test', 'dataset');
      this.idleStatus();
      // Batch-size limits depend on the training-set size, and the form may have changed while
      // loading: re-check what is typed and give the new model the valid values.
      await this.updateHyper({}, true);
      this.saveCheckpoint();
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
   * Continue a saved run (checkpoint): its weights, step count, shuffling position and curves.
   * If the record cannot be used, the fresh model stays and a message says why.
   * @param {object} record from snapshot()
   */
  async resume(record, why = 'resume') {
    const s = this.state;
    try {
      if (record.dataset !== s.dataset) throw new Error(`it is for ${record.dataset}, not ${s.dataset}`);
      const r = await this.lab.importWeights(record.weights);
      this.adopt(r, record);
      const at = new Date(record.savedAt).toLocaleTimeString('en-GB');
      const order = r.exact ? '' : ' The run was too long to replay its shuffling: training continues from the saved weights with a fresh order of the examples.';
      if (why === 'resume') {
        this.notify('resume', 'info', `Welcome back: your session was restored at step ${r.progress.step.toLocaleString('en-US')} (saved at ${at} in this browser).${order}`, [
          { label: 'OK', testid: 'notice-ok', run: () => this.dismiss('resume') },
          { label: 'Start over', testid: 'start-over', run: () => this.startOver() },
        ]);
      }
      return r;
    } catch (e) {
      if (e.crashed) throw e;
      this.notify('resume', 'warn', `The saved session could not be restored (${e.message}); this is a fresh model.`);
      return null;
    }
  }

  /** Forget the resumed run: Reset with the seed in the form. */
  async startOver() {
    this.dismiss('resume');
    await this.reset();
  }

  /** A new model generation in the worker (`r`: {generation, progress}): curves start over. */
  newRun(r) {
    const s = this.state;
    s.generation = r.generation;
    s.progress = r.progress;
    s.rate = 0;
    s.diverged = null;
    s.train.clear();
    s.test.clear();
    s.evaluation = null;
  }

  /**
   * Take the model the worker now has after importWeights: new generation, its progress, and
   * (for a checkpoint of the same step) the saved curves.
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
      this.state.link = buildLink(this.baseUrl, s.hyper, s.dataset);
      if (changed) this.unsaved = true;
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
        await this.saveCheckpoint();
      }, STEP_EVAL_DELAY_MS);
    } catch (e) {
      this.fail(e);
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
      if (this.state.playing) this.lab.expectProgress(true);
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
      await this.saveCheckpoint();
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
      const r = await this.lab.reset(s.hyper.seed);
      this.newRun(r);
      this.addEvaluation(r.evaluation);
      this.invalidate('progress', 'train', 'test');
      this.emit('dataset', s);
      if (s.playing) this.setStatus('training', 'Training in the background: the charts update as it runs. Press Pause to stop.');
      else this.idleStatus();
      await this.saveCheckpoint();
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
  async exportWeights() {
    const r = await this.lab.exportWeights();
    if (r.generation === this.state.generation) this.addEvaluation(r.evaluation);
    return { json: r.json, filename: `softmax-lab-${r.dataset}-step${r.progress.step}.json` };
  }

  /**
   * Import a weights file chosen by the user. Refused before reading if it is too large; the
   * core checks everything else. On any refusal the current model is kept and the reason is
   * shown; on success the model continues the file's run (its step count, seed and settings).
   * @param {File} file
   */
  async importWeights(file) {
    const s = this.state;
    const name = `“${file.name}”`;
    const refuse = (reason) => {
      s.importResult = { ok: false, text: `${name} was not imported: ${reason}. The current model is kept.` };
      this.invalidate('import');
    };
    if (s.busy || s.generation === 0) return refuse('no model is loaded yet');
    if (file.size > MAX_IMPORT_BYTES) {
      return refuse(`the file is ${(file.size / 1e6).toFixed(1)} MB; a weights file is about 0.2 MB and at most ${MAX_IMPORT_BYTES / 2 ** 20} MB is read`);
    }
    let text;
    try {
      text = await file.text();
    } catch (e) {
      return refuse(`the file could not be read (${e.message})`);
    }
    if (s.playing) await this.pause();
    await this.hyperChain;
    let r;
    try {
      r = await this.lab.importWeights(text);
    } catch (e) {
      if (e.crashed) return refuse('the training worker crashed while reading it');
      return refuse(e.message.replace(/^cannot import weights: /, ''));
    }
    this.adopt(r);
    if (r.hyperApplied) {
      s.hyper = { ...r.hyperparameters, seed: r.seed };
      s.input = { ...s.hyper };
      this.emit('hyper', { fill: true });
    }
    await this.updateHyper({}, true);
    const acc = r.evaluation && Number.isFinite(r.evaluation.accuracy) ? `, test accuracy ${(r.evaluation.accuracy * 100).toFixed(2)} %` : '';
    const where = r.progressRestored ? `the model of step ${r.progress.step.toLocaleString('en-US')} (seed ${r.seed})` : 'the model (its step count does not fit this data set: counting from 0)';
    const settings = r.hyperApplied ? ' with the settings it was trained with' : ' with the current settings (the file’s do not fit this data set)';
    s.importResult = { ok: true, text: `Imported ${name}: ${where}${acc}. Training continues from there${settings}.` };
    this.invalidate('import');
    this.idleStatus();
    await this.saveCheckpoint();
  }

  /**
   * Save a checkpoint now (weights file + settings + step count + curves) in memory and in
   * IndexedDB. Calls made while one is being saved are folded into one more save afterwards.
   */
  async saveCheckpoint() {
    const s = this.state;
    if (s.generation === 0 || s.busy || this.recovering) return;
    if (this.saving) {
      this.saveAgain = true;
      return this.saving;
    }
    this.unsaved = false;
    this.saving = (async () => {
      try {
        const c = await this.lab.checkpoint();
        if (c.generation !== s.generation) return;
        const record = this.snapshot(c);
        this.checkpoint = record;
        await this.store.put(CURRENT, record);
        s.saved = { step: record.step, savedAt: record.savedAt };
      } catch (e) {
        if (!e.crashed) s.saved = { error: e.message || String(e) };
      } finally {
        this.invalidate('saved');
      }
    })();
    await this.saving;
    this.saving = null;
    if (this.saveAgain) {
      this.saveAgain = false;
      await this.saveCheckpoint();
    }
  }

  /** The saved-session record for a checkpoint reply (curves only if they end at its step). */
  snapshot(c) {
    const s = this.state;
    const step = c.progress.step;
    const curves = s.train.lastStep === step || step === 0;
    return {
      version: RECORD_VERSION,
      savedAt: Date.now(),
      dataset: c.dataset,
      hyper: { ...s.hyper },
      weights: c.json,
      step,
      examplesSeen: c.progress.examples_seen,
      train: curves ? structuredClone({ ...s.train }) : null,
      test: curves ? structuredClone({ ...s.test }) : null,
    };
  }

  /**
   * The worker crashed, trapped or stopped answering: start a new one, load the data again
   * (from the browser cache) and restore the last checkpoint. Steps after it are lost, and
   * the message says how many.
   * @param {string} reason
   */
  async recover(reason) {
    if (this.recovering) return;
    const s = this.state;
    const now = Date.now();
    this.crashes = this.crashes.filter((t) => now - t < CRASH_WINDOW_MS);
    this.crashes.push(now);
    clearTimeout(this.stepEvalTimer);
    const lastStep = s.progress.step;
    s.playing = false;
    s.busy = true;
    if (this.crashes.length > MAX_RESTARTS) {
      s.busy = false;
      this.fail(`${reason}. It crashed ${this.crashes.length} times within a minute, so it is not restarted again: reload the page (your last checkpoint is saved)`);
      return;
    }
    this.recovering = true;
    this.setStatus('loading', `${sentence(reason)}. Restarting it and restoring the last checkpoint…`);
    const checkpoint = this.checkpoint && this.checkpoint.dataset === s.dataset ? this.checkpoint : null;
    try {
      s.generation = 0; // no model until the new worker has one
      this.lab.restart();
      await this.lab.init();
      this.recovering = false;
      const ok = await this.loadDataset(s.dataset, { restore: checkpoint, why: 'crash' });
      if (!ok) return;
      const lost = lastStep - s.progress.step;
      const restored = checkpoint && s.progress.step === checkpoint.step
        ? `restored the checkpoint of step ${checkpoint.step.toLocaleString('en-US')} (saved at ${new Date(checkpoint.savedAt).toLocaleTimeString('en-GB')})${lost > 0 ? `; the ${lost.toLocaleString('en-US')} step${lost === 1 ? '' : 's'} after it were lost` : ''}`
        : 'there was no checkpoint yet, so this is a fresh model';
      this.notify('crash', 'warn', `${sentence(reason)}. The lab restarted it and ${restored}.`, [
        { label: 'OK', testid: 'notice-ok', run: () => this.dismiss('crash') },
      ]);
    } catch (e) {
      this.recovering = false;
      s.busy = false;
      this.fail(`${reason}, and restarting it failed (${e.message}): reload the page`);
    }
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
    if (r.losses.length > 0) this.unsaved = true;
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
    this.lab.expectProgress(false);
    this.state.progress = m.progress;
    this.addEvaluation(m.evaluation);
    this.invalidate('progress');
    if (m.reason === 'diverged') this.diverge(m.message);
    else this.idleStatus();
  }

  diverge(message) {
    this.state.diverged = message;
    this.state.playing = false;
    this.lab.expectProgress(false);
    this.setStatus('error', `${sentence(message)}. Training is paused; the weights are those of the last good step.`, {
      label: '↺ Reset',
      testid: 'diverged-reset',
      run: () => this.reset(),
    });
    this.saveCheckpoint();
  }
}
