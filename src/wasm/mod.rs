//! The browser boundary: every `#[wasm_bindgen]` item of the crate, and nothing else.
//!
//! This module (and its submodule `lessons`, the lecture's experiments) converts JS values
//! to core types and core errors to JS errors; it owns no logic. The model lives in wasm memory
//! behind the opaque [`Lab`] handle: JS asks it to run
//! N steps and gets small results back (losses as a `Float32Array`, metrics as plain objects).
//!
//! Errors cross as data: every failing call throws a JS `Error` named `LabError` whose `kind`
//! ([`LabError::kind`]), `field` ([`LabError::field`], or `null`) and `reason`
//! ([`LabError::reason`]) the page matches on, and whose `message` it shows. Objects cross in
//! the core's own (snake_case) field names.

use crate::data::own;
#[cfg(feature = "full")]
use crate::data::own::SetFiles;
use crate::data::{Dataset, DatasetKind};
use crate::error::LabError;
use crate::export::{TestMetrics, WeightsFile};
#[cfg(feature = "full")]
use crate::formats::weights::{self, ForeignWeights};
use crate::preprocess::{self, Background};
use crate::run::{Clock, UnitTimer};
#[cfg(feature = "full")]
use crate::step_view::step_view_rows;
use crate::train::{self, FieldErrors, Hyperparameters, PlayLimits, PlayStop, Trainer, PLAY_EVAL};
use serde::Serialize;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

pub mod curves;
#[cfg(feature = "full")]
pub mod lessons;

/// The time budget of one chunk of the play loop (ms): short, so a prediction asked for while
/// training waits at most this long (./lab bench: draw → bars while training, median 45 ms at
/// 30 ms chunks, 24–29 ms at 8 ms; throughput unchanged). Also the first guess of a step's cost.
pub const PLAY_CHUNK_MS: f64 = 8.0;

/// What every fallible call of the facade returns: its value, or the thrown `LabError` object.
pub type JsResult<T> = Result<T, JsValue>;

/// A core error as the JS `Error` the page receives: `{name: "LabError", message, kind, field, reason}`.
pub(crate) fn js_err(e: LabError) -> JsValue {
    let error = js_sys::Error::new(&e.to_string());
    error.set_name("LabError");
    let set = |key: &str, value: JsValue| {
        // Setting a property of a fresh Error object cannot fail.
        let _ = js_sys::Reflect::set(&error, &JsValue::from_str(key), &value);
    };
    set("kind", JsValue::from_str(e.kind()));
    set("field", e.field().map_or(JsValue::NULL, JsValue::from_str));
    set("reason", JsValue::from_str(&e.reason()));
    error.into()
}

/// A request that does not fit (an index out of range, a bad argument): [`LabError::Invalid`].
pub(crate) fn invalid(message: String) -> JsValue {
    js_err(LabError::Invalid(message))
}

pub(crate) fn to_js<T: Serialize>(value: &T) -> JsResult<JsValue> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| invalid(e.to_string()))
}

/// `performance.now()` of the worker (or of Node in the wasm tests): the clock of timed runs.
pub(crate) struct PerformanceClock(Option<web_sys::Performance>);

impl PerformanceClock {
    pub(crate) fn new() -> Self {
        PerformanceClock(js_sys::global().unchecked_into::<web_sys::WorkerGlobalScope>().performance())
    }
}

impl Clock for PerformanceClock {
    fn now_ms(&self) -> f64 {
        // Without a `performance` object (no such host is supported) time stands still, and a
        // timed run does one unit per call.
        self.0.as_ref().map_or(0.0, |p| p.now())
    }
}

/// Install the panic hook so that a bug (never user input) is reported with a message.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The defaults shipped by the page and the CLI, and the limits the page checks before it asks:
/// `{learning_rate, batch_size, l2, seed, max_learning_rate, max_l2, max_import_bytes,
/// max_data_bytes (of one file of your own data set), max_classes, train_size (of the default
/// data set, before it has loaded), play_chunk_ms}`.
#[wasm_bindgen(js_name = defaults)]
pub fn defaults() -> JsResult<JsValue> {
    #[derive(Serialize)]
    struct D {
        learning_rate: f64,
        batch_size: usize,
        l2: f64,
        seed: u32,
        max_learning_rate: f64,
        max_l2: f64,
        max_import_bytes: usize,
        max_data_bytes: usize,
        max_classes: usize,
        train_size: usize,
        play_chunk_ms: f64,
    }
    to_js(&D {
        learning_rate: train::DEFAULT_LEARNING_RATE,
        batch_size: train::DEFAULT_BATCH_SIZE,
        l2: train::DEFAULT_L2,
        seed: train::DEFAULT_SEED,
        max_learning_rate: train::MAX_LEARNING_RATE,
        max_l2: train::MAX_L2,
        max_import_bytes: crate::export::MAX_IMPORT_BYTES,
        max_data_bytes: own::MAX_FILE_BYTES,
        max_classes: own::MAX_CLASSES,
        train_size: DatasetKind::Mnist.train_size(),
        play_chunk_ms: PLAY_CHUNK_MS,
    })
}

