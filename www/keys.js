// @ts-check
// Keyboard shortcuts. For the section in view (the presenter's section in presenter mode):
// Space = Play / Pause, S = Step, R = Reset — by clicking the section's own buttons (testids
// `<p>-play`, `-pause`, `-step`, `-reset`; Train's `play`, …). → / ← and PageDown / PageUp walk
// the presenter's steps, Home / End its ends, Esc leaves it; ? opens the list of shortcuts.
// None fires while typing in a field, with Ctrl, Alt or Meta held, or when a control of the page
// has used the key itself (the step view's heat-map cells use the arrows).

import { el } from './dom.js';

/** What the dialog lists: key(s), what they do. */
export const SHORTCUTS = [
  ['Space', 'Play / Pause the section in view'],
  ['S', 'Step'],
  ['R', 'Reset'],
  ['→  Page Down', 'Presenter mode: next step or section'],
  ['←  Page Up', 'Presenter mode: back'],
  ['Home  End', 'Presenter mode: first or last section'],
  ['Esc', 'Leave presenter mode (or close this list)'],
  ['?', 'This list'],
];

/**
 * Whether a key goes to a field being typed in (or edited with the arrows: a slider, a select).
 * @param {EventTarget|null} target
 */
export function typingIn(target) {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.matches('input, select, textarea') || Boolean(target.closest('[contenteditable]:not([contenteditable="false"])'));
}

/**
 * The section a shortcut acts on: the presenter's, else the one the focus is in (if it shows),
 * else the one that fills most of the window.
 * @param {HTMLElement|null} presented
 * @returns {HTMLElement|null}
 */
export function sectionInView(presented) {
  if (presented) return presented;
  const sections = /** @type {HTMLElement[]} */ ([...document.querySelectorAll('main > section')]);
  const focused = document.activeElement?.closest('main > section');
  const seen = (/** @type {Element} */ s) => {
    const r = s.getBoundingClientRect();
    return Math.max(0, Math.min(r.bottom, innerHeight) - Math.max(r.top, 0));
  };
  if (focused instanceof HTMLElement && seen(focused) > 0) return focused;
  let best = null;
  let most = 0;
  for (const s of sections) {
    const v = seen(s);
    if (v > most) [best, most] = [s, v];
  }
  return best;
}

/**
 * The run controls of a section: the group the focus is in, else the first whose Play shows in the
 * window, else the first. Train's buttons have no prefix.
 * @param {HTMLElement} section
 * @returns {{play: HTMLButtonElement|null, pause: HTMLButtonElement|null, step: HTMLButtonElement|null, reset: HTMLButtonElement|null}|null}
 */
export function runControls(section) {
  const plays = /** @type {HTMLButtonElement[]} */ ([...section.querySelectorAll('button[data-testid="play"], button[data-testid$="-play"]')]);
  if (!plays.length) return null;
  const prefixOf = (/** @type {string} */ id) => id.replace(/play$/, '');
  const prefixes = plays.map((b) => prefixOf(b.dataset.testid || ''));
  const focusId = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.testid || '' : '';
  const inWindow = (/** @type {HTMLElement} */ b) => {
    const r = b.getBoundingClientRect();
    return r.height > 0 && r.bottom > 0 && r.top < innerHeight;
  };
  const prefix =
    prefixes.find((p) => ['play', 'pause', 'step', 'reset'].some((k) => focusId === `${p}${k}`)) ?? prefixes.find((_, i) => inWindow(plays[i])) ?? prefixes[0];
  const get = (/** @type {string} */ k) => /** @type {HTMLButtonElement|null} */ (section.querySelector(`button[data-testid="${prefix}${k}"]`));
  return { play: get('play'), pause: get('pause'), step: get('step'), reset: get('reset') };
}

/** The dialog that lists the shortcuts (`data-testid="shortcuts"`). */
function shortcutsDialog() {
  const close = el('button', { type: 'button', class: 'btn', testid: 'shortcuts-close', autofocus: true }, 'Close');
  const dialog = el(
    'dialog',
    { class: 'shortcuts', testid: 'shortcuts', 'aria-labelledby': 'shortcuts-title' },
    el('h2', { id: 'shortcuts-title' }, 'Keyboard shortcuts'),
    el('dl', { class: 'shortcuts-list' }, ...SHORTCUTS.flatMap(([keys, what]) => [el('dt', {}, ...keys.split('  ').map((k) => el('kbd', {}, k))), el('dd', {}, what)])),
    el('p', { class: 'shortcuts-note' }, 'They act on the section in view, never while you type in a field. Presenter mode: the Present button in the header, or ?present in the address.'),
    close,
  );
  close.addEventListener('click', () => dialog.close());
  // A click on the backdrop (outside the box) closes it too.
  dialog.addEventListener('click', (e) => {
    if (e.target === dialog) dialog.close();
  });
  document.body.append(dialog);
  return dialog;
}

/**
 * Listen for the shortcuts.
 * @param {{presenter: ReturnType<typeof import('./present.js').createPresenter>}} o
 * @returns {{showShortcuts: () => void}}
 */
export function mountKeys({ presenter }) {
  let dialog = /** @type {HTMLDialogElement|null} */ (null);
  const showShortcuts = () => {
    dialog ??= shortcutsDialog();
    if (!dialog.open) dialog.showModal();
  };

  /**
   * Click a button if it is enabled.
   * @param {HTMLButtonElement|null|undefined} b
   */
  const press = (b) => {
    if (b && !b.disabled) b.click();
  };

  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    if (dialog?.open || typingIn(e.target)) return;
    const key = e.key;
    if (key === '?') {
      e.preventDefault();
      showShortcuts();
      return;
    }
    if (e.shiftKey) return;
    if (presenter.active) {
      const moves = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 };
      if (key in moves) {
        e.preventDefault();
        presenter.move(moves[key]);
        return;
      }
      if (key === 'Home' || key === 'End') {
        e.preventDefault();
        presenter.end(key === 'Home' ? -1 : 1);
        return;
      }
      if (key === 'Escape') {
        e.preventDefault();
        presenter.leave();
        return;
      }
    }
    const lower = key.length === 1 ? key.toLowerCase() : key;
    if (lower !== ' ' && lower !== 's' && lower !== 'r') return;
    // Space on a button, link or checkbox is that control's own (it clicks it).
    if (lower === ' ' && e.target instanceof Element && e.target.closest('button, a[href], summary, [role="button"], [role="checkbox"]')) return;
    const section = sectionInView(presenter.section);
    const controls = section && runControls(section);
    if (!controls) return;
    e.preventDefault();
    if (lower === ' ') press(controls.pause && !controls.pause.disabled ? controls.pause : controls.play);
    else if (lower === 's') press(controls.step);
    else press(controls.reset);
  });

  return { showShortcuts };
}
