//! Labelled image data sets held as raw `u8` pixels, and the input transform.
//!
//! Pixels stay `u8` (47 MB for the MNIST training set instead of 188 MB of `f32`);
//! a minibatch is converted to floating point when it is used, through a 256-entry
//! lookup table that applies the standardisation `x = (pixel/255 − mean)/std`.

use crate::data::idx;
use crate::error::{LabError, Result};
use num_traits::Float;
use serde::{Deserialize, Serialize};

/// Side length of the images the lab works with.
pub const SIDE: usize = 28;
/// Number of input features: 28 × 28 pixels.
pub const INPUT_DIM: usize = SIDE * SIDE;

/// The data sets the lab knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatasetKind {
    Mnist,
    Fashion,
    /// The user's own files ([`crate::data::own`]): the class names come with the data.
    Files,
}

impl DatasetKind {
    /// The short name used in URLs, file paths, the CLI and exported weights.
    pub fn id(self) -> &'static str {
        match self {
            DatasetKind::Mnist => "mnist",
            DatasetKind::Fashion => "fashion",
            DatasetKind::Files => "files",
        }
    }

    /// Parse the short name.
    pub fn from_id(id: &str) -> Result<Self> {
        match id {
            "mnist" => Ok(DatasetKind::Mnist),
            "fashion" | "fashion-mnist" => Ok(DatasetKind::Fashion),
            "files" => Ok(DatasetKind::Files),
            other => Err(LabError::Invalid(format!("unknown data set {other:?}: use \"mnist\" or \"fashion\""))),
        }
    }

    /// Examples in the published training set (both data sets: 60 000), for checking a batch
    /// size before the data has arrived.
    pub fn train_size(self) -> usize {
        60_000
    }

    /// Human-readable class names, index = label (none for [`DatasetKind::Files`]: its names
    /// come with the files).
    pub fn class_names(self) -> Vec<String> {
        match self {
            DatasetKind::Files => Vec::new(),
            DatasetKind::Mnist => (0..10).map(|d| d.to_string()).collect(),
            DatasetKind::Fashion => [
                "T-shirt/top",
                "Trouser",
                "Pullover",
                "Dress",
                "Coat",
                "Sandal",
                "Shirt",
                "Sneaker",
                "Bag",
                "Ankle boot",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        }
    }
}

/// The four IDX file names of a data set, in the order train images, train labels, test images, test labels.
pub const IDX_FILES: [&str; 4] =
    ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

/// A labelled set of 28×28 `u8` images.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Row-major pixels, `len() × INPUT_DIM` bytes.
    pub images: Vec<u8>,
    /// One label per image, each `< classes`.
    pub labels: Vec<u8>,
    /// Number of classes.
    pub classes: usize,
}

impl Dataset {
    /// Build a data set from pixels and labels, validating the shapes and label range.
    pub fn new(images: Vec<u8>, labels: Vec<u8>, classes: usize, what: &str) -> Result<Self> {
        if !images.len().is_multiple_of(INPUT_DIM) {
            return Err(LabError::ShapeMismatch {
                what: format!("{what}: pixels must be a multiple of {INPUT_DIM}"),
                expected: (images.len() / INPUT_DIM + 1) * INPUT_DIM,
                actual: images.len(),
            });
        }
        let n = images.len() / INPUT_DIM;
        if n != labels.len() {
            return Err(LabError::CountMismatch { what: what.to_string(), images: n, labels: labels.len() });
        }
        if n == 0 {
            return Err(LabError::EmptyDataset { what: what.to_string() });
        }
        if let Some((index, &label)) = labels.iter().enumerate().find(|(_, &l)| usize::from(l) >= classes) {
            return Err(LabError::LabelOutOfRange { what: what.to_string(), index, label, classes });
        }
        Ok(Dataset { images, labels, classes })
    }

