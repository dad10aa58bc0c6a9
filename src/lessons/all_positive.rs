//! Section 7 — Exercise 2: every training example is positive. `ŷ = σ(xᵀw + b)` is trained
//! with log-loss by full-batch gradient descent on images of one digit, all labelled `y = 1`;
//! the test set holds that digit (`y = 1`) and another (`y = 0`).
//!
//! Without L2 the training loss `(1/n) Σᵢ s(−zᵢ)` (softplus) has no minimiser: it tends to 0
//! as `b → ∞`, and `∂J/∂b = (1/n) Σᵢ (ŷᵢ − 1) < 0` at every step, so `b` increases at every step
//! and never converges; the test loss of the negatives, `s(zᵢ)`, grows with it.
//!
//! With L2 the penalty must include the bias to stop it: `α‖w‖²` alone still lets `b → ∞`
//! (then `w → 0` is optimal and the loss still tends to 0), so the experiment offers
//! `α(‖w‖² + b²)`. Starting from `w = 0, b = 0` (objective `log 2`) with a step size small
//! enough for the objective to decrease, `αb² ≤ J ≤ log 2`, so `|b| ≤ √(log 2 / α)` throughout.
//! "Small enough": `J` is `L`-smooth with `L ≤ λ_max(X̃ᵀX̃)/(4n) + 2α` (`X̃` = the inputs with
//! a column of ones; `σ′ ≤ ¼`), and a gradient step of size `ε < 2/L` never increases `J`
//! ([`descent_limit`]).

use crate::data::{Dataset, INPUT_DIM};
use crate::error::Result;
use crate::lessons::binary::{BinaryLearner, BinaryStep, BinarySummary, Lockstep, RunSettings};
use crate::lessons::common::{
    check_class, check_count, digit_pair, f64_of, for_each_chunk, invalid, real, relabel, sample_indices,
    transform_and_lut, Lesson,
};
use crate::model::logistic::{BinaryLoss, LogisticRegression, Penalty};
use crate::model::softmax::Real;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Largest training set (full-batch steps stay cheap).
pub const MAX_TRAIN_SIZE: usize = 5000;

/// Settings of section 7.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AllPositiveConfig {
    /// The digit of every training image (all labelled `y = 1`).
    pub digit: usize,
    /// The digit that appears, labelled `y = 0`, in the test set only.
    pub negative: usize,
    /// How many training images (seeded sample of `digit`), 1..=5000.
    pub train_size: usize,
    pub learning_rate: f64,
    /// L2 strength α.
    pub alpha: f64,
    /// Penalise the bias too: `α(‖w‖² + b²)` instead of `α‖w‖²`.
    pub penalize_bias: bool,
    pub seed: u32,
    /// Evaluate on the test set every this many steps.
    pub eval_every: usize,
}

impl Default for AllPositiveConfig {
    fn default() -> Self {
        AllPositiveConfig {
            digit: 1,
            negative: 7,
            train_size: 500,
            learning_rate: 0.01,
            alpha: 0.0,
            penalize_bias: true,
            seed: 541,
            eval_every: 10,
        }
    }
}

/// Where the run stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AllPositiveSummary {
    /// `b`, `‖w‖`, log-loss and accuracy on the (all-positive) training set and on the test
    /// images of both digits (`heldout`).
    pub model: BinarySummary,
    /// `√(log 2 / α)` when the bias is penalised (α > 0): the bound on `|b|`, which holds
    /// while the objective decreases (guaranteed for `learning_rate < max_step`).
    pub b_bound: Option<f64>,
    /// `L = λ_max(X̃ᵀX̃)/(4n) + 2α`, a smoothness constant of the objective on this training set.
    pub smoothness: f64,
    /// `2/L`: full-batch gradient steps smaller than this never increase the objective.
    pub max_step: f64,
}

/// Power iterations at most, for the largest eigenvalue in [`descent_limit`].
const POWER_ITERATIONS: usize = 200;

