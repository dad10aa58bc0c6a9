// @ts-check
// Small widgets of the lecture sections, each with its test hook: figures (text for people,
// data-value for tests), number and class fields, Step/Play/Pause/Reset buttons, a section's
// head, chart cards, status lines and tables of numbers.

import { el, setValue } from './dom.js';
import { formatNumber, NONE } from './format.js';
import { tex } from './math.js';

/**
 * A labelled figure with a test hook: text for people, `data-value` for tests.
 * @param {string} testid
 * @param {string} label
 * @param {string} [unit] shown after the value
 * @returns {{node: HTMLElement, set: (v: number, text?: string) => void, note: HTMLElement}}
 */
export function figure(testid, label, unit = '') {
  const value = el('dd', { testid, class: 'fig-value', data: { value: '' } }, NONE);
  const note = el('dd', { class: 'fig-note' }); // a second dd: a dl's groups hold only dt and dd
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
 * A labelled number input (empty until `fillDefaults` if no value is given).
 * @param {{id: string, testid?: string, label: string, value?: number, min?: number, max?: number, step?: string, note?: string}} spec
 * @returns {{node: HTMLElement, input: HTMLInputElement, value: () => number}}
 */
export function numberField({ id, testid, label, value, min, max, step = 'any', note }) {
  const input = el('input', { id, testid: testid || id, type: 'number', value: value === undefined ? '' : String(value), min, max, step, inputmode: 'decimal', autocomplete: 'off' });
  input.addEventListener('input', () => (input.dataset.edited = 'true'));
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
 * Fill number fields with defaults that arrive later (the core's, from the worker), leaving any
 * field the user has typed into; each filled field then fires `change` like a typed value.
 * @param {Array<[{input: HTMLInputElement}, number]>} pairs
 */
export function fillDefaults(pairs) {
  for (const [field, value] of pairs) {
    if (field.input.dataset.edited) continue;
    field.input.value = String(value);
    field.input.dispatchEvent(new Event('change'));
  }
}

/**
 * A labelled select of the data set's classes.
 * @param {{id: string, testid?: string, label: string, value: number}} spec
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
