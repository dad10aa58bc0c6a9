// @ts-check
// A new model for the session: opening the lab (the wasm module, the manifest, then the data set
// a link names, the saved session or MNIST), loading a data set into the worker, taking the model
// it builds, and adopting a model imported from a file. Every curve starts over with a new model
// (newRun); a checkpoint to continue is restored on top (session-checkpoints.js).

import { DATASET_NAMES } from './constants.js';
import { availability, fetchManifest } from './data.js';
import { chooseOpening } from './session-link.js';
import { loadOwnData } from './session-own-data.js';
import { keepFinishedRun, startRun } from './runs-session.js';

/** @typedef {import('./session.js').Session} Session */
/** @typedef {import('./session-checkpoints.js').SavedSession} SavedSession */

/**
 * The form's values for the core's defaults.
 * @param {import('./protocol.js').Defaults} d
 * @returns {import('./protocol.js').Hyper}
 */
export function hyperOf(d) {
  return { learning_rate: d.learning_rate, batch_size: d.batch_size, l2: d.l2, seed: d.seed };
}

/** @type {WeakMap<Session, Promise<SavedSession|null>>} the saved session each session opens with */
const opening = new WeakMap();
/** @type {WeakMap<Session, Promise<unknown>>} when the page's sections are mounted (main.js) */
const mountedBy = new WeakMap();

/**
 * Tell the start when the page's sections are mounted: the opening (the link's or the saved
 * session's settings, the data set) waits for them, so that every section hears it.
 * @param {Session} session
 * @param {Promise<unknown>} mounted
 */
export function sectionsMounted(session, mounted) {
  mountedBy.set(session, mounted);
}

/**
 * Load the wasm module and the manifest, then the data set and model: the one a shared link
 * names, else the saved session (resumed), else MNIST with the defaults.
 * @param {Session} session
 */
export async function start(session) {
  const s = session.state;
  session.setStatus('loading', 'Starting the lab…');
  // The saved session is read (IndexedDB) while the wasm module and the manifest load: the data
  // set can then be asked for as soon as they are there (the worker is fetching it already,
  // boot.js). Read once: a retry after a failed start keeps this tab's claim.
  opening.set(session, opening.get(session) ?? session.checkpoints.read());
  let ready = false;
  try {
    const [{ defaults }, manifest] = await Promise.all([session.lab.init(), fetchManifest(session.baseUrl)]);
    s.defaults = defaults;
    s.manifest = manifest;
    ready = true;
  } catch (e) {
    session.fail(e, () => session.start());
  }
  if (!ready) return;
  await mountedBy.get(session);
  session.checkpoints.watchPage();
  s.hyper = hyperOf(s.defaults);
  const { dataset, restore } = await chooseOpening(session, await opening.get(session));
  s.input = { ...s.hyper };
  session.invalidate('controls', 'hyper');
  session.emit('hyper', { fill: true });
  await session.loadDataset(dataset, { restore });
}

/**
 * Whether a data set can be picked, and if not, why.
 * @param {Session} session
 * @param {string} name
 * @returns {{available: boolean, reason: string}}
 */
export function datasetAvailability(session, name) {
  const manifest = session.state.manifest;
  return manifest ? availability(manifest[name]) : { available: false, reason: 'loading' };
}

/**
 * Switch to a data set: download it (progress in state.load), build a new model, evaluate.
 * @param {Session} session
 * @param {string} name "mnist", "fashion" or "files" (your own, session.ownPick).
 * @param {{restore?: SavedSession|null, why?: 'resume'|'crash'}} [options]
 *   a checkpoint to continue, and why (a reload or a crash: the message differs)
 * @returns {Promise<boolean>} whether the data set and model are loaded
 */