/// What is wrong with each field of the form, checked independently against a training set of
/// `n_train` examples: `{learning_rate, batch_size, l2, seed}`, each the reason or `null`.
#[wasm_bindgen(js_name = validateHyperparameters)]
pub fn validate_hyperparameters(
    learning_rate: f64,
    batch_size: f64,
    l2: f64,
    seed: f64,
    n_train: usize,
) -> JsResult<JsValue> {
    to_js(&FieldErrors::check(learning_rate, batch_size, l2, seed, n_train))
}

/// A drawn or uploaded RGBA image → `{pixels: number[784], light_background, bbox}`, the
/// 28×28 image the model sees. `background` is "auto", "dark" or "light".
#[wasm_bindgen(js_name = prepareImage)]
pub fn prepare_image(rgba: &[u8], width: usize, height: usize, background: &str) -> JsResult<JsValue> {
    let bg = match background {
        "dark" => Background::Dark,
        "light" => Background::Light,
        _ => Background::Auto,
    };
    #[derive(Serialize)]
    struct P {
        pixels: Vec<f32>,
        light_background: bool,
        bbox: [usize; 4],
    }
    let p = preprocess::prepare_rgba(rgba, width, height, bg).map_err(js_err)?;
    to_js(&P { pixels: p.pixels, light_background: p.light_background, bbox: [p.bbox.0, p.bbox.1, p.bbox.2, p.bbox.3] })
}

/// A data set (training + test) parsed and validated in wasm memory, shared by the main model
/// and the lessons' experiments without copies.
#[wasm_bindgen]
pub struct Data {
    kind: DatasetKind,
    train: Arc<Dataset>,
    test: Arc<Dataset>,
    names: Vec<String>,
    held_out: bool,
}

#[wasm_bindgen]
impl Data {
    /// Parse and validate the four IDX files (already decompressed).
    #[wasm_bindgen(constructor)]
    pub fn new(
        dataset: &str,
        train_images: Vec<u8>,
        train_labels: &[u8],
        test_images: Vec<u8>,
        test_labels: &[u8],
    ) -> JsResult<Data> {
        Data::standard(dataset, |c, what| {
            let train = Dataset::from_idx(train_images, train_labels, c, &format!("{what} training set"))?;
            Ok((train, Dataset::from_idx(test_images, test_labels, c, &format!("{what} test set"))?))
        })
    }

    /// A data set from pixels and labels already checked by another copy of the core (the
    /// start-up module's `Data`, moving to the full module: [`Data::train_pixels`] and the rest).
    #[wasm_bindgen(js_name = fromPixels)]
    pub fn from_pixels(
        dataset: &str,
        train_pixels: Vec<u8>,
        train_labels: Vec<u8>,
        test_pixels: Vec<u8>,
        test_labels: Vec<u8>,
    ) -> JsResult<Data> {
        Data::standard(dataset, |c, what| {
            let train = Dataset::new(train_pixels, train_labels, c, &format!("{what} training set"))?;
            Ok((train, Dataset::new(test_pixels, test_labels, c, &format!("{what} test set"))?))
        })
    }