/// The smoothness constant `L = λ_max(X̃ᵀX̃)/(4n) + 2α` of the log-loss objective (with either
/// L2 term) on `train` (inputs through `lut`, `X̃` with a column of ones for the bias): the
/// Hessian of the mean log-loss is `X̃ᵀ diag(ŷᵢ(1 − ŷᵢ)) X̃ / n ⪯ X̃ᵀX̃/(4n)`, and the penalty adds
/// at most `2α`. A gradient step `ε < 2/L` therefore never increases the objective. `λ_max` by
/// power iteration from the all-ones vector (to a relative change below 10⁻¹⁰).
pub fn descent_limit<F: Real>(train: &Dataset, lut: &[F; 256], alpha: f64) -> f64 {
    let d = INPUT_DIM + 1;
    let mut v = vec![1.0 / (d as f64).sqrt(); d];
    let mut lambda = 0.0;
    for _ in 0..POWER_ITERATIONS {
        let mut next = vec![0.0f64; d];
        for_each_chunk(train, lut, |_, x, _| {
            for row in x.rows() {
                let xv = row.iter().zip(&v).map(|(&xj, &vj)| f64_of(xj) * vj).sum::<f64>() + v[INPUT_DIM];
                for (nj, &xj) in next.iter_mut().zip(row.iter()) {
                    *nj += f64_of(xj) * xv;
                }
                next[INPUT_DIM] += xv;
            }
        });
        let n = train.len().max(1) as f64;
        let norm = next.iter().map(|x| x * x).sum::<f64>().sqrt() / n;
        if norm == 0.0 {
            break;
        }
        let done = (norm - lambda).abs() <= 1e-10 * norm;
        lambda = norm;
        v = next.iter().map(|x| x / (norm * n)).collect();
        if done {
            break;
        }
    }
    lambda / 4.0 + 2.0 * alpha
}

/// Section 7: log-loss on an all-positive training set.
#[derive(Debug, Clone)]
pub struct AllPositive<F> {
    run: Lockstep<F>,
    b_bound: Option<f64>,
    smoothness: f64,
}

impl<F: Real> AllPositive<F> {
    pub fn model(&self) -> &LogisticRegression<F> {
        self.run.learners()[0].model()
    }

    /// The run: its training set (the sampled images, all `y = 1`), held-out set and input table.
    pub fn lockstep(&self) -> &Lockstep<F> {
        &self.run
    }
}

impl<F: Real> Lesson for AllPositive<F> {
    type Config = AllPositiveConfig;
    type Record = BinaryStep;
    type Summary = AllPositiveSummary;

    fn new(train: Arc<Dataset>, test: Arc<Dataset>, c: AllPositiveConfig) -> Result<Self> {
        check_class("the training digit", c.digit, train.classes)?;
        check_class("the negative digit", c.negative, train.classes)?;
        if c.digit == c.negative {
            return Err(invalid("the two digits", format!("{} and {}", c.digit, c.negative), "two different digits"));
        }
        check_count("training-set size", c.train_size, 1, MAX_TRAIN_SIZE)?;
        let settings = RunSettings {
            learning_rate: c.learning_rate,
            batch_size: c.train_size,
            seed: c.seed,
            eval_every: c.eval_every,
        };
        settings.check(c.alpha, c.train_size)?;
        let of_digit: Vec<usize> = (0..train.len()).filter(|&i| usize::from(train.labels[i]) == c.digit).collect();
        let picked: Vec<usize> = sample_indices(of_digit.len(), c.train_size, u64::from(c.seed), "training-set size")?
            .into_iter()
            .map(|i| of_digit[i])
            .collect();
        let positives = relabel(&train, &picked, |_| 1, "all-positive training set")?;
        let test_pair = digit_pair(&test, c.digit, c.negative, "test examples of the two digits")?;
        let (_, lut) = transform_and_lut(&positives);
        let penalty = Penalty { alpha: real(c.alpha), bias: c.penalize_bias };
        let learner = BinaryLearner::new(LogisticRegression::zeros(INPUT_DIM), BinaryLoss::LogLoss, penalty);
        let smoothness = descent_limit(&positives, &lut, c.alpha);
        let run = Lockstep::new(Arc::new(positives), Arc::new(test_pair), lut, settings, vec![learner]);
        let b_bound = (c.penalize_bias && c.alpha > 0.0).then(|| (std::f64::consts::LN_2 / c.alpha).sqrt());
        Ok(AllPositive { run, b_bound, smoothness })
    }

    fn step(&mut self, n: usize) -> Result<Vec<BinaryStep>> {
        self.run.step_single(n)
    }

    fn summary(&self) -> AllPositiveSummary {
        AllPositiveSummary {
            model: self.run.summary_single(),
            b_bound: self.b_bound,
            smoothness: self.smoothness,
            max_step: 2.0 / self.smoothness,
        }
    }
}
