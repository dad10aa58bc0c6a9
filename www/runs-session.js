// @ts-check
// The session side of kept runs (runs.js): a run starts (its id, its settings, where its
// step → examples-seen map begins), is kept on Reset, on a data-set switch or by "Keep this run",
// is shown, hidden or deleted, and comes back with a saved session. No DOM.

import { keepRun, MAX_KEPT, readRuns, runLabel, snapshotRun } from './runs.js';

let counter = 0;

/** A fresh run id (unique within this browser's sessions in practice). */
export function newRunId() {
  counter += 1;
  return `${Date.now().toString(36)}-${counter.toString(36)}`;
}

/**
 * A new run starts (after the curves were cleared): a new id, and the examples seen where it
 * starts (a model imported at step k has seen some already). Its settings are noted as it takes
 * steps (noteSteps).
 * @param {import('./session.js').Session} session
 * @param {import('./protocol.js').Progress} progress
 */
export function startRun(session, progress) {
  const s = session.state;
  s.runId = newRunId();
  s.runStart = null;
  s.runEnd = null;
  s.train.knots = [[progress.step, progress.examples_seen]];
  session.invalidate('runs');
}

/**
 * Steps were taken: the run's settings at its first step (so that changing ε before training is
 * no change) and at its latest (a kept run is labelled with what it trained with, not with what
 * the form says by the time it is kept).
 * @param {import('./session.js').Session} session
 */
export function noteSteps(session) {
  const s = session.state;
  if (!s.hyper) return;
  if (!s.runStart) s.runStart = { ...s.hyper };
  s.runEnd = { ...s.hyper };
}

/**
 * Keep the current run's curves (faded on the charts). A run without steps is not kept.
 * @param {import('./session.js').Session} session
 * @param {'button'|'reset'|'dataset'} why the button says when there is nothing to keep
 * @returns {boolean} whether it was kept
 */
export function keepCurrentRun(session, why) {
  const s = session.state;
  if (!s.hyper || s.generation === 0) return false;
  const run = snapshotRun({
    id: s.runId || newRunId(),
    dataset: s.dataset,
    trainSize: s.trainSize,
    hyper: s.runEnd || s.hyper,
    startHyper: s.runStart,
    steps: s.progress.step,
    examples: s.progress.examples_seen,
    train: s.train,
    test: s.test,
  });
  if (!run) {
    s.runsNote = why === 'button' ? 'Nothing to keep yet: this run has no steps.' : s.runsNote;
    session.invalidate('runs');
    return false;
  }
  const { list, dropped } = keepRun(s.runs, run);
  s.runs = list;
  s.runsNote = dropped ? `At most ${MAX_KEPT} runs are kept: the oldest (${runLabel(dropped)}, ${dropped.steps.toLocaleString('en-US')} steps) was dropped.` : '';
  session.checkpoints.unsaved = true;
  session.invalidate('runs');
  return true;
}

/**
 * Keep the current run, after evaluating the test set at its last step if that was not done yet
 * (a Reset right after a few Steps), so that its kept test curve ends where the run ends.
 * @param {import('./session.js').Session} session
 * @param {'button'|'reset'|'dataset'} why
 * @returns {Promise<boolean>} whether it was kept
 */
export async function keepFinishedRun(session, why) {
  const s = session.state;
  const stale = !s.evaluation || s.evaluation.step !== s.progress.step;
  if (s.generation > 0 && s.progress.step > 0 && !s.playing && stale) await session.evaluate();
  return keepCurrentRun(session, why);
}

/**
 * Show or hide a kept run.
 * @param {import('./session.js').Session} session
 * @param {string} id
 * @param {boolean} visible
 */
export function showRun(session, id, visible) {
  const s = session.state;
  s.runs = s.runs.map((r) => (r.id === id ? { ...r, visible } : r));
  session.invalidate('runs');
  session.checkpoints.save();
}

/**
 * Forget a kept run.
 * @param {import('./session.js').Session} session
 * @param {string} id
 */
export function deleteRun(session, id) {
  const s = session.state;
  s.runs = s.runs.filter((r) => r.id !== id);
  s.runsNote = '';
  session.invalidate('runs');
  session.checkpoints.save();
}

/**
 * Take the kept runs and the current run's identity from a saved record.
 * @param {import('./session.js').Session} session
 * @param {{runs?: any, runId?: any, runStart?: any}} record
 */
export function restoreRuns(session, record) {
  const s = session.state;
  s.runs = readRuns(record.runs);
  if (typeof record.runId === 'string' && record.runId) s.runId = record.runId;
  if (record.runStart && typeof record.runStart === 'object') s.runStart = { ...record.runStart };
  session.invalidate('runs');
}
