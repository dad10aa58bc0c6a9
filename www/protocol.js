// @ts-check
// The messages between the page and the training worker, as types (JSDoc only: this module
// exports nothing at run time). lab.js (the page's client), the session modules and
// lesson-client.js use them; worker.js and lessons-worker.js answer them. A request or a reply
// changed on one side and not the other fails `npm run typecheck`.
//
//   page → worker   {id, type, ...payload}               type ∈ keyof Requests, payload: Requests[type]
//   worker → page   {id, ok: true, result}               result: Results[type]
//                   {id, ok: false, error}               ErrorData {message, kind, field, reason} (errors.js)
//                   {type: 'load-progress' | 'progress' | 'stopped' | 'fatal', ...}   WorkerEvent
// The page adds one event of its own: 'crash' (LabClient: the worker died, hung or trapped).
// Where the core declares a type (www/pkg/softmax_lab.d.ts, from wasm-bindgen), it is used
// here; its serde values (progress, evaluation, defaults…) are `any` there and described here.

/** @import * as Wasm from './pkg/softmax_lab.js' */

/**
 * The core's default settings (`defaults()` of the wasm module).
 * @typedef {{learning_rate: number, batch_size: number, l2: number, seed: number, max_learning_rate: number, max_l2: number, max_import_bytes: number, max_data_bytes: number, max_classes: number, train_size: number, play_chunk_ms: number}} Defaults
 */

/**
 * The settings of the form, in the page's names.
 * @typedef {{learning_rate: number, batch_size: number, l2: number, seed: number}} Hyper
 */

/**
 * The settings the live model takes (the seed only counts at a reset).
 * @typedef {{learning_rate: number, batch_size: number, l2: number}} LiveHyper
 */

/**
 * The core's message for each setting it refuses (null: accepted).
 * @typedef {{learning_rate: string|null, batch_size: string|null, l2: string|null, seed: string|null}} HyperErrors
 */

/**
 * How far training has come (`Lab.progress()`).
 * @typedef {{step: number, epoch: number, examples_seen: number, epochs_fraction: number}} Progress
 */

/**
 * Test-set figures of one model generation at one step.
 * @typedef {{loss: number, accuracy: number, count: number, step: number, generation: number}} Evaluation
 */

/**
 * The model after a `load`.
 * @typedef {object} LoadResult
 * @property {string} dataset
 * @property {number} trainSize
 * @property {number} testSize
 * @property {string[]} classNames
 * @property {any} transform the preprocessing the core applies
 * @property {Progress} progress
 * @property {number} generation
 * @property {Evaluation} evaluation
 * @property {boolean} fromCache
 * @property {boolean} usedDefaults the page's settings did not fit this data set
 */

/**
 * Minibatch steps run.
 * @typedef {object} StepResult
 * @property {ReturnType<Wasm.Lab['train']>} losses one per step
 * @property {Progress} progress
 * @property {number} generation
 * @property {string|null} divergence why training diverged (then the steps stopped)
 * @property {Evaluation|null} evaluation after a divergence
 */

/**
 * Where the model stands (after pause or reset).
 * @typedef {{progress: Progress, generation: number, evaluation: Evaluation}} ModelState
 */

/**
 * A drawing or an image file prepared like MNIST and classified.
 * @typedef {object} PredictResult
 * @property {boolean} empty no digit found (then `message` says why, nothing else is set)
 * @property {string} [message]
 * @property {Float32Array} [pixels] the 28×28 intensities the model sees
 * @property {ReturnType<Wasm.Lab['predict']>} [probs]
 * @property {number[]} [bbox]
 * @property {boolean} [lightBackground]
 * @property {number} [step]
 */

/**
 * A weights file read into the model: it continues the file's run.
 * @typedef {object} ImportResult
 * @property {Progress} progress
 * @property {number} generation
 * @property {Evaluation} evaluation
 * @property {boolean} exact the shuffling position was replayed exactly
 * @property {boolean} progress_restored the file's step count fits this data set
 * @property {boolean} hyper_applied the file's settings fit this data set
 * @property {number} seed
 * @property {LiveHyper} hyperparameters
 */

/**
 * A numpy file the user picked (`.npy` or `.npz`), its bytes copied to the worker.
 * @typedef {{name: string, bytes: ArrayBuffer}} NumpyFile
 */

/**
 * numpy weights scored under an input transform `x = (pixel/255 − mean)/std` (the core's
 * `TransformScore`; id `pixel`, `standardised`, `file` or `custom`; accuracy NaN → null).
 * @typedef {{id: string, label: string, mean: number, std: number, accuracy: number|null, loss: number|null}} TransformScore
 */

/**
 * What `Lab.scoreNumpyWeights` read and how the weights score (`best`: index into `scores`).
 * @typedef {{read: string, classes: number, class_names: string[]|null, scores: TransformScore[], best: number}} NumpyScores
 */