    /// The user's own data set ([`crate::data::own`]): the training set as one CSV (`train_a`) or
    /// two IDX files (`train_a`, `train_b`), the test set likewise or none (then `test_share` of
    /// the training rows is held out, chosen with `seed`), and an optional names file.
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = fromFiles)]
    pub fn from_files(
        train_a: Vec<u8>,
        train_b: Option<Vec<u8>>,
        test_a: Option<Vec<u8>>,
        test_b: Option<Vec<u8>>,
        names: Option<Vec<u8>>,
        test_share: f64,
        seed: f64,
    ) -> JsResult<Data> {
        let files = |a: Vec<u8>, b: Option<Vec<u8>>| {
            let mut v = vec![(String::from("file 1"), a)];
            v.extend(b.map(|b| (String::from("file 2"), b)));
            v
        };
        let seed = train::seed_from_number(seed).map_err(js_err)?;
        let train = SetFiles::from_files(files(train_a, train_b), "training file").map_err(js_err)?;
        let test = test_a.map(|a| SetFiles::from_files(files(a, test_b), "test file")).transpose().map_err(js_err)?;
        let d = own::load(train, test, names.as_deref(), test_share, seed).map_err(js_err)?;
        Ok(Data {
            kind: DatasetKind::Files,
            train: Arc::new(d.train),
            test: Arc::new(d.test),
            names: d.class_names,
            held_out: d.held_out,
        })
    }

    /// Whether the test set was held out of the training file.
    #[wasm_bindgen(js_name = heldOut)]
    pub fn held_out(&self) -> bool {
        self.held_out
    }

    /// "mnist", "fashion" or "files".
    pub fn dataset(&self) -> String {
        self.kind.id().to_string()
    }

    /// Number of training examples.
    #[wasm_bindgen(js_name = trainSize)]
    pub fn train_size(&self) -> usize {
        self.train.len()
    }

    /// Number of test examples.
    #[wasm_bindgen(js_name = testSize)]
    pub fn test_size(&self) -> usize {
        self.test.len()
    }

    /// Class names of the data set.
    #[wasm_bindgen(js_name = classNames)]
    pub fn class_names(&self) -> Vec<String> {
        self.names.clone()
    }

    /// Labels of the test set (for galleries).
    #[wasm_bindgen(js_name = testLabels)]
    pub fn test_labels(&self) -> Vec<u8> {
        self.test.labels.clone()
    }

    /// All training pixels (n × 784 bytes, row-major), for [`Data::from_pixels`] in another module.
    #[wasm_bindgen(js_name = trainPixels)]
    pub fn train_pixels(&self) -> Vec<u8> {
        self.train.images.clone()
    }

    /// All training labels.
    #[wasm_bindgen(js_name = trainLabels)]
    pub fn train_labels(&self) -> Vec<u8> {
        self.train.labels.clone()
    }

    /// All test pixels (n × 784 bytes).
    #[wasm_bindgen(js_name = testPixels)]
    pub fn test_pixels(&self) -> Vec<u8> {
        self.test.images.clone()
    }

    /// Pixels (784 bytes) of test image `index`.
    #[wasm_bindgen(js_name = testImage)]
    pub fn test_image(&self, index: usize) -> JsResult<Vec<u8>> {
        if index >= self.test.len() {
            return Err(invalid(format!("test image {index} does not exist (there are {})", self.test.len())));
        }
        Ok(self.test.image(index).to_vec())
    }
}

impl Data {
    /// MNIST or Fashion-MNIST (`dataset` is its id) from the training and test sets `build`
    /// makes for its number of classes and name: what `new` and `from_pixels` share.
    fn standard(dataset: &str, build: impl FnOnce(usize, &str) -> crate::Result<(Dataset, Dataset)>) -> JsResult<Data> {
        let kind = DatasetKind::from_id(dataset).map_err(js_err)?;
        let (train, test) = build(kind.class_names().len(), kind.id()).map_err(js_err)?;
        Ok(Data { kind, train: Arc::new(train), test: Arc::new(test), names: kind.class_names(), held_out: false })
    }

    pub(crate) fn kind(&self) -> DatasetKind {
        self.kind
    }
    pub(crate) fn names(&self) -> Vec<String> {
        self.names.clone()
    }
    pub(crate) fn sets(&self) -> (Arc<Dataset>, Arc<Dataset>) {
        (Arc::clone(&self.train), Arc::clone(&self.test))
    }
}

/// A softmax-regression model with its SGD state, living in wasm memory.
#[wasm_bindgen]
pub struct Lab {
    trainer: Trainer,
    kind: DatasetKind,
    names: Vec<String>,
    divergence: Option<String>,
    /// The measured cost of a step, for [`Lab::play`].
    timer: UnitTimer,
    clock: PerformanceClock,
    stop: PlayStop,
}

