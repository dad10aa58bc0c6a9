// @ts-check
// Run control of the lecture sections: a Step/Play driver that runs an experiment in
// time-budgeted chunks (Driver, and Runner wired to a section's buttons), and the scheduling the
// sections share: at most once per frame (onFrame), once near the viewport (whenNear), while
// near it (trackNear), one call
// at a time (oneAtATime), section bodies built in tasks of their own (deferBuild, lessonSection).

import { el, setValue } from './dom.js';
import { handOff } from './focus.js';
import { errorText, formatDuration, formatInt } from './format.js';
import { CHUNK_MS } from './lesson-client.js';
import { PACES } from './session-state.js';
import { controlButtons, sectionHead } from './widgets.js';

/** @import { Experiment, ExperimentGroup, LessonClient } from './lesson-client.js' */
/** @import { statusLine } from './widgets.js' */

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
    /** @type {(() => void)|null} ends the current sleep early */
    this.wake = null;
  }

  /**
   * Wait `ms` (a pace's wait for its next unit), or less if paused or woken meanwhile.
   * @param {number} ms
   */
  sleep(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve(undefined);
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
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
    this.wake?.();
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

/** How near the viewport "near" is: within 600 px above or below it. */
const NEAR = '600px 0px';

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
  }, { rootMargin: NEAR });
  observer.observe(node);
}

/**
 * Whether `node` is near the viewport now, kept current as the page scrolls and grows; `onNear`
 * runs in the next animation frame each time it comes near. For what a section keeps up to date
 * while the model trains or a drawing changes: it skips the work while far (the reader cannot see
 * it) and catches up in `onNear`. (whenNear's once is not enough there: §4 is within reach of
 * Train's Play, so it came near once and then followed every step from three sections away.)
 * @param {Element} node
 * @param {() => void} onNear
 * @returns {{readonly near: boolean}}
 */
