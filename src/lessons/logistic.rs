//! Section 2 — logistic regression `ŷ = σ(xᵀw + b)` on a binary MNIST task (one digit vs
//! another), trained with MSE `½(ŷ − y)²` or log-loss `−y log ŷ − (1 − y) log(1 − ŷ)`; and
//! the two losses and their gradient factors `∂ℓ/∂z` — MSE `(ŷ − y)ŷ(1 − ŷ)`, log-loss `ŷ − y`
//! — as functions of `ŷ` for `y = 1` and `y = 0`.

use crate::data::{Dataset, INPUT_DIM};
use crate::error::Result;
use crate::lessons::binary::{BinaryLearner, BinaryStep, BinarySummary, Lockstep, RunSettings};
use crate::lessons::common::{check_count, digit_pair, transform_and_lut, Lesson};
use crate::lessons::sigmoid::MAX_POINTS;
use crate::model::logistic::{BinaryLoss, LogisticRegression, Penalty};
use crate::model::softmax::Real;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The losses and gradient factors on a grid of `ŷ ∈ (0, 1)`, one column each.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LossCurves {
    /// `ŷᵢ = i/(points + 1)`, `i = 1..=points` (0 and 1 excluded: log-loss is infinite there).
    pub y_hat: Vec<f64>,
    pub mse_y1: Vec<f64>,
    pub mse_y0: Vec<f64>,
    pub log_y1: Vec<f64>,
    pub log_y0: Vec<f64>,
    /// `(ŷ − 1)ŷ(1 − ŷ)`.
    pub factor_mse_y1: Vec<f64>,
    /// `ŷ·ŷ(1 − ŷ)`.
    pub factor_mse_y0: Vec<f64>,
    /// `ŷ − 1`.
    pub factor_log_y1: Vec<f64>,
    /// `ŷ`.
    pub factor_log_y0: Vec<f64>,
}

/// The curves on `points` (2..=10 000) values of `ŷ`.
pub fn loss_curves(points: usize) -> Result<LossCurves> {
    check_count("number of points", points, 2, MAX_POINTS)?;
    let y_hat: Vec<f64> = (1..=points).map(|i| i as f64 / (points + 1) as f64).collect();
    let column = |f: &dyn Fn(f64) -> f64| y_hat.iter().map(|&p| f(p)).collect::<Vec<f64>>();
    let (mse, log) = (BinaryLoss::Mse, BinaryLoss::LogLoss);
    Ok(LossCurves {
        mse_y1: column(&|p| mse.of_prediction(p, 1.0)),
        mse_y0: column(&|p| mse.of_prediction(p, 0.0)),
        log_y1: column(&|p| log.of_prediction(p, 1.0)),
        log_y0: column(&|p| log.of_prediction(p, 0.0)),
        factor_mse_y1: column(&|p| mse.factor_of_prediction(p, 1.0)),
        factor_mse_y0: column(&|p| mse.factor_of_prediction(p, 0.0)),
        factor_log_y1: column(&|p| log.factor_of_prediction(p, 1.0)),
        factor_log_y0: column(&|p| log.factor_of_prediction(p, 0.0)),
        y_hat,
    })
}

/// A digit-pair task: training and held-out (test) examples of the two digits, labelled
/// `y = 1` for `positive` and `y = 0` for `negative`, and the input transform fitted on its
/// training part.
pub fn pair_task<F: Real>(
    train: &Dataset,
    test: &Dataset,
    positive: usize,
    negative: usize,
) -> Result<(Arc<Dataset>, Arc<Dataset>, [F; 256])> {
    let pair_train = digit_pair(train, positive, negative, "training examples of the two digits")?;
    let pair_test = digit_pair(test, positive, negative, "test examples of the two digits")?;
    let (_, lut) = transform_and_lut(&pair_train);
    Ok((Arc::new(pair_train), Arc::new(pair_test), lut))
}

/// A lockstep run on the digit pair `(positive, negative)` with validated settings; `learners`
/// makes the models from the training pair and its lookup table.
pub fn pair_lockstep<F: Real>(
    (train, test): (&Dataset, &Dataset),
    (positive, negative): (usize, usize),
    settings: RunSettings,
    learners: impl FnOnce(&Dataset, &[F; 256]) -> Result<Vec<BinaryLearner<F>>>,
) -> Result<Lockstep<F>> {
    let (train, heldout, lut) = pair_task::<F>(train, test, positive, negative)?;
    settings.check(0.0, train.len())?;
    let learners = learners(&train, &lut)?;
    Ok(Lockstep::new(train, heldout, lut, settings, learners))
}

/// Settings of section 2.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogisticConfig {
    /// The digit labelled `y = 1`.
    pub positive: usize,
    /// The digit labelled `y = 0`.
    pub negative: usize,
    pub loss: BinaryLoss,
    pub learning_rate: f64,
    pub batch_size: usize,
    /// Seeds the initialisation `w ~ N(0, 0.01²)` and the minibatch order.
    pub seed: u32,
    /// Evaluate on the held-out pair every this many steps.
    pub eval_every: usize,
}

impl Default for LogisticConfig {
    fn default() -> Self {
        LogisticConfig {
            positive: 3,
            negative: 5,
            loss: BinaryLoss::LogLoss,
            learning_rate: 0.1,
            batch_size: 100,
            seed: 541,
            eval_every: 10,
        }
    }
}

/// Section 2: one logistic model trained on a digit pair with the chosen loss.
#[derive(Debug, Clone)]
pub struct LogisticLesson<F> {
    run: Lockstep<F>,
}

impl<F: Real> LogisticLesson<F> {
    /// The model (its `w` is a 28×28 image).
    pub fn model(&self) -> &LogisticRegression<F> {
        self.run.learners()[0].model()
    }
}

impl<F: Real> Lesson for LogisticLesson<F> {
    type Config = LogisticConfig;
    type Record = BinaryStep;
    type Summary = BinarySummary;

    fn new(train: Arc<Dataset>, test: Arc<Dataset>, c: LogisticConfig) -> Result<Self> {
        let settings = RunSettings {
            learning_rate: c.learning_rate,
            batch_size: c.batch_size,
            seed: c.seed,
            eval_every: c.eval_every,
        };
        let init = LogisticRegression::init(INPUT_DIM, u64::from(c.seed));
        let run = pair_lockstep((&train, &test), (c.positive, c.negative), settings, |_, _| {
            Ok(vec![BinaryLearner::new(init, c.loss, Penalty::none())])
        })?;
        Ok(LogisticLesson { run })
    }

    fn step(&mut self, n: usize) -> Result<Vec<BinaryStep>> {
        self.run.step_single(n)
    }

    fn summary(&self) -> BinarySummary {
        self.run.summary_single()
    }
}