#[wasm_bindgen]
impl Lab {
    /// A model on `data` (the data is shared, not copied), validated hyperparameters first.
    #[wasm_bindgen(constructor)]
    pub fn new(data: &Data, learning_rate: f64, batch_size: f64, l2: f64, seed: f64) -> JsResult<Lab> {
        let (train_set, test_set) = data.sets();
        let hyper = Hyperparameters::from_numbers(learning_rate, batch_size, l2, train_set.len()).map_err(js_err)?;
        let seed = train::seed_from_number(seed).map_err(js_err)?;
        let trainer = Trainer::new(train_set, test_set, hyper, seed).map_err(js_err)?;
        Ok(Lab {
            trainer,
            kind: data.kind(),
            names: data.names(),
            divergence: None,
            timer: UnitTimer::new(PLAY_CHUNK_MS),
            clock: PerformanceClock::new(),
            stop: PlayStop::default(),
        })
    }

    /// Change learning rate, batch size and L2 α; training continues where it is.
    #[wasm_bindgen(js_name = setHyperparameters)]
    pub fn set_hyperparameters(&mut self, learning_rate: f64, batch_size: f64, l2: f64) -> JsResult<()> {
        let h = Hyperparameters::from_numbers(learning_rate, batch_size, l2, self.trainer.train_set().len())
            .map_err(js_err)?;
        self.trainer.set_hyperparameters(h).map_err(js_err)?;
        // A new batch size changes the cost of a step: learn it afresh from one step per call,
        // so a jump from batch 1 to 60 000 cannot run 100 slow steps in one go.
        self.timer.reset();
        Ok(())
    }

    /// Re-initialise weights and shuffling from `seed`.
    pub fn reset(&mut self, seed: f64) -> JsResult<()> {
        let seed = train::seed_from_number(seed).map_err(js_err)?;
        self.trainer.reset(seed);
        self.divergence = None;
        self.timer.reset();
        Ok(())
    }

    /// Run up to `steps` minibatch updates; returns the loss of each one that was applied.
    /// If training diverges, it stops there and `takeDivergence()` returns the message.
    pub fn train(&mut self, steps: usize) -> Vec<f32> {
        let mut losses = Vec::with_capacity(steps);
        if let Err(e) = self.trainer.steps(steps, &mut losses) {
            self.divergence = Some(e.to_string());
        }
        losses
    }

    /// Train for about `budget_ms` (the play loop's chunk) and at most `max_steps` steps (the
    /// pace's allowance; Infinity at full speed), stopping early where the test set is due for an
    /// evaluation ([`PLAY_EVAL`]; the last one was at `last_eval_ms` on `performance.now()`) or
    /// exactly where the epoch counter reaches `until_epoch` (a number < 0 or NaN: no such stop).
    /// Returns the loss of each step. `takeEvalDue()` and `takeEpochReached()` then say why it
    /// stopped; on a divergence `takeDivergence()` returns the message.
    pub fn play(&mut self, budget_ms: f64, last_eval_ms: f64, max_steps: f64, until_epoch: f64) -> Vec<f32> {
        let mut losses = Vec::new();
        let limits = PlayLimits {
            budget_ms,
            max_steps: if max_steps.is_finite() { max_steps.max(0.0) as u64 } else { u64::MAX },
            until_epoch: (until_epoch >= 0.0).then_some(until_epoch as u64),
        };
        match self.trainer.play_for(&mut self.timer, &self.clock, limits, &PLAY_EVAL, last_eval_ms, &mut losses) {
            Ok(stop) => self.stop = stop,
            Err(e) => self.divergence = Some(e.to_string()),
        }
        losses
    }

    /// Whether the last `play` call stopped for a test evaluation (cleared by reading it).
    #[wasm_bindgen(js_name = takeEvalDue)]
    pub fn take_eval_due(&mut self) -> bool {
        std::mem::take(&mut self.stop.eval_due)
    }

    /// Whether the last `play` call reached its `until_epoch` (cleared by reading it).
    #[wasm_bindgen(js_name = takeEpochReached)]
    pub fn take_epoch_reached(&mut self) -> bool {
        std::mem::take(&mut self.stop.epoch_reached)
    }

    /// The divergence message of the last `train` call, if any (cleared by reading it).
    #[wasm_bindgen(js_name = takeDivergence)]
    pub fn take_divergence(&mut self) -> Option<String> {
        self.divergence.take()
    }

    /// `{step, epoch, examples_seen, epochs_fraction}`.
    pub fn progress(&self) -> JsResult<JsValue> {
        to_js(&self.trainer.progress())
    }

