// @ts-check
// How the page is shown, from its query: the whole lab (default), one section alone
// (`?only=<section-id>`: the others are not built, the table of contents lists only it) or the
// embed view (`?embed=<section-id>`: one section for an <iframe> on a course page, without the
// site's header and footer, with a small "Open the full lab" link). scripts/serve.mjs lets only
// the embed view be framed (frame-ancestors); every other page keeps frame-ancestors 'none'.
// A link also presets and hides the sections' controls (applyPresets; share.js parses it), and
// each section offers "Link to this section" (mountSectionLinks). parseView is pure.

import { el } from './dom.js';
import { buildSectionLink } from './share.js';

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

/** Controls a link may preset or hide: by test id, inside the sections shown. */
const PRESETTABLE = 'input[data-testid]:is([type="number"], [type="range"]), select[data-testid]';

/**
 * Preset the lecture sections' controls a link names and hide those it lists (share.js parsed the
 * syntax; here each name must be a control of the sections shown and each value one it takes).
 * Train's model is set by lr, batch, l2, seed and dataset (session-link.js), not here.
 * @param {ReturnType<typeof import('./share.js').parseLink>['values']} values
 * @param {HTMLElement} scope the sections' container
 * @returns {string[]} one sentence per control or name not taken
 */
export function applyPresets(values, scope) {
  const problems = [];
  /** @param {string} name @returns {HTMLElement|null} */
  const find = (name) => scope.querySelector(`[data-testid="${name}"]`); // names are [a-z0-9-] (share.js)
  for (const [name, raw] of Object.entries(values.controls || {})) {
    const c = find(name);
    if (!(c instanceof HTMLInputElement || c instanceof HTMLSelectElement) || !c.matches(PRESETTABLE)) {
      problems.push(`${name}: no control shown here has that name`);
      continue;
    }
    if (c.closest('#train')) {
      problems.push(`${name}: Train's model is set with lr, batch, l2, seed and dataset`);
      continue;
    }
    if (c instanceof HTMLSelectElement) {
      const options = [...c.options].map((o) => o.value);
      if (!options.includes(raw)) {
        problems.push(`${name}=${raw} is not one of its options (${options.join(', ')})`);
        continue;
      }
    } else {
      const v = Number(raw);
      const min = c.min === '' ? -Infinity : Number(c.min);
      const max = c.max === '' ? Infinity : Number(c.max);
      if (!Number.isFinite(v) || v < min || v > max) {
        problems.push(`${name}=${raw} is not a number${c.min !== '' && c.max !== '' ? ` from ${c.min} to ${c.max}` : ''}`);
        continue;
      }
    }
    c.value = raw;
    c.dispatchEvent(new Event('input', { bubbles: true }));
    c.dispatchEvent(new Event('change', { bubbles: true }));
  }
  for (const name of values.hide || []) {
    const c = find(name);
    if (!c) {
      problems.push(`hide: “${name}” names no control shown here`);
      continue;
    }
    const box = /** @type {HTMLElement} */ (c.closest('.lfield, .field') || c);
    box.dataset.linkHidden = name;
  }
  return problems;
}

/**
 * "Link to this section" in each section's head: the instructor's link (share.js buildSectionLink)
 * from the current settings — Train's model settings for Train, the controls' values for the
 * others — with the controls the page hides now, and the section alone.
 * @param {HTMLElement[]} roots the sections shown
 * @param {import('./session.js').Session} session
 */
export function mountSectionLinks(roots, session) {
  for (const root of roots) {
    const head = root.querySelector('header.section-head');
    if (!head) continue;
    const link = el('a', { class: 'section-link', testid: `${root.id}-section-link`, href: '#' });
    link.hidden = true;
    const build = el('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: `${root.id}-link-build` }, 'Link to this section');
    build.addEventListener('click', () => {
      /** @type {Record<string, string>} */
      const controls = {};
      if (root.id !== 'train') {
        for (const c of root.querySelectorAll(PRESETTABLE)) {
          const input = /** @type {HTMLInputElement|HTMLSelectElement} */ (c);
          if (input.value !== '' && !input.disabled) controls[/** @type {string} */ (input.dataset.testid)] = input.value;
        }
      }
      const hide = [...root.querySelectorAll('[data-link-hidden]')].map((n) => /** @type {HTMLElement} */ (n).dataset.linkHidden || '');
      const s = session.state;
      const run = root.id === 'train' && s.dataset !== 'files' ? { hyper: s.hyper, dataset: s.dataset } : {};
      const href = buildSectionLink(location.href, root.id, { ...run, controls, hide });
      link.href = href;
      link.textContent = href.slice(href.indexOf('?'));
      link.hidden = false;
      globalThis.navigator?.clipboard?.writeText(href).catch(() => {});
    });
    head.append(el('p', { class: 'section-link-row' }, build, link));
  }
}
