//! The browser boundary: every `#[wasm_bindgen]` item of the crate, and nothing else.
//!
//! This module (and its submodule `lessons`, the lecture's experiments) converts JS values
//! to core types and core errors to `JsError`; it owns no logic. The model lives in wasm memory behind the opaque [`Lab`] handle: JS asks it to run
//! N steps and gets small results back (losses as a `Float32Array`, metrics as plain objects).

use crate::data::{Dataset, DatasetKind};
use crate::error::LabError;
use crate::export::{TestMetrics, WeightsFile};
use crate::preprocess::{self, Background};
use crate::train::{self, Hyperparameters, Trainer};
use serde::Serialize;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

mod lessons;

pub(crate) fn js_err(e: LabError) -> JsError {
    JsError::new(&e.to_string())
}

pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsError::new(&e.to_string()))
}

/// Install the panic hook so that a bug (never user input) is reported with a message.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The defaults shipped by the page and the CLI: `{learning_rate, batch_size, l2, seed}`.
#[wasm_bindgen(js_name = defaults)]
pub fn defaults() -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct D {
        learning_rate: f64,
        batch_size: usize,
        l2: f64,
        seed: u32,
        max_learning_rate: f64,
        max_l2: f64,
    }
    to_js(&D {
        learning_rate: train::DEFAULT_LEARNING_RATE,
        batch_size: train::DEFAULT_BATCH_SIZE,
        l2: train::DEFAULT_L2,
        seed: train::DEFAULT_SEED,
        max_learning_rate: train::MAX_LEARNING_RATE,
        max_l2: train::MAX_L2,
    })
}

/// Validate hyperparameters without a model (for marking form fields): throws the reason.
#[wasm_bindgen(js_name = checkHyperparameters)]
pub fn check_hyperparameters(
    learning_rate: f64,
    batch_size: f64,
    l2: f64,
    seed: f64,
    n_train: usize,
) -> Result<(), JsError> {
    Hyperparameters::from_numbers(learning_rate, batch_size, l2, n_train).map_err(js_err)?;
    train::seed_from_number(seed).map_err(js_err)?;
    Ok(())
}

/// A drawn or uploaded RGBA image → `{pixels: number[784], light_background, bbox}`, the
/// 28×28 image the model sees. `background` is "auto", "dark" or "light".
#[wasm_bindgen(js_name = prepareImage)]
pub fn prepare_image(rgba: &[u8], width: usize, height: usize, background: &str) -> Result<JsValue, JsError> {
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
    ) -> Result<Data, JsError> {
        let kind = DatasetKind::from_id(dataset).map_err(js_err)?;
        let c = kind.class_names().len();
        let name = kind.id();
        let train =
            Dataset::from_idx(train_images, train_labels, c, &format!("{name} training set")).map_err(js_err)?;
        let test = Dataset::from_idx(test_images, test_labels, c, &format!("{name} test set")).map_err(js_err)?;
        Ok(Data { kind, train: Arc::new(train), test: Arc::new(test) })
    }

    /// "mnist" or "fashion".
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
        self.kind.class_names()
    }

    /// Labels of the test set (for galleries).
    #[wasm_bindgen(js_name = testLabels)]
    pub fn test_labels(&self) -> Vec<u8> {
        self.test.labels.clone()
    }

    /// Pixels (784 bytes) of test image `index`.
    #[wasm_bindgen(js_name = testImage)]
    pub fn test_image(&self, index: usize) -> Result<Vec<u8>, JsError> {
        if index >= self.test.len() {
            return Err(JsError::new(&format!("test image {index} does not exist (there are {})", self.test.len())));
        }
        Ok(self.test.image(index).to_vec())
    }
}

impl Data {
    pub(crate) fn kind(&self) -> DatasetKind {
        self.kind
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
    divergence: Option<String>,
}

#[wasm_bindgen]
impl Lab {
    /// A model on `data` (the data is shared, not copied), validated hyperparameters first.
    #[wasm_bindgen(constructor)]
    pub fn new(data: &Data, learning_rate: f64, batch_size: f64, l2: f64, seed: f64) -> Result<Lab, JsError> {
        let (train_set, test_set) = data.sets();
        let hyper = Hyperparameters::from_numbers(learning_rate, batch_size, l2, train_set.len()).map_err(js_err)?;
        let seed = train::seed_from_number(seed).map_err(js_err)?;
        let trainer = Trainer::new(train_set, test_set, hyper, seed).map_err(js_err)?;
        Ok(Lab { trainer, kind: data.kind(), divergence: None })
    }

