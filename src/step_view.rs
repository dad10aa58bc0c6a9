//! One SGD step of the main model in slow motion: the lecture's vectorised gradient with every
//! intermediate matrix of the real next step (`Z = XW + b`, `Ŷ = softmax(Z)`, `Ŷ − Y`,
//! `∇W = Xᵀ(Ŷ − Y)/n + 2αW`, `∇b = Σᵢ(ŷᵢ − yᵢ)/n`, `W − ε∇W`), for the page to show stage by stage.
//!
//! Nothing is sampled differently from [`Trainer::step`]: the minibatch is the one the next
//! step takes ([`Trainer::next_batch`]) and the arithmetic is the reference path's
//! ([`SoftmaxRegression::loss_and_grad`], [`SoftmaxRegression::apply_update`]); the fast kernel
//! that `Trainer::step` runs for 10-class data sets agrees with it to f32 rounding
//! (`tests/it/step_view.rs` states the tolerance).

use crate::data::INPUT_DIM;
use crate::error::{LabError, Result};
use crate::model::softmax::{pixels_to_inputs, softmax_rows_inplace, Gradient, SoftmaxRegression};
use crate::train::Trainer;
use ndarray::{s, Array1, Array2};
use serde::Serialize;

/// Every matrix of one step (row-major; `n` examples, `c` classes, `d = 784` inputs).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepView {
    /// The step this view is of (the model's step count + 1).
    pub step: u64,
    pub learning_rate: f64,
    pub l2: f64,
    pub n: usize,
    pub c: usize,
    /// Training-set indices of the minibatch.
    pub indices: Vec<u32>,
    pub labels: Vec<u8>,
    /// `n × 784` pixels (0–255) of the minibatch, for thumbnails.
    pub pixels: Vec<u8>,
    /// `X`, `n × 784`: the inputs after the transform.
    pub x: Vec<f32>,
    /// `Y`, `n × c` one-hot.
    pub y: Vec<f32>,
    /// `Z = XW + b`, `n × c`.
    pub z: Vec<f32>,
    /// `Ŷ = softmax(Z)` row by row, `n × c`.
    pub y_hat: Vec<f32>,
    /// `Ŷ − Y`, `n × c` (not yet divided by `n`).
    pub residual: Vec<f32>,
    /// `∇W`, `d × c` (including `2αW` when `α > 0`).
    pub grad_w: Vec<f32>,
    /// `∇b`, `c`.
    pub grad_b: Vec<f32>,
    /// `W` and `b` before and after `θ ← θ − ε∇θ`.
    pub w_before: Vec<f32>,
    pub b_before: Vec<f32>,
    pub w_after: Vec<f32>,
    pub b_after: Vec<f32>,
    /// The minibatch's mean cross-entropy before the update (what `Trainer::step` returns).
    pub loss: f32,
}

/// The next step of `trainer`, computed without taking it.
pub fn step_view(trainer: &Trainer) -> Result<StepView> {
    let model = trainer.model();
    let hyper = trainer.hyperparameters();
    let train = trainer.train_set();
    let (d, c) = model.w.dim();
    let indices = trainer.next_batch();
    let n = indices.len();
    let mut x = Array2::<f32>::zeros((n, INPUT_DIM));
    let mut pixels = Vec::with_capacity(n * INPUT_DIM);
    let mut labels = Vec::with_capacity(n);
    for (row, &i) in indices.iter().enumerate() {
        let image = train.image(i as usize);
        pixels.extend_from_slice(image);
        pixels_to_inputs(image, trainer.input_lut(), x.slice_mut(s![row..row + 1, ..]));
        labels.push(train.labels[i as usize]);
    }
    let mut z = Array2::<f32>::zeros((n, c));
    model.logits_into(x.view(), z.view_mut());
    let mut probs = Array2::<f32>::zeros((n, c));
    let mut grad = Gradient { w: Array2::zeros((d, c)), b: Array1::zeros(c) };
    let loss = model.loss_and_grad(x.view(), &labels, hyper.l2 as f32, &mut probs, &mut grad);
    let mut y = Array2::<f32>::zeros((n, c));
    for (r, &label) in labels.iter().enumerate() {
        y[[r, usize::from(label)]] = 1.0;
    }
    let mut y_hat = z.clone();
    softmax_rows_inplace(y_hat.view_mut());
    let residual = &y_hat - &y;
    let mut after: SoftmaxRegression<f32> = model.clone();
    if !loss.is_finite() || !after.apply_update(&grad, hyper.learning_rate as f32) {
        return Err(LabError::Diverged { step: trainer.progress().step + 1, loss: f64::from(loss) });
    }
    let flat = |a: &Array2<f32>| a.iter().copied().collect::<Vec<f32>>();
    Ok(StepView {
        step: trainer.progress().step + 1,
        learning_rate: hyper.learning_rate,
        l2: hyper.l2,
        n,
        c,
        indices,
        labels,
        pixels,
        x: flat(&x),
        y: flat(&y),
        z: flat(&z),
        y_hat: flat(&y_hat),
        residual: flat(&residual),
        grad_w: flat(&grad.w),
        grad_b: grad.b.to_vec(),
        w_before: flat(&model.w),
        b_before: model.b.to_vec(),
        w_after: flat(&after.w),
        b_after: after.b.to_vec(),
        loss,
    })
}
