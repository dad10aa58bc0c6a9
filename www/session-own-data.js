// @ts-check
// Your own data set ("Your files…" in the Train section): files picked by the user (CSV
// `label,pixel0,…,pixel783` or IDX pairs, an optional names file) read in the page and handed to
// the worker, where the core validates them (row and column in its message) and a fresh model is
// built on them. Nothing leaves the browser. The files stay in this page's memory only (for a
// worker restart); the saved session records their names and sizes, and a reload asks for them
// again (falling back to MNIST meanwhile).

/**
 * What the user picked: the training file(s) (one CSV, or an IDX images and labels file), the
 * test file(s) or none (then `testShare` of the training rows is held out with the seed), and
 * an optional names file.
 * @typedef {{train: File[], test: File[], names: File|null, testShare: number}} OwnPick
 */

/**
 * A file of your data set as the session remembers it (never its contents).
 * @typedef {{role: 'train'|'test'|'names', name: string, size: number}} OwnFileNote
 */

/**
 * Your own data set in use.
 * @typedef {{files: OwnFileNote[], heldOut: boolean, testShare: number}} OwnData
 */

/**
 * The notes of a pick (names and sizes).
 * @param {OwnPick} pick
 * @returns {OwnFileNote[]}
 */
export function noteFiles(pick) {
  return [
    ...pick.train.map((f) => ({ role: /** @type {const} */ ('train'), name: f.name, size: f.size })),
    ...pick.test.map((f) => ({ role: /** @type {const} */ ('test'), name: f.name, size: f.size })),
    ...(pick.names ? [{ role: /** @type {const} */ ('names'), name: pick.names.name, size: pick.names.size }] : []),
  ];
}

/**
 * Say which files a list of notes names: “a.csv” (1.2 MB), …
 * @param {OwnFileNote[]} files
 */
export function describeFiles(files) {
  const size = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1e3))} kB`);
  const role = { train: 'training', test: 'test', names: 'class names' };
  return files.map((f) => `“${f.name}” (${role[f.role]}, ${size(f.size)})`).join(', ');
}

/**
 * Load your own data set and build a fresh model on it. On a refusal (the core's reason, with
 * row and column) the current data set and model are kept and `ownMessage` says why.
 * @param {import('./session.js').Session} session
 * @param {OwnPick|null} pick
 * @param {{restore?: import('./session-checkpoints.js').SavedSession|null, why?: 'resume'|'crash'}} [options]
 * @returns {Promise<boolean>} whether the data set and model are loaded
 */
export async function loadOwnData(session, pick, { restore = null, why = 'resume' } = {}) {
  const s = session.state;
  const refuse = (text) => {
    s.ownMessage = { ok: false, text };
    session.invalidate('own-data', 'controls');
    return false;
  };
  if (!pick || pick.train.length === 0) return refuse('Choose a training file first (a CSV, or an IDX images file and its labels file).');
  if (pick.train.length > 2 || pick.test.length > 2) return refuse('Choose one CSV file, or two IDX files (images and labels), for each set.');
  const limit = s.defaults.max_data_bytes;
  const all = [...pick.train, ...pick.test, ...(pick.names ? [pick.names] : [])];
  const big = all.find((f) => f.size > limit);
  if (big) return refuse(`“${big.name}” is ${(big.size / 2 ** 20).toFixed(1)} MiB; each file may be at most ${limit / 2 ** 20} MiB. Nothing was loaded; the current model is kept.`);
  const empty = all.find((f) => f.size === 0);
  if (empty) return refuse(`“${empty.name}” is empty. Nothing was loaded; the current model is kept.`);
  if (s.playing) await session.pause();
  await session.hyperChain;
  let buffers;
  try {
    buffers = await Promise.all(all.map((f) => f.arrayBuffer()));
  } catch (e) {
    return refuse(`The files could not be read (${e.message}). The current model is kept.`);
  }
  const train = buffers.slice(0, pick.train.length);
  const test = pick.test.length ? buffers.slice(pick.train.length, pick.train.length + pick.test.length) : null;
  const names = pick.names ? buffers[buffers.length - 1] : null;
  s.busy = true;
  s.ownMessage = { ok: true, text: 'Reading your files…' };
  session.setStatus('loading', 'Checking your files…');
  session.invalidate('own-data', 'load');
  try {
    const r = await session.lab.loadFiles({
      train,
      test,
      names,
      testShare: pick.testShare,
      hyper: { learning_rate: s.hyper.learning_rate, batch_size: s.hyper.batch_size, l2: s.hyper.l2 },
      seed: s.hyper.seed,
    });
    session.ownPick = pick;
    s.ownData = { files: noteFiles(pick), heldOut: r.heldOut, testShare: pick.testShare };
    const tests = `${r.testSize.toLocaleString('en-US')} test images`;
    const held = r.heldOut ? ` and ${tests} held out of the training file (share ${pick.testShare}, chosen with seed ${s.hyper.seed})` : ` and ${tests}`;
    s.ownMessage = {
      ok: true,
      text: `Loaded ${r.trainSize.toLocaleString('en-US')} training images${held}; ${r.classNames.length} classes: ${r.classNames.join(', ')}.`,
    };
    session.dismiss('own-data');
    await session.takeModel(r, { restore, why });
    session.invalidate('own-data');
    return true;
  } catch (e) {
    s.busy = false;
    session.invalidate('load', 'controls');
    if (e.crashed) return false; // the recovery takes over
    if (s.generation > 0) session.idleStatus();
    else session.setStatus('error', 'Your files could not be loaded, and no other data set is loaded.');
    return refuse(`Not loaded: ${e.reason ?? e.message}. The current model is kept.`);
  }
}