    /// `{loss, accuracy, count, confusion}` on the full test set.
    pub fn evaluate(&mut self) -> JsResult<JsValue> {
        to_js(&self.trainer.evaluate_test())
    }

    /// Class probabilities of a 28×28 image of intensities in [0, 1] (ink = 1).
    pub fn predict(&self, pixels: &[f32]) -> JsResult<Vec<f32>> {
        self.trainer.predict(pixels).map_err(js_err)
    }

    /// Number of training examples.
    #[wasm_bindgen(js_name = trainSize)]
    pub fn train_size(&self) -> usize {
        self.trainer.train_set().len()
    }

    /// Class names of the data set.
    #[wasm_bindgen(js_name = classNames)]
    pub fn class_names(&self) -> Vec<String> {
        self.names.clone()
    }

    /// The weights `W` (784 × c, row-major) for drawing weight images.
    pub fn weights(&self) -> Vec<f32> {
        self.trainer.model().w.iter().copied().collect()
    }

    /// The bias vector `b`.
    pub fn bias(&self) -> Vec<f32> {
        self.trainer.model().b.to_vec()
    }

    /// `{mean, std}` of the input transform `x = (pixel/255 − mean)/std`.
    pub fn transform(&self) -> JsResult<JsValue> {
        to_js(&self.trainer.transform())
    }

