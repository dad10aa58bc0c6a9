// @ts-check
// The session side of the shareable link (share.js parses and builds it): taking a link's
// settings when the page opens (instead of the saved session, which is kept aside so it can be
// gone back to).

import { DATASET_NAMES } from './constants.js';
import { LINK_NAMES, VIEW_PARAMS, parseLink } from './share.js';
import { openSaved } from './session-checkpoints.js';
import { describeFiles } from './session-own-data.js';

/** What the page could not take of a link's section controls (view.js applyPresets, once the sections are built; main.js sets it). */
export const presets = { problems: Promise.resolve(/** @type {string[]} */ ([])) };

/**
 * What the page opens with: the run a shared link names (the saved session is kept aside),
 * else the saved session (to be resumed), else MNIST with the settings in `session.state.hyper`.
 * Sets `state.hyper` to the settings of the run chosen.
 * @param {import('./session.js').Session} session
 * @param {import('./session-checkpoints.js').SavedSession|null} saved
 * @returns {Promise<{dataset: string, restore: import('./session-checkpoints.js').SavedSession|null}>}
 */
export async function chooseOpening(session, saved) {
  const s = session.state;
  const link = parseLink(globalThis.location?.search || '');
  let dataset = 'mnist';
  let restore = null;
  if (link.present) {
    dataset = await applyLink(session, link);
    if (saved) offerSavedBeforeLink(session, saved);
  } else if (saved && saved.dataset === 'files') {
    // The files were never stored: say which they were; MNIST meanwhile.
    const which = saved.ownFiles?.length ? ` (${describeFiles(saved.ownFiles)})` : '';
    session.notify('own-data', 'warn', `Your saved session trained on your own files${which}. Files are never stored: to go on with them, pick them again under Data set → “Your files…”. Meanwhile this is a fresh MNIST model.`, [
      { label: 'OK', testid: 'notice-ok', run: () => session.dismiss('own-data') },
    ]);
  } else if (saved && !session.datasetAvailability(saved.dataset).available) {
    const { reason } = session.datasetAvailability(saved.dataset);
    session.notify('resume', 'warn', `The saved session was on ${DATASET_NAMES[saved.dataset] || saved.dataset}, which is not available here (${reason}): this is a fresh MNIST model.`);
  } else if (saved) {
    s.hyper = { ...saved.hyper };
    dataset = saved.dataset;
    restore = saved;
  }
  return { dataset, restore };
}

/**
 * Take the settings of a shared link: each value the core accepts; the defaults for the rest,
 * with one message that lists what was not taken and why. The link then leaves the address
 * bar, so that a reload resumes this session instead of starting the link's run again.
 * @param {import('./session.js').Session} session
 * @param {ReturnType<typeof import('./share.js').parseLink>} link
 * @returns {Promise<string>} the data set to load
 */
export async function applyLink(session, link) {
  const s = session.state;
  const v = link.values;
  const problems = [...link.problems, ...(await presets.problems)];
  const errors = await session.lab.validate({ ...s.hyper, ...v });
  for (const [field, name] of Object.entries(LINK_NAMES)) {
    if (v[field] === undefined) continue;
    if (errors[field]) problems.push(`${name}=${v[field]}: ${errors[field]}`);
    else s.hyper[field] = v[field];
  }
  let dataset = v.dataset || 'mnist';
  const { available, reason } = session.datasetAvailability(dataset);
  if (!available) {
    problems.push(`${DATASET_NAMES[dataset]} is not available here (${reason})`);
    dataset = 'mnist';
  }
  const h = s.hyper;
  const settings = `ε = ${h.learning_rate}, batch size ${h.batch_size}, α = ${h.l2}, seed ${h.seed}, ${DATASET_NAMES[dataset]}`;
  if (problems.length) {
    session.notify('link', 'warn', `This link's settings could not all be used — ${problems.join('; ')}. The defaults stand in for those. Running: ${settings}.`, [
      { label: 'OK', testid: 'notice-ok', run: () => session.dismiss('link') },
    ]);
  } else if (!Object.keys(LINK_NAMES).some((f) => v[f] !== undefined) && !v.dataset) {
    // An instructor's link to a lecture section: its controls are set; Train starts afresh.
    const set = Object.keys(v.controls || {}).length;
    session.notify('link', 'info', `Opened a lesson's link: ${set ? `${set} setting${set > 1 ? 's' : ''} of the section preset` : 'the section as the link shows it'}${v.hide?.length ? `, ${v.hide.length} control${v.hide.length > 1 ? 's' : ''} hidden` : ''}. The Train model is a fresh one: ${settings}.`, [
      { label: 'OK', testid: 'notice-ok', run: () => session.dismiss('link') },
    ]);
  } else {
    session.notify('link', 'info', `Opened a shared run: ${settings}, from step 0. The same steps give the same numbers as on the machine it came from.`, [
      { label: 'OK', testid: 'notice-ok', run: () => session.dismiss('link') },
    ]);
  }
  const loc = globalThis.location;
  if (loc) {
    // How the page is shown (?only=, ?embed=, ?present, hide=) stays in the address; the run's settings go.
    const view = new URLSearchParams([...new URLSearchParams(loc.search)].filter(([name]) => VIEW_PARAMS.includes(name) || name === 'hide')).toString();
    globalThis.history?.replaceState(null, '', `${loc.pathname}${view ? `?${view}` : ''}${loc.hash}`);
  }
  return dataset;
}

/**
 * A shared link starts a fresh run in this tab: the saved session stays as it was (this tab saves
 * under an id of its own) and is offered back.
 * @param {import('./session.js').Session} session
 * @param {import('./session-checkpoints.js').SavedSession} saved
 */
export function offerSavedBeforeLink(session, saved) {
  session.notify('before-link', 'info', `Your saved session (${DATASET_NAMES[saved.dataset] || saved.dataset}, step ${saved.step.toLocaleString('en-US')}) was kept aside for this link.`, [
    {
      label: 'Go back to it',
      testid: 'restore-before-link',
      run: async () => {
        session.dismiss('before-link');
        session.dismiss('link');
        await openSaved(session, saved);
      },
    },
  ]);
}
