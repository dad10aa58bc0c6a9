//! Weights trained outside the lab (a numpy homework's `W` and `b`): read from `.npy` / `.npz`,
//! checked, scored under each input transform they may expect, and written back as `.npz`.
//!
//! A homework model computes `z = xW + b` (or `Wx + b`) on an input `x` whose transform the
//! files do not say: `pixel/255`, or standardised with the training set's μ and σ, or some
//! other μ, σ. [`score_transforms`] measures the test accuracy under each and the import
//! defaults to the best. The lab's trainer keeps its own transform (the training set's μ, σ),
//! so a model that expects `x' = (pixel/255 − μ')/σ'` is rewritten for the trainer's
//! `x = (pixel/255 − μ)/σ` exactly in real arithmetic: `pixel/255 = σx + μ`, hence
//! `W_lab = W·σ/σ'` and `b_lab = b + Σ_j W_j·(μ − μ')/σ'` (computed in f64, rounded once).

use crate::data::{InputTransform, INPUT_DIM};
use crate::error::{LabError, Result};
use crate::formats::npy::{self, shape_text, NpyArray, NpyData};
use crate::model::SoftmaxRegression;
use crate::train::Trainer;
use ndarray::{Array1, Array2};
use serde::Serialize;

/// Fewest and most classes a model (or a data set) may have.
pub const MIN_CLASSES: usize = 2;
pub const MAX_CLASSES: usize = 20;

/// Names a homework may give W and b.
const W_NAMES: [&str; 4] = ["w", "weights", "weight", "theta"];
const B_NAMES: [&str; 4] = ["b", "bias", "biases", "intercept"];
/// Names of the lab's own extra members.
const EXTRA_NAMES: [&str; 3] = ["mean", "std", "classes"];

/// A W and b read from numpy files, in the lab's orientation (`784 × c`), values exact.
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignWeights {
    /// `784 × c`, row-major: `w[j * c + k]` multiplies input `j` for class `k`.
    pub w: Vec<f64>,
    pub b: Vec<f64>,
    pub classes: usize,
    /// Class names stored in the file (the lab's own `.npz` export), if any.
    pub class_names: Option<Vec<String>>,
    /// The transform stored in the file (`mean`, `std` members), if any.
    pub file_transform: Option<InputTransform>,
    /// What was read, for the page: "W (10, 784) float64, transposed; b (10,) float64".
    pub description: String,
}

fn refuse(reason: impl Into<String>) -> LabError {
    LabError::Import(reason.into())
}

impl ForeignWeights {
    /// Read an `.npz` (np.savez / np.savez_compressed).
    pub fn from_npz(bytes: &[u8], what: &str) -> Result<Self> {
        Self::from_arrays(npy::parse_npz(bytes, what)?, what)
    }

    /// Read `.npy` files chosen together: `(file name, bytes)`, W and b told apart by shape.
    pub fn from_npy_files(files: &[(&str, &[u8])]) -> Result<Self> {
        if files.len() != 2 {
            return Err(refuse(format!(
                "{} .npy file{} chosen: choose two, W and b, together (or an .npz holding both)",
                files.len(),
                if files.len() == 1 { " was" } else { "s were" }
            )));
        }
        let mut arrays = Vec::new();
        for (name, bytes) in files {
            if bytes.len() > crate::export::MAX_IMPORT_BYTES {
                return Err(refuse(format!(
                    "{name}: file is {} bytes; the limit is {}",
                    bytes.len(),
                    crate::export::MAX_IMPORT_BYTES
                )));
            }
            let stem = name.rsplit(['/', '\\']).next().unwrap_or(name);
            let stem = stem.strip_suffix(".npy").unwrap_or(stem);
            arrays.push((stem.to_string(), npy::parse_npy(bytes, name)?));
        }
        Self::from_arrays(arrays, "the .npy files")
    }

