// Page side of the lecture sections (issue 3): requests to the worker's lessons module
// (lessons-worker.js), experiments behind handles, a Step/Play driver that runs them in
// time-budgeted chunks, and the small pieces the sections share (28×28 images and colour maps,
// figures with test hooks, form fields, section headers). No experiment runs here: every
// number comes from the Rust core in the worker.

import { el, setValue, NONE } from './dom.js';
import { tex } from './math.js';

/** Time budget of one chunk of an experiment in the worker (the page redraws between chunks). */
export const CHUNK_MS = 30;
/** Side of an MNIST image. */
export const SIDE = 28;
/** Diverging colour map (negative → white → positive), after ColorBrewer RdBu. */
const DIVERGING = [
  [33, 102, 172],
  [103, 169, 207],
  [209, 229, 240],
  [247, 247, 247],
  [253, 219, 199],
  [239, 138, 98],
  [178, 24, 43],
];
/** The same as a CSS gradient (colour-bar legends). */
export const DIVERGING_CSS = `linear-gradient(to right, ${DIVERGING.map(([r, g, b]) => `rgb(${r} ${g} ${b})`).join(', ')})`;
/** Series colours of the lecture charts (high contrast on white, distinct in grey). */
export const PALETTE = {
  log: '#1d4ed8',
  mse: '#c2410c',
  n1: '#15803d',
  n2: '#7c3aed',
  third: '#0f766e',
  ref: '#475569',
};

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
  constructor(session) {
    this.session = session;
    this.restarts = 0;
    this.dataKey = '';
    this.listeners = [];
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
   * @param {string} name e.g. "run", "sigmoidCurve"
   * @param {object} [payload]
   * @param {Transferable[]} [transfer]
   */
  call(name, payload = {}, transfer = []) {
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
    this.listeners.push(fn);
    if (this.ready) fn();
  }

  checkData() {
    const s = this.session.state;
    if (s.generation === 0) return;
    const key = this.key();
    if (key === this.dataKey) return;
    this.dataKey = key;
    for (const fn of this.listeners) fn();
  }

  /**
   * An experiment of the worker (created on first use).
   * @param {string} kind logistic | attenuation | twoClass | l2 | allPositive | grid | hypergradient | online
   * @param {object} config settings (unknown keys are refused by the core)
   */
  experiment(kind, config) {
    return new Experiment(this, kind, config);
  }
}

/** An experiment living in the worker behind a handle. */
export class Experiment {
  constructor(client, kind, config) {
    this.client = client;
    this.kind = kind;
    this.config = config;
    this.handle = null;
    this.creating = null;
  }

  /** Create it in the worker if that has not happened yet (throws the core's refusal). */
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
   * Run whole units for about `budgetMs` (at most `maxUnits`).
   * @returns {Promise<{records: object[], units: number, summary: object|null}>}
   */
  async run({ maxUnits, budgetMs = CHUNK_MS, summary = false } = {}) {
    const handle = await this.ensure();
    return this.client.call('run', { handle, maxUnits, budgetMs, summary });
  }

  async summary() {
    return this.client.call('summary', { handle: await this.ensure() });
  }

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

  async run({ maxUnits, budgetMs = CHUNK_MS } = {}) {
    const first = await this.list[0].run({ maxUnits, budgetMs: budgetMs / this.list.length });
    const rest = await Promise.all(this.list.slice(1).map((e) => e.run({ maxUnits: first.units, budgetMs: 60_000 })));
    return { records: first.records.map((r, i) => [r, ...rest.map((x) => x.records[i])]), units: first.units, summary: null };
  }

  summary() {
    return Promise.all(this.list.map((e) => e.summary()));
  }

  free() {
    for (const e of this.list) e.free();
  }
}

/**
 * Step / Play / Pause for one experiment. `chunk()` runs one chunk and resolves to whether
 * there is more to do; Play chains chunks until paused, finished or failed.
 */
export class Driver {
  /**
   * @param {{chunk: () => Promise<boolean>, onState: () => void, onError: (e: Error) => void}} hooks
   */
  constructor({ chunk, onState, onError }) {
    this.chunk = chunk;
    this.onState = onState;
    this.onError = onError;
    this.playing = false;
    this.busy = null;
  }

  /** Run chunks until Pause or the end. */
  play() {
    if (this.playing || this.busy) return this.busy;
    this.playing = true;
    this.busy = this.loop();
    this.onState();
    return this.busy;
  }

