// @ts-check
// Presenter mode, for a projector: one section fills the screen, type scaled to the screen (the
// charts too: --chart-scale, read by charts.js), no site header. → / ← and PageDown / PageUp (what
// clickers send; keys.js) walk the sections in lecture order, and the steps of each section (the
// claim, then its live experiment, then the verdict: STEPS). The position is in the address
// (`?present&step=2#attenuation`), so a reload stays; Esc leaves. The section's own controls work.

import { el } from './dom.js';
import { VIEW_PARAMS } from './share.js';

/** Screens of 16:9 and wider; narrower (4:3). */
const WIDE = '(min-aspect-ratio: 3/2)';
const NARROW = '(max-aspect-ratio: 1499/1000)';

/**
 * One step of a section: the blocks (the section's child elements) from the first one matching
 * `at` (after the previous step's start; the first step starts at the head; `again`: where the
 * previous step starts) up to the next step's start; `keep` more blocks before it (the
 * experiment's charts beside its verdict); `also`: blocks shown as well, `hide`: elements hidden
 * in this step (shown in another: every block is in some step); `media`: the step exists only on
 * screens matching it (a 4:3 screen walks a crowded step in two). A step whose `at` matches nothing is left
 * out, and a block a section adds later falls into the step it follows: a section that changes
 * never loses a block. A section not listed is one step.
 * @typedef {{at?: string, again?: boolean, keep?: number, also?: string, hide?: string, media?: string}} StepSpec
 * @type {Record<string, StepSpec[]>}
 */
export const STEPS = {
  logistic: [{}, { at: '.formula-row' }, { at: '.lesson-sub', hide: '.lesson-side > :is(h3, .img-row, .color-bar)' }, { at: '.lesson-verdict', keep: 1, hide: '.lesson-side > .figs' }],
  attenuation: [{}, { at: '.lesson-controls' }, { at: '.lesson-after', keep: 1 }],
  softmax: [
    {},
    { at: '.lesson-sub' },
    { at: '.lesson-sub', media: WIDE },
    { at: '.lesson-sub', media: NARROW, hide: '.lesson-grid:last-child > .lesson-side' },
    { again: true, media: NARROW, hide: '.lesson-grid:last-child > .table-card' },
  ],
  train: [{}, { at: '.train-grid', also: '.toolbar, .pace, .stats', hide: '.hyper, .runs, .chart-controls, .chart-card figcaption' }, { again: true, also: '.toolbar, .pace', hide: '.charts' }],
  learned: [{}, { at: '.lesson-sub' }, { at: '.lesson-sub' }],
  'ex-l2': [{}, { at: '.lesson-controls' }, { at: '.lesson-sub' }],
  'ex-positive': [
    {},
    { at: '.lesson-controls', media: WIDE },
    { at: '.lesson-controls', media: NARROW, hide: '.lesson-grid-2:not(.quiz-grid) > :nth-child(n+3)' },
    { again: true, media: NARROW, hide: '.lesson-grid-2:not(.quiz-grid) > :nth-child(-n+2)' },
    { at: '.formula-row' },
  ],
  // The methods one at a time: (a), then (b) with its formulas, then (c) beside the costs.
  'ex-lr': [{}, { at: '.lesson-grid-2', hide: '.method:nth-child(2), .formula-row' }, { again: true, hide: '.lesson-grid-2 > .method:first-child' }, { at: '.lesson-grid-2' }, { at: '.lesson-sub' }],
};

/**
 * The steps of a section as it is now: for each, the blocks shown and the elements hidden.
 * @param {HTMLElement} root
 * @returns {{show: Set<Element>, hide: Element[]}[]}
 */
export function sectionSteps(root) {
  const blocks = [...root.children];
  const specs = STEPS[root.id] || [{}];
  /** @type {{start: number, spec: StepSpec}[]} */
  const starts = [];
  let from = 1;
  specs.forEach((spec, i) => {
    if (spec.media && !window.matchMedia(spec.media).matches) return;
    const start = i === 0 ? 0 : spec.again ? from - 1 : blocks.findIndex((b, j) => j >= from && spec.at && b.matches(spec.at));
    if (start < 0 || (spec.again && !starts.length)) return;
    starts.push({ start, spec });
    from = start + 1;
  });
  return starts.map(({ start, spec }) => {
    const end = starts.find((s) => s.start > start)?.start ?? blocks.length;
    const show = new Set(blocks.slice(Math.max(0, start - (spec.keep || 0)), end));
    show.add(blocks[0]);
    if (spec.also) for (const b of blocks) if (b.matches(spec.also)) show.add(b);
    return { show, hide: spec.hide ? [...root.querySelectorAll(spec.hide)] : [] };
  });
}

/** The charts of a step may shrink to this share of the screen's height to fit it, no further. */
const FIT_FLOOR = 0.28;

/**
 * How far a section's content runs below the top of the presenter's bar (px; ≤ 0: it fits).
 * @param {HTMLElement} section
 * @param {HTMLElement} bar
 */
