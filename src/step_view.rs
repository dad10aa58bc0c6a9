//! One SGD step of the main model in slow motion: the lecture's vectorised gradient with every
//! intermediate matrix of the real next step (`Z = XW + b`, `Ŷ = softmax(Z)`, `Ŷ − Y`,
//! `∇W = Xᵀ(Ŷ − Y)/n + 2αW`, `∇b = Σᵢ(ŷᵢ − yᵢ)/n`, `W − ε∇W`), for the page to show stage by stage.
//!
//! Nothing is sampled differently from [`Trainer::step`]: the minibatch is the one the next
//! step takes ([`Trainer::next_batch`]), the matrices are the reference path's arithmetic
//! ([`SoftmaxRegression::loss_and_grad`]), and `W`, `b` after and the loss are those of
//! [`Trainer::step`] itself, taken on a copy of the trainer, so applying the view (one real
//! Step) gives exactly them, bit for bit. The reference `W − ε∇W` agrees with them to f32
//! rounding (the fast kernel sums in another order; `tests/it/step_view.rs` states the tolerance).

use crate::data::INPUT_DIM;
use crate::error::Result;
use crate::model::softmax::{pixels_to_inputs, softmax_rows_inplace, Gradient};
use crate::train::Trainer;
use ndarray::{s, Array1, Array2};
use serde::Serialize;

/// Rows of the minibatch whose gradient is computed at once (bounds the memory of a batch of
/// 60 000: `X` is built this many rows at a time).
const CHUNK_ROWS: usize = 512;

/// Every matrix of one step (row-major; `n` examples, `c` classes, `d = 784` inputs). The
/// per-example matrices (`pixels`, `x`, `y`, `z`, `y_hat`, `residual`) hold the first `rows`
/// examples; the gradient, the weights and the loss are of the whole minibatch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepView {
    /// The step this view is of (the model's step count + 1).
    pub step: u64,
    pub learning_rate: f64,
    pub batch_size: usize,
    pub l2: f64,
    /// Examples in the minibatch (the batch size, or fewer at an epoch's end).
    pub n: usize,
    /// Examples whose rows are kept (`≤ n`).
    pub rows: usize,
    pub c: usize,
    /// Training-set indices of the minibatch (all `n`).
    pub indices: Vec<u32>,
    /// Labels of the minibatch (all `n`).
    pub labels: Vec<u8>,
    /// `rows × 784` pixels (0–255), for thumbnails.
    pub pixels: Vec<u8>,
    /// `X`, `rows × 784`: the inputs after the transform.
    pub x: Vec<f32>,
    /// `Y`, `rows × c` one-hot.
    pub y: Vec<f32>,
    /// `Z = XW + b`, `rows × c`.
    pub z: Vec<f32>,
    /// `Ŷ = softmax(Z)` row by row, `rows × c`.
    pub y_hat: Vec<f32>,
    /// `Ŷ − Y`, `rows × c` (not yet divided by `n`).
    pub residual: Vec<f32>,
    /// `∇W`, `d × c` (including `2αW` when `α > 0`).
    pub grad_w: Vec<f32>,
    /// `∇b`, `c`.
    pub grad_b: Vec<f32>,
    /// `W` and `b` before and after the step (after: [`Trainer::step`]'s).
    pub w_before: Vec<f32>,
    pub b_before: Vec<f32>,
    pub w_after: Vec<f32>,
    pub b_after: Vec<f32>,
    /// The minibatch's mean cross-entropy before the update: what [`Trainer::step`] returns.
    pub loss: f32,
}

/// The next step of `trainer` with every row kept, computed without taking it.
pub fn step_view(trainer: &Trainer) -> Result<StepView> {
    step_view_rows(trainer, usize::MAX)
}

/// The next step of `trainer`, computed without taking it, keeping the first `rows` rows of the
/// per-example matrices. A step that would diverge is the error [`Trainer::step`] gives.
pub fn step_view_rows(trainer: &Trainer, rows: usize) -> Result<StepView> {
    let model = trainer.model();
    let hyper = trainer.hyperparameters();
    let train = trainer.train_set();
    let lut = trainer.input_lut();
    let (d, c) = model.w.dim();
    let indices = trainer.next_batch();
    let n = indices.len();
    let keep = rows.min(n);
    let labels: Vec<u8> = indices.iter().map(|&i| train.labels[i as usize]).collect();
    // X row by row from the pixels, the way the trainer transforms them.
    let inputs = |from: usize, x: &mut Array2<f32>| {
        for (r, &i) in indices[from..from + x.nrows()].iter().enumerate() {
            pixels_to_inputs(train.image(i as usize), lut, x.slice_mut(s![r..r + 1, ..]));
        }
    };

    // ∇W = Xᵀ(Ŷ − Y)/n + 2αW and ∇b, by chunks of rows: each chunk's gradient (over its m rows)
    // weighted by m/n. A minibatch of one chunk is loss_and_grad itself.
    let mut grad = Gradient { w: Array2::<f32>::zeros((d, c)), b: Array1::<f32>::zeros(c) };
    let mut part = grad.clone();
    let chunk = CHUNK_ROWS.min(n);
    let mut x = Array2::<f32>::zeros((chunk, INPUT_DIM));
    let mut probs = Array2::<f32>::zeros((chunk, c));
    for from in (0..n).step_by(CHUNK_ROWS) {
        let m = CHUNK_ROWS.min(n - from);
        if x.nrows() != m {
            x = Array2::zeros((m, INPUT_DIM));
        }
        inputs(from, &mut x);
        model.loss_and_grad(x.view(), &labels[from..from + m], hyper.l2 as f32, &mut probs, &mut part);
        let share = if m == n { 1.0 } else { m as f32 / n as f32 };
        grad.w.scaled_add(share, &part.w);
        grad.b.scaled_add(share, &part.b);
    }

    // The rows shown: X, Y, Z, Ŷ, Ŷ − Y of the first `keep` examples.
    let mut xk = Array2::<f32>::zeros((keep, INPUT_DIM));
    inputs(0, &mut xk);
    let mut pixels = Vec::with_capacity(keep * INPUT_DIM);
    for &i in &indices[..keep] {
        pixels.extend_from_slice(train.image(i as usize));
    }
    let mut z = Array2::<f32>::zeros((keep, c));
    model.logits_into(xk.view(), z.view_mut());
    let mut y = Array2::<f32>::zeros((keep, c));
    for (r, &label) in labels[..keep].iter().enumerate() {
        y[[r, usize::from(label)]] = 1.0;
    }
    let mut y_hat = z.clone();
    softmax_rows_inplace(y_hat.view_mut());
    let residual = &y_hat - &y;

    // The real step, on a copy: its loss and weights are what applying the view gives.
    let mut next = trainer.clone();
    let loss = next.step()?;
    let flat = |a: &Array2<f32>| a.iter().copied().collect::<Vec<f32>>();
    Ok(StepView {
        step: trainer.progress().step + 1,
        learning_rate: hyper.learning_rate,
        batch_size: hyper.batch_size,
        l2: hyper.l2,
        n,
        rows: keep,
        c,
        indices,
        labels,
        pixels,
        x: flat(&xk),
        y: flat(&y),
        z: flat(&z),
        y_hat: flat(&y_hat),
        residual: flat(&residual),
        grad_w: flat(&grad.w),
        grad_b: grad.b.to_vec(),
        w_before: flat(&model.w),
        b_before: model.b.to_vec(),
        w_after: flat(&next.model().w),
        b_after: next.model().b.to_vec(),
        loss,
    })
}
