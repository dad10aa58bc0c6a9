// @ts-check
// Worker side of the lecture sections: runs the experiments of src/lessons/ on the worker's
// wasm `Data` and `Lab`. worker.js imports this module and hands it every request whose type
// starts with `lesson:`; the page side is www/lesson-client.js (and run-control.js).
//
// Requests (`lesson:<name>`, payload → result):
//   create {kind, config}            → {handle, kind, dataset}        an experiment on the loaded data
//   run {handle, maxUnits, budgetMs, pace} → {records, units, ms, wait_ms, summary}  units until the time
//                                    budget is spent, at most `pace` SGD steps per second (null: full speed)
//   summary / weights / free {handle}
//   sigmoidCurve, sigmoidAt, lossCurves, logGrid                      pure functions (no data needed)
//   softmaxDetails, contributions, modelWeights, confusion, cell      the main model (`Lab`)
//   testImages {indices}, hypergradientCheck {setup, epsilon}
// Experiments stay in wasm memory behind their handle until `free`; a worker restart loses
// them (the page recreates what it needs).

/** @typedef {typeof import('./pkg/softmax_lab.js')} Full the full wasm module (wasm-modules.js) */

/** Prefix of the message types handled here. */
export const LESSON_PREFIX = 'lesson:';
/** Most experiments alive at once (a page holds about a dozen); older ones are freed. */
const MAX_EXPERIMENTS = 48;

/**
 * The experiment classes by the name the page uses.
 * @param {Full} m
 */
const kinds = (m) => ({
  logistic: m.LogisticLesson,
  attenuation: m.AttenuationLesson,
  twoClass: m.TwoClassLesson,
  l2: m.L2Lesson,
  allPositive: m.AllPositiveLesson,
  grid: m.GridSearchLesson,
  hypergradient: m.HypergradientLesson,
  online: m.OnlineHypergradientLesson,
});

/** Requests the start-up module answers (§1's and §2's curves, the main model's own figures): no need to load the full one. */
const START_MODULE_REQUESTS = new Set(['sigmoidCurve', 'sigmoidAt', 'lossCurves', 'modelWeights', 'confusion']);

/** Live experiments: handle → {kind, lesson} (the core keeps each one's measured cost of a unit). */
const experiments = new Map();
let nextHandle = 1;

function requireData(state) {
  if (!state.data) throw new Error('no data set is loaded yet');
  return state.data;
}

function requireLab(state) {
  if (!state.lab) throw new Error('no model is loaded yet');
  return state.lab;
}

function experiment(handle) {
  const e = experiments.get(handle);
  if (!e) throw new Error(`experiment ${handle} does not exist (the worker restarted, or it was freed)`);
  return e;
}

/** Intensities in [0, 1] from 0–255 bytes. */
function intensities(bytes) {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] / 255;
  return out;
}

/** The 784 intensities of a request: the drawn image, or test image `index`. */
function inputPixels(state, m, { pixels, index }) {
  if (pixels) return pixels instanceof Float32Array ? pixels : Float32Array.from(pixels);
  return intensities(m.testImages(requireData(state), Uint32Array.of(index)));
}

