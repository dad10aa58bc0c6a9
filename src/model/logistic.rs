//! Logistic regression `ŷ = σ(xᵀw + b)` for binary labels `y ∈ {0, 1}`, trained on
//! the lecture's two losses:
//!
//! | loss | `ℓ(ŷ, y)` | `∂ℓ/∂z` (the "gradient factor") | `∇_w ℓ` |
//! |---|---|---|---|
//! | MSE | `½(ŷ − y)²` | `(ŷ − y)·ŷ(1 − ŷ)` | `x(ŷ − y)ŷ(1 − ŷ)` |
//! | log-loss | `−y log ŷ − (1 − y) log(1 − ŷ)` | `ŷ − y` | `x(ŷ − y)` |
//!
//! The extra factor `ŷ(1 − ŷ) = σ′(z)` of MSE is what attenuates its gradient when the
//! model is confidently wrong (lecture, "Attenuated gradient").
//!
//! Numerics: everything is computed from the logit `z`, never from a rounded `ŷ`.
//! `σ(z)` uses the branch that never exponentiates a positive number; `σ′(z)` is
//! `σ(z)·σ(−z)` (no cancellation in `1 − σ(z)`); the log-loss is written with the
//! softplus `s(t) = log(1 + eᵗ) = max(t, 0) + log1p(e^(−|t|))`, since
//! `−log σ(z) = s(−z)` and `−log(1 − σ(z)) = s(z)` (the same identities as scikit-learn's
//! `log_logistic`, used by linfa-logistic). The loss at `z = ±10⁴` is `10⁴`, not `∞`.
//!
//! Batch objective (mean over the `n` examples of a batch, plus an optional L2 term):
//! `J(w, b) = (1/n) Σᵢ ℓ(zᵢ, yᵢ) + α(‖w‖² [+ b²])`, with gradient
//! `∇_w J = (1/n) Xᵀδ + 2αw`, `∂J/∂b = (1/n) Σᵢ δᵢ [+ 2αb]`, where `δᵢ = ∂ℓ/∂zᵢ`.

use crate::error::{LabError, Result};
use crate::model::softmax::{gaussian_stream, Real, SoftmaxRegression, INIT_STD};
use ndarray::linalg::general_mat_vec_mul;
use ndarray::{s, Array1, ArrayView1, ArrayView2, ArrayViewMut1, Zip};
use num_traits::Float;
use serde::{Deserialize, Serialize};

/// The logistic sigmoid `σ(z) = 1 / (1 + e^(−z))`, evaluated without overflow:
/// for `z < 0` as `eᶻ / (1 + eᶻ)`.
pub fn sigmoid<F: Float>(z: F) -> F {
    if z >= F::zero() {
        F::one() / (F::one() + (-z).exp())
    } else {
        let e = z.exp();
        e / (F::one() + e)
    }
}

/// The derivative `σ′(z) = σ(z)(1 − σ(z))`, computed as `σ(z)·σ(−z)` so that it stays
/// accurate (not 0 by cancellation) for large `|z|`. Its maximum is `σ′(0) = ¼`.
pub fn sigmoid_prime<F: Float>(z: F) -> F {
    sigmoid(z) * sigmoid(-z)
}

/// The softplus `s(t) = log(1 + eᵗ) = max(t, 0) + log1p(e^(−|t|))` (finite for every finite `t`).
pub fn softplus<F: Float>(t: F) -> F {
    t.max(F::zero()) + (-t.abs()).exp().ln_1p()
}

/// `log σ(z) = −s(−z)`, finite for every finite `z`.
pub fn log_sigmoid<F: Float>(z: F) -> F {
    -softplus(-z)
}

/// The two losses of the lecture for a binary prediction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BinaryLoss {
    /// `½(ŷ − y)²`.
    Mse,
    /// `−y log ŷ − (1 − y) log(1 − ŷ)`.
    LogLoss,
}

impl BinaryLoss {
    /// The loss `ℓ(σ(z), y)` of the logit `z` (stable; see the module notes).
    pub fn of_logit<F: Float>(self, z: F, y: F) -> F {
        match self {
            BinaryLoss::Mse => half_square(sigmoid(z) - y),
            BinaryLoss::LogLoss => y * softplus(-z) + (F::one() - y) * softplus(z),
        }
    }

