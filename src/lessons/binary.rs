//! The engine of the binary experiments (sections 2, 3 and 7): logistic-regression models
//! `ŷ = σ(xᵀw + b)` trained in lockstep on the *same* minibatches of a two-class set, each
//! with its own loss and L2 term, and evaluated on a held-out two-class set.

use crate::data::Dataset;
use crate::error::{LabError, Result};
use crate::lessons::common::{check_count, check_sgd, f64_of, for_each_chunk, real, Batch, Minibatches, CHUNK};
use crate::model::logistic::{BinaryLoss, LogisticGradient, LogisticRegression, Penalty};
use crate::model::softmax::Real;
use ndarray::{s, Array1};
use serde::Serialize;
use std::sync::Arc;

/// Mean loss and accuracy (`ŷ ≥ ½` ⇒ class 1) of a binary model on a data set.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BinaryEval {
    pub loss: f64,
    pub accuracy: f64,
}

/// What one model did in one step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BinaryStep {
    /// Updates applied so far (1 for the first step).
    pub step: u64,
    /// Mean data loss of the minibatch, before the update.
    pub loss: f64,
    /// `‖∇J‖` (weights and bias together) on that minibatch.
    pub grad_norm: f64,
    /// The bias `b` after the update.
    pub b: f64,
    /// `‖w‖` after the update.
    pub w_norm: f64,
    /// Held-out loss and accuracy after the update, every `eval_every` steps (else `null`).
    pub heldout: Option<BinaryEval>,
}

/// Where a single model stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BinarySummary {
    pub step: u64,
    pub b: f64,
    pub w_norm: f64,
    /// On the whole training set.
    pub train: BinaryEval,
    /// On the held-out set.
    pub heldout: BinaryEval,
}

/// A logistic model with its loss, L2 term and scratch buffers.
#[derive(Debug, Clone)]
pub struct BinaryLearner<F> {
    model: LogisticRegression<F>,
    loss: BinaryLoss,
    penalty: Penalty<F>,
    grad: LogisticGradient<F>,
    z: Array1<F>,
}

impl<F: Real> BinaryLearner<F> {
    pub fn new(model: LogisticRegression<F>, loss: BinaryLoss, penalty: Penalty<F>) -> Self {
        let d = model.inputs();
        BinaryLearner { model, loss, penalty, grad: LogisticGradient::zeros(d), z: Array1::zeros(0) }
    }

    pub fn model(&self) -> &LogisticRegression<F> {
        &self.model
    }

    pub fn loss(&self) -> BinaryLoss {
        self.loss
    }

    /// Compute the gradient on `batch`; returns (data loss, gradient norm). The update is
    /// applied separately so that lockstep models move together or not at all.
    fn gradient(&mut self, batch: &Batch<F>) -> (F, F) {
        if self.z.len() < batch.labels().len() {
            self.z = Array1::zeros(batch.labels().len());
        }
        let loss =
            self.model.loss_and_grad(batch.x(), batch.labels(), self.loss, self.penalty, &mut self.z, &mut self.grad);
        (loss, self.grad.norm())
    }

    /// Mean loss and accuracy on `data`.
    pub fn evaluate(&self, data: &Dataset, lut: &[F; 256]) -> BinaryEval {
        let (mut total, mut correct) = (0.0f64, 0usize);
        let mut z = Array1::zeros(CHUNK);
        for_each_chunk(data, lut, |_, x, labels| {
            let mut z = z.slice_mut(s![..labels.len()]);
            self.model.logits_into(x, z.view_mut());
            for (&zi, &label) in z.iter().zip(labels) {
                let y = if label == 0 { F::zero() } else { F::one() };
                total += f64_of(self.loss.of_logit(zi, y));
                correct += usize::from((zi >= F::zero()) == (label != 0));
            }
        });
        let n = data.len().max(1) as f64;
        BinaryEval { loss: total / n, accuracy: correct as f64 / n }
    }
}

/// The SGD settings of a binary run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunSettings {
    pub learning_rate: f64,
    pub batch_size: usize,
    /// Seeds the minibatch order.
    pub seed: u32,
    /// Evaluate on the held-out set every this many steps.
    pub eval_every: usize,
}

/// Most steps between held-out evaluations.
pub const MAX_EVAL_EVERY: usize = 1_000_000;

