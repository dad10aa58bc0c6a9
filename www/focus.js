// @ts-check
// Focus is never dropped: a focused button that disables itself (Play while it plays, Pause when
// the run stops) would leave the keyboard on the page body. `handOff` runs right after a section
// sets its buttons' disabled states (the browser moves focus away only at its next rendering).

/** Buttons that lost focus with nowhere to hand it, waiting to be enabled again (Step while it runs). */
const waiting = new Set();

/**
 * If `from` is disabled and has the focus, give the focus to the first of `to` that is enabled and
 * shown; with none, `from` takes it back once it is enabled again (if nothing else took it meanwhile).
 * @param {HTMLButtonElement} from
 * @param {...(HTMLButtonElement|null|undefined)} to candidates, in order of preference
 */
export function handOff(from, ...to) {
  const active = document.activeElement;
  if (!from.disabled) {
    if (waiting.delete(from) && (active === from || active === null || active === document.body)) from.focus({ preventScroll: true });
    return;
  }
  if (active !== from) return;
  const next = to.find((b) => b && !b.disabled && b.getClientRects().length > 0);
  if (next) next.focus({ preventScroll: true });
  else waiting.add(from);
}
