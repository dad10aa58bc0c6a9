// @ts-check
// The training worker's weights in and out: a weights file imported (the user's, or a
// checkpoint the page saved) with where its run stood, numpy weights scored and put on the
// model, and the model exported as a weights file, a checkpoint or an `.npz`
// (WEIGHT_HANDLERS, which worker.js puts among its own request handlers).

import { full } from '../wasm-modules.js';
import { currentEval, evaluateNow, newGeneration, requireLab, state } from './state.js';

/** numpy files as the core's facade takes them: the first, and the second if there is one. */
function numpyArgs(files) {
  const [a, b] = files;
  return [a.name, new Uint8Array(a.bytes), b ? b.name : undefined, b ? new Uint8Array(b.bytes) : undefined];
}

/** The weights' request handlers: each returns the result (or throws); transfers go in `result.transfer`. */
export const WEIGHT_HANDLERS = {
  /**
   * Load a weights file (the user's import, or a checkpoint the page saved). A file the core
   * rejects changes nothing. An accepted one also brings where its run stood (the core's
   * `Lab.importWeights`: re-seeded with the file's seed, its weights, hyperparameters, step count
   * and shuffling position), so training continues that run.
   */
  importWeights({ json }) {
    const lab = requireLab();
    const r = lab.importWeights(json); // throws with the reason; the current model is kept
    state.playing = false;
    newGeneration();
    const evaluation = evaluateNow();
    // The core's account of the resume ({seed, hyperparameters, hyper_applied,
    // progress_restored, exact}) as it is, with where the model now stands.
    return { ...r, progress: lab.progress(), generation: state.generation, evaluation };
  },

  /**
   * numpy weights (one `.npz`, or two `.npy`): their test accuracy under each input transform
   * they may expect (the core's `Lab.scoreNumpyWeights`); the model is not changed.
   * @param {import('../protocol.js').Requests['scoreNumpy']} request
   */
  async scoreNumpy({ files, customMean, customStd }) {
    await full(state);
    const lab = requireLab();
    state.playing = false;
    return lab.scoreNumpyWeights(...numpyArgs(files), customMean, customStd);
  },

  /**
   * Put numpy weights on the model, for inputs `(pixel/255 − mean)/std` (the core re-expresses
   * them for the lab's own transform): a new model generation at step 0. A refusal changes nothing.
   * @param {import('../protocol.js').Requests['importNumpy']} request
   */
  async importNumpy({ files, mean, std }) {
    await full(state);
    const lab = requireLab();
    lab.importNumpyWeights(...numpyArgs(files), mean, std);
    state.playing = false;
    newGeneration();
    const evaluation = evaluateNow();
    return { progress: lab.progress(), generation: state.generation, evaluation };
  },

  /** The model as an `.npz` (W, b, mean, std, classes), for Export weights. */
  async exportNpz() {
    await full(state);
    const lab = requireLab();
    const bytes = new Uint8Array(lab.exportNpz());
    return { bytes, progress: lab.progress(), dataset: state.data.dataset(), transfer: [bytes.buffer] };
  },

  /** The weights file of the model as it is (no test figures): the page's checkpoint. */
  checkpoint() {
    const lab = requireLab();
    const json = lab.exportWeights(NaN, NaN, 0);
    return { json, progress: lab.progress(), dataset: state.data.dataset(), generation: state.generation };
  },

  exportWeights() {
    const lab = requireLab();
    const evaluation = currentEval();
    // A non-finite loss arrives as null from serde: pass NaN so the file says "not evaluated".
    const finite = (x) => (typeof x === 'number' && Number.isFinite(x) ? x : NaN);
    const json = lab.exportWeights(finite(evaluation.loss), finite(evaluation.accuracy), evaluation.count);
    return { json, evaluation, progress: lab.progress(), dataset: state.data.dataset(), generation: state.generation };
  },
};
