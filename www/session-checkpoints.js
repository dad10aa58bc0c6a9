// @ts-check
// Keeping the session's work: checkpoints (weights file + settings + step count + curves) taken
// while the model changes and kept in IndexedDB (store.js), and resuming one on reload or after
// a crash. No DOM besides the page-hide events that trigger a save.

import { restoreRuns } from './runs-session.js';
import { CURRENT, SessionStore } from './store.js';

/** While the model changes, a checkpoint is saved at least this often… */
export const CHECKPOINT_EVERY_MS = 5000;
/** …and always on Pause, after Step, Reset, import and data-set loads, and when the page hides. */
/**
 * Version of the saved-session record (2: `hyper` in the core's field names). The kept runs
 * (`runs`, `runId`, `runStart`) are optional fields of version 2: a record without them has none.
 */
const RECORD_VERSION = 2;

/**
 * A record as an older page saved it, brought to the current version (or null if it cannot be):
 * version 1 named the hyperparameters learningRate and batchSize.
 * @param {any} r
 * @returns {SavedSession|null}
 */
export function upgradeRecord(r) {
  if (!r || typeof r !== 'object' || !r.hyper || typeof r.hyper !== 'object') return null;
  if (r.version === RECORD_VERSION) return r;
  if (r.version === 1) {
    const { learningRate, batchSize, l2, seed } = r.hyper;
    return { ...r, version: RECORD_VERSION, hyper: { learning_rate: learningRate, batch_size: batchSize, l2, seed } };
  }
  return null;
}

/**
 * The saved-session record: what a reload or a crash comes back to.
 * @typedef {object} SavedSession
 * @property {number} version RECORD_VERSION
 * @property {number} savedAt ms since the epoch
 * @property {string} dataset
 * @property {import('./protocol.js').Hyper} hyper
 * @property {string} weights the weights file (JSON)
 * @property {number} step
 * @property {number} examplesSeen
 * @property {object|null} train the TrainSeries fields (if the curves end at `step`)
 * @property {object|null} test the TestSeries fields (likewise)
 * @property {import('./runs.js').KeptRun[]} [runs] the kept runs (runs.js; checked on read by readRuns)
 * @property {string} [runId] the current run's id
 * @property {import('./protocol.js').Hyper|null} [runStart] the settings the current run started with
 */

/** Checkpoints of one session: taking them, saving them, resuming them. */
export class Checkpoints {
  /** @param {import('./session.js').Session} session */
  constructor(session) {
    this.session = session;
    this.store = new SessionStore();
    /** @type {SavedSession|null} The last checkpoint taken (also in IndexedDB): what a crash or a reload comes back to. */
    this.last = null;
    /** Whether the model changed since the last checkpoint. */
    this.unsaved = false;
    /** @type {Promise<void>|null} */
    this.saving = null;
    this.saveAgain = false;
    this.watching = false;
  }

  /** Save on page hide (tab switch, reload, close), and every CHECKPOINT_EVERY_MS while changing. */
  watchPage() {
    if (this.watching) return;
    this.watching = true;
    setInterval(() => {
      if (this.unsaved) this.save();
    }, CHECKPOINT_EVERY_MS);
    const hide = () => {
      if (this.session.state.generation > 0) this.save();
    };
    globalThis.addEventListener?.('pagehide', hide);
    globalThis.document?.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') hide();
    });
  }

  /**
   * The saved session, or null (none, unreadable, or from another version).
   * @returns {Promise<SavedSession|null>}
   */
  async read() {
    try {
      const r = upgradeRecord(await this.store.get(CURRENT));
      const ok = r && typeof r.weights === 'string' && typeof r.dataset === 'string';
      return ok ? r : null;
    } catch (e) {
      this.session.notify('storage', 'warn', `Sessions cannot be saved in this browser (${e.message}): reloading the page starts over.`);
      return null;
    }
  }

  /**
   * Save a checkpoint now (weights file + settings + step count + curves) in memory and in
   * IndexedDB. Calls made while one is being saved are folded into one more save afterwards.
   * @returns {Promise<void>}
   */
  async save() {
    const session = this.session;
    const s = session.state;
    if (s.generation === 0 || s.busy || session.recovery.active) return;
    if (this.saving) {
      this.saveAgain = true;
      return this.saving;
    }
    this.unsaved = false;
    this.saving = (async () => {
      try {
        const c = await session.lab.checkpoint();
        if (c.generation !== s.generation) return;
        const record = this.snapshot(c);
        this.last = record;
        await this.store.put(CURRENT, record);
        s.saved = { step: record.step, savedAt: record.savedAt };
      } catch (e) {
        if (!e.crashed) s.saved = { error: e.message || String(e) };
      } finally {
        session.invalidate('saved');
      }
    })();
    await this.saving;
    this.saving = null;
    if (this.saveAgain) {
      this.saveAgain = false;
      await this.save();
    }
  }

  /**
   * The saved-session record for a checkpoint reply (curves only if they end at its step).
   * @param {import('./protocol.js').CheckpointResult} c
   * @returns {SavedSession}
   */
  snapshot(c) {
    const s = this.session.state;
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
      runs: structuredClone(s.runs),
      runId: s.runId,
      runStart: s.runStart ? { ...s.runStart } : null,
    };
  }

  /**
   * Continue a saved run (checkpoint): its weights, step count, shuffling position and curves.
   * If the record cannot be used, the fresh model stays and a message says why.
   * @param {SavedSession} record from snapshot()
   * @param {'resume'|'crash'} [why] a reload (says welcome back) or a crash (the recovery says more)
   * @returns {Promise<import('./protocol.js').ImportResult|null>}
   */
  async resume(record, why = 'resume') {
    const session = this.session;
    const s = session.state;
    // The kept runs come back even if the model cannot (they are curves, not weights).
    restoreRuns(session, { runs: record.runs });
    try {
      if (record.dataset !== s.dataset) throw new Error(`it is for ${record.dataset}, not ${s.dataset}`);
      const r = await session.lab.importWeights(record.weights);
      session.adopt(r, record);
      restoreRuns(session, record);
      const at = new Date(record.savedAt).toLocaleTimeString('en-GB');
      const order = r.exact ? '' : ' The run was too long to replay its shuffling: training continues from the saved weights with a fresh order of the examples.';
      if (why === 'resume') {
        session.notify('resume', 'info', `Welcome back: your session was restored at step ${r.progress.step.toLocaleString('en-US')} (saved at ${at} in this browser).${order}`, [
          { label: 'OK', testid: 'notice-ok', run: () => session.dismiss('resume') },
          { label: 'Start over', testid: 'start-over', run: () => this.startOver() },
        ]);
      }
      return r;
    } catch (e) {
      if (e.crashed) throw e;
      session.notify('resume', 'warn', `The saved session could not be restored (${e.message}); this is a fresh model.`);
      return null;
    }
  }

  /** Forget the resumed run: Reset with the seed in the form. */
  async startOver() {
    this.session.dismiss('resume');
    await this.session.reset();
  }
}