export function trackNear(node, onNear) {
  let near = false;
  new IntersectionObserver((entries) => {
    const now = /** @type {IntersectionObserverEntry} */ (entries.at(-1)).isIntersecting;
    if (now === near) return;
    near = now;
    if (near) requestAnimationFrame(onNear);
  }, { rootMargin: NEAR }).observe(node);
  return {
    get near() {
      return near;
    },
  };
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
   * @param {import('./protocol.js').ExperimentKind} [o.kind] experiment kind
   * @param {() => object} [o.config] the settings, read when the experiment is made
   * @param {() => Experiment|ExperimentGroup} [o.make] makes the experiment instead (kind and config unused)
   * @param {(records: object[], result: object) => void} o.onRecords
   * @param {() => void} o.onReset the section clears its curves
   * @param {() => number} [o.remaining] units left before Play stops by itself (Infinity: never)
   * @param {number} [o.stepUnits] units of one Step
   * @param {boolean} [o.summary] ask for the summary with every chunk
   * @param {ReturnType<typeof statusLine>} o.status the section's status line
   * @param {string} [o.unit] name of a unit in messages ("step", "epoch")
   * @param {{initial: number|null, stepsPerUnit?: () => number, stepsLeft?: () => number}} [o.pace]
   *   a speed control for Play (`<prefix>-speed`, one of the Train section's PACES, in SGD steps
   *   per second; null: full speed), starting at `initial`; a unit is `stepsPerUnit()` SGD steps
   *   (default 1); `stepsLeft()` the SGD steps left when `remaining()` cannot say (default:
   *   remaining units × steps per unit)
   */
  constructor(o) {
    this.o = { remaining: () => Infinity, stepUnits: 1, summary: false, unit: 'step', ...o };
    this.experiment = null;
    /** Units the experiment had to go when it was made. */
    this.total = Infinity;
    /** Play's pace in SGD steps per second (null: full speed). */
    this.pace = o.pace ? o.pace.initial : null;
    this.speed = o.pace ? this.speedControl(o.prefix) : null;
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

  /** The buttons, in a group (and the speed control, if any, after them). */
  node() {
    const buttons = el('div', { class: 'toolbar-buttons', role: 'group', 'aria-label': 'Run the experiment' }, ...Object.values(this.buttons));
    return this.speed ? el('div', { class: 'lesson-run' }, buttons, this.speed.node) : buttons;
  }

  /**
   * The speed select (`<prefix>-speed`, values as the Train section's) and its readout
   * (`<prefix>-speed-readout`: the pace and how long the rest of the run takes at it).
   * @param {string} prefix
   */
  speedControl(prefix) {
    const id = `${prefix}-speed`;
    const select = el(
      'select',
      { id, testid: id, 'aria-describedby': `${id}-readout`, title: 'How fast ▶ Play runs (live)' },
      ...PACES.map((p) => el('option', { value: p === null ? 'full' : String(p) }, p === null ? 'Full speed' : p === 1 ? '1 step/s (slow motion)' : `${p} steps/s`)),
    );
    select.value = this.pace === null ? 'full' : String(this.pace);
    const readout = el('span', { id: `${id}-readout`, testid: `${id}-readout`, class: 'speed-readout', data: { value: '' } });
    select.addEventListener('change', () => {
      this.pace = select.value === 'full' ? null : Number(select.value);
      this.driver.wake?.(); // a long wait at the old pace ends now
      this.renderSpeed();
    });
    const node = el('div', { class: 'lesson-pace', role: 'group', 'aria-label': 'Pace of ▶ Play' }, el('label', { class: 'lesson-pace-field', for: id }, el('span', {}, 'Speed'), select), readout);
    return { node, select, readout };
  }

  /** The readout: the pace, and how long the steps left take at it. */
  renderSpeed() {
    if (!this.speed) return;
    const pace = this.o.pace;
    const perUnit = pace?.stepsPerUnit ? pace.stepsPerUnit() : 1;
    const left = pace?.stepsLeft ? pace.stepsLeft() / perUnit : this.o.remaining();
    const steps = Number.isFinite(left) && left > 0 ? left * perUnit : 0;
    const what = this.o.unit === 'step' ? `${formatInt(steps)} step${steps === 1 ? '' : 's'}` : `${formatInt(left)} ${this.o.unit}${left === 1 ? '' : 's'} (${formatInt(steps)} steps)`;
    const started = Boolean(this.experiment) && left < this.total;
    const rest = steps > 0 ? `${started ? 'the ' + what + ' left' : 'the run’s ' + what}` : '';
    let text;
    if (this.pace === null) text = steps > 0 ? `Full speed: ${rest}, as fast as this machine can.` : 'Full speed.';
    else text = `${formatInt(this.pace)} step${this.pace === 1 ? '' : 's'}/s${steps > 0 ? `: ${rest} take ${formatDuration(steps / this.pace)}` : ''}.`;
    setValue(this.speed.readout, text, this.pace === null ? 'full' : this.pace);
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
    handOff(b.play, b.pause);
    handOff(b.pause, b.play, b.reset); // the run ended: Play, or Reset once it has finished
    handOff(b.step);
    if (!ready) this.o.status.set('idle', 'Waiting for the data set to load…');
    else if (this.driver.playing) this.o.status.set('running', 'Running in the background worker…');
    this.renderSpeed();
  }

  ensure() {
    if (!this.experiment) this.total = this.o.remaining();
    this.experiment ??= this.o.make ? this.o.make() : this.o.client.experiment(this.o.kind, this.o.config());
    return this.experiment;
  }

  /**
   * One chunk; at a pace (Play only), then the wait until its next unit is due.
   * @param {number} [maxUnits]
   * @param {number} [budgetMs]
   * @param {boolean} [paced]
   */
  async chunk(maxUnits = this.o.remaining(), budgetMs = CHUNK_MS, paced = true) {
    const exp = this.ensure();
    const r = await exp.run({ maxUnits, budgetMs, summary: this.o.summary, pace: paced ? this.pace : null });
    if (exp !== this.experiment) return false; // reset meanwhile
    if (r.units > 0) this.o.onRecords(r.records, r);
    this.renderSpeed();
    if (this.o.remaining() <= 0) return false;
    const wait = r.wait_ms ?? 0;
    if (paced && wait > 0 && this.driver.playing) {
      await this.driver.sleep(wait);
      return this.driver.playing;
    }
    return r.units > 0;
  }

  async play() {
    await this.driver.play();
    if (this.o.client.ready && this.o.status.node.dataset.state !== 'error') this.idle();
  }

  async step() {
    await this.driver.once(() => this.chunk(Math.min(this.o.stepUnits, this.o.remaining()), 10_000, false));
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