  async loop() {
    try {
      while (this.playing) {
        if (!(await this.chunk())) break;
      }
    } catch (e) {
      if (!e.crashed) this.onError(e);
    } finally {
      this.playing = false;
      this.busy = null;
      this.onState();
    }
  }

  /** Stop after the chunk in progress; resolves when it has ended. */
  async pause() {
    this.playing = false;
    await this.busy;
  }

  /** Run `fn` once (e.g. one step) unless something runs already. */
  async once(fn) {
    if (this.busy) return;
    this.busy = (async () => {
      try {
        await fn();
      } catch (e) {
        if (!e.crashed) this.onError(e);
      }
    })();
    this.onState();
    await this.busy;
    this.busy = null;
    this.onState();
  }
}

/**
 * A function that calls `fn` at most once per animation frame, however often it is called.
 * @param {() => void} fn
 */
export function onFrame(fn) {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      fn();
    });
  };
}

/**
 * Run `fn` once, when `node` first comes near the viewport (charts and first computations of
 * a section are made only then, so a long page stays light until it is read).
 * @param {Element} node
 * @param {() => void} fn
 */
export function whenNear(node, fn) {
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) {
      observer.disconnect();
      requestAnimationFrame(fn);
    }
  }, { rootMargin: '600px 0px' });
  observer.observe(node);
}

// ---------- 28×28 images ----------

/**
 * A canvas for a 28×28 image, scaled up by CSS (pixelated).
 * @param {object} [props] extra element properties (class, testid, aria-label…)
 */
export function imageCanvas(props = {}) {
  return el('canvas', { width: SIDE, height: SIDE, role: 'img', ...props, class: `img28 ${props.class || ''}`.trim() });
}

/**
 * Fill a 28×28 canvas pixel by pixel: `rgb(i)` gives pixel i's colour.
 * @param {HTMLCanvasElement} canvas
 * @param {(i: number) => number[]} rgb
 */