export async function loadDataset(session, name, { restore = null, why = 'resume' } = {}) {
  const s = session.state;
  if (name === 'files') return loadOwnData(session, session.ownPick, { restore, why });
  const { available, reason } = datasetAvailability(session, name);
  if (!available) {
    session.fail(`${DATASET_NAMES[name] || name} is not available: ${reason}`);
    return false;
  }
  if (s.playing) await session.pause();
  clearTimeout(session.stepEvalTimer);
  s.busy = true;
  s.playing = false;
  if (!restore) await keepFinishedRun(session, 'dataset'); // a new model: the old run stays on the charts
  s.load = { name, phase: 'download', loaded: 0, total: s.manifest[name].bytes.reduce((a, b) => a + b, 0), fromCache: false };
  session.setStatus('loading', `Loading ${DATASET_NAMES[name]}…`);
  session.invalidate('load');
  try {
    const r = await session.lab.load({
      baseUrl: session.baseUrl,
      dataset: name,
      entry: s.manifest[name],
      hyper: { learning_rate: s.hyper.learning_rate, batch_size: s.hyper.batch_size, l2: s.hyper.l2 },
      seed: s.hyper.seed,
    });
    await takeModel(session, r, { restore, why });
    return true;
  } catch (e) {
    s.busy = false;
    s.load = null;
    session.invalidate('load');
    if (e.crashed) return false; // the recovery takes over
    const kept = s.generation > 0 ? ` The ${DATASET_NAMES[s.dataset]} model is kept.` : ' Sections that need no data still work.';
    session.fail(`${e.message || e}.${kept}`, () => session.loadDataset(name, { restore }));
    return false;
  }
}

/**
 * Take the fresh model of a data-set load (built-in or your own files): its data set, sizes,
 * class names and transform, a new run, and the checkpoint to continue if any.
 * @param {Session} session
 * @param {import('./protocol.js').LoadResult} r
 * @param {{restore?: SavedSession|null, why?: 'resume'|'crash'}} options
 */
export async function takeModel(session, r, { restore = null, why = 'resume' }) {
  const s = session.state;
  s.dataset = r.dataset;
  s.classNames = r.classNames;
  s.trainSize = r.trainSize;
  s.testSize = r.testSize;
  s.transform = r.transform;
  newRun(session, r);
  session.addEvaluation(r.evaluation);
  s.busy = false;
  s.load = null;
  if (r.usedDefaults) {
    s.hyper = hyperOf(s.defaults);
    s.input = { ...s.hyper };
    session.emit('hyper', { fill: true });
  }
  if (restore) await session.checkpoints.resume(restore, why);
  session.emit('dataset', s);
  session.invalidate('load', 'progress', 'train', 'test', 'dataset');
  session.idleStatus();
  // Batch-size limits depend on the training-set size, and the form may have changed while
  // loading: re-check what is typed and give the new model the valid values.
  await session.updateHyper({}, true);
  session.checkpoints.save();
}

/**
 * A new model generation in the worker: curves start over.
 * @param {Session} session
 * @param {{generation: number, progress: import('./protocol.js').Progress}} r
 */
export function newRun(session, r) {
  const s = session.state;
  s.generation = r.generation;
  s.progress = r.progress;
  s.rate = 0;
  s.diverged = null;
  s.train.clear();
  s.test.clear();
  startRun(session, r.progress);
  s.evaluation = null;
}

/**
 * Take the model the worker now has after importWeights: new generation, its progress, and
 * (for a checkpoint of the same step) the saved curves.
 * @param {Session} session
 * @param {import('./protocol.js').ImportResult} r
 * @param {SavedSession|null} [record]
 */
export function adopt(session, r, record = null) {
  const s = session.state;
  clearTimeout(session.stepEvalTimer);
  newRun(session, r);
  if (record && record.step === r.progress.step && record.train && record.test) {
    Object.assign(s.train, record.train);
    Object.assign(s.test, record.test);
  }
  session.addEvaluation(r.evaluation);
  session.invalidate('progress', 'train', 'test');
  session.emit('dataset', s);
}