/**
 * The current weights file without test figures (a checkpoint).
 * @typedef {{json: string, progress: Progress, dataset: string, generation: number}} CheckpointResult
 */

/**
 * The current weights file with fresh test figures (Export weights).
 * @typedef {{json: string, evaluation: Evaluation, progress: Progress, dataset: string, generation: number}} ExportResult
 */

/**
 * The next step in slow motion (`Lab.stepView`, the core's `StepView`): `n` examples in the
 * minibatch, the first `rows` of them in the per-example arrays (row-major), `c` classes.
 * @typedef {object} StepView
 * @property {number} step the step it is of (the model's step count + 1)
 * @property {number} learning_rate
 * @property {number} batch_size
 * @property {number} l2
 * @property {number} n
 * @property {number} rows
 * @property {number} c
 * @property {number} loss the minibatch's mean cross-entropy: what the step returns
 * @property {Uint32Array} indices training-set indices (n)
 * @property {Uint8Array} labels (n)
 * @property {Uint8Array} pixels rows × 784, 0–255
 * @property {Float32Array} y one-hot, rows × c
 * @property {Float32Array} z XW + b, rows × c
 * @property {Float32Array} y_hat softmax of z, rows × c
 * @property {Float32Array} residual Ŷ − Y, rows × c
 * @property {Float32Array} grad_w ∇W incl. 2αW, 784 × c
 * @property {Float32Array} grad_b ∇b, c
 * @property {Float32Array} w_before 784 × c
 * @property {Float32Array} b_before c
 * @property {Float32Array} w_after 784 × c, exactly what the step gives
 * @property {Float32Array} b_after c
 */

/** @typedef {'trap'|'throw'|'close'|'hang'|'memory'} TestAction test-only ways to break the worker */

/** @typedef {'logistic'|'attenuation'|'twoClass'|'l2'|'allPositive'|'grid'|'hypergradient'|'online'} ExperimentKind */

/**
 * One chunk of an experiment.
 * @typedef {{records: any[], units: number, summary: any, ms?: number, wait_ms?: number}} LessonRunResult
 */

/**
 * The input of a prediction explained: the drawn pixels, or test image `index`.
 * @typedef {{pixels: Float32Array|number[], index?: undefined} | {index: number, pixels?: undefined}} LessonInput
 */

/**
 * Every request: type → payload (what follows `{id, type}` in the message). The `lesson:*`
 * requests are answered by lessons-worker.js, the others by worker.js.
 * @typedef {{
 *   'init': {},
 *   'load': {baseUrl: string, dataset: string, entry: object, hyper: LiveHyper, seed: number},
 *   'validate': Hyper,
 *   'setHyperparameters': LiveHyper,
 *   'step': {count: number},
 *   'stepView': {rows: number},
 *   'play': {epochs?: number, stepsPerSecond: number|null},
 *   'setPace': {stepsPerSecond: number|null},
 *   'pause': {},
 *   'reset': {seed: number},
 *   'evaluate': {},
 *   'predict': {rgba: ArrayBufferLike, width: number, height: number, background: 'dark'|'light'|'auto'},
 *   'predictPixels': {pixels: Float32Array},
 *   'importWeights': {json: string},
 *   'loadFiles': {train: ArrayBuffer[], test: ArrayBuffer[]|null, names: ArrayBuffer|null, testShare: number, hyper: LiveHyper, seed: number},
 *   'scoreNumpy': {files: NumpyFile[], customMean: number, customStd: number},
 *   'importNumpy': {files: NumpyFile[], mean: number, std: number},
 *   'exportNpz': {},
 *   'checkpoint': {},
 *   'exportWeights': {},
 *   'ping': {},
 *   '__test': {action: TestAction},
 *   'lesson:defaults': {kind: ExperimentKind},
 *   'lesson:create': {kind: ExperimentKind, config: object},
 *   'lesson:run': {handle: number, maxUnits?: number, budgetMs?: number, summary?: boolean, pace?: number|null},
 *   'lesson:summary': {handle: number},
 *   'lesson:weights': {handle: number},
 *   'lesson:free': {handle: number},
 *   'lesson:sigmoidCurve': {min: number, max: number, points: number},
 *   'lesson:sigmoidAt': {z: number},
 *   'lesson:lossCurves': {points: number},
 *   'lesson:logGrid': {min: number, max: number, points: number},
 *   'lesson:testImages': {indices: number[]},
 *   'lesson:softmaxDetails': LessonInput & {trueClass: number},
 *   'lesson:contributions': LessonInput & {count: number},
 *   'lesson:modelWeights': {},
 *   'lesson:confusion': {},
 *   'lesson:cell': {trueClass: number, predictedClass: number, limit: number},
 *   'lesson:hypergradientCheck': {setup: object, epsilon: number, relativeStep?: number},
 * }} Requests
 */

