// @ts-check
// Keeping the session's work: checkpoints (weights file + settings + step count + curves) taken
// while the model changes and kept in IndexedDB (store.js), and resuming one on reload or after
// a crash. No DOM besides the page-hide events that trigger a save.

import { restoreRuns } from './runs-session.js';
import { DATASET_NAMES } from './constants.js';
import { SessionStore, sessionKey } from './store.js';
import { Tabs } from './session-tabs.js';

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
 * @property {import('./session-own-data.js').OwnFileNote[]} [ownFiles] on your own data set: which files (names and sizes, never their contents)
 * @property {string} [id] the session's id (session-tabs.js; set when read, not stored)
 */

/** @param {any} r */
const usable = (r) => !!r && typeof r.weights === 'string' && typeof r.dataset === 'string';

/**
 * Open a saved session in this tab: its settings, data set and model.
 * @param {import('./session.js').Session} session
 * @param {SavedSession} record
 */
export async function openSaved(session, record) {
  const s = session.state;
  s.hyper = { ...record.hyper };
  s.input = { ...s.hyper };
  session.emit('hyper', { fill: true });
  await session.loadDataset(record.dataset, { restore: record });
}

/** Checkpoints of one session: taking them, saving them, resuming them. */
export class Checkpoints {
  /** @param {import('./session.js').Session} session */
  constructor(session) {
    this.session = session;
    this.store = new SessionStore();
    /** This tab's session id and the other tabs' (session-tabs.js). */
    this.tabs = new Tabs(this.store);
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
   * The saved session this tab opens with, or null: after a reload, this tab's own; in a new tab,
   * the most recent one that no other tab has open. The other saved sessions are offered in a
   * notice; none is ever overwritten by this tab, which saves under its own id.
   * @returns {Promise<SavedSession|null>}
   */
  async read() {
    const session = this.session;
    try {
      await this.tabs.claim();
      const all = (await this.tabs.saved()).map(({ id, record }) => ({ id, record: upgradeRecord(record) })).filter((s) => usable(s.record));
      const open = await this.tabs.openElsewhere();
      await this.tabs.prune(all, open).catch(() => {});
      const own = all.find((s) => s.id === this.tabs.id);
      const closed = all.filter((s) => s.id !== this.tabs.id && !open.has(s.id));
      // A reload comes back to this tab's own session (or to a fresh model if it had saved none).
      const pick = this.tabs.reloaded ? own || null : closed[0] || null;
      const others = all.filter((s) => s !== pick && s.id !== this.tabs.id);
      if (others.length) this.offerOthers(others, open);
      return pick ? { ...pick.record, id: pick.id } : null;
    } catch (e) {
      session.notify('storage', 'warn', `Sessions cannot be saved in this browser (${e.message}): reloading the page starts over.`);
      return null;
    }
  }

  /**
   * A notice listing the other saved sessions (up to three), each with a button that opens it
   * in this tab — this tab's own work is saved first and stays under its own id.
   * @param {{id: string, record: SavedSession}[]} others newest first
   * @param {Set<string>} open ids open in other tabs
   */
  offerOthers(others, open) {
    const session = this.session;
    const describe = (r) => `${DATASET_NAMES[r.dataset] || r.dataset} · step ${r.step.toLocaleString('en-US')} · ${new Date(r.savedAt).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}`;
    const shown = others.slice(0, 3);
    const openCount = others.filter((o) => open.has(o.id)).length;
    const text = `Other sessions are saved in this browser${openCount ? ` (${openCount} open in another tab, where they go on)` : ''}; each tab keeps its own. Open one here:`;
    session.notify(
      'sessions',
      'info',
      text,
      shown.map((o, i) => ({
        label: `${describe(o.record)}${open.has(o.id) ? ' (a copy: it is open in another tab)' : ''}`,
        testid: `open-session-${i}`,
        run: async () => {
          session.dismiss('sessions');
          session.dismiss('resume');
          await this.save();
          const latest = upgradeRecord(await this.store.get(sessionKey(o.id)).catch(() => null));
          await openSaved(session, { ...(usable(latest) ? latest : o.record), id: o.id });
        },
      })),
    );
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
        await this.store.put(this.tabs.key, record);
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
      ownFiles: c.dataset === 'files' && s.ownData ? s.ownData.files.map((f) => ({ ...f })) : undefined,
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
    // The session becomes this tab's, unless another tab has it open (then this tab goes on
    // with a copy under its own id: two tabs never write one record).
    if (record.id && why === 'resume') await this.tabs.adopt(record.id);
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

