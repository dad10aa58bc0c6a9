//! The weights file written by the page's "Export weights" and the CLI's `--out`.
//!
//! Everything an outside tool needs to reproduce the logits is in the file:
//! for a 28×28 image with pixels `p` (0–255, row-major, ink bright),
//! `x = (p/255 − input.mean)/input.std` and `z_k = Σ_j x_j·W[j][k] + b[k]`.

use crate::data::{DatasetKind, InputTransform, INPUT_DIM, SIDE};
use crate::error::{LabError, Result};
use crate::model::SoftmaxRegression;
use crate::train::{Hyperparameters, Resumed, Trainer};
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

/// Value of the `format` field.
pub const FORMAT: &str = "softmax-lab-weights";
/// Current format version.
pub const VERSION: u32 = 1;
/// Largest weights file accepted on import (a 784×10 model is about 200 KB).
pub const MAX_IMPORT_BYTES: usize = 16 * 1024 * 1024;

/// How a raw image becomes the model's input vector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputSpec {
    pub width: usize,
    pub height: usize,
    /// Always "row-major, top row first; pixel 0–255 with ink bright (MNIST convention)".
    pub layout: String,
    /// Always "x = (pixel/255 - mean) / std".
    pub transform: String,
    pub mean: f64,
    pub std: f64,
}

/// Where training stood when the weights were written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingState {
    pub seed: u32,
    pub steps: u64,
    pub examples_seen: u64,
    pub epochs: f64,
}

/// Test-set figures shown when the weights were written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestMetrics {
    pub loss: f64,
    pub accuracy: f64,
    /// Number of test examples evaluated (10 000 for MNIST: the full test set).
    pub examples: usize,
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightsFile {
    pub format: String,
    pub version: u32,
    pub dataset: DatasetKind,
    pub classes: Vec<String>,
    pub input: InputSpec,
    /// `d × c`: `W[j][k]` multiplies input `j` for class `k`.
    #[serde(rename = "W")]
    pub w: Vec<Vec<f32>>,
    pub b: Vec<f32>,
    pub hyperparameters: Hyperparameters,
    pub training: TrainingState,
    /// `None` if the test set was never evaluated for these weights.
    pub test: Option<TestMetrics>,
}

impl WeightsFile {
    /// Describe the trainer's current model.
    pub fn from_trainer(trainer: &Trainer, dataset: DatasetKind, test: Option<TestMetrics>) -> Self {
        let model = trainer.model();
        let t = trainer.transform();
        let p = trainer.progress();
        WeightsFile {
            format: FORMAT.into(),
            version: VERSION,
            dataset,
            classes: match dataset.class_names() {
                names if names.len() == model.b.len() => names,
                _ => (0..model.b.len()).map(|k| k.to_string()).collect(),
            },
            input: InputSpec {
                width: SIDE,
                height: SIDE,
                layout: "row-major, top row first; pixel 0-255 with ink bright (MNIST convention)".into(),
                transform: "x = (pixel/255 - mean) / std".into(),
                mean: t.mean,
                std: t.std,
            },
            w: model.w.rows().into_iter().map(|r| r.to_vec()).collect(),
            b: model.b.to_vec(),
            hyperparameters: trainer.hyperparameters(),
            training: TrainingState {
                seed: trainer.seed(),
                steps: p.step,
                examples_seen: p.examples_seen,
                epochs: p.epochs_fraction,
            },
            test,
        }
    }

    /// The same with the class names of the lab's data set (the user's own files name theirs).
    pub fn with_classes(mut self, classes: Vec<String>) -> Self {
        if classes.len() == self.b.len() {
            self.classes = classes;
        }
        self
    }

    /// Serialise as compact JSON (f32 values written so they parse back exactly).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Parse and validate a weights file.
    pub fn from_json(text: &str) -> Result<Self> {
        if text.len() > MAX_IMPORT_BYTES {
            return Err(LabError::Import(format!("file is {} bytes; the limit is {MAX_IMPORT_BYTES}", text.len())));
        }
        let file: WeightsFile = serde_json::from_str(text).map_err(|e| {
            // serde_json (float_roundtrip) refuses a number that would be ±∞ (e.g. 1e39 for an f32).
            if e.to_string().starts_with("number out of range") {
                LabError::Import(format!(
                    "a number is too large: it would be infinite, and NaN or infinite values are not allowed ({e})"
                ))
            } else {
                LabError::Import(format!("not a weights file: {e}"))
            }
        })?;
        if file.format != FORMAT {
            return Err(LabError::Import(format!("format is {:?}, expected {FORMAT:?}", file.format)));
        }
        if file.version != VERSION {
            return Err(LabError::Import(format!(
                "format version {} is not supported (this lab reads version {VERSION})",
                file.version
            )));
        }
        let c = file.b.len();
        if c != file.classes.len() || c < 2 {
            return Err(LabError::Import(format!("b has {c} entries but there are {} classes", file.classes.len())));
        }
        if file.w.len() != INPUT_DIM || file.w.iter().any(|r| r.len() != c) {
            return Err(LabError::Import(format!("W must be {INPUT_DIM} rows of {c} numbers")));
        }
        if !(file.input.std.is_finite() && file.input.std > 0.0 && file.input.mean.is_finite()) {
            return Err(LabError::Import("input mean/std must be finite numbers with std > 0".into()));
        }
        Ok(file)
    }

    /// The model of the file, for a lab on `dataset`: refused if trained on another data set.
    pub fn model_for(&self, dataset: DatasetKind) -> Result<SoftmaxRegression<f32>> {
        if self.dataset != dataset {
            return Err(LabError::Import(format!(
                "these weights were trained on {}, the lab is on {}: switch the data set first",
                self.dataset.id(),
                dataset.id()
            )));
        }
        self.model()
    }

    /// Continue the file's run on `trainer` (a lab on `dataset`): its weights, seed,
    /// hyperparameters and position ([`Trainer::resume`]). On any error the trainer is unchanged.
    pub fn resume(&self, trainer: &mut Trainer, dataset: DatasetKind) -> Result<Resumed> {
        let model = self.model_for(dataset)?;
        let t = &self.training;
        trainer.resume(model, t.seed, self.hyperparameters, t.steps, t.examples_seen)
    }

    /// The model the file describes (values checked to be finite).
    pub fn model(&self) -> Result<SoftmaxRegression<f32>> {
        let c = self.b.len();
        // A ragged W whose total happens to be rows × c must not be silently reshaped.
        if let Some(j) = self.w.iter().position(|r| r.len() != c) {
            return Err(LabError::Import(format!(
                "W row {j} has {} numbers; every row needs {c} (one per class)",
                self.w[j].len()
            )));
        }
        let flat: Vec<f32> = self.w.iter().flatten().copied().collect();
        let w = Array2::from_shape_vec((self.w.len(), c), flat).map_err(|e| LabError::Import(e.to_string()))?;
        let model = SoftmaxRegression { w, b: Array1::from(self.b.clone()) };
        if !model.is_finite() {
            return Err(LabError::Import("weights contain NaN or infinite values".into()));
        }
        Ok(model)
    }

    /// The input transform the file describes.
    pub fn transform(&self) -> InputTransform {
        InputTransform { mean: self.input.mean, std: self.input.std }
    }
}