    /// The next step in slow motion ([`crate::step_view`]), computed and not taken: numbers
    /// `{step, learning_rate, batch_size, l2, n, rows, c, loss}` and typed arrays `indices`
    /// (Uint32Array, n), `labels` (Uint8Array, n), `pixels` (Uint8Array, rows × 784), `y`, `z`,
    /// `y_hat`, `residual` (Float32Array, rows × c), `grad_w`, `w_before`, `w_after`
    /// (Float32Array, 784 × c), `grad_b`, `b_before`, `b_after` (Float32Array, c). Only the
    /// first `rows` examples' rows cross; `loss` and `w_after` are exactly what the next `train(1)`
    /// gives. A step that would diverge throws its `LabError`.
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = stepView)]
    pub fn step_view(&self, rows: usize) -> JsResult<JsValue> {
        let v = step_view_rows(&self.trainer, rows).map_err(js_err)?;
        let f32s = |a: &[f32]| JsValue::from(js_sys::Float32Array::from(a));
        let fields = [
            ("step", JsValue::from(v.step as f64)),
            ("learning_rate", v.learning_rate.into()),
            ("batch_size", v.batch_size.into()),
            ("l2", v.l2.into()),
            ("n", v.n.into()),
            ("rows", v.rows.into()),
            ("c", v.c.into()),
            ("loss", v.loss.into()),
            ("indices", js_sys::Uint32Array::from(&v.indices[..]).into()),
            ("labels", js_sys::Uint8Array::from(&v.labels[..]).into()),
            ("pixels", js_sys::Uint8Array::from(&v.pixels[..]).into()),
            ("y", f32s(&v.y)),
            ("z", f32s(&v.z)),
            ("y_hat", f32s(&v.y_hat)),
            ("residual", f32s(&v.residual)),
            ("grad_w", f32s(&v.grad_w)),
            ("grad_b", f32s(&v.grad_b)),
            ("w_before", f32s(&v.w_before)),
            ("b_before", f32s(&v.b_before)),
            ("w_after", f32s(&v.w_after)),
            ("b_after", f32s(&v.b_after)),
        ];
        let object = js_sys::Object::new();
        for (key, value) in fields {
            // Setting a property of a fresh plain object cannot fail.
            let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), &value);
        }
        Ok(object.into())
    }

    /// The run as another copy of the core takes it over ([`crate::train::RunState`], JSON): the
    /// start-up module's model moving to the full module when a section first needs it.
    #[wasm_bindgen(js_name = runState)]
    pub fn run_state(&self) -> String {
        serde_json::to_string(&self.trainer.run_state()).unwrap_or_default()
    }

    /// Continue the run of [`Lab::run_state`] from a lab on the same data set, exactly; a state
    /// that does not fit changes nothing.
    #[wasm_bindgen(js_name = takeOver)]
    pub fn take_over(&mut self, state: &str) -> JsResult<()> {
        let state: crate::train::RunState =
            serde_json::from_str(state).map_err(|e| invalid(format!("cannot take over the run: {e}")))?;
        self.trainer.take_over(state).map_err(js_err)?;
        self.divergence = None;
        self.timer.reset();
        Ok(())
    }

    /// The weights file (JSON text); pass the test figures the page shows (or NaN if none).
    #[wasm_bindgen(js_name = exportWeights)]
    pub fn export_weights(&self, test_loss: f64, test_accuracy: f64, test_examples: usize) -> String {
        let test = (test_loss.is_finite() && test_accuracy.is_finite()).then_some(TestMetrics {
            loss: test_loss,
            accuracy: test_accuracy,
            examples: test_examples,
        });
        WeightsFile::from_trainer(&self.trainer, self.kind, test).with_classes(self.names.clone()).to_json()
    }

    /// Continue the run of a weights file (the user's import, or a checkpoint the page saved):
    /// its weights, seed, hyperparameters and position, the shuffling replayed from the seed
    /// ([`WeightsFile::resume`]). Returns `{seed, hyperparameters, hyper_applied,
    /// progress_restored, exact}`. A file that cannot be imported changes nothing.
    #[wasm_bindgen(js_name = importWeights)]
    pub fn import_weights(&mut self, json: &str) -> JsResult<JsValue> {
        let file = WeightsFile::from_json(json).map_err(js_err)?;
        let resumed = file.resume(&mut self.trainer, self.kind).map_err(js_err)?;
        self.divergence = None;
        self.timer.reset();
        to_js(&resumed)
    }

    /// Read numpy weights (one `.npz` as `a`, or two `.npy` files `a` and `b`, W and b in either
    /// order) and score them on the test set under each input transform they may expect:
    /// pixel/255, the training set's μ and σ, the file's own (if it has them) and `custom_mean`,
    /// `custom_std` (skipped if both are NaN). Returns `{read, classes, class_names, scores: [{id,
    /// label, mean, std, accuracy, loss}], best}`; the model is not changed.
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = scoreNumpyWeights)]
    pub fn score_numpy_weights(
        &mut self,
        name_a: &str,
        a: &[u8],
        name_b: Option<String>,
        b: Option<Vec<u8>>,
        custom_mean: f64,
        custom_std: f64,
    ) -> JsResult<JsValue> {
        let fw = foreign(name_a, a, name_b, b).map_err(js_err)?;
        let custom = if custom_mean.is_nan() && custom_std.is_nan() {
            None
        } else {
            Some(weights::check_custom(custom_mean, custom_std).map_err(js_err)?)
        };
        let (scores, best) = weights::score_transforms(&fw, &mut self.trainer, custom).map_err(js_err)?;
        #[derive(Serialize)]
        struct S {
            read: String,
            classes: usize,
            class_names: Option<Vec<String>>,
            scores: Vec<weights::TransformScore>,
            best: usize,
        }
        to_js(&S { read: fw.description, classes: fw.classes, class_names: fw.class_names, scores, best })
    }

    /// Put numpy weights on the model, expecting inputs `(pixel/255 − mean)/std`: training
    /// restarts from step 0 with the current seed and settings. A file that cannot be imported
    /// changes nothing.
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = importNumpyWeights)]
    pub fn import_numpy_weights(
        &mut self,
        name_a: &str,
        a: &[u8],
        name_b: Option<String>,
        b: Option<Vec<u8>>,
        mean: f64,
        std: f64,
    ) -> JsResult<()> {
        let fw = foreign(name_a, a, name_b, b).map_err(js_err)?;
        let expects = weights::check_custom(mean, std).map_err(js_err)?;
        weights::apply(&fw, &mut self.trainer, expects).map_err(js_err)?;
        self.divergence = None;
        self.timer.reset();
        Ok(())
    }

    /// The model as an `.npz` (W, b, mean, std, classes) that `np.load` reads with no flags.
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = exportNpz)]
    pub fn export_npz(&self) -> JsResult<Vec<u8>> {
        weights::to_npz(self.trainer.model(), self.trainer.transform(), &self.names).map_err(js_err)
    }
}

/// numpy weights from one `.npz` or two `.npy` files.
#[cfg(feature = "full")]
fn foreign(name_a: &str, a: &[u8], name_b: Option<String>, b: Option<Vec<u8>>) -> crate::Result<ForeignWeights> {
    match (name_b, b) {
        (Some(nb), Some(b)) => ForeignWeights::from_npy_files(&[(name_a, a), (&nb, &b)]),
        _ if name_a.to_lowercase().ends_with(".npy") => ForeignWeights::from_npy_files(&[(name_a, a)]),
        _ => ForeignWeights::from_npz(a, name_a),
    }
}