impl RunSettings {
    /// Validate against a training set of `n_train` examples, with L2 strength `l2`.
    pub fn check(&self, l2: f64, n_train: usize) -> Result<()> {
        check_sgd(self.learning_rate, self.batch_size, l2, n_train)?;
        check_count("evaluation interval (steps)", self.eval_every, 1, MAX_EVAL_EVERY).map(|_| ())
    }
}

/// Binary models stepped together on identical minibatches.
#[derive(Debug, Clone)]
pub struct Lockstep<F> {
    stream: Minibatches<F>,
    heldout: Arc<Dataset>,
    lr: F,
    eval_every: u64,
    step: u64,
    learners: Vec<BinaryLearner<F>>,
}

impl<F: Real> Lockstep<F> {
    /// `learners` trained on `train` (labels 0/1, inputs through `lut`) and evaluated on `heldout`.
    /// The settings must have been checked ([`RunSettings::check`]).
    pub fn new(
        train: Arc<Dataset>,
        heldout: Arc<Dataset>,
        lut: [F; 256],
        s: RunSettings,
        learners: Vec<BinaryLearner<F>>,
    ) -> Self {
        Lockstep {
            stream: Minibatches::new(train, lut, s.batch_size, u64::from(s.seed)),
            heldout,
            lr: real(s.learning_rate),
            eval_every: s.eval_every.max(1) as u64,
            step: 0,
            learners,
        }
    }

    /// One update of every model on the same minibatch. If any update would make a parameter
    /// non-finite, no model changes and [`LabError::Diverged`] is returned.
    pub fn step_once(&mut self) -> Result<Vec<BinaryStep>> {
        let (batch, _) = self.stream.next_batch();
        let stats: Vec<(F, F)> = self.learners.iter_mut().map(|l| l.gradient(batch)).collect();
        let lr = self.lr;
        for ((loss, _), l) in stats.iter().zip(&self.learners) {
            if !loss.is_finite() || !l.model.update_is_finite(&l.grad, lr) {
                let bad = if loss.is_finite() { f64::INFINITY } else { f64_of(*loss) };
                return Err(LabError::Diverged { step: self.step + 1, loss: bad });
            }
        }
        self.step += 1;
        let eval = self.step.is_multiple_of(self.eval_every);
        Ok(self
            .learners
            .iter_mut()
            .zip(stats)
            .map(|(l, (loss, grad_norm))| {
                l.model.apply_update(&l.grad, lr);
                BinaryStep {
                    step: self.step,
                    loss: f64_of(loss),
                    grad_norm: f64_of(grad_norm),
                    b: f64_of(l.model.b),
                    w_norm: f64_of(l.model.weight_norm()),
                    heldout: eval.then(|| l.evaluate(&self.heldout, self.stream.lut())),
                }
            })
            .collect())
    }

    /// `n` steps of a run with one model.
    pub fn step_single(&mut self, n: usize) -> Result<Vec<BinaryStep>> {
        (0..n).map(|_| self.step_once().map(|mut v| v.swap_remove(0))).collect()
    }

    /// The summary of a run with one model.
    pub fn summary_single(&self) -> BinarySummary {
        let m = self.learners[0].model();
        BinarySummary {
            step: self.step,
            b: f64_of(m.b),
            w_norm: f64_of(m.weight_norm()),
            train: self.evaluate_train()[0],
            heldout: self.evaluate_heldout()[0],
        }
    }

    /// Every model on the held-out set.
    pub fn evaluate_heldout(&self) -> Vec<BinaryEval> {
        self.learners.iter().map(|l| l.evaluate(&self.heldout, self.stream.lut())).collect()
    }

    /// Every model on the whole training set.
    pub fn evaluate_train(&self) -> Vec<BinaryEval> {
        self.learners.iter().map(|l| l.evaluate(self.stream.data(), self.stream.lut())).collect()
    }

    pub fn learners(&self) -> &[BinaryLearner<F>] {
        &self.learners
    }

    /// Updates applied so far.
    pub fn steps(&self) -> u64 {
        self.step
    }

    pub fn train_set(&self) -> &Dataset {
        self.stream.data()
    }

    pub fn heldout_set(&self) -> &Dataset {
        &self.heldout
    }

    pub fn lut(&self) -> &[F; 256] {
        self.stream.lut()
    }
}