    /// Change learning rate, batch size and L2 α; training continues where it is.
    #[wasm_bindgen(js_name = setHyperparameters)]
    pub fn set_hyperparameters(&mut self, learning_rate: f64, batch_size: f64, l2: f64) -> Result<(), JsError> {
        let h = Hyperparameters::from_numbers(learning_rate, batch_size, l2, self.trainer.train_set().len())
            .map_err(js_err)?;
        self.trainer.set_hyperparameters(h).map_err(js_err)
    }

    /// Re-initialise weights and shuffling from `seed`.
    pub fn reset(&mut self, seed: f64) -> Result<(), JsError> {
        let seed = train::seed_from_number(seed).map_err(js_err)?;
        self.trainer.reset(seed);
        self.divergence = None;
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

    /// Restore where a checkpointed run stood (after `reset(seed)` and `importWeights`): the
    /// step count, examples seen, and the seeded shuffling position. Returns whether the
    /// shuffling was replayed exactly (false for runs longer than 2000 epochs).
    #[wasm_bindgen(js_name = restoreProgress)]
    pub fn restore_progress(&mut self, step: f64, examples_seen: f64) -> Result<bool, JsError> {
        let whole = |x: f64, what: &str| {
            if x.is_finite() && x.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(&x) {
                Ok(x as u64)
            } else {
                Err(JsError::new(&format!("{what} must be a whole number ≥ 0; got {x}")))
            }
        };
        let exact = self
            .trainer
            .restore_progress(whole(step, "step")?, whole(examples_seen, "examples seen")?)
            .map_err(js_err)?;
        self.divergence = None;
        Ok(exact)
    }

    /// The divergence message of the last `train` call, if any (cleared by reading it).
    #[wasm_bindgen(js_name = takeDivergence)]
    pub fn take_divergence(&mut self) -> Option<String> {
        self.divergence.take()
    }

    /// `{step, epoch, examples_seen, epochs_fraction}`.
    pub fn progress(&self) -> Result<JsValue, JsError> {
        to_js(&self.trainer.progress())
    }

    /// `{loss, accuracy, count, confusion}` on the full test set.
    pub fn evaluate(&mut self) -> Result<JsValue, JsError> {
        to_js(&self.trainer.evaluate_test())
    }

    /// Class probabilities of a 28×28 image of intensities in [0, 1] (ink = 1).
    pub fn predict(&self, pixels: &[f32]) -> Result<Vec<f32>, JsError> {
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
        self.kind.class_names()
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
    pub fn transform(&self) -> Result<JsValue, JsError> {
        to_js(&self.trainer.transform())
    }

    /// The weights file (JSON text); pass the test figures the page shows (or NaN if none).
    #[wasm_bindgen(js_name = exportWeights)]
    pub fn export_weights(&self, test_loss: f64, test_accuracy: f64, test_examples: usize) -> String {
        let test = (test_loss.is_finite() && test_accuracy.is_finite()).then_some(TestMetrics {
            loss: test_loss,
            accuracy: test_accuracy,
            examples: test_examples,
        });
        WeightsFile::from_trainer(&self.trainer, self.kind, test).to_json()
    }

    /// Load a weights file; on any error the current model is kept.
    #[wasm_bindgen(js_name = importWeights)]
    pub fn import_weights(&mut self, json: &str) -> Result<(), JsError> {
        let file = WeightsFile::from_json(json).map_err(js_err)?;
        if file.dataset != self.kind {
            return Err(JsError::new(&format!(
                "these weights were trained on {}, the lab is on {}: switch the data set first",
                file.dataset.id(),
                self.kind.id()
            )));
        }
        let model = file.model().map_err(js_err)?;
        self.trainer.set_model(model).map_err(js_err)
    }
}
