//! Section 5 — what the model learned. The weight vectors `w⁽ᵏ⁾` are 28×28 images (served by
//! the main model); here: the per-pixel contributions `w⁽ᵏ⁾ ⊙ x` to the score
//! `z_k = Σ_j w_j⁽ᵏ⁾ x_j + b_k` of an input, and the test images behind one cell of the
//! confusion matrix, with their probabilities.

use crate::data::{Dataset, InputTransform};
use crate::error::{LabError, Result};
use crate::lessons::common::{check_class, check_count, f64_of, for_each_chunk};
use crate::model::softmax::{argmax, softmax_rows_inplace, Real, SoftmaxRegression};
use ndarray::{Array2, ArrayView1};
use serde::Serialize;
use std::cmp::Ordering;

/// Row `r` is `w⁽ᵏ⁾ ⊙ x` for `k = classes[r]`: pixel `j` of the map is how much that pixel adds
/// to the score `z_k` (the row sums to `z_k − b_k`).
pub fn contribution_maps<F: Real>(
    model: &SoftmaxRegression<F>,
    x: ArrayView1<F>,
    classes: &[usize],
) -> Result<Array2<F>> {
    if x.len() != model.inputs() {
        return Err(LabError::ShapeMismatch {
            what: "input for the contribution maps".into(),
            expected: model.inputs(),
            actual: x.len(),
        });
    }
    let mut maps = Array2::zeros((classes.len(), model.inputs()));
    for (mut row, &k) in maps.rows_mut().into_iter().zip(classes) {
        check_class("class", k, model.classes())?;
        row.assign(&(&model.w.column(k) * &x));
    }
    Ok(maps)
}

/// The `k` most probable classes, most probable first (ties: lower class first; NaN last).
pub fn top_classes<F: Real>(probabilities: &[F], k: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..probabilities.len()).collect();
    order.sort_by(|&a, &b| {
        probabilities[b]
            .partial_cmp(&probabilities[a])
            .unwrap_or_else(|| probabilities[a].is_nan().cmp(&probabilities[b].is_nan()))
    });
    order.truncate(k);
    order
}

/// A test image in a confusion-matrix cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GalleryItem {
    /// Index in the test set.
    pub index: usize,
    /// `ŷ` for every class.
    pub probabilities: Vec<f64>,
}

/// The test images with true class `true_class` that the model classifies as `predicted_class`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfusionCell {
    pub true_class: usize,
    pub predicted_class: usize,
    /// How many test images fall in the cell (the confusion-matrix entry).
    pub count: usize,
    /// Up to `limit` of them, most confident (highest `ŷ` of the predicted class) first.
    pub items: Vec<GalleryItem>,
}

/// Most images a gallery returns.
pub const MAX_GALLERY: usize = 10_000;

/// The gallery of one confusion-matrix cell of `model` on `data` (inputs through `transform`).
pub fn confusion_cell<F: Real>(
    model: &SoftmaxRegression<F>,
    transform: &InputTransform,
    data: &Dataset,
    (true_class, predicted_class): (usize, usize),
    limit: usize,
) -> Result<ConfusionCell> {
    let c = model.classes();
    if data.classes != c {
        return Err(LabError::ShapeMismatch {
            what: "classes of the data set vs the model".into(),
            expected: c,
            actual: data.classes,
        });
    }
    check_class("the true class", true_class, c)?;
    check_class("the predicted class", predicted_class, c)?;
    check_count("gallery size", limit, 1, MAX_GALLERY)?;
    let lut = transform.lut::<F>();
    let mut items = Vec::new();
    for_each_chunk(data, &lut, |start, x, labels| {
        let mut z = Array2::zeros((labels.len(), c));
        model.logits_into(x, z.view_mut());
        softmax_rows_inplace(z.view_mut());
        for (i, (row, &label)) in z.rows().into_iter().zip(labels).enumerate() {
            if usize::from(label) == true_class && argmax(row) == predicted_class {
                items.push(GalleryItem { index: start + i, probabilities: row.iter().map(|&p| f64_of(p)).collect() });
            }
        }
    });
    let count = items.len();
    let confidence = |item: &GalleryItem| item.probabilities[predicted_class];
    items.sort_by(|a, b| {
        confidence(b).partial_cmp(&confidence(a)).unwrap_or(Ordering::Equal).then(a.index.cmp(&b.index))
    });
    items.truncate(limit);
    Ok(ConfusionCell { true_class, predicted_class, count, items })
}
