// Formulas typeset with the vendored KaTeX, loaded lazily so the page paints before the 600 kB
// module is parsed. Until then (or if it fails) the TeX source is shown as plain text.

import { el } from './dom.js';

/** Where the vendored KaTeX module lives (relative to this file). */
const KATEX_URL = new URL('./vendor/katex/katex.mjs', import.meta.url).href;

const loader = { promise: null };

function loadKatex() {
  loader.promise ??= import(KATEX_URL).then((m) => m.default);
  return loader.promise;
}

/**
 * Typeset `tex` into `node` (replacing its content).
 * @param {HTMLElement} node
 * @param {string} tex
 * @param {boolean} [display] display style (own line, centred)
 * @returns {Promise<void>}
 */
export async function renderTex(node, tex, display = false) {
  node.dataset.tex = tex;
  if (!node.firstChild) {
    node.textContent = tex;
    node.dataset.pending = ''; // hidden by style.css until typeset
  }
  try {
    const katex = await loadKatex();
    if (node.dataset.tex !== tex) return; // replaced meanwhile
    katex.render(tex, node, { displayMode: display, throwOnError: false, output: 'htmlAndMathml' });
  } catch {
    node.textContent = tex; // KaTeX failed to load: the TeX source is still readable
  }
  delete node.dataset.pending;
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
