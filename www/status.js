// @ts-check
// The status line in the header (data-state = loading | ready | training | paused | error),
// the button the session offers beside it (Retry after a failed load, Reset after divergence),
// and the download progress bar shown while a data set loads.

import { DATASET_NAMES } from './constants.js';
import { el, setValue } from './dom.js';
import { formatMB } from './format.js';

/**
 * Build the status area inside `root` and keep it in sync with the session.
 * @param {HTMLElement} root
 * @param {import('./session.js').Session} session
 */
export function mountStatus(root, session) {
  const s = session.state;
  const dot = el('span', { class: 'status-dot', 'aria-hidden': 'true' });
  const text = el('span', { class: 'status-text' });
  const status = el('div', { testid: 'status', class: 'status', role: 'status', 'aria-live': 'polite', data: { state: 'loading' } }, dot, text);
  const action = el('button', { type: 'button', class: 'btn btn-status', hidden: true });
  action.addEventListener('click', () => {
    const a = s.action;
    if (!a) return;
    action.disabled = true;
    a.run();
  });
  const line = el('div', { class: 'status-line' }, status, action);
  const bar = el('progress', { class: 'load-bar', max: '1', value: '0', 'aria-label': 'Data download progress' });
  const barText = el('span', { class: 'load-text' });
  const loading = el('div', { class: 'load', hidden: true }, bar, barText);
  root.append(line, loading);

  function render() {
    const st = s.status;
    if (status.dataset.state !== st.state) status.dataset.state = st.state;
    setValue(text, st.message);
    const a = s.action;
    action.hidden = !a;
    action.disabled = false;
    if (a) {
      setValue(action, a.label);
      if (action.dataset.testid !== a.testid) action.dataset.testid = a.testid;
    }
    const l = s.load;
    loading.hidden = !l;
    if (!l) return;
    const name = DATASET_NAMES[l.name] || l.name;
    if (l.phase === 'parse') {
      bar.removeAttribute('value');
      setValue(barText, `Checking and indexing ${name} in WebAssembly…`);
      setValue(text, `Loading ${name}: checking the files…`);
    } else {
      bar.max = Math.max(1, l.total);
      bar.value = l.loaded;
      const source = l.fromCache && l.loaded > 0 ? 'from the browser cache' : 'downloading';
      setValue(barText, `${formatMB(l.loaded)} / ${formatMB(l.total)} (${source})`);
    }
  }

  session.on('frame', (changes) => {
    if (changes.has('status') || changes.has('load')) render();
  });
  render();
}
