// @ts-check
// Page side of the lecture sections' worker requests: `lesson:*` requests to the
// worker's lessons module (lessons-worker.js) and the experiments living there behind handles.
// No experiment runs here: every number comes from the Rust core in the worker.

import { Emitter } from './emitter.js';

/** Time budget of one chunk of an experiment in the worker (the page redraws between chunks). */
export const CHUNK_MS = 30;

/**
 * What one chunk of an experiment did: the records of its units, and at a pace the wait until
 * the next unit is due.
 * @typedef {import('./protocol.js').LessonRunResult} RunResult
 */

/** One client per session (the worker is the session's). */
const clients = new WeakMap();

/**
 * The lessons client of a session.
 * @param {import('./session.js').Session} session
 * @returns {LessonClient}
 */
export function lessonClient(session) {
  if (!clients.has(session)) clients.set(session, new LessonClient(session));
  return clients.get(session);
}

/** Requests `lesson:*` to the worker, and when the data the experiments use changes. */
export class LessonClient {
  /** @param {import('./session.js').Session} session */
  constructor(session) {
    this.session = session;
    this.restarts = 0;
    this.dataKey = '';
    /** @type {Emitter<{data: void}>} */
    this.events = new Emitter();
    session.lab.on('crash', () => {
      this.restarts += 1;
    });
    session.on('dataset', () => this.checkData());
    if (session.state.generation > 0) this.dataKey = this.key(); // made after the data loaded
  }

  /** What the experiments' data depends on: the data set, and the worker holding it. */
  key() {
    return `${this.session.state.dataset}#${this.restarts}`;
  }

  /**
   * One request to the worker's lessons module.
   * @template {import('./protocol.js').LessonName} N
   * @param {N} name e.g. "run", "sigmoidCurve"
   * @param {import('./protocol.js').Requests[`lesson:${N}`]} [payload]
   * @param {Transferable[]} [transfer]
   * @returns {Promise<import('./protocol.js').Results[`lesson:${N}`]>}
   */
  call(name, payload, transfer = []) {
    return this.session.lab.request(`lesson:${name}`, payload, transfer);
  }

  /** Whether a data set and a model are loaded in the worker. */
  get ready() {
    const s = this.session.state;
    return s.generation > 0 && !s.busy;
  }

  /**
   * Call `fn` now if the data is loaded, and again whenever the experiments' data changes (a
   * new data set, or the worker restarted): experiments made before are then gone.
   * @param {() => void} fn
   */
  onData(fn) {
    this.events.on('data', fn);
    if (this.ready) fn();
  }

  /** After a 'dataset' event: tell onData's listeners if the experiments' data changed. */
  checkData() {
    const s = this.session.state;
    if (s.generation === 0) return;
    const key = this.key();
    if (key === this.dataKey) return;
    this.dataKey = key;
    this.events.emit('data', undefined);
  }

  /**
   * An experiment of the worker (created on first use).
   * @param {import('./protocol.js').ExperimentKind} kind
   * @param {object} config settings (unknown keys are refused by the core)
   */
  experiment(kind, config) {
    return new Experiment(this, kind, config);
  }
}

/** An experiment living in the worker behind a handle. */
export class Experiment {
  /**
   * @param {LessonClient} client
   * @param {import('./protocol.js').ExperimentKind} kind
   * @param {object} config
   */
  constructor(client, kind, config) {
    this.client = client;
    this.kind = kind;
    this.config = config;
    /** @type {number|null} */
    this.handle = null;
    /** @type {Promise<number>|null} */
    this.creating = null;
  }

  /**
   * Create it in the worker if that has not happened yet (throws the core's refusal).
   * @returns {Promise<number>} its handle
   */
  async ensure() {
    if (this.handle !== null) return this.handle;
    this.creating ??= this.client.call('create', { kind: this.kind, config: this.config }).then((r) => {
      this.handle = r.handle;
      return r.handle;
    });
    try {
      return await this.creating;
    } finally {
      this.creating = null;
    }
  }

  /**
   * Run whole units for about `budgetMs` (at most `maxUnits`), at most `pace` SGD steps per
   * second (null: full speed). At a pace the core answers no units while the next one is not
   * due, and `wait_ms` until it is.
   * @param {{maxUnits?: number, budgetMs?: number, summary?: boolean, pace?: number|null}} [options]
   * @returns {Promise<RunResult>}
   */
  async run({ maxUnits, budgetMs = CHUNK_MS, summary = false, pace = null } = {}) {
    const handle = await this.ensure();
    const request = { handle, maxUnits, budgetMs, summary, pace };
    return /** @type {RunResult} */ (await this.client.call('run', request));
  }

  /** The experiment's summary (what the core computes from all units so far). */
  async summary() {
    return this.client.call('summary', { handle: await this.ensure() });
  }

  /** `w` of a logistic experiment (784 values). */
  async weights() {
    return (await this.client.call('weights', { handle: await this.ensure() })).w;
  }

  /** Free its wasm memory (after a reset or a settings change). */
  free() {
    const handle = this.handle;
    this.handle = null;
    if (handle !== null) this.client.call('free', { handle }).catch(() => {});
  }
}

/**
 * Experiments run in lockstep: each chunk runs the first for the time budget, then the others
 * for exactly as many units; records come back as arrays `[first, second, …]` per unit.
 */
export class ExperimentGroup {
  /** @param {Experiment[]} list */
  constructor(list) {
    this.list = list;
  }

  /**
   * One chunk of every experiment of the group (the first one keeps the pace, the others follow).
   * @param {{maxUnits?: number, budgetMs?: number, pace?: number|null}} [options]
   * @returns {Promise<{records: object[][], units: number, summary: null, wait_ms: number}>}
   */
  async run({ maxUnits, budgetMs = CHUNK_MS, pace = null } = {}) {
    const first = await this.list[0].run({ maxUnits, budgetMs: budgetMs / this.list.length, pace });
    const wait = first.wait_ms ?? 0;
    if (first.units === 0) return { records: [], units: 0, summary: null, wait_ms: wait };
    const rest = await Promise.all(this.list.slice(1).map((e) => e.run({ maxUnits: first.units, budgetMs: 60_000 })));
    return { records: first.records.map((r, i) => [r, ...rest.map((x) => x.records[i])]), units: first.units, summary: null, wait_ms: wait };
  }

  /** The summaries, in the group's order. */
  summary() {
    return Promise.all(this.list.map((e) => e.summary()));
  }

  /** Free every experiment of the group. */
  free() {
    for (const e of this.list) e.free();
  }
}