function overflow(section, bar) {
  let bottom = 0;
  for (const b of section.children) if (b.getClientRects().length) bottom = Math.max(bottom, b.getBoundingClientRect().bottom);
  return Math.ceil(bottom - bar.getBoundingClientRect().top);
}

/**
 * A section back to its charts' own heights.
 * @param {HTMLElement} section
 */
function unfit(section) {
  section.style.removeProperty('--chart-max-height');
  delete section.dataset.presentFit;
  for (const b of section.querySelectorAll('.chart-box')) b.dispatchEvent(new Event('chart-fit'));
}

/**
 * The presenter: its bar (progress, back, next, leave) and the mode itself.
 * @param {{id: string, title: string}[]} sections in lecture order
 * @param {{onShortcuts: () => void}} hooks
 */
export function createPresenter(sections, { onShortcuts }) {
  const html = document.documentElement;
  const ids = sections.map((s) => s.id);
  let index = -1;
  let step = 0;
  /** @type {Element[]} what the current step hid */
  let hidden = [];
  let stepCount = 1;

  const progress = el('span', { class: 'present-progress', testid: 'present-progress', role: 'status', 'aria-live': 'polite' });
  const title = el('span', { class: 'present-title' });
  const button = (testid, text, label, run) => el('button', { type: 'button', class: 'btn btn-small', testid, 'aria-label': label, title: label, on: { click: run } }, text);
  const bar = el(
    'nav',
    { class: 'present-bar', testid: 'present-bar', 'aria-label': 'Presenter', hidden: true },
    // The site header (and its h1) is not shown in the mode: the page's title for assistive technology.
    el('h1', { class: 'visually-hidden' }, 'softmax-lab, presenter mode'),
    button('present-prev', '←', 'Back (← or Page Up)', () => move(-1)),
    progress,
    button('present-next', '→', 'Next (→ or Page Down)', () => move(1)),
    title,
    button('present-keys', '?', 'Keyboard shortcuts (?)', onShortcuts),
    button('present-exit', 'Leave ✕', 'Leave presenter mode (Esc)', () => leave()),
  );
  document.body.append(bar);

  /** The fits started (a newer one stops an older); one in progress; one asked for meanwhile; the step's height after the last. */
  let fits = 0;
  let busy = false;
  let again = false;
  let settled = -1;
  const observer = new MutationObserver(() => show());
  // The step changed size (a run's verdict, a table filled): fit it again.
  const grown = new ResizeObserver(() => {
    const current = root();
    if (!busy && current && current.offsetHeight !== settled) fit();
  });
  // A chart made in the step (charts.js): fit again.
  document.addEventListener('chart-made', (e) => {
    if (!(e.target instanceof Node) || !root()?.contains(e.target)) return;
    if (busy) again = true;
    else fit();
  });
  const resize = () => {
    const k = parseFloat(getComputedStyle(html).fontSize) / 16;
    html.style.setProperty('--chart-scale', String(Math.round(k * 100) / 100));
    show();
  };

  const root = () => (index >= 0 ? document.getElementById(ids[index]) : null);
  /** The step shown: the one asked for (the address's, kept while the section is still being built), within the steps there are. */
  const shown = () => Math.max(0, Math.min(step, stepCount - 1));

  /** Show the current step of the current section; the others hidden. */
  function show() {
    const current = root();
    if (!current) return;
    for (const e of hidden) e.classList.remove('present-off');
    const steps = sectionSteps(current);
    stepCount = steps.length;
    const at = shown();
    const { show: blocks, hide } = steps[at];
    for (const b of current.children) b.classList.toggle('present-off', !blocks.has(b));
    for (const e of hide) e.classList.add('present-off');
    hidden = [...current.children, ...hide];
    current.classList.toggle('present-compact', at > 0);
    progress.textContent = `${index + 1} / ${ids.length}${stepCount > 1 ? ` · step ${at + 1} of ${stepCount}` : ''}`;
    Object.assign(progress.dataset, { section: ids[index], index: String(index + 1), count: String(ids.length), step: String(at + 1), steps: String(stepCount) });
    title.textContent = sections[index].title;
    fit();
  }

  /**
   * Fit the step to the screen: the charts no taller than the room leaves (--chart-max-height on
   * the section, read by charts.js), not below FIT_FLOOR of the screen's height, and only if that
   * helps (what overflows may be beside them). The type keeps its size; the layout
   * (present.css) does the rest.
   */
  async function fit() {
    const current = root();
    if (!current) return;
    const run = ++fits;
    busy = true;
    again = false;
    const frame = () =>
      new Promise((done) => {
        requestAnimationFrame(() => done(undefined));
      });
    const boxes = () => [...current.querySelectorAll('.chart-box')].filter((b) => b.getClientRects().length > 0);
    const setCap = (/** @type {string} */ cap) => {
      if (cap) current.style.setProperty('--chart-max-height', cap);
      else current.style.removeProperty('--chart-max-height');
      for (const b of boxes()) b.dispatchEvent(new Event('chart-fit'));
    };
    setCap('');
    const floor = Math.round(window.innerHeight * FIT_FLOOR);
    /** @type {{over: number, cap: string}|null} */
    let before = null;
    for (let i = 0; i < 8; i++) {
      await frame();
      if (run !== fits || root() !== current) {
        if (run === fits) busy = false;
        return;
      }
      const over = overflow(current, bar);
      const cap = current.style.getPropertyValue('--chart-max-height');
      if (before && over >= before.over) {
        setCap(before.cap);
        await frame();
        break;
      }
      const tallest = Math.max(0, ...boxes().map((b) => b.querySelector('canvas')?.getBoundingClientRect().height || 0));
      if (over <= 0 || tallest <= floor) break;
      before = { over, cap };
      setCap(`${Math.max(floor, Math.floor(Math.min(tallest, parseFloat(cap) || Infinity) - over))}px`);
    }
    if (run !== fits) return;
    busy = false;
    settled = current.offsetHeight;
    current.dataset.presentFit = current.style.getPropertyValue('--chart-max-height') || 'none';
    if (again) fit();
  }

  /** The address of this position. */
  function writeUrl() {
    const params = new URLSearchParams(location.search);
    for (const p of VIEW_PARAMS) params.delete(p);
    const rest = params.toString();
    const search = `?${rest ? `${rest}&` : ''}present${step > 0 ? `&step=${step + 1}` : ''}`;
    history.replaceState(history.state, '', `${location.pathname}${search}#${ids[index]}`);
  }

  /**
   * Go to a section (and a step of it, 0-based; -1: its last).
   * @param {number} i
   * @param {number} s
   */
  function go(i, s) {
    const previous = root();
    if (previous && i !== index) {
      for (const e of hidden) e.classList.remove('present-off');
      hidden = [];
      previous.classList.remove('present-current', 'present-compact');
      previous.removeAttribute('tabindex');
      unfit(previous);
    }
    index = i;
    const current = root();
    if (!current) return;
    current.classList.add('present-current');
    current.tabIndex = -1;
    observer.disconnect();
    observer.observe(current, { childList: true });
    grown.disconnect();
    grown.observe(current);
    step = s < 0 ? sectionSteps(current).length - 1 : s;
    show();
    writeUrl();
    window.scrollTo(0, 0);
    // Focus on the slide itself: Space and the arrows then act on it, not on a button of the bar.
    if (!current.contains(document.activeElement) || document.activeElement?.getClientRects().length === 0) current.focus({ preventScroll: true });
  }

  /**
   * One step forward or back, across sections.
   * @param {number} delta +1 or -1
   */
  function move(delta) {
    if (index < 0) return;
    const s = shown() + delta;
    if (s >= 0 && s < stepCount) go(index, s);
    else if (delta > 0 && index + 1 < ids.length) go(index + 1, 0);
    else if (delta < 0 && index > 0) go(index - 1, -1);
  }

  /**
   * Open the mode at a section (default: the first) and step (1-based in the URL, 0-based here).
   * @param {string} [id]
   * @param {number} [s]
   */
  function enter(id, s = 0) {
    const i = Math.max(0, ids.indexOf(id || ''));
    html.classList.add('presenting');
    bar.hidden = false;
    resize();
    window.addEventListener('resize', resize);
    go(i, s);
  }

  /** Back to the page, at the section that was shown. */
  function leave() {
    if (index < 0) return;
    const current = root();
    for (const e of hidden) e.classList.remove('present-off');
    hidden = [];
    observer.disconnect();
    grown.disconnect();
    if (current) unfit(current);
    current?.classList.remove('present-current', 'present-compact');
    current?.removeAttribute('tabindex');
    html.classList.remove('presenting');
    html.style.removeProperty('--chart-scale');
    window.removeEventListener('resize', resize);
    bar.hidden = true;
    const params = new URLSearchParams(location.search);
    for (const p of VIEW_PARAMS) params.delete(p);
    const rest = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${rest ? `?${rest}` : ''}#${ids[index]}`);
    index = -1;
    current?.scrollIntoView();
    /** @type {HTMLElement|null} */ (document.querySelector('[data-testid="present"]'))?.focus({ preventScroll: true });
  }

  window.addEventListener('hashchange', () => {
    const i = ids.indexOf(location.hash.slice(1));
    if (index >= 0 && i >= 0 && i !== index) go(i, 0);
  });

  return {
    get active() {
      return index >= 0;
    },
    /** The section shown (null when not presenting). */
    get section() {
      return root();
    },
    enter,
    leave,
    move,
    /** The first step of the first section, or the last step of the last. */
    end(/** @type {number} */ delta) {
      if (index >= 0) go(delta < 0 ? 0 : ids.length - 1, delta < 0 ? 0 : -1);
    },
    /** Open the mode if the address asks for it. */
    fromUrl() {
      const params = new URLSearchParams(location.search);
      if (!params.has('present')) return;
      const s = Number(params.get('step'));
      enter(location.hash.slice(1), Number.isInteger(s) && s >= 1 ? s - 1 : 0);
    },
  };
}