const HANDLERS = {
  defaults({ kind }, _, m) {
    return kinds(m)[kind].defaults();
  },

  create({ kind, config }, state, m) {
    const Kind = kinds(m)[kind];
    if (!Kind) throw new Error(`unknown experiment "${kind}"`);
    const data = requireData(state);
    const lesson = new Kind(data, config);
    const handle = nextHandle++;
    experiments.set(handle, { kind, lesson });
    while (experiments.size > MAX_EXPERIMENTS) {
      const [oldest, e] = experiments.entries().next().value;
      e.lesson.free();
      experiments.delete(oldest);
    }
    return { handle, kind, dataset: data.dataset() };
  },

  /**
   * Advance an experiment by whole units (steps, epochs…) until `budgetMs` is spent or
   * `maxUnits` are done, or it finishes: the core's timed run (units sized from their
   * measured cost), at most `pace` SGD steps per second (null: full speed): then no units
   * when the next one is not due yet, and `wait_ms` says when it is.
   */
  run({ handle, maxUnits = Infinity, budgetMs, summary = false, pace = null }) {
    const e = experiment(handle);
    const ran = e.lesson.runPaced(budgetMs, maxUnits, pace ?? undefined);
    return { ...ran, summary: summary ? e.lesson.summary() : null };
  },

  summary({ handle }) {
    return experiment(handle).lesson.summary();
  },

  /** `w` of a logistic experiment (784 values). */
  weights({ handle }) {
    const w = experiment(handle).lesson.weights();
    return { w, transfer: [w.buffer] };
  },

  free({ handle }) {
    const e = experiments.get(handle);
    if (e) {
      e.lesson.free();
      experiments.delete(handle);
    }
    return null;
  },

  sigmoidCurve({ min, max, points }, _, m) {
    return m.sigmoidCurve(min, max, points);
  },

  sigmoidAt({ z }, _, m) {
    return m.sigmoidAt(z);
  },

  lossCurves({ points }, _, m) {
    return m.lossCurves(points);
  },

  logGrid({ min, max, points }, _, m) {
    return Array.from(m.logGrid(min, max, points));
  },

  /** Test images with their labels and one-hot rows. */
  testImages({ indices }, state, m) {
    const data = requireData(state);
    const pixels = m.testImages(data, Uint32Array.from(indices));
    const all = data.testLabels();
    const labels = Uint8Array.from(indices, (i) => all[i]);
    const classes = data.classNames().length;
    const oneHotRows = m.oneHot(labels, classes);
    return { pixels, labels, oneHot: oneHotRows, classes, transfer: [pixels.buffer] };
  },

  /** The numbers of the main model's prediction (drawn pixels, or test image `index`). */
  softmaxDetails(request, state, m) {
    const lab = requireLab(state);
    const x = inputPixels(state, m, request);
    return { details: m.softmaxDetails(lab, x, request.trueClass), step: lab.progress().step };
  },

  /** Probabilities, the `count` most probable classes and their maps `w⁽ᵏ⁾ ⊙ x`. */
  contributions(request, state, m) {
    const lab = requireLab(state);
    const x = inputPixels(state, m, request);
    const probs = lab.predict(x);
    const top = m.topClasses(probs, request.count);
    const maps = m.contributionMaps(lab, x, top);
    const bias = lab.bias();
    return { probs, top, maps, bias, step: lab.progress().step, transfer: [maps.buffer, probs.buffer] };
  },

  /** W (784 × c, row-major) and b of the main model. */
  modelWeights(_, state) {
    const lab = requireLab(state);
    const w = lab.weights();
    const b = lab.bias();
    return { w, b, step: lab.progress().step, transfer: [w.buffer, b.buffer] };
  },

  /** The main model on the full test set, with its confusion matrix (row = true class). */
  confusion(_, state) {
    const lab = requireLab(state);
    const m = lab.evaluate();
    return { ...m, step: lab.progress().step };
  },

  /** The test images of one confusion-matrix cell, most confident first, with their pixels. */
  cell({ trueClass, predictedClass, limit }, state, m) {
    const lab = requireLab(state);
    const c = m.confusionCell(lab, trueClass, predictedClass, limit);
    const pixels = m.testImages(requireData(state), Uint32Array.from(c.items, (it) => it.index));
    return { ...c, pixels, step: lab.progress().step, transfer: [pixels.buffer] };
  },

  hypergradientCheck({ setup, epsilon, relativeStep = 1e-5 }, state, m) {
    return m.hypergradientCheck(requireData(state), setup, epsilon, relativeStep);
  },
};

/**
 * Handle one `lesson:*` request; returns its result (transferables in `result.transfer`) or throws.
 * The curves and the main model's figures come from the module the worker holds now; everything
 * else first moves the worker to the full module (`full()`, wasm-modules.js).
 * @param {string} type e.g. "lesson:run"
 * @param {object} payload
 * @param {{data: any, lab: any, core: any, wasmReady: Promise<void>}} state the worker's wasm objects and module
 * @param {() => Promise<Full>} full loads the full module and moves the worker's model to it
 */
export async function handleLesson(type, payload, state, full) {
  const name = type.slice(LESSON_PREFIX.length);
  const handler = HANDLERS[name];
  if (!handler) throw new Error(`unknown request "${type}"`);
  await state.wasmReady; // a section may ask before the wasm module has loaded
  const m = START_MODULE_REQUESTS.has(name) ? state.core : await full();
  return handler(payload, state, m);
}