    /// Pick W and b out of named arrays: by name (W/w/weights, b/bias), else the two numeric
    /// arrays there are, told apart by shape.
    pub fn from_arrays(arrays: Vec<(String, NpyArray)>, what: &str) -> Result<Self> {
        let find = |names: &[&str]| arrays.iter().position(|(n, _)| names.contains(&n.to_lowercase().as_str()));
        let (wi, bi) = match (find(&W_NAMES), find(&B_NAMES)) {
            (Some(w), Some(b)) if w != b => (w, b),
            _ => {
                let numeric: Vec<usize> = (0..arrays.len())
                    .filter(|&i| {
                        !EXTRA_NAMES.contains(&arrays[i].0.as_str()) && !matches!(arrays[i].1.data, NpyData::Str(_))
                    })
                    .collect();
                let names = || arrays.iter().map(|(n, a)| format!("{n} {}", shape_text(&a.shape))).collect::<Vec<_>>();
                if numeric.len() != 2 {
                    return Err(refuse(format!(
                        "{what} hold{} {}: W and b are needed, named W and b (np.savez('model.npz', W=W, b=b)) or as the only two arrays",
                        if arrays.len() == 1 { "s" } else { "" },
                        names().join(", ")
                    )));
                }
                let is_w = |i: usize| arrays[i].1.shape.len() == 2 && arrays[i].1.shape.contains(&INPUT_DIM);
                match (is_w(numeric[0]), is_w(numeric[1])) {
                    (true, false) => (numeric[0], numeric[1]),
                    (false, true) => (numeric[1], numeric[0]),
                    _ => {
                        return Err(refuse(format!(
                            "cannot tell W from b in {what} ({}): W must be 784 × c or c × 784, b must have c entries",
                            names().join(", ")
                        )))
                    }
                }
            }
        };
        let (w_name, w_arr) = &arrays[wi];
        let (b_name, b_arr) = &arrays[bi];
        let w_vals = w_arr.to_f64().ok_or_else(|| refuse(format!("{w_name} holds strings, not numbers")))?;
        let b_vals = b_arr.to_f64().ok_or_else(|| refuse(format!("{b_name} holds strings, not numbers")))?;
        let (w, c, transposed) = match w_arr.shape[..] {
            [d, c] if d == INPUT_DIM => (w_vals, c, false),
            [c, d] if d == INPUT_DIM => {
                let mut t = vec![0.0; INPUT_DIM * c];
                for k in 0..c {
                    for j in 0..INPUT_DIM {
                        t[j * c + k] = w_vals[k * INPUT_DIM + j];
                    }
                }
                (t, c, true)
            }
            _ => {
                return Err(refuse(format!(
                    "{w_name} has shape {}: W must be 784 × c or c × 784 (one weight per pixel of a 28 × 28 image and class)",
                    shape_text(&w_arr.shape)
                )))
            }
        };
        if !(MIN_CLASSES..=MAX_CLASSES).contains(&c) {
            return Err(refuse(format!(
                "{w_name} has shape {}: {c} classes, the lab handles {MIN_CLASSES} to {MAX_CLASSES}",
                shape_text(&w_arr.shape)
            )));
        }
        if !matches!(b_arr.shape[..], [n] | [1, n] | [n, 1] if n == c) {
            return Err(refuse(format!(
                "{b_name} has shape {} but W has {c} classes: b must have shape ({c},)",
                shape_text(&b_arr.shape)
            )));
        }
        if let Some(i) = w.iter().position(|v| !v.is_finite()) {
            return Err(refuse(format!(
                "W[{}][{}] is {}: NaN and infinite weights cannot be used",
                i / c,
                i % c,
                w[i]
            )));
        }
        if let Some(k) = b_vals.iter().position(|v| !v.is_finite()) {
            return Err(refuse(format!("b[{k}] is {}: NaN and infinite weights cannot be used", b_vals[k])));
        }
        let scalar = |name: &str| -> Result<Option<f64>> {
            match arrays.iter().find(|(n, _)| n == name) {
                None => Ok(None),
                Some((_, a)) => match (a.to_f64(), a.len()) {
                    (Some(v), 1) if v[0].is_finite() => Ok(Some(v[0])),
                    _ => Err(refuse(format!("{name} must be one finite number"))),
                },
            }
        };
        let file_transform = match (scalar("mean")?, scalar("std")?) {
            (Some(mean), Some(std)) if std > 0.0 => Some(InputTransform { mean, std }),
            (None, None) => None,
            _ => return Err(refuse("the file's mean and std must both be there, with std > 0")),
        };
        let class_names = match arrays.iter().find(|(n, _)| n == "classes") {
            Some((_, NpyArray { data: NpyData::Str(names), .. })) if names.len() == c => Some(names.clone()),
            Some(_) => return Err(refuse(format!("classes must be {c} strings, one per class"))),
            None => None,
        };
        let description = format!(
            "W {} {}{}; b {} {}",
            shape_text(&w_arr.shape),
            w_arr.dtype_name(),
            if transposed { " (transposed to 784 × c)" } else { "" },
            shape_text(&b_arr.shape),
            b_arr.dtype_name()
        );
        Ok(ForeignWeights { w, b: b_vals, classes: c, class_names, file_transform, description })
    }

    /// The model for a lab whose inputs are `lab`-transformed, given that these weights expect
    /// `expects`-transformed inputs (see the module doc). Values may overflow to ∞ for an
    /// extreme `expects`: the caller's checks refuse such a model.
    pub fn model_for(&self, expects: InputTransform, lab: InputTransform) -> SoftmaxRegression<f32> {
        let c = self.classes;
        let scale = lab.std / expects.std;
        let shift = (lab.mean - expects.mean) / expects.std;
        let same = expects == lab;
        let w: Vec<f32> = self.w.iter().map(|&v| if same { v as f32 } else { (v * scale) as f32 }).collect();
        let b: Vec<f32> = (0..c)
            .map(|k| {
                if same {
                    return self.b[k] as f32;
                }
                let col: f64 = (0..INPUT_DIM).map(|j| self.w[j * c + k]).sum();
                (self.b[k] + col * shift) as f32
            })
            .collect();
        SoftmaxRegression { w: Array2::from_shape_vec((INPUT_DIM, c), w).unwrap_or_default(), b: Array1::from(b) }
    }
}

