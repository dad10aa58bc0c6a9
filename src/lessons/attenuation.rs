//! Section 3 — the attenuated gradient. Two identical logistic models start from the same
//! bad initialisation (`ŷ ≈ 1` where `y = 0` and vice versa) and are trained in lockstep on
//! the same minibatches, one with MSE and one with log-loss. MSE's gradient
//! `x(ŷ − y)ŷ(1 − ŷ)` is nearly 0 there because `ŷ(1 − ŷ) ≈ 0`, so it stalls; log-loss's
//! `x(ŷ − y)` is as large as the error, so it recovers.

use crate::data::Dataset;
use crate::error::{LabError, Result};
use crate::lessons::binary::{BinaryEval, BinaryLearner, BinaryStep, Lockstep, RunSettings};
use crate::lessons::common::{check_range, f64_of, for_each_chunk, real, Lesson};
use crate::lessons::logistic::pair_lockstep;
use crate::model::logistic::{BinaryLoss, LogisticRegression, Penalty};
use crate::model::softmax::Real;
use ndarray::Array1;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Largest badness accepted (`σ(−50) ≈ 2·10⁻²²`: flat as it gets).
pub const MAX_BADNESS: f64 = 50.0;

/// The bad initialisation: a good classifier turned around. With `μ₁`, `μ₀` the mean inputs
/// of the two classes of `train`, `w₀ = μ₁ − μ₀` and `b₀ = −w₀ᵀ(μ₁ + μ₀)/2` put most
/// examples on the right side; the initialisation is `s·(w₀, b₀)` with `s < 0` chosen so
/// that the mean signed margin `(2y − 1)·z` over `train` is `−badness`: the average example
/// sits `badness` logits on the wrong side (`ŷ ≈ σ(−badness)` for `y = 1`). `badness = 0`
/// gives `w = 0, b = 0`.
pub fn bad_init<F: Real>(train: &Dataset, lut: &[F; 256], badness: f64) -> Result<LogisticRegression<F>> {
    check_range("badness", badness, 0.0, MAX_BADNESS)?;
    let d = crate::data::INPUT_DIM;
    let (mut sum, mut count) = ([Array1::<f64>::zeros(d), Array1::zeros(d)], [0usize; 2]);
    for_each_chunk(train, lut, |_, x, labels| {
        for (row, &y) in x.rows().into_iter().zip(labels) {
            let k = usize::from(y != 0);
            sum[k].zip_mut_with(&row, |s, &v| *s += f64_of(v));
            count[k] += 1;
        }
    });
    if count.contains(&0) {
        return Err(LabError::Invalid("the bad initialisation needs examples of both classes".into()));
    }
    let [mu0, mu1] = [&sum[0] / count[0] as f64, &sum[1] / count[1] as f64];
    let w0 = &mu1 - &mu0;
    let good = LogisticRegression { b: -w0.dot(&(&mu1 + &mu0)) / 2.0, w: w0 };
    let mut margin = 0.0;
    for_each_chunk(train, lut, |_, x, labels| {
        for (row, &y) in x.rows().into_iter().zip(labels) {
            let z = good.logit(row.mapv(f64_of).view());
            margin += if y != 0 { z } else { -z };
        }
    });
    let margin = margin / train.len() as f64;
    if !(margin.is_finite() && margin > 0.0) {
        return Err(LabError::Invalid("the two classes cannot be told apart by their means".into()));
    }
    let s = -badness / margin;
    Ok(LogisticRegression { w: good.w.mapv(|v| real(v * s)), b: real(good.b * s) })
}

/// Settings of section 3.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AttenuationConfig {
    /// The digit labelled `y = 1`.
    pub positive: usize,
    /// The digit labelled `y = 0`.
    pub negative: usize,
    /// How far on the wrong side the average training example starts, in logits (0..=50).
    pub badness: f64,
    pub learning_rate: f64,
    pub batch_size: usize,
    /// Seeds the minibatch order (the initialisation is deterministic).
    pub seed: u32,
    /// Evaluate on the held-out pair every this many steps.
    pub eval_every: usize,
}

/// The defaults are the settings of the native test (`tests/it/lessons_attenuation.rs`).
impl Default for AttenuationConfig {
    fn default() -> Self {
        AttenuationConfig {
            positive: 1,
            negative: 7,
            badness: 8.0,
            learning_rate: 0.1,
            batch_size: 100,
            seed: 541,
            eval_every: 1,
        }
    }
}

/// One lockstep update of the two models.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttenuationRecord {
    pub mse: BinaryStep,
    pub log_loss: BinaryStep,
}

/// Both models on the held-out pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttenuationSummary {
    pub step: u64,
    pub mse: BinaryEval,
    pub log_loss: BinaryEval,
}

/// Section 3: MSE vs log-loss from the same bad initialisation.
#[derive(Debug, Clone)]
pub struct Attenuation<F> {
    run: Lockstep<F>,
}

impl<F: Real> Attenuation<F> {
    /// The two models (`[MSE, log-loss]`), their training and held-out sets.
    pub fn lockstep(&self) -> &Lockstep<F> {
        &self.run
    }
}

impl<F: Real> Lesson for Attenuation<F> {
    type Config = AttenuationConfig;
    type Record = AttenuationRecord;
    type Summary = AttenuationSummary;

    fn new(train: Arc<Dataset>, test: Arc<Dataset>, c: AttenuationConfig) -> Result<Self> {
        let settings = RunSettings {
            learning_rate: c.learning_rate,
            batch_size: c.batch_size,
            seed: c.seed,
            eval_every: c.eval_every,
        };
        let run = pair_lockstep((&train, &test), (c.positive, c.negative), settings, |train, lut| {
            let init = bad_init(train, lut, c.badness)?;
            Ok([BinaryLoss::Mse, BinaryLoss::LogLoss]
                .map(|loss| BinaryLearner::new(init.clone(), loss, Penalty::none()))
                .into())
        })?;
        Ok(Attenuation { run })
    }

    fn step(&mut self, n: usize) -> Result<Vec<AttenuationRecord>> {
        (0..n)
            .map(|_| {
                let [mse, log_loss]: [BinaryStep; 2] =
                    self.run.step_once()?.try_into().map_err(|_| LabError::Invalid("two models expected".into()))?;
                Ok(AttenuationRecord { mse, log_loss })
            })
            .collect()
    }

    fn summary(&self) -> AttenuationSummary {
        let e = self.run.evaluate_heldout();
        AttenuationSummary { step: self.run.steps(), mse: e[0], log_loss: e[1] }
    }
}
