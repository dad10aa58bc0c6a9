// @ts-check
// Training the session's model: Step, Play (at a pace, or for N epochs), Pause, Reset and an
// evaluation of the test set, and taking what the worker reports back (the steps it ran, the
// test figures, a stop, a divergence). The worker trains; the page's state follows its answers.

import { sentence } from './format.js';
import { keepFinishedRun, noteSteps } from './runs-session.js';
import { newRun } from './session-load.js';

/** @typedef {import('./session.js').Session} Session */

/** Quiet time after the last manual Step before the test set is evaluated. */
const STEP_EVAL_DELAY_MS = 250;
/** The status while training plays. */
const TRAINING = 'Training in the background: the charts update as it runs. Press Pause to stop.';

/**
 * Run one minibatch step (the test set is evaluated once the clicking stops).
 * @param {Session} session
 */
export async function step(session) {
  await session.hyperChain;
  if (!session.canTrain() || session.state.playing) return;
  try {
    const r = await session.lab.step(1);
    ingestSteps(session, r);
    if (r.divergence) {
      addEvaluation(session, r.evaluation);
      diverge(session, r.divergence);
      return;
    }
    if (!session.state.playing) session.idleStatus(); // "Paused at step N" follows the steps
    clearTimeout(session.stepEvalTimer);
    session.stepEvalTimer = setTimeout(async () => {
      await evaluate(session);
      await session.checkpoints.save();
    }, STEP_EVAL_DELAY_MS);
  } catch (e) {
    session.fail(e);
  }
}

/**
 * Start continuous training in the worker, at the chosen pace; with `epochs`, it pauses by
 * itself exactly where the epoch counter has grown by that many.
 * @param {Session} session
 * @param {number} [epochs]
 */
export async function play(session, epochs) {
  const s = session.state;
  await session.hyperChain;
  if (!session.canTrain() || s.playing) return;
  clearTimeout(session.stepEvalTimer);
  s.playing = true;
  s.diverged = null;
  session.setStatus('training', epochs ? `Training ${epochs} epoch${epochs === 1 ? '' : 's'}: it pauses by itself at the end of epoch ${s.progress.epoch + epochs}. Press Pause to stop sooner.` : TRAINING);
  try {
    await session.lab.play({ epochs, stepsPerSecond: s.pace });
    if (s.playing) session.lab.expectProgress(true);
  } catch (e) {
    session.fail(e);
  }
}

/**
 * The pace of Play (steps per second, or null for full speed); applies at once, also while playing.
 * @param {Session} session
 * @param {number|null} stepsPerSecond
 */
export async function setPace(session, stepsPerSecond) {
  session.state.pace = stepsPerSecond;
  session.invalidate('controls');
  if (!session.state.playing) return; // Play sends the pace
  try {
    await session.lab.setPace(stepsPerSecond);
  } catch (e) {
    session.fail(e);
  }
}

/**
 * Stop continuous training; the worker evaluates the test set at the step where it stopped.
 * @param {Session} session
 */
export async function pause(session) {
  const s = session.state;
  if (!s.playing) return;
  s.playing = false;
  session.lab.expectProgress(false);
  session.invalidate('controls');
  try {
    const r = await session.lab.pause();
    if (r.generation === s.generation) {
      s.progress = r.progress;
      addEvaluation(session, r.evaluation);
    }
    session.invalidate('progress');
    if (s.status.state !== 'error') session.idleStatus();
    await session.checkpoints.save();
  } catch (e) {
    session.fail(e);
  }
}

/**
 * Re-initialise the weights and the shuffling from the seed in the form.
 * @param {Session} session
 */
export async function reset(session) {
  const s = session.state;
  await session.hyperChain;
  if (s.busy || s.errors.seed || s.generation === 0) return;
  clearTimeout(session.stepEvalTimer);
  try {
    await keepFinishedRun(session, 'reset');
    const r = await session.lab.reset(s.hyper.seed);
    newRun(session, r);
    addEvaluation(session, r.evaluation);
    session.invalidate('progress', 'train', 'test');
    session.emit('dataset', s);
    if (s.playing) session.setStatus('training', TRAINING);
    else session.idleStatus();
    await session.checkpoints.save();
  } catch (e) {
    session.fail(e);
  }
}

/**
 * Evaluate the full test set now (if the last evaluation is stale).
 * @param {Session} session
 */
export async function evaluate(session) {
  if (session.state.generation === 0) return;
  try {
    const r = await session.lab.evaluate();
    if (r.generation === session.state.generation) addEvaluation(session, r.evaluation);
  } catch (e) {
    session.fail(e);
  }
}

/**
 * Take test-set figures if they belong to the current model.
 * @param {Session} session
 * @param {import('./protocol.js').Evaluation|null|undefined} e
 */
export function addEvaluation(session, e) {
  if (!e || e.generation !== session.state.generation) return;
  session.state.evaluation = e;
  session.state.test.add(e);
  session.invalidate('test');
}

/**
 * Take steps the worker ran (a Step, or a chunk while playing).
 * @param {Session} session
 * @param {{generation: number, progress: import('./protocol.js').Progress, losses: Float32Array}} r
 */
export function ingestSteps(session, r) {
  const s = session.state;
  if (r.generation !== s.generation) return;
  s.progress = r.progress;
  if (r.losses.length > 0) session.checkpoints.unsaved = true;
  if (r.losses.length > 0) noteSteps(session); // the settings the run trains with (kept runs' labels)
  if (r.losses.length > 0) s.train.append(r.losses, r.progress.step, r.progress.examples_seen);
  session.invalidate('progress', 'train');
}

/**
 * A chunk of steps the worker ran while playing, with its rate (and test figures now and then).
 * @param {Session} session
 * @param {import('./protocol.js').ProgressEvent} m
 */
export function onProgress(session, m) {
  const s = session.state;
  if (m.generation !== s.generation) return;
  ingestSteps(session, m);
  s.rate = m.rate;
  if (m.evaluation) addEvaluation(session, m.evaluation);
}

/**
 * The worker stopped playing by itself: the epochs asked for are done, or training diverged.
 * @param {Session} session
 * @param {import('./protocol.js').StoppedEvent} m
 */
export function onStopped(session, m) {
  const s = session.state;
  if (m.generation !== s.generation) return;
  s.playing = false;
  session.lab.expectProgress(false);
  s.progress = m.progress;
  addEvaluation(session, m.evaluation);
  session.invalidate('progress');
  if (m.reason === 'diverged') diverge(session, m.message);
  else session.idleStatus();
}

/**
 * Training diverged: stop, say so, and offer Reset.
 * @param {Session} session
 * @param {string} message the core's
 */
export function diverge(session, message) {
  session.state.diverged = message;
  session.state.playing = false;
  session.lab.expectProgress(false);
  session.setStatus('error', `${sentence(message)}. Training is paused; the weights are those of the last good step.`, {
    label: '↺ Reset',
    testid: 'diverged-reset',
    run: () => session.reset(),
  });
  session.checkpoints.save();
}