    /// `δ = ∂ℓ/∂z`: MSE `(ŷ − y)·σ(z)σ(−z)`; log-loss `ŷ − y`, written as `−y·σ(−z) + (1 − y)·σ(z)`
    /// so that it is exact for `y ∈ {0, 1}` at any `z`.
    pub fn dz<F: Float>(self, z: F, y: F) -> F {
        match self {
            BinaryLoss::Mse => (sigmoid(z) - y) * sigmoid_prime(z),
            BinaryLoss::LogLoss => (F::one() - y) * sigmoid(z) - y * sigmoid(-z),
        }
    }

    /// The loss as a function of the prediction `ŷ ∈ (0, 1)` (for the lecture's loss plots).
    pub fn of_prediction<F: Float>(self, y_hat: F, y: F) -> F {
        match self {
            BinaryLoss::Mse => half_square(y_hat - y),
            BinaryLoss::LogLoss => -(y * y_hat.ln()) - (F::one() - y) * (-y_hat).ln_1p(),
        }
    }

    /// The gradient factor `∂ℓ/∂z` as a function of `ŷ`: MSE `(ŷ − y)ŷ(1 − ŷ)`, log-loss `ŷ − y`.
    pub fn factor_of_prediction<F: Float>(self, y_hat: F, y: F) -> F {
        match self {
            BinaryLoss::Mse => (y_hat - y) * y_hat * (F::one() - y_hat),
            BinaryLoss::LogLoss => y_hat - y,
        }
    }
}

/// `½v²`.
fn half_square<F: Float>(v: F) -> F {
    v * v / (F::one() + F::one())
}

/// The L2 term `α(‖w‖² + b²)` (with `bias: true`) or `α‖w‖²` (the usual choice, `bias: false`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Penalty<F> {
    pub alpha: F,
    pub bias: bool,
}

impl<F: Real> Penalty<F> {
    /// No penalty.
    pub fn none() -> Self {
        Penalty { alpha: F::zero(), bias: false }
    }
}

/// Parameters of a logistic-regression model.
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticRegression<F> {
    /// `d` weights.
    pub w: Array1<F>,
    /// The bias `b`.
    pub b: F,
}

/// Gradient with respect to `w` and `b` (same shapes as the model).
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticGradient<F> {
    pub w: Array1<F>,
    pub b: F,
}

impl<F: Real> LogisticGradient<F> {
    /// A zero gradient for `d` inputs.
    pub fn zeros(d: usize) -> Self {
        LogisticGradient { w: Array1::zeros(d), b: F::zero() }
    }

    /// The Euclidean norm `√(‖∇w‖² + (∂b)²)`.
    pub fn norm(&self) -> F {
        (self.w.dot(&self.w) + self.b * self.b).sqrt()
    }
}

impl<F: Real> LogisticRegression<F> {
    /// All-zero parameters (`ŷ = ½` everywhere).
    pub fn zeros(d: usize) -> Self {
        LogisticRegression { w: Array1::zeros(d), b: F::zero() }
    }

    /// Seeded initialisation `w ~ N(0, 0.01²)`, `b = 0` (the same stream as softmax regression).
    pub fn init(d: usize, seed: u64) -> Self {
        let mut normal = gaussian_stream(seed);
        let w = Array1::from_shape_simple_fn(d, || F::from_f64(normal() * INIT_STD).unwrap_or_else(F::zero));
        LogisticRegression { w, b: F::zero() }
    }

    /// Number of input features `d`.
    pub fn inputs(&self) -> usize {
        self.w.len()
    }

    /// Logits `z = Xw + b` of a batch written into `z` (length `n`).
    pub fn logits_into(&self, x: ArrayView2<F>, mut z: ArrayViewMut1<F>) {
        z.fill(self.b);
        general_mat_vec_mul(F::one(), &x, &self.w, F::one(), &mut z);
    }

    /// The logit `z = xᵀw + b` of one example.
    pub fn logit(&self, x: ArrayView1<F>) -> F {
        x.dot(&self.w) + self.b
    }

