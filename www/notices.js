// @ts-check
// Messages above the sections (session.state.notices): what the lab did on its own and why —
// a resumed session, a restarted worker, a shared link's settings — each with its buttons.
// Text only (no markup from links or files ever becomes HTML).

import { el } from './dom.js';

/**
 * Build the notice area at the top of `root` and keep it in sync with the session.
 * @param {HTMLElement} root
 * @param {import('./session.js').Session} session
 */
export function mountNotices(root, session) {
  const list = el('div', { class: 'notices', testid: 'notices', 'aria-live': 'polite' });
  root.prepend(list);
  let shown = null;

  function render() {
    const notices = session.state.notices;
    if (notices === shown) return;
    shown = notices;
    list.replaceChildren(
      ...notices.map((n) =>
        el(
          'div',
          { class: `notice notice-${n.kind}`, testid: `notice-${n.id}`, role: n.kind === 'info' ? 'status' : 'alert' },
          el('p', { class: 'notice-text' }, n.text),
          n.actions.length ? el('div', { class: 'notice-actions' }, ...n.actions.map((a) => el('button', { type: 'button', class: 'btn', testid: a.testid, on: { click: () => a.run() } }, a.label))) : null,
        ),
      ),
    );
    list.hidden = notices.length === 0;
  }

  session.on('frame', (changes) => {
    if (changes.has('notices')) render();
  });
  render();
}