    /// Parse and validate a pair of IDX files (images, labels).
    pub fn from_idx(image_bytes: Vec<u8>, label_bytes: &[u8], classes: usize, what: &str) -> Result<Self> {
        let img = idx::parse_images(image_bytes, &format!("{what} images"))?;
        if img.rows != SIDE || img.cols != SIDE {
            return Err(LabError::BadDimensions {
                what: format!("{what} images"),
                rows: img.rows,
                cols: img.cols,
                expected_rows: SIDE,
                expected_cols: SIDE,
            });
        }
        let labels = idx::parse_labels(label_bytes, &format!("{what} labels"), classes)?;
        if img.count != labels.len() {
            return Err(LabError::CountMismatch { what: what.to_string(), images: img.count, labels: labels.len() });
        }
        Self::new(img.pixels, labels, classes, what)
    }

    /// Number of examples.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True when there are no examples (never, for a validated data set).
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The pixels of example `i`. Panics if `i >= len()` (internal indices only).
    pub fn image(&self, i: usize) -> &[u8] {
        &self.images[i * INPUT_DIM..(i + 1) * INPUT_DIM]
    }

    /// A new data set made of the examples at `indices` (in that order).
    pub fn subset(&self, indices: &[usize], what: &str) -> Result<Self> {
        let mut images = Vec::with_capacity(indices.len() * INPUT_DIM);
        let mut labels = Vec::with_capacity(indices.len());
        for &i in indices {
            if i >= self.len() {
                return Err(LabError::Invalid(format!("{what}: index {i} is outside 0..{}", self.len())));
            }
            images.extend_from_slice(self.image(i));
            labels.push(self.labels[i]);
        }
        Self::new(images, labels, self.classes, what)
    }

    /// Mean and standard deviation of `pixel/255` over every pixel of the set (f64 sums).
    pub fn pixel_stats(&self) -> (f64, f64) {
        // A histogram of the 47 MB of MNIST pixels. Counting byte by byte into one table is a
        // chain of dependent increments of hist[0] (81 % of the pixels are 0): 70 ms in wasm.
        // Whole zero words are counted at once and the rest go to four tables in turn (5 ms).
        let mut tables = [[0u64; 256]; 4];
        let (words, tail) = self.images.as_chunks::<8>();
        let mut zero_words = 0u64;
        for word in words {
            if u64::from_ne_bytes(*word) == 0 {
                zero_words += 1;
                continue;
            }
            for (k, &p) in word.iter().enumerate() {
                tables[k % 4][usize::from(p)] += 1;
            }
        }
        for &p in tail {
            tables[0][usize::from(p)] += 1;
        }
        let mut hist = [0u64; 256];
        for (v, count) in hist.iter_mut().enumerate() {
            *count = tables.iter().map(|t| t[v]).sum();
        }
        hist[0] += 8 * zero_words;
        let n = self.images.len() as f64;
        let mean = hist.iter().enumerate().map(|(v, &c)| v as f64 / 255.0 * c as f64).sum::<f64>() / n;
        let var = hist.iter().enumerate().map(|(v, &c)| (v as f64 / 255.0 - mean).powi(2) * c as f64).sum::<f64>() / n;
        (mean, var.sqrt())
    }
}

/// The transform from a stored pixel (0–255) to a model input: `x = (pixel/255 − mean)/std`.
///
/// `mean` and `std` are computed from the training set (MNIST: 0.1307, 0.3081) and exported
/// with the weights so that any outside tool can reproduce the logits exactly.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct InputTransform {
    pub mean: f64,
    pub std: f64,
}

impl InputTransform {
    /// The transform that standardises `train`.
    pub fn fit(train: &Dataset) -> Self {
        let (mean, std) = train.pixel_stats();
        InputTransform { mean, std: if std > 0.0 { std } else { 1.0 } }
    }

    /// Apply to a pixel intensity in [0, 1] (`pixel/255`).
    pub fn apply(&self, intensity: f64) -> f64 {
        (intensity - self.mean) / self.std
    }

    /// The transform of every byte value, for converting minibatches quickly.
    pub fn lut<F: Float>(&self) -> [F; 256] {
        let mut t = [F::zero(); 256];
        for (v, slot) in t.iter_mut().enumerate() {
            *slot = F::from(self.apply(v as f64 / 255.0)).unwrap_or_else(F::zero);
        }
        t
    }
}
