//! Softmax regression: `ŷ = softmax(xW + b)` trained on mean cross-entropy.
//!
//! Shapes follow the lecture: `W` is `d × c` (one column `w⁽ᵏ⁾` per class), `b` has
//! `c` entries, a minibatch `X` is `n × d`, and the gradient of the mean
//! cross-entropy is `(1/n)·Xᵀ(Ŷ − Y)` for `W` and `(1/n)·Σᵢ(ŷᵢ − yᵢ)` for `b`.
//! The optional L2 term `α·‖W‖²` adds `2αW` to the gradient of `W`; the bias is
//! not penalised.
//!
//! The code is generic over the float type: training runs in `f32`, and the
//! gradient check runs the very same functions in `f64`.

use crate::data::{Dataset, InputTransform};
use crate::error::{LabError, Result};
use ndarray::linalg::general_mat_mul;
use ndarray::{s, Array1, Array2, ArrayView1, ArrayView2, ArrayViewMut2, Axis, LinalgScalar, ScalarOperand, Zip};
use num_traits::{Float, FromPrimitive};
use rand::{Rng, SeedableRng};
use serde::Serialize;

/// The float types the model runs in (`f32` for training, `f64` for checks).
pub trait Real:
    Float
    + FromPrimitive
    + LinalgScalar
    + ScalarOperand
    + std::ops::AddAssign
    + std::ops::SubAssign
    + std::ops::MulAssign
    + std::ops::DivAssign
    + std::fmt::Debug
    + Send
    + Sync
    + 'static
{
}
impl Real for f32 {}
impl Real for f64 {}

/// Standard deviation of the seeded Gaussian initialisation of `W`.
pub const INIT_STD: f64 = 0.01;

/// Parameters of a softmax-regression model.
#[derive(Debug, Clone, PartialEq)]
pub struct SoftmaxRegression<F> {
    /// `d × c` weights, column `k` is the weight vector of class `k`.
    pub w: Array2<F>,
    /// `c` biases.
    pub b: Array1<F>,
}

/// Gradient of the objective with respect to `W` and `b` (same shapes as the model).
#[derive(Debug, Clone, PartialEq)]
pub struct Gradient<F> {
    pub w: Array2<F>,
    pub b: Array1<F>,
}

impl<F: Real> Gradient<F> {
    /// A zero gradient for a `d × c` model.
    pub fn zeros(d: usize, c: usize) -> Self {
        Gradient { w: Array2::zeros((d, c)), b: Array1::zeros(c) }
    }
}

