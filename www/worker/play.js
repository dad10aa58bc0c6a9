// @ts-check
// The training worker's play loop: Play trains continuously in time-budgeted chunks (the core's
// `Lab.play`, which also says when the test set is due for an evaluation), at full speed or at a
// pace in steps per second, until Pause, a divergence or the end of "train N epochs"; between
// chunks it yields, so the worker answers requests within one chunk. Here too: the examples
// per second it reports, and the requests play, setPace and pause (PLAY_HANDLERS, worker.js).

import { currentEval, evaluateNow, fatal, post, requireLab, state } from './state.js';

/** Window over which examples per second are measured. */
const RATE_WINDOW_MS = 1000;

// Chunks are chained through a MessageChannel (no 4 ms timer clamping); each Play gets a new
// loop id so a stale tick from an earlier Play/Pause cycle cannot start a second chain.
const tick = new MessageChannel();
tick.port1.onmessage = (event) => {
  if (event.data === state.loopId) runChunk();
};

function measureRate(examplesSeen) {
  const now = performance.now();
  const s = state.rateSamples;
  s.push({ t: now, n: examplesSeen });
  while (s.length > 2 && now - s[1].t >= RATE_WINDOW_MS) s.shift();
  const first = s[0];
  if (now - first.t > 0 && s.length > 1) state.rate = ((examplesSeen - first.n) * 1000) / (now - first.t);
  return state.rate;
}

function stop(reason, message) {
  state.playing = false;
  // Evaluate the weights training stopped at, so the test figures shown belong to them.
  post({ type: 'stopped', generation: state.generation, reason, message, progress: state.lab.progress(), evaluation: currentEval() });
}

/** One chunk of continuous training; any exception ends the worker's usefulness. */
function runChunk() {
  try {
    trainChunk();
  } catch (e) {
    fatal(e);
  }
}

/** Most steps one chunk may owe at a slow pace (a pause of the tab must not become a burst). */
const MAX_OWED_SECONDS = 0.25;

/**
 * Steps for about one chunk (the core times them, within the pace's allowance), then report,
 * evaluate if due, and yield: at once at full speed, or when the next step is due.
 */
function trainChunk() {
  if (!state.playing || !state.lab) return;
  const lab = state.lab;
  let maxSteps = Infinity;
  if (Number.isFinite(state.pace)) {
    const now = performance.now();
    state.allowance = Math.min(state.allowance + ((now - state.lastTick) * state.pace) / 1000, Math.max(1, state.pace * MAX_OWED_SECONDS));
    state.lastTick = now;
    maxSteps = Math.floor(state.allowance);
    if (maxSteps < 1) {
      schedule();
      return;
    }
  }
  const losses = lab.play(state.chunkMs, state.lastEvalTime, maxSteps, state.untilEpoch);
  if (Number.isFinite(state.pace)) state.allowance -= losses.length;
  const divergence = lab.takeDivergence();
  const evaluation = !divergence && lab.takeEvalDue() ? evaluateNow() : null;
  const reached = lab.takeEpochReached();
  const progress = lab.progress();
  const rate = measureRate(progress.examples_seen);
  post({ type: 'progress', generation: state.generation, losses, progress, rate, evaluation }, [losses.buffer]);
  if (divergence) {
    stop('diverged', divergence);
    return;
  }
  if (reached) {
    stop('epochs', `reached the end of epoch ${progress.epoch}`);
    return;
  }
  schedule();
}

/** The next chunk: at once (MessageChannel, no timer clamping) unless the pace asks to wait. */
function schedule() {
  if (Number.isFinite(state.pace) && state.allowance < 1) {
    const id = state.loopId;
    const wait = ((1 - state.allowance) * 1000) / state.pace;
    setTimeout(() => id === state.loopId && runChunk(), wait);
  } else {
    tick.port2.postMessage(state.loopId);
  }
}

/** The play loop's request handlers (worker.js puts them among its own). */
export const PLAY_HANDLERS = {
  /**
   * Train continuously at `stepsPerSecond` (null: full speed); with `epochs`, stop exactly where
   * the epoch counter has grown by that many.
   * @param {{epochs?: number, stepsPerSecond?: number|null}} request
   */
  play({ epochs, stepsPerSecond = null }) {
    const lab = requireLab();
    PLAY_HANDLERS.setPace({ stepsPerSecond });
    state.untilEpoch = Number.isInteger(epochs) && epochs > 0 ? lab.progress().epoch + epochs : -1;
    if (!state.playing) {
      state.playing = true;
      state.loopId += 1;
      state.rateSamples = [];
      state.allowance = 1; // the first step at once
      state.lastTick = performance.now();
      tick.port2.postMessage(state.loopId);
    }
    return { generation: state.generation, untilEpoch: state.untilEpoch };
  },

  /**
   * The pace of Play in steps per second (a positive number), or null for full speed; live.
   * @param {{stepsPerSecond: number|null}} request
   */
  setPace({ stepsPerSecond }) {
    const fullSpeed = stepsPerSecond === null || stepsPerSecond === undefined;
    if (!fullSpeed && !(Number.isFinite(stepsPerSecond) && stepsPerSecond > 0)) throw new Error(`the pace must be a positive number of steps per second; got ${stepsPerSecond}`);
    state.pace = fullSpeed ? Infinity : stepsPerSecond;
    state.allowance = 0; // the next step one pace-interval from now
    state.lastTick = performance.now();
    state.rateSamples = [];
    if (state.playing) {
      // A new chain at the new pace (a slow pace's pending wait is dropped with the old id).
      state.loopId += 1;
      tick.port2.postMessage(state.loopId);
    }
    return null;
  },

  pause() {
    const lab = requireLab();
    state.playing = false;
    // Evaluate where training stopped, so the figures shown when paused belong to these weights.
    return { progress: lab.progress(), generation: state.generation, evaluation: currentEval() };
  },
};
