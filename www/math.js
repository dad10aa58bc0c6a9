// @ts-check
// Formulas typeset with the vendored KaTeX, loaded lazily so the page paints before the 600 kB
// module is parsed. Formulas are typeset a few at a time (about one frame's worth of work per
// task) so a page full of them never blocks input. Until then the space is reserved; if KaTeX
// fails to load, the TeX source is shown as plain text.

import { el } from './dom.js';

/** Where the vendored KaTeX module lives (relative to this file). */
const KATEX_URL = new URL('./vendor/katex/katex.min.mjs', import.meta.url).href;
/** Typesetting work per task before yielding to the browser. */
const BUDGET_MS = 8;

/** Loader and queue of formulas waiting to be typeset. */
const typesetter = { katex: null, loading: null, queue: [], scheduled: false };

function loadKatex() {
  typesetter.loading ??= import(KATEX_URL).then((m) => {
    typesetter.katex = m.default;
    return m.default;
  });
  return typesetter.loading;
}

function schedule() {
  if (typesetter.scheduled) return;
  typesetter.scheduled = true;
  setTimeout(drain, 0);
}

function drain() {
  typesetter.scheduled = false;
  const start = performance.now();
  while (typesetter.queue.length && performance.now() - start < BUDGET_MS) {
    const { node, source, display } = typesetter.queue.shift();
    if (node.dataset.tex !== source) continue; // replaced meanwhile
    try {
      typesetter.katex.render(source, node, { displayMode: display, throwOnError: false, output: 'htmlAndMathml' });
    } catch {
      node.textContent = source;
    }
    delete node.dataset.pending;
  }
  if (typesetter.queue.length) schedule();
}

/**
 * Typeset `source` into `node` (replacing its content) as soon as KaTeX is loaded.
 * @param {HTMLElement} node
 * @param {string} source TeX
 * @param {boolean} [display] display style (own line)
 * @returns {Promise<void>} resolves when queued (not necessarily typeset yet)
 */
export async function renderTex(node, source, display = false) {
  node.dataset.tex = source;
  if (!node.firstChild) {
    node.textContent = source;
    node.dataset.pending = ''; // hidden by www/css/components/math.css until typeset
  }
  try {
    await loadKatex();
  } catch {
    node.textContent = source; // KaTeX failed to load: the TeX source is still readable
    delete node.dataset.pending;
    return;
  }
  typesetter.queue.push({ node, source, display });
  schedule();
}

/**
 * A new element holding a typeset formula.
 * @param {string} source TeX
 * @param {{display?: boolean, class?: string}} [options]
 * @returns {HTMLElement}
 */
export function tex(source, { display = false, class: cls = '' } = {}) {
  const node = el(display ? 'div' : 'span', { class: `math ${display ? 'math-display' : 'math-inline'} ${cls}`.trim() });
  renderTex(node, source, display);
  return node;
}