/// One input transform the imported weights may expect, with its score on the test set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TransformScore {
    /// "pixel" (pixel/255), "standardised" (the training set's μ, σ), "file" (the μ, σ stored
    /// in the file) or "custom".
    pub id: String,
    pub label: String,
    pub mean: f64,
    pub std: f64,
    /// Test accuracy and loss of the weights under this transform (NaN if it cannot be used).
    pub accuracy: f64,
    pub loss: f64,
}

/// The transforms to try: pixel/255, the training set's, the file's (if any) and `custom` (if given).
pub fn candidates(
    fw: &ForeignWeights,
    lab: InputTransform,
    custom: Option<InputTransform>,
) -> Vec<(&'static str, String, InputTransform)> {
    let mut out = vec![
        ("pixel", "pixel/255".to_string(), InputTransform { mean: 0.0, std: 1.0 }),
        (
            "standardised",
            format!("standardised: (pixel/255 − {:.4}) / {:.4}, the training set's μ and σ", lab.mean, lab.std),
            lab,
        ),
    ];
    if let Some(t) = fw.file_transform {
        out.push(("file", format!("the file's μ = {:.4}, σ = {:.4}", t.mean, t.std), t));
    }
    if let Some(t) = custom {
        out.push(("custom", format!("custom μ = {}, σ = {}", t.mean, t.std), t));
    }
    out
}

/// Check a custom transform typed into the page.
pub fn check_custom(mean: f64, std: f64) -> Result<InputTransform> {
    if mean.is_finite() && std.is_finite() && std > 0.0 {
        Ok(InputTransform { mean, std })
    } else {
        Err(LabError::Invalid(format!("μ must be a number and σ a number above 0; got μ = {mean}, σ = {std}")))
    }
}

fn check_classes(fw: &ForeignWeights, trainer: &Trainer) -> Result<()> {
    let n = trainer.train_set().classes;
    if fw.classes != n {
        return Err(refuse(format!(
            "these weights are for {} classes, the lab's data set has {n}: load a data set with {} classes first",
            fw.classes, fw.classes
        )));
    }
    Ok(())
}

/// Score the weights under every candidate transform on `trainer`'s test set, with the
/// trainer's own evaluation (so the figure is the one the page shows after the import). The
/// trainer's model is put back afterwards. Returns the scores and the index of the best
/// (highest accuracy; the first of equals).
pub fn score_transforms(
    fw: &ForeignWeights,
    trainer: &mut Trainer,
    custom: Option<InputTransform>,
) -> Result<(Vec<TransformScore>, usize)> {
    check_classes(fw, trainer)?;
    let lab = trainer.transform();
    let saved = trainer.model().clone();
    let mut scores = Vec::new();
    for (id, label, t) in candidates(fw, lab, custom) {
        let (accuracy, loss) = match trainer.set_model(fw.model_for(t, lab)) {
            Ok(()) => {
                let m = trainer.evaluate_test();
                (m.accuracy, m.loss)
            }
            Err(_) => (f64::NAN, f64::NAN),
        };
        scores.push(TransformScore { id: id.into(), label, mean: t.mean, std: t.std, accuracy, loss });
    }
    trainer.set_model(saved)?;
    let best = (0..scores.len())
        .filter(|&i| scores[i].accuracy.is_finite())
        .fold(None, |best: Option<usize>, i| match best {
            Some(b) if scores[b].accuracy >= scores[i].accuracy => Some(b),
            _ => Some(i),
        })
        .ok_or_else(|| refuse("the weights give no finite output under any input transform"))?;
    Ok((scores, best))
}

/// Put the weights on `trainer`, expecting inputs transformed by `expects`: training restarts
/// from step 0 with the current seed and hyperparameters. On any error nothing changes.
pub fn apply(fw: &ForeignWeights, trainer: &mut Trainer, expects: InputTransform) -> Result<()> {
    check_classes(fw, trainer)?;
    let model = fw.model_for(expects, trainer.transform());
    if !model.is_finite() {
        return Err(refuse("under this input transform the weights overflow to infinity: choose another"));
    }
    let (seed, hyper) = (trainer.seed(), trainer.hyperparameters());
    trainer.resume(model, seed, hyper, 0, 0)?;
    Ok(())
}

/// The trainer's model as an `.npz` that `np.load` reads with no flags: `W` (784 × c float32),
/// `b` (c float32), `mean` and `std` (float64 scalars: `x = (pixel/255 − mean)/std`) and
/// `classes` (unicode strings).
pub fn to_npz(model: &SoftmaxRegression<f32>, transform: InputTransform, classes: &[String]) -> Result<Vec<u8>> {
    let (d, c) = model.w.dim();
    let w = NpyArray::f32(&[d, c], model.w.iter().copied().collect());
    let b = NpyArray::f32(&[c], model.b.to_vec());
    let mean = NpyArray::f64(&[], vec![transform.mean]);
    let std = NpyArray::f64(&[], vec![transform.std]);
    let names = NpyArray::strings(classes.to_vec());
    npy::write_npz(&[("W", &w), ("b", &b), ("mean", &mean), ("std", &std), ("classes", &names)])
}