    /// `ŷ = σ(xᵀw + b)`.
    pub fn predict_proba(&self, x: ArrayView1<F>) -> F {
        sigmoid(self.logit(x))
    }

    /// `‖w‖`.
    pub fn weight_norm(&self) -> F {
        self.w.dot(&self.w).sqrt()
    }

    /// The value of the L2 term.
    pub fn penalty(&self, p: Penalty<F>) -> F {
        let b2 = if p.bias { self.b * self.b } else { F::zero() };
        p.alpha * (self.w.dot(&self.w) + b2)
    }

    /// Mean loss of the batch `(x, y)` (labels 0/1) and the gradient of `J` (data loss + penalty)
    /// written into `grad`. `z` is scratch of at least `n` entries; on return it holds `δᵢ = ∂ℓ/∂zᵢ`.
    /// Returns the data loss (without the penalty).
    pub fn loss_and_grad(
        &self,
        x: ArrayView2<F>,
        y: &[u8],
        loss: BinaryLoss,
        penalty: Penalty<F>,
        z: &mut Array1<F>,
        grad: &mut LogisticGradient<F>,
    ) -> F {
        let n = x.nrows();
        let mut zb = z.slice_mut(s![..n]);
        self.logits_into(x, zb.view_mut());
        let mut total = F::zero();
        for (zi, &label) in zb.iter_mut().zip(y) {
            let yi = if label == 0 { F::zero() } else { F::one() };
            total += loss.of_logit(*zi, yi);
            *zi = loss.dz(*zi, yi);
        }
        let inv_n = F::one() / F::from_usize(n.max(1)).unwrap_or_else(F::one);
        let two_alpha = penalty.alpha + penalty.alpha;
        // ∇w = Xᵀδ/n + 2αw ;  ∂b = Σδ/n (+ 2αb)
        grad.w.assign(&self.w);
        general_mat_vec_mul(inv_n, &x.t(), &zb, two_alpha, &mut grad.w);
        grad.b = zb.sum() * inv_n + if penalty.bias { two_alpha * self.b } else { F::zero() };
        total * inv_n
    }

    /// True when the step `θ − ε∇θ` leaves every parameter finite.
    pub fn update_is_finite(&self, grad: &LogisticGradient<F>, lr: F) -> bool {
        (self.b - lr * grad.b).is_finite() && Zip::from(&self.w).and(&grad.w).all(|&w, &g| (w - lr * g).is_finite())
    }

    /// One gradient step `θ ← θ − ε∇θ`, applied only if every new parameter is finite.
    /// Returns `false` (and leaves the model unchanged) otherwise.
    pub fn apply_update(&mut self, grad: &LogisticGradient<F>, lr: F) -> bool {
        let finite = self.update_is_finite(grad, lr);
        if finite {
            Zip::from(&mut self.w).and(&grad.w).for_each(|w, &g| *w -= lr * g);
            self.b -= lr * grad.b;
        }
        finite
    }

    /// The logistic model equal to a two-class softmax model: `σ(z₁ − z₀) = softmax(z)₁`,
    /// so `w = w⁽¹⁾ − w⁽⁰⁾` and `b = b₁ − b₀` (lecture: cross-entropy subsumes log-loss at c = 2).
    pub fn from_softmax2(model: &SoftmaxRegression<F>) -> Result<Self> {
        if model.classes() != 2 {
            return Err(LabError::ShapeMismatch {
                what: "classes of a softmax model to turn into logistic regression".into(),
                expected: 2,
                actual: model.classes(),
            });
        }
        let w = &model.w.column(1) - &model.w.column(0);
        Ok(LogisticRegression { w, b: model.b[1] - model.b[0] })
    }

    /// A two-class softmax model with the same predictions: `w⁽¹⁾ = w`, `w⁽⁰⁾ = 0`, `b = (0, b)`.
    pub fn to_softmax2(&self) -> SoftmaxRegression<F> {
        let mut m = SoftmaxRegression::zeros(self.inputs(), 2);
        m.w.column_mut(1).assign(&self.w);
        m.b[1] = self.b;
        m
    }
}