/// A seeded stream of standard-normal numbers (Box–Muller over PCG64).
pub(crate) fn gaussian_stream(seed: u64) -> impl FnMut() -> f64 {
    let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(seed);
    move || {
        // 1 − u keeps the argument of ln in (0, 1].
        let u1: f64 = 1.0 - rng.random::<f64>();
        let u2: f64 = rng.random::<f64>();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

impl<F: Real> SoftmaxRegression<F> {
    /// All-zero parameters.
    pub fn zeros(d: usize, c: usize) -> Self {
        SoftmaxRegression { w: Array2::zeros((d, c)), b: Array1::zeros(c) }
    }

    /// Seeded initialisation: `W ~ N(0, 0.01²)`, `b = 0`. The same seed gives the same weights
    /// on every platform.
    pub fn init(d: usize, c: usize, seed: u64) -> Self {
        let mut normal = gaussian_stream(seed);
        let w = Array2::from_shape_simple_fn((d, c), || F::from_f64(normal() * INIT_STD).unwrap_or_else(F::zero));
        SoftmaxRegression { w, b: Array1::zeros(c) }
    }

    /// Number of input features `d`.
    pub fn inputs(&self) -> usize {
        self.w.nrows()
    }

    /// Number of classes `c`.
    pub fn classes(&self) -> usize {
        self.w.ncols()
    }

    /// Pre-activation scores `z = XW + b` written into `z` (`n × c`).
    pub fn logits_into(&self, x: ArrayView2<F>, mut z: ArrayViewMut2<F>) {
        general_mat_mul(F::one(), &x, &self.w, F::zero(), &mut z);
        z += &self.b;
    }

    /// Scores `z = xW + b` of one example.
    pub fn logits(&self, x: ArrayView1<F>) -> Array1<F> {
        x.dot(&self.w) + &self.b
    }

    /// Class probabilities `softmax(xW + b)` of one example.
    pub fn predict_proba(&self, x: ArrayView1<F>) -> Array1<F> {
        let mut z = self.logits(x).insert_axis(Axis(0));
        softmax_rows_inplace(z.view_mut());
        z.index_axis_move(Axis(0), 0)
    }

    /// The L2 penalty `α·‖W‖²` (the bias is not penalised).
    pub fn l2_penalty(&self, alpha: F) -> F {
        alpha * self.w.iter().fold(F::zero(), |acc, &v| acc + v * v)
    }

    /// True when every parameter is a finite number.
    pub fn is_finite(&self) -> bool {
        self.w.iter().chain(self.b.iter()).all(|v| v.is_finite())
    }

    /// Mean cross-entropy of the batch `(x, y)` and the gradient of `CE + α‖W‖²` written into `grad`.
    ///
    /// `z` is scratch space of at least `n × c`; on return it holds the probabilities `Ŷ`.
    /// Returns the data loss (mean cross-entropy, without the penalty).
    pub fn loss_and_grad(&self, x: ArrayView2<F>, y: &[u8], alpha: F, z: &mut Array2<F>, grad: &mut Gradient<F>) -> F {
        let n = x.nrows();
        let mut zb = z.slice_mut(s![..n, ..]);
        self.logits_into(x, zb.view_mut());
        let loss = softmax_cross_entropy_inplace(zb.view_mut(), y);
        // Ŷ − Y, scaled by 1/n.
        let inv_n = F::one() / F::from_usize(n).unwrap_or_else(F::one);
        for (mut row, &label) in zb.rows_mut().into_iter().zip(y) {
            row[usize::from(label)] = row[usize::from(label)] - F::one();
            row *= inv_n;
        }
        // ∇W = Xᵀ(Ŷ − Y)/n + 2αW ;  ∇b = Σᵢ(ŷᵢ − yᵢ)/n
        grad.w.assign(&self.w);
        let two_alpha = alpha + alpha;
        general_mat_mul(F::one(), &x.t(), &zb, two_alpha, &mut grad.w);
        grad.b.assign(&zb.sum_axis(Axis(0)));
        loss
    }

    /// One SGD update `θ ← θ − ε∇θ`, applied only if every new parameter is finite.
    /// Returns `false` (and leaves the model unchanged) otherwise.
    pub fn apply_update(&mut self, grad: &Gradient<F>, lr: F) -> bool {
        let finite = Zip::from(&self.w).and(&grad.w).all(|&w, &g| (w - lr * g).is_finite())
            && Zip::from(&self.b).and(&grad.b).all(|&b, &g| (b - lr * g).is_finite());
        if finite {
            Zip::from(&mut self.w).and(&grad.w).for_each(|w, &g| *w -= lr * g);
            Zip::from(&mut self.b).and(&grad.b).for_each(|b, &g| *b -= lr * g);
        }
        finite
    }
}

/// Replace each row of `z` by its softmax, subtracting the row maximum first so that
/// `exp` never overflows (the standard log-sum-exp trick; cf. linfa-logistic `softmax_inplace`).
pub fn softmax_rows_inplace<F: Real>(mut z: ArrayViewMut2<F>) {
    for mut row in z.rows_mut() {
        let max = row.iter().fold(F::neg_infinity(), |m, &v| m.max(v));
        let max = if max.is_finite() { max } else { F::zero() };
        row.mapv_inplace(|v| (v - max).exp());
        let sum = row.sum();
        row.mapv_inplace(|v| v / sum);
    }
}

/// Turn logits into probabilities in place and return the mean cross-entropy
/// `−(1/n)Σᵢ log ŷᵢ,yᵢ`, computed as `logsumexp(zᵢ) − zᵢ,yᵢ` so it stays finite even
/// when `ŷ` underflows to 0 (logits of ±1e4 give a loss of 2e4, not ∞).
pub fn softmax_cross_entropy_inplace<F: Real>(mut z: ArrayViewMut2<F>, y: &[u8]) -> F {
    let mut total = 0.0f64;
    for (mut row, &label) in z.rows_mut().into_iter().zip(y) {
        let max = row.iter().fold(F::neg_infinity(), |m, &v| m.max(v));
        let max = if max.is_finite() { max } else { F::zero() };
        let z_y = row[usize::from(label)];
        row.mapv_inplace(|v| (v - max).exp());
        let sum = row.sum();
        total += (sum.ln() + max - z_y).to_f64().unwrap_or(f64::NAN);
        row.mapv_inplace(|v| v / sum);
    }
    F::from_f64(total / y.len().max(1) as f64).unwrap_or_else(F::nan)
}

/// Softmax of one score vector (stable).
pub fn softmax<F: Real>(z: ArrayView1<F>) -> Array1<F> {
    let mut m = z.to_owned().insert_axis(Axis(0));
    softmax_rows_inplace(m.view_mut());
    m.index_axis_move(Axis(0), 0)
}

/// Test-set metrics: mean cross-entropy, accuracy and the confusion matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    /// Mean cross-entropy over the whole set.
    pub loss: f64,
    /// Fraction classified correctly.
    pub accuracy: f64,
    /// Number of examples evaluated.
    pub count: usize,
    /// `c × c` counts, row = true class, column = predicted class (row-major).
    pub confusion: Vec<u32>,
}

/// Convert `u8` pixels of `rows` consecutive images into model inputs through `lut`.
pub fn pixels_to_inputs<F: Real>(pixels: &[u8], lut: &[F; 256], mut out: ArrayViewMut2<F>) {
    for (dst, &p) in out.iter_mut().zip(pixels) {
        *dst = lut[usize::from(p)];
    }
}

/// Evaluate `model` on every example of `data` (in chunks of `chunk` examples).
pub fn evaluate<F: Real>(
    model: &SoftmaxRegression<F>,
    data: &Dataset,
    transform: &InputTransform,
    chunk: usize,
) -> Result<Metrics> {
    let (d, c) = (model.inputs(), model.classes());
    if data.classes != c {
        return Err(LabError::ShapeMismatch {
            what: "classes of the data set vs the model".into(),
            expected: c,
            actual: data.classes,
        });
    }
    let lut = transform.lut::<F>();
    let chunk = chunk.max(1);
    let mut x = Array2::<F>::zeros((chunk, d));
    let mut z = Array2::<F>::zeros((chunk, c));
    let mut confusion = vec![0u32; c * c];
    let (mut total, mut correct) = (0.0f64, 0usize);
    for start in (0..data.len()).step_by(chunk) {
        let m = chunk.min(data.len() - start);
        let labels = &data.labels[start..start + m];
        pixels_to_inputs(&data.images[start * d..(start + m) * d], &lut, x.slice_mut(s![..m, ..]));
        let mut zb = z.slice_mut(s![..m, ..]);
        model.logits_into(x.slice(s![..m, ..]), zb.view_mut());
        let loss = softmax_cross_entropy_inplace(zb.view_mut(), labels);
        total += loss.to_f64().unwrap_or(f64::NAN) * m as f64;
        for (row, &label) in zb.rows().into_iter().zip(labels) {
            let pred = argmax(row);
            confusion[usize::from(label) * c + pred] += 1;
            correct += usize::from(pred == usize::from(label));
        }
    }
    let n = data.len().max(1) as f64;
    Ok(Metrics { loss: total / n, accuracy: correct as f64 / n, count: data.len(), confusion })
}

/// Index of the largest entry (the first one on ties; NaN never wins).
pub fn argmax<F: Real>(v: ArrayView1<F>) -> usize {
    let mut best = (0, F::neg_infinity());
    for (i, &x) in v.iter().enumerate() {
        if x > best.1 {
            best = (i, x);
        }
    }
    best.0
}