/**
 * Every request: type → its result (`any`: a structure the core defines, passed through).
 * @typedef {{
 *   'init': {defaults: Defaults},
 *   'load': LoadResult,
 *   'validate': HyperErrors,
 *   'setHyperparameters': null,
 *   'step': StepResult,
 *   'stepView': {view: StepView, generation: number, playing: boolean},
 *   'play': {generation: number, untilEpoch: number},
 *   'setPace': null,
 *   'pause': ModelState,
 *   'reset': ModelState,
 *   'evaluate': {evaluation: Evaluation, generation: number},
 *   'predict': PredictResult,
 *   'predictPixels': {probs: ReturnType<Wasm.Lab['predict']>, step: number},
 *   'importWeights': ImportResult,
 *   'loadFiles': LoadResult & {heldOut: boolean},
 *   'scoreNumpy': NumpyScores,
 *   'importNumpy': ModelState,
 *   'exportNpz': {bytes: Uint8Array, progress: Progress, dataset: string},
 *   'checkpoint': CheckpointResult,
 *   'exportWeights': ExportResult,
 *   'ping': {playing: boolean},
 *   '__test': any,
 *   'lesson:defaults': any,
 *   'lesson:create': {handle: number, kind: ExperimentKind, dataset: string},
 *   'lesson:run': LessonRunResult,
 *   'lesson:summary': any,
 *   'lesson:weights': {w: ReturnType<Wasm.LogisticLesson['weights']>},
 *   'lesson:free': null,
 *   'lesson:sigmoidCurve': ReturnType<typeof Wasm.sigmoidCurve>,
 *   'lesson:sigmoidAt': ReturnType<typeof Wasm.sigmoidAt>,
 *   'lesson:lossCurves': ReturnType<typeof Wasm.lossCurves>,
 *   'lesson:logGrid': number[],
 *   'lesson:testImages': {pixels: ReturnType<typeof Wasm.testImages>, labels: Uint8Array, oneHot: ReturnType<typeof Wasm.oneHot>, classes: number},
 *   'lesson:softmaxDetails': {details: ReturnType<typeof Wasm.softmaxDetails>, step: number},
 *   'lesson:contributions': {probs: ReturnType<Wasm.Lab['predict']>, top: ReturnType<typeof Wasm.topClasses>, maps: ReturnType<typeof Wasm.contributionMaps>, bias: ReturnType<Wasm.Lab['bias']>, step: number},
 *   'lesson:modelWeights': {w: ReturnType<Wasm.Lab['weights']>, b: ReturnType<Wasm.Lab['bias']>, step: number},
 *   'lesson:confusion': any,
 *   'lesson:cell': any,
 *   'lesson:hypergradientCheck': ReturnType<typeof Wasm.hypergradientCheck>,
 * }} Results
 */

/** @typedef {keyof Requests} RequestType */

/**
 * The name of a `lesson:*` request without its prefix.
 * @typedef {{[T in RequestType]: T extends `lesson:${infer N}` ? N : never}[RequestType]} LessonName
 */

/**
 * A request as posted to the worker.
 * @template {RequestType} T
 * @typedef {{id: number, type: T} & Requests[T]} RequestMessage
 */

/**
 * The worker's reply to request `id`.
 * @template {RequestType} T
 * @typedef {{id: number, ok: true, result: Results[T]} | {id: number, ok: false, error: import('./errors.js').ErrorData}} ReplyMessage
 */

/**
 * Download progress of a data set (then one with phase 'parse' while the core checks it).
 * @typedef {{type: 'load-progress', loaded: number, total: number, fromCache: boolean, phase?: 'download'|'parse'}} LoadProgressEvent
 */

/**
 * A chunk of continuous training.
 * @typedef {{type: 'progress', generation: number, losses: ReturnType<Wasm.Lab['train']>, progress: Progress, rate: number, evaluation: Evaluation|null}} ProgressEvent
 */

/**
 * The play loop ended by itself.
 * @typedef {{type: 'stopped', generation: number, reason: 'diverged', message: string, progress: Progress, evaluation: Evaluation}} StoppedEvent
 */

/**
 * The worker is unusable (`restart`: a wasm trap or a broken play loop; the page restarts it).
 * @typedef {{type: 'fatal', error: string, restart?: boolean}} FatalEvent
 */

/** @typedef {LoadProgressEvent | ProgressEvent | StoppedEvent | FatalEvent} WorkerEvent */

/**
 * The events of the page's worker client: the worker's unsolicited messages, and 'crash'.
 * @typedef {{
 *   'load-progress': LoadProgressEvent,
 *   'progress': ProgressEvent,
 *   'stopped': StoppedEvent,
 *   'fatal': FatalEvent,
 *   'crash': {type: 'crash', reason: string},
 * }} LabEvents
 */

export {};