function paint(canvas, rgb) {
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(SIDE, SIDE);
  for (let i = 0; i < SIDE * SIDE; i++) {
    img.data.set(rgb(i), 4 * i);
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

/**
 * Draw grey levels (ink bright): bytes 0–255 or intensities 0–1 (`max` = 1).
 * @param {HTMLCanvasElement} canvas
 * @param {ArrayLike<number>} values 784 values
 * @param {number} [max] the value drawn white
 */
export function drawGray(canvas, values, max = 255) {
  paint(canvas, (i) => {
    const v = Math.round(Math.min(1, Math.max(0, values[i] / max)) * 255);
    return [v, v, v];
  });
}

/** RGB of the diverging map at t ∈ [−1, 1]. */
export function divergingRgb(t) {
  const u = ((Math.max(-1, Math.min(1, t)) + 1) / 2) * (DIVERGING.length - 1);
  const i = Math.min(DIVERGING.length - 2, Math.floor(u));
  const f = u - i;
  const [a, b] = [DIVERGING[i], DIVERGING[i + 1]];
  return [0, 1, 2].map((c) => Math.round(a[c] + (b[c] - a[c]) * f));
}

/**
 * Draw signed values with the diverging map, ±`limit` at the ends (0 = white).
 * @param {HTMLCanvasElement} canvas
 * @param {ArrayLike<number>} values 784 values (or more: `offset`, `stride` pick them)
 * @param {number} limit
 * @param {{offset?: number, stride?: number}} [layout] value of pixel i = values[offset + i·stride]
 */
export function drawDiverging(canvas, values, limit, { offset = 0, stride = 1 } = {}) {
  const inv = limit > 0 ? 1 / limit : 0;
  paint(canvas, (i) => divergingRgb(values[offset + i * stride] * inv));
}

/**
 * A colour-scale limit that a few extreme values do not wash out: the 99th percentile of |v|
 * (values beyond it are drawn at full colour).
 * @param {ArrayLike<number>} values
 */
export function robustLimit(values) {
  const a = Array.from(values, Math.abs).filter(Number.isFinite).sort((x, y) => x - y);
  return a.length ? a[Math.min(a.length - 1, Math.floor(0.99 * a.length))] || a[a.length - 1] : 0;
}

/** Largest |v| of `values` (0 if none is finite). */
export function maxAbs(values) {
  let m = 0;
  for (const v of values) if (Number.isFinite(v) && Math.abs(v) > m) m = Math.abs(v);
  return m;
}

/**
 * A colour bar for the diverging map: −limit … 0 … +limit, with a caption.
 * @param {string} caption what the colours measure
 * @returns {{node: HTMLElement, set: (limit: number) => void}}
 */
export function colorBar(caption) {
  const lo = el('span', {}, NONE);
  const hi = el('span', {}, NONE);
  const node = el(
    'div',
    { class: 'color-bar' },
    el('span', { class: 'color-bar-caption' }, caption),
    el('span', { class: 'color-bar-scale' }, lo, el('span', { class: 'color-bar-ramp', style: { background: DIVERGING_CSS } }), hi),
  );
  return {
    node,
    set(limit) {
      const t = formatNumber(limit, 2);
      setValue(lo, `−${t}`);
      setValue(hi, `+${t}`);
    },
  };
}

// ---------- Numbers, figures and fields ----------

/**
 * A number for display: `digits` significant digits, exponent form when very large or small.
 * @param {number} v
 * @param {number} [digits]
 */
export function formatNumber(v, digits = 4) {
  if (v === null || v === undefined || !Number.isFinite(v)) return NONE;
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) {
    const [m, e] = v.toExponential(digits - 1).split('e');
    return `${m} × 10${[...String(Number(e))].map((c) => SUPERSCRIPT[c]).join('')}`;
  }
  return Number(v.toPrecision(digits)).toLocaleString('en-US', { maximumFractionDigits: 12 });
}

const SUPERSCRIPT = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

/**
 * A labelled figure with a test hook: text for people, `data-value` for tests.
 * @param {string} testid
 * @param {string} label
 * @param {string} [unit] shown after the value
 * @returns {{node: HTMLElement, set: (v: number, text?: string) => void, note: HTMLElement}}
 */
export function figure(testid, label, unit = '') {
  const value = el('dd', { testid, class: 'fig-value', data: { value: '' } }, NONE);
  const note = el('span', { class: 'fig-note' });
  const node = el('div', { class: 'fig' }, el('dt', {}, label), value, note);
  return {
    node,
    note,
    set(v, text) {
      const shown = text ?? (Number.isFinite(v) ? `${formatNumber(v)}${unit}` : NONE);
      setValue(value, shown, Number.isFinite(v) ? v : '');
    },
  };
}

/** A row of figures. */
export function figures(...items) {
  return el('dl', { class: 'figs' }, ...items.map((f) => f.node));
}

/**
 * A labelled number input.
 * @returns {{node: HTMLElement, input: HTMLInputElement, value: () => number}}
 */
export function numberField({ id, testid, label, value, min, max, step = 'any', note }) {
  const input = el('input', { id, testid: testid || id, type: 'number', value: String(value), min, max, step, inputmode: 'decimal', autocomplete: 'off' });
  const node = el('label', { class: 'lfield', for: id }, el('span', { class: 'lfield-label' }, label), input, note ? el('span', { class: 'lfield-note' }, note) : null);
  return {
    node,
    input,
    value() {
      const v = input.value.trim() === '' ? NaN : Number(input.value);
      input.setAttribute('aria-invalid', String(!(Number.isFinite(v) && (min === undefined || v >= min) && (max === undefined || v <= max))));
      return v;
    },
  };
}

/**
 * A labelled select of the data set's classes.
 * @returns {{node: HTMLElement, select: HTMLSelectElement, value: () => number, setNames: (names: string[]) => void}}
 */
export function classField({ id, testid, label, value }) {
  const select = el('select', { id, testid: testid || id });
  const node = el('label', { class: 'lfield', for: id }, el('span', { class: 'lfield-label' }, label), select);
  const setNames = (names) => {
    const keep = select.options.length ? Number(select.value) : value;
    select.replaceChildren(...names.map((n, k) => el('option', { value: String(k) }, names.length === 10 && n === String(k) ? n : `${k} · ${n}`)));
    select.value = String(keep < names.length ? keep : 0);
  };
  setNames(Array.from({ length: 10 }, (_, k) => String(k)));
  return { node, select, value: () => Number(select.value), setNames };
}

/**
 * Buttons for an experiment: Step, Play, Pause, Reset (any subset, by the keys given).
 * @param {string} prefix test-id prefix ("atten" → atten-step, atten-play…)
 * @param {{step?: string, play?: string, pause?: string, reset?: string}} labels
 */
export function controlButtons(prefix, labels) {
  const titles = { step: 'Step', play: '▶ Play', pause: '❚❚ Pause', reset: '↺ Reset' };
  const buttons = {};
  for (const [key, title] of Object.entries(labels)) {
    buttons[key] = el('button', { type: 'button', class: key === 'play' ? 'btn btn-primary' : 'btn', testid: `${prefix}-${key}`, title }, titles[key] || key);
  }
  return buttons;
}

/**
 * The head of a lecture section: number and title, lede, and the formulas beside it.
 * @param {{title: string, lede: (string|Node)[], formulas?: string[]}} head
 */
export function sectionHead({ title, lede, formulas = [] }) {
  return el(
    'header',
    { class: 'section-head' },
    el('h2', {}, title),
    el(
      'div',
      { class: 'head-row lesson-head' },
      el('p', { class: 'lede' }, ...lede),
      formulas.length ? el('div', { class: 'formula-row lesson-formulas' }, ...formulas.map((f) => tex(f, { display: true }))) : null,
    ),
  );
}

/**
 * A chart card: title, the chart's box (test hook `testid`), caption.
 * @returns {{node: HTMLElement, box: HTMLElement, caption: HTMLElement, empty: HTMLElement}}
 */
export function chartCard(testid, title, caption = '', emptyText = '') {
  const empty = el('p', { class: 'chart-empty' }, emptyText);
  empty.hidden = !emptyText;
  const box = el('div', { class: 'chart-box lesson-chart', testid }, empty);
  const cap = el('figcaption', {}, caption);
  return { node: el('figure', { class: 'card chart-card' }, el('h3', {}, title), box, cap), box, caption: cap, empty };
}

/**
 * A status line of a section (what runs, the last error).
 * @param {string} testid
 */
export function statusLine(testid) {
  const node = el('p', { class: 'lesson-status', testid, role: 'status', 'aria-live': 'polite', data: { state: 'idle' } });
  return {
    node,
    set(state, text) {
      node.dataset.state = state;
      setValue(node, text);
    },
  };
}

/**
 * The message of an error for a section's status line.
 * @param {Error|string} e
 */
export function errorText(e) {
  const m = typeof e === 'string' ? e : e.message || String(e);
  return `${m[0].toUpperCase()}${m.slice(1)}`;
}

/**
 * Step / Play / Pause / Reset of one experiment, wired to its buttons. The experiment is made
 * from the section's settings at the first Step or Play after a Reset; changing a setting
 * resets. Chunks run in the worker; `onRecords` receives what each chunk produced (the
 * section stores it and schedules a redraw for the next animation frame).
 */
export class Runner {
  /**
   * @param {object} o
   * @param {LessonClient} o.client
   * @param {string} o.prefix test-id prefix of the buttons
   * @param {string} o.kind experiment kind
   * @param {() => object} o.config the settings, read when the experiment is made
   * @param {() => Experiment|ExperimentGroup} [o.make] makes the experiment instead (kind and config unused)
   * @param {(records: object[], result: object) => void} o.onRecords
   * @param {() => void} o.onReset the section clears its curves
   * @param {() => number} [o.remaining] units left before Play stops by itself (Infinity: never)
   * @param {number} [o.stepUnits] units of one Step
   * @param {boolean} [o.summary] ask for the summary with every chunk
   * @param {{set: Function}} o.status the section's status line
   * @param {string} [o.unit] name of a unit in messages ("step", "epoch")
   */
  constructor(o) {
    this.o = { remaining: () => Infinity, stepUnits: 1, summary: false, unit: 'step', ...o };
    this.experiment = null;
    this.buttons = controlButtons(o.prefix, { step: `One ${this.o.unit}`, play: 'Run continuously', pause: 'Stop', reset: 'Start over from the initialisation' });
    this.driver = new Driver({
      chunk: () => this.chunk(),
      onState: () => this.render(),
      onError: (e) => this.o.status.set('error', errorText(e)),
    });
    this.buttons.step.addEventListener('click', () => this.step());
    this.buttons.play.addEventListener('click', () => this.play());
    this.buttons.pause.addEventListener('click', () => this.driver.pause());
    this.buttons.reset.addEventListener('click', () => this.reset());
    this.o.client.onData(() => this.reset());
    this.o.client.session.on('frame', (changes) => {
      if (changes.has('controls') || changes.has('status')) this.render();
    });
    this.render();
  }

  /** The buttons, in a group. */
  node() {
    return el('div', { class: 'toolbar-buttons', role: 'group', 'aria-label': 'Run the experiment' }, ...Object.values(this.buttons));
  }

  get playing() {
    return this.driver.playing;
  }

  render() {
    const ready = this.o.client.ready;
    const left = this.o.remaining() > 0;
    const b = this.buttons;
    b.step.disabled = !ready || Boolean(this.driver.busy) || !left;
    b.play.disabled = !ready || Boolean(this.driver.busy) || !left;
    b.pause.disabled = !this.driver.playing;
    b.reset.disabled = !ready;
    if (!ready) this.o.status.set('idle', 'Waiting for the data set to load…');
    else if (this.driver.playing) this.o.status.set('running', 'Running in the background worker…');
  }

  ensure() {
    this.experiment ??= this.o.make ? this.o.make() : this.o.client.experiment(this.o.kind, this.o.config());
    return this.experiment;
  }

  async chunk(maxUnits = this.o.remaining(), budgetMs = CHUNK_MS) {
    const exp = this.ensure();
    const r = await exp.run({ maxUnits, budgetMs, summary: this.o.summary });
    if (exp !== this.experiment) return false; // reset meanwhile
    this.o.onRecords(r.records, r);
    return this.o.remaining() > 0 && r.units > 0;
  }

  async play() {
    await this.driver.play();
    if (this.o.client.ready && this.o.status.node.dataset.state !== 'error') this.idle();
  }

  async step() {
    await this.driver.once(() => this.chunk(Math.min(this.o.stepUnits, this.o.remaining()), 10_000));
    if (this.o.status.node.dataset.state !== 'error') this.idle();
  }

  idle() {
    this.o.status.set('idle', this.o.remaining() > 0 ? 'Paused: Step or Play continues the run.' : 'Finished: Reset (or change a setting) to run again.');
  }

  /** Stop, forget the experiment and its curves; the next Step or Play starts a new one. */
  async reset() {
    await this.driver.pause();
    this.experiment?.free();
    this.experiment = null;
    this.o.onReset();
    if (this.o.client.ready) this.o.status.set('idle', 'Ready: press Step or ▶ Play.');
    this.render();
  }
}

/**
 * Values `ys` at the x values `xs` placed on the x grid `grid` (null elsewhere): a series
 * sampled less often than the others of its chart (both sorted ascending).
 * @param {number[]} grid
 * @param {number[]} xs
 * @param {number[]} ys
 */
export function alignTo(grid, xs, ys) {
  const out = new Array(grid.length).fill(null);
  let j = 0;
  for (let i = 0; i < grid.length && j < xs.length; i++) {
    while (j < xs.length && xs[j] < grid[i]) j++;
    if (j < xs.length && grid[i] === xs[j]) out[i] = ys[j++];
  }
  return out;
}

/**
 * `fn` made safe to call often: one call runs at a time, and calls made meanwhile fold into
 * one more run afterwards (the latest state wins). `fn` handles its own errors.
 * @param {() => Promise<void>} fn
 * @returns {() => Promise<void>}
 */
export function oneAtATime(fn) {
  let running = false;
  let again = false;
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await fn();
    } finally {
      running = false;
      if (again) {
        again = false;
        run();
      }
    }
  };
  return run;
}

