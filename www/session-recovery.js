// @ts-check
// Crash recovery: when the training worker crashed, trapped or stopped answering (lab.js tells
// the session), start a new one, load the data again (from the browser cache) and restore the
// last checkpoint; give up after too many crashes in a short time.

import { sentence } from './format.js';

/** A worker that crashes more often than this within CRASH_WINDOW_MS is not restarted again. */
const MAX_RESTARTS = 3;
const CRASH_WINDOW_MS = 60_000;

/** Restarting the worker of one session. */
export class Recovery {
  /** @param {import('./session.js').Session} session */
  constructor(session) {
    this.session = session;
    /** @type {number[]} times of the recent crashes (ms since the epoch) */
    this.crashes = [];
    /** Whether a restart is under way (no checkpoint is taken meanwhile). */
    this.active = false;
  }

  /**
   * The worker crashed, trapped or stopped answering: start a new one, load the data again
   * (from the browser cache) and restore the last checkpoint. Steps after it are lost, and
   * the message says how many.
   * @param {string} reason
   */
  async recover(reason) {
    if (this.active) return;
    const session = this.session;
    const s = session.state;
    const now = Date.now();
    this.crashes = this.crashes.filter((t) => now - t < CRASH_WINDOW_MS);
    this.crashes.push(now);
    clearTimeout(session.stepEvalTimer);
    const lastStep = s.progress.step;
    s.playing = false;
    s.busy = true;
    if (this.crashes.length > MAX_RESTARTS) {
      s.busy = false;
      session.fail(`${reason}. It crashed ${this.crashes.length} times within a minute, so it is not restarted again: reload the page (your last checkpoint is saved)`);
      return;
    }
    this.active = true;
    session.setStatus('loading', `${sentence(reason)}. Restarting it and restoring the last checkpoint…`);
    const last = session.checkpoints.last;
    const checkpoint = last && last.dataset === s.dataset ? last : null;
    try {
      s.generation = 0; // no model until the new worker has one
      session.lab.restart();
      await session.lab.init();
      this.active = false;
      const ok = await session.loadDataset(s.dataset, { restore: checkpoint, why: 'crash' });
      if (!ok) return;
      const lost = lastStep - s.progress.step;
      const restored = checkpoint && s.progress.step === checkpoint.step
        ? `restored the checkpoint of step ${checkpoint.step.toLocaleString('en-US')} (saved at ${new Date(checkpoint.savedAt).toLocaleTimeString('en-GB')})${lost > 0 ? `; the ${lost.toLocaleString('en-US')} step${lost === 1 ? '' : 's'} after it were lost` : ''}`
        : 'there was no checkpoint yet, so this is a fresh model';
      session.notify('crash', 'warn', `${sentence(reason)}. The lab restarted it and ${restored}.`, [
        { label: 'OK', testid: 'notice-ok', run: () => session.dismiss('crash') },
      ]);
    } catch (e) {
      this.active = false;
      s.busy = false;
      session.fail(`${reason}, and restarting it failed (${e.message}): reload the page`);
    }
  }
}
