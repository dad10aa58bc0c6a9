// @ts-check
// The step view's heat maps of the n × c matrices Y, Z, Ŷ and Ŷ − Y (a table in a sideways
// scrolling box, reachable with the keyboard, each cell's number on hover or focus) and the
// colour scales they use: the diverging one (red high, blue low) and the probabilities' one.

import { el, setValue } from '../../dom.js';
import { formatNumber } from '../../format.js';
import { divergingRgb } from '../../images.js';

/**
 * A heat map of an n × c matrix in its own horizontally scrolling box: cells carry data-value,
 * are reachable with the keyboard (one tab stop, arrow keys move) and say their number on hover
 * or focus (title and a readout line).
 * @param {string} testid
 * @param {string} symbol the matrix's name in the readout ("Z", "Ŷ")
 */
export function heatMap(testid, symbol) {
  const table = el('table', { class: 'sv-grid', testid, 'aria-label': `${symbol}, one row per image, one column per class` });
  const scroll = el('div', { class: 'sv-scroll', tabindex: -1 }, table);
  const hint = el('p', { class: 'sv-scroll-hint', 'aria-hidden': 'true' }, '← scroll sideways for every class →');
  hint.hidden = true;
  const readout = el('p', { class: 'sv-readout', testid: `${testid}-readout`, 'aria-live': 'polite' }, 'Hover over or focus a cell for its number.');
  const show = (/** @type {EventTarget|null} */ target) => {
    const cell = target instanceof HTMLElement ? target.closest('td[data-value]') : null;
    if (cell instanceof HTMLElement && cell.title) setValue(readout, cell.title);
  };
  table.addEventListener('mouseover', (e) => show(e.target));
  table.addEventListener('focusin', (e) => show(e.target));
  table.addEventListener('keydown', (e) => {
    const cell = e.target instanceof HTMLElement ? e.target.closest('td[data-value]') : null;
    if (!(cell instanceof HTMLTableCellElement)) return;
    const moves = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    const next = table.querySelector(`td[data-i="${Number(cell.dataset.i) + move[0]}"][data-k="${Number(cell.dataset.k) + move[1]}"]`);
    if (next instanceof HTMLElement) {
      cell.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    }
  });
  const overflow = () => {
    hint.hidden = scroll.scrollWidth <= scroll.clientWidth + 1;
  };
  new ResizeObserver(overflow).observe(scroll);
  return {
    node: el('div', { class: 'sv-heat' }, hint, scroll, readout),
    /**
     * @param {{values: ArrayLike<number>, rows: number, c: number, names: string[], rowNames: string[], color: (v: number) => string, text?: (v: number) => string, digits?: number, extra?: {head: string, value: (i: number) => number}}} m
     */
    set({ values, rows, c, names, rowNames, color, text, digits = 4, extra }) {
      const long = names.some((n) => n.length > 2);
      table.classList.toggle('sv-grid-long', long);
      const head = el('tr', {}, el('th', { class: 'sv-corner', scope: 'col' }, 'i \\ k'), ...names.map((n) => el('th', { scope: 'col', title: n }, el('span', {}, n))), extra ? el('th', { scope: 'col', class: 'sv-extra' }, extra.head) : null);
      const body = Array.from({ length: rows }, (_, i) =>
        el(
          'tr',
          {},
          el('th', { scope: 'row', title: rowNames[i] }, String(i + 1)),
          ...Array.from({ length: c }, (_, k) => {
            const v = values[i * c + k];
            return el('td', {
              data: { value: String(v), i: String(i), k: String(k) },
              tabindex: i === 0 && k === 0 ? 0 : -1,
              title: `${symbol} of image ${i + 1} (${rowNames[i]}), class ${names[k]}: ${formatNumber(v, digits)}`,
              style: { background: color(v) },
            }, text ? text(v) : '');
          }),
          extra ? el('td', { class: 'sv-extra', data: { sum: String(extra.value(i)) } }, extra.value(i).toFixed(4)) : null,
        ),
      );
      table.replaceChildren(el('thead', {}, head), el('tbody', {}, ...body));
      setValue(readout, 'Hover over or focus a cell for its number.');
      requestAnimationFrame(overflow);
    },
  };
}

/** CSS colour of the diverging map at t ∈ [−1, 1]. */
export function diverging(t) {
  const [r, g, b] = divergingRgb(t);
  return `rgb(${r} ${g} ${b})`;
}

/** CSS colour of a probability: white (0) → blue (1). */
export function sequential(p) {
  const f = Math.max(0, Math.min(1, p));
  const mix = (from, to) => Math.round(from + (to - from) * f);
  return `rgb(${mix(255, 33)} ${mix(255, 102)} ${mix(255, 172)})`;
}
