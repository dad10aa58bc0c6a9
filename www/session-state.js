// @ts-check
// The shape of the session's one mutable app state (session.js changes it; sections read it and
// redraw on the session's 'frame' event), and its value before anything has loaded.

import { TestSeries, TrainSeries } from './series.js';

/**
 * The paces of Play (steps per second; null = full speed), from slow motion (each minibatch can
 * be followed) to full speed. The default makes the first epoch of MNIST at batch 100 take
 * 15 s, so test accuracy passes 80, 90 and 92 % as separate points a room can watch.
 */
export const PACES = [1, 5, 20, 40, 100, 300, null];
export const DEFAULT_PACE = 40;

/**
 * A button offered by the session: beside the status, or in a notice.
 * @typedef {{label: string, testid: string, run: () => void}} Action
 */

/**
 * A message above the sections.
 * @typedef {{id: string, kind: 'info'|'warn'|'error', text: string, actions: Action[]}} Notice
 */

/**
 * The session's state.
 * @typedef {object} SessionState
 * @property {{state: 'loading'|'ready'|'training'|'paused'|'error', message: string}} status
 * @property {{name: string, phase: 'download'|'parse', loaded: number, total: number, fromCache: boolean}|null} load
 *   the data set being loaded
 * @property {Record<string, any>|null} manifest data/manifest.json
 * @property {import('./protocol.js').Defaults|null} defaults the core's default settings
 * @property {string} dataset
 * @property {string[]} classNames
 * @property {number} trainSize
 * @property {number} testSize
 * @property {any} transform the preprocessing of the data set (from the core)
 * @property {number} generation the worker's model generation (0: no model)
 * @property {import('./protocol.js').Hyper|null} hyper the last valid values: the model's
 * @property {import('./protocol.js').Hyper|null} input the values as typed
 * @property {import('./protocol.js').HyperErrors} errors the core's message per field, or null
 * @property {boolean} playing
 * @property {number|null} pace steps per second of Play, or null for full speed
 * @property {boolean} busy a data set loads or the worker restarts
 * @property {import('./protocol.js').Progress} progress
 * @property {number} rate examples per second while playing
 * @property {TrainSeries} train
 * @property {TestSeries} test
 * @property {string} runId identifies the current run (keeping it again replaces its kept copy)
 * @property {import('./protocol.js').Hyper|null} runStart the settings of the current run's first step
 * @property {import('./protocol.js').Hyper|null} runEnd the settings of its latest step
 * @property {import('./runs.js').KeptRun[]} runs the kept runs, oldest first (runs-session.js)
 * @property {string} runsNote what the last keep did, if worth saying (the oldest dropped, nothing to keep)
 * @property {import('./protocol.js').Evaluation|null} evaluation the latest test-set figures
 * @property {string|null} diverged the divergence message, if training diverged
 * @property {Action|null} action a button beside the status: Retry, or Reset after divergence
 * @property {Notice[]} notices messages above the sections
 * @property {{ok: boolean, text: string}|null} importResult outcome of the last weights import
 * @property {import('./session-own-data.js').OwnData|null} ownData your own data set in use (session-own-data.js)
 * @property {{ok: boolean, text: string}|null} ownMessage outcome of the last load of your own files
 * @property {{step: number, savedAt: number, error?: undefined}|{error: string, step?: undefined, savedAt?: undefined}|null} saved
 *   the last saved checkpoint, or why saving failed
 * @property {string} link the address that replays this run from step 0
 * @property {Float32Array|null} [drawn] the 28×28 image drawn in "Draw" (set by that section)
 */

/**
 * The session's state before anything has loaded.
 * @returns {SessionState}
 */
export function initialState() {
  return {
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
    errors: { learning_rate: null, batch_size: null, l2: null, seed: null },
    playing: false,
    /** Steps per second of Play, or null for full speed. */
    pace: DEFAULT_PACE,
    busy: true,
    progress: { step: 0, epoch: 0, examples_seen: 0, epochs_fraction: 0 },
    rate: 0,
    train: new TrainSeries(),
    test: new TestSeries(),
    runId: '',
    runStart: null,
    runEnd: null,
    runs: [],
    runsNote: '',
    evaluation: null,
    diverged: null,
    action: null,
    notices: [],
    importResult: null,
    ownData: null,
    ownMessage: null,
    saved: null,
    link: '',
  };
}