/**
 * A table of numbers with a header row.
 * @param {string} testid
 * @param {(string|Node)[]} headers column headers (text or nodes, e.g. typeset formulas)
 * @returns {{node: HTMLTableElement, body: HTMLTableSectionElement}}
 */
export function numTable(testid, headers) {
  const body = el('tbody', {});
  const node = el('table', { class: 'num-table', testid }, el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { scope: 'col' }, h)))), body);
  return { node, body };
}

/** Section bodies waiting to be built, in page order (see deferBuild). */
const pendingBuilds = [];

/**
 * Build a section's body in a task of its own, after the sections before it: mounting the
 * whole page at once would be one long task; this way the head (and the table of contents)
 * appears at once and no body holds the main thread for long.
 * @param {() => void} build
 */
export function deferBuild(build) {
  pendingBuilds.push(build);
  if (pendingBuilds.length === 1) setTimeout(buildNext, 0);
}

function buildNext() {
  const build = pendingBuilds.shift();
  build();
  if (pendingBuilds.length) setTimeout(buildNext, 0);
}

/**
 * A lecture section's `mount`: the head (title, lede, formulas) at once, `build(root, session)`
 * for the body in a later task (deferBuild).
 * @param {{title: string, lede: (string|Node)[], formulas?: string[]}} head
 * @param {(root: HTMLElement, session: import('./session.js').Session) => void} build
 * @returns {(root: HTMLElement, session: import('./session.js').Session) => void}
 */
export function lessonSection(head, build) {
  return (root, session) => {
    root.append(sectionHead(head));
    deferBuild(() => build(root, session));
  };
}
