//! A softmax-regression model with its SGD scratch, for the experiments that step models
//! themselves (sections 4, 6 and 8) rather than through [`crate::train::Trainer`]: they need
//! several models on identical minibatches, their own data subsets, or the gradient of each
//! step (hypergradients).

use crate::error::{LabError, Result};
use crate::lessons::common::{f64_of, Batch};
use crate::model::softmax::{Gradient, Real, SoftmaxRegression};
use ndarray::linalg::general_mat_mul;
use ndarray::{s, Array2, ArrayView2, Axis, Zip};

/// A softmax model, its L2 strength `α` and scratch buffers.
#[derive(Debug, Clone)]
pub struct SoftmaxLearner<F> {
    model: SoftmaxRegression<F>,
    alpha: F,
    grad: Gradient<F>,
    z: Array2<F>,
    rows: usize,
}

impl<F: Real> SoftmaxLearner<F> {
    pub fn new(model: SoftmaxRegression<F>, alpha: F) -> Self {
        let (d, c) = (model.inputs(), model.classes());
        SoftmaxLearner { model, alpha, grad: Gradient::zeros(d, c), z: Array2::zeros((0, c)), rows: 0 }
    }

    pub fn model(&self) -> &SoftmaxRegression<F> {
        &self.model
    }

    pub fn alpha(&self) -> F {
        self.alpha
    }

    /// Replace the parameters (same shapes).
    pub fn set_model(&mut self, model: SoftmaxRegression<F>) {
        self.model = model;
    }

    /// Mean cross-entropy of `batch` (before any update) and the gradient of `CE + α‖W‖²`,
    /// kept for [`Self::grad`] and [`Self::apply`].
    pub fn gradient(&mut self, batch: &Batch<F>) -> F {
        self.rows = batch.labels().len();
        if self.z.nrows() < self.rows {
            self.z = Array2::zeros((self.rows, self.model.classes()));
        }
        self.model.loss_and_grad(batch.x(), batch.labels(), self.alpha, &mut self.z, &mut self.grad)
    }

    /// The gradient computed by the last [`Self::gradient`].
    pub fn grad(&self) -> &Gradient<F> {
        &self.grad
    }

    /// The probabilities `Ŷ` of the last [`Self::gradient`]'s batch, written into `p`
    /// (recovered from the stored `(Ŷ − Y)/n`).
    pub fn probabilities_into(&self, labels: &[u8], p: &mut Array2<F>) {
        let n = F::from_usize(self.rows.max(1)).unwrap_or_else(F::one);
        if p.dim() != (self.rows, self.model.classes()) {
            *p = Array2::zeros((self.rows, self.model.classes()));
        }
        p.zip_mut_with(&self.z.slice(s![..self.rows, ..]), |p, &z| *p = z * n);
        for (mut row, &y) in p.rows_mut().into_iter().zip(labels) {
            row[usize::from(y)] += F::one();
        }
    }

    /// True when the update with the stored gradient leaves every parameter finite.
    pub fn update_is_finite(&self, lr: F) -> bool {
        let ok = |p: &F, g: &F| (*p - lr * *g).is_finite();
        Zip::from(&self.model.w).and(&self.grad.w).all(ok) && Zip::from(&self.model.b).and(&self.grad.b).all(ok)
    }

    /// The update `θ ← θ − ε∇θ` with the stored gradient; `step` numbers the error if the
    /// update is not finite (then nothing changes).
    pub fn apply(&mut self, lr: F, step: u64) -> Result<()> {
        if self.model.apply_update(&self.grad, lr) {
            Ok(())
        } else {
            Err(LabError::Diverged { step, loss: f64::INFINITY })
        }
    }

    /// Gradient and update on `batch`; returns the minibatch loss before the update.
    pub fn train_step(&mut self, batch: &Batch<F>, lr: F, step: u64) -> Result<F> {
        let loss = self.gradient(batch);
        if !loss.is_finite() {
            return Err(LabError::Diverged { step, loss: f64_of(loss) });
        }
        self.apply(lr, step)?;
        Ok(loss)
    }
}

/// The Hessian–vector product of the minibatch objective `J = CE + α‖W‖²` of softmax
/// regression, exactly: the directional derivative of the gradient
/// `∇_W J = Xᵀ(Ŷ − Y)/n + 2αW`, `∇_b J = Σᵢ(ŷᵢ − yᵢ)/n` in the direction `u = (U_W, u_b)`:
///
/// `dZ = X U_W + 1 u_bᵀ`,  `dŶ_ik = Ŷ_ik (dZ_ik − Σ_j Ŷ_ij dZ_ij)` (the softmax Jacobian),
/// `H u = (Xᵀ dŶ / n + 2α U_W,  Σᵢ dŶᵢ / n)`.
///
/// `x` is the batch (`n × d`), `p` its probabilities `Ŷ` (`n × c`); `dz` is scratch.
pub fn softmax_hvp<F: Real>(
    x: ArrayView2<F>,
    p: ArrayView2<F>,
    u: &Gradient<F>,
    alpha: F,
    dz: &mut Array2<F>,
    out: &mut Gradient<F>,
) {
    let n = x.nrows();
    if dz.dim() != p.dim() {
        *dz = Array2::zeros(p.dim());
    }
    general_mat_mul(F::one(), &x, &u.w, F::zero(), dz);
    *dz += &u.b;
    let inv_n = F::one() / F::from_usize(n.max(1)).unwrap_or_else(F::one);
    for (mut dz_row, p_row) in dz.rows_mut().into_iter().zip(p.rows()) {
        let mean = p_row.dot(&dz_row);
        Zip::from(&mut dz_row).and(&p_row).for_each(|d, &pk| *d = pk * (*d - mean) * inv_n);
    }
    out.w.assign(&u.w);
    general_mat_mul(F::one(), &x.t(), dz, alpha + alpha, &mut out.w);
    out.b.assign(&dz.sum_axis(Axis(0)));
}

/// `⟨a, b⟩` over all parameters (weights and biases).
pub fn dot<F: Real>(a: &Gradient<F>, b: &Gradient<F>) -> F {
    Zip::from(&a.w).and(&b.w).fold(F::zero(), |acc, &x, &y| acc + x * y) + a.b.dot(&b.b)
}
