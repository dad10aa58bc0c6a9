// @ts-check
// How the page is shown, from its query: the whole lab (default), one section alone
// (`?only=<section-id>`: the others are not built, the table of contents lists only it) or the
// embed view (`?embed=<section-id>`: one section for an <iframe> on a course page, without the
// site's header and footer, with a small "Open the full lab" link). scripts/serve.mjs lets only
// the embed view be framed (frame-ancestors); every other page keeps frame-ancestors 'none'.
// Pure but for applyView, which marks the document.

import { el } from './dom.js';

/** The view parameters (share.js passes them over: they are not settings of a run). */
export const VIEW_KEYS = ['only', 'embed'];

/**
 * Read the view from a query string.
 * @param {string} search e.g. location.search
 * @param {string[]} ids the sections' ids, in order
 * @returns {{mode: 'full'|'only'|'embed', section: string|null, problem: string|null}}
 *   `problem`: why a view the query asks for is not shown (the whole lab is, instead)
 */
export function parseView(search, ids) {
  const params = new URLSearchParams(search);
  const asked = VIEW_KEYS.filter((k) => params.has(k));
  if (!asked.length) return { mode: 'full', section: null, problem: null };
  if (asked.length > 1 || params.getAll(asked[0]).length > 1) {
    return { mode: 'full', section: null, problem: `the link names more than one view (${VIEW_KEYS.map((k) => `${k}=`).join(', ')}): the whole lab is shown` };
  }
  const mode = /** @type {'only'|'embed'} */ (asked[0]);
  const id = params.get(mode) || '';
  if (!ids.includes(id)) {
    const shown = id.length > 24 ? `${id.slice(0, 24)}…` : id;
    return { mode: 'full', section: null, problem: `${mode}=“${shown}” is not a section of the lab (${ids.join(', ')}): the whole lab is shown` };
  }
  return { mode, section: id, problem: null };
}

/**
 * Mark the document for a view, once the sections are built: `data-view` on <html>
 * (www/css/components/view.css hides the site's header and footer in the embed view), no skip link
 * to a section that is not built and, in the embed view, the link to the whole lab.
 * @param {ReturnType<typeof parseView>} view
 * @param {HTMLElement} main the sections' container
 * @param {string} [title] the section's title (the embed view's heading, for screen readers)
 */
export function applyView(view, main, title = '') {
  document.documentElement.dataset.view = view.mode;
  for (const a of document.querySelectorAll('a.skip-link')) {
    const target = new URL(/** @type {HTMLAnchorElement} */ (a).href).hash.slice(1);
    if (target && !document.getElementById(target)) a.remove();
  }
  if (view.mode !== 'embed' || !view.section) return;
  const full = new URL(`./#${view.section}`, document.baseURI).href;
  main.prepend(
    el(
      'div',
      { class: 'embed-bar' },
      el('h1', { class: 'visually-hidden' }, `softmax-lab: ${title}`),
      el('a', { href: full, target: '_blank', rel: 'noopener', testid: 'embed-full' }, 'Open the full lab ↗'),
    ),
  );
}
