// @ts-check
// Weights in and out of the session: the export of the model as it is (with test figures of
// exactly it), and the import of a weights file, which continues the file's run. The core
// checks the file (src/export.rs); this module refuses what it can before reading, pauses
// training, and says what was imported or why not.

/**
 * The weights file of the model as it is now, with test figures evaluated for exactly it.
 * @param {import('./session.js').Session} session
 * @returns {Promise<{json: string, filename: string}>}
 */
export async function exportWeights(session) {
  const r = await session.lab.exportWeights();
  if (r.generation === session.state.generation) session.addEvaluation(r.evaluation);
  return { json: r.json, filename: `softmax-lab-${r.dataset}-step${r.progress.step}.json` };
}

/**
 * Import a weights file chosen by the user. Refused before reading if it is too large; the
 * core checks everything else. On any refusal the current model is kept and the reason is
 * shown; on success the model continues the file's run (its step count, seed and settings).
 * @param {import('./session.js').Session} session
 * @param {File} file
 */
export async function importWeights(session, file) {
  const s = session.state;
  const name = `“${file.name}”`;
  const refuse = (reason) => {
    s.importResult = { ok: false, text: `${name} was not imported: ${reason}. The current model is kept.` };
    session.invalidate('import');
  };
  if (s.busy || s.generation === 0) return refuse('no model is loaded yet');
  // The core's limit (a 784×10 model is about 0.2 MB), checked before the file is read.
  const limit = s.defaults.max_import_bytes;
  if (file.size > limit) {
    return refuse(`the file is ${(file.size / 1e6).toFixed(1)} MB; a weights file is about 0.2 MB and at most ${limit / 2 ** 20} MB is read`);
  }
  let text;
  try {
    text = await file.text();
  } catch (e) {
    return refuse(`the file could not be read (${e.message})`);
  }
  if (s.playing) await session.pause();
  await session.hyperChain;
  let r;
  try {
    r = await session.lab.importWeights(text);
  } catch (e) {
    if (e.crashed) return refuse('the training worker crashed while reading it');
    return refuse(e.reason ?? e.message); // the core's reason, without "cannot import weights: "
  }
  session.adopt(r);
  if (r.hyper_applied) {
    s.hyper = { ...r.hyperparameters, seed: r.seed };
    s.input = { ...s.hyper };
    session.emit('hyper', { fill: true });
  }
  await session.updateHyper({}, true);
  const acc = r.evaluation && Number.isFinite(r.evaluation.accuracy) ? `, test accuracy ${(r.evaluation.accuracy * 100).toFixed(2)} %` : '';
  const where = r.progress_restored ? `the model of step ${r.progress.step.toLocaleString('en-US')} (seed ${r.seed})` : 'the model (its step count does not fit this data set: counting from 0)';
  const settings = r.hyper_applied ? ' with the settings it was trained with' : ' with the current settings (the file’s do not fit this data set)';
  s.importResult = { ok: true, text: `Imported ${name}: ${where}${acc}. Training continues from there${settings}.` };
  session.invalidate('import');
  session.idleStatus();
  await session.checkpoints.save();
}

/** Whether a file is numpy weights (by its name: `.npy` or `.npz`). */
export function isNumpy(file) {
  return /\.np[yz]$/i.test(file.name);
}

/**
 * Read numpy files for the worker, refusing any over the core's import limit before reading.
 * @param {import('./session.js').Session} session
 * @param {File[]} files
 * @returns {Promise<import('./protocol.js').NumpyFile[]>}
 */
export async function readNumpy(session, files) {
  const limit = session.state.defaults.max_import_bytes;
  const big = files.find((f) => f.size > limit);
  if (big) throw new Error(`“${big.name}” is ${(big.size / 1e6).toFixed(1)} MB; at most ${limit / 2 ** 20} MB is read`);
  return Promise.all(files.map(async (f) => ({ name: f.name, bytes: await f.arrayBuffer() })));
}

/**
 * Score numpy weights under each input transform they may expect (the core's reason if it
 * refuses them, or a custom μ, σ). Training is paused first; the model is not changed.
 * @param {import('./session.js').Session} session
 * @param {import('./protocol.js').NumpyFile[]} files
 * @param {number} [customMean] NaN (the default): no custom transform
 * @param {number} [customStd]
 */
export async function scoreNumpy(session, files, customMean = NaN, customStd = NaN) {
  if (session.state.playing) await session.pause();
  await session.hyperChain;
  // Copies: the page keeps the bytes for the import that follows.
  return session.lab.scoreNumpy(files.map((f) => ({ name: f.name, bytes: f.bytes.slice(0) })), customMean, customStd);
}

/**
 * Put numpy weights on the model for inputs `(pixel/255 − mean)/std`: a new run from step 0
 * with the current seed and settings; on a refusal the current model is kept and the reason said.
 * @param {import('./session.js').Session} session
 * @param {import('./protocol.js').NumpyFile[]} files
 * @param {import('./protocol.js').TransformScore} transform the one chosen
 * @returns {Promise<boolean>} whether the weights were imported
 */
export async function importNumpy(session, files, transform) {
  const s = session.state;
  const name = files.map((f) => `“${f.name}”`).join(' and ');
  if (s.playing) await session.pause();
  await session.hyperChain;
  let r;
  try {
    r = await session.lab.importNumpy(files.map((f) => ({ name: f.name, bytes: f.bytes.slice(0) })), transform.mean, transform.std);
  } catch (e) {
    const reason = e.crashed ? 'the training worker crashed while reading it' : e.reason ?? e.message;
    s.importResult = { ok: false, text: `${name} ${files.length > 1 ? 'were' : 'was'} not imported: ${reason}. The current model is kept.` };
    session.invalidate('import');
    return false;
  }
  session.adopt(/** @type {import('./protocol.js').ImportResult} */ (/** @type {unknown} */ (r)));
  await session.updateHyper({}, true);
  const acc = r.evaluation && Number.isFinite(r.evaluation.accuracy) ? `, test accuracy ${(r.evaluation.accuracy * 100).toFixed(2)} %` : '';
  s.importResult = { ok: true, text: `Imported the numpy weights ${name} as inputs ${transform.label}${acc}. Play trains on from them (step 0, the current settings and seed).` };
  session.invalidate('import');
  session.idleStatus();
  await session.checkpoints.save();
  return true;
}

/**
 * The model as `.npz` (W, b, mean, std, classes; `np.load` reads it with no flags).
 * @param {import('./session.js').Session} session
 * @returns {Promise<{bytes: Uint8Array, filename: string}>}
 */
export async function exportNpz(session) {
  const r = await session.lab.exportNpz();
  return { bytes: r.bytes, filename: `softmax-lab-${r.dataset}-step${r.progress.step}.npz` };
}
