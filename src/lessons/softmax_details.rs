//! Section 4 — softmax regression, the numbers of one prediction: the scores
//! `z_k = xᵀw⁽ᵏ⁾ + b_k`, the exponentials, their sum, `ŷ_k = exp(z_k) / Σ_k' exp(z_k')` and the
//! cross-entropy `−Σ_k y_k log ŷ_k = −log ŷ_y` for a one-hot `y`; and the fact that softmax
//! with `c = 2` is logistic regression: `softmax(z)₁ = e^(z₁)/(e^(z₀) + e^(z₁)) = σ(z₁ − z₀)`,
//! so the model with `w = w⁽¹⁾ − w⁽⁰⁾`, `b = b₁ − b₀` gives the same probabilities and its
//! log-loss equals the cross-entropy.

use crate::data::{Dataset, INPUT_DIM};
use crate::error::{LabError, Result};
use crate::lessons::common::{check_class, check_count, check_sgd, f64_of, for_each_chunk, real, Lesson, Minibatches};
use crate::lessons::logistic::pair_task;
use crate::lessons::sgd::SoftmaxLearner;
use crate::model::logistic::{sigmoid, BinaryLoss, LogisticRegression};
use crate::model::softmax::{argmax, softmax_cross_entropy_inplace, Real, SoftmaxRegression};
use ndarray::{Array1, Array2, ArrayView1, Axis};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The arithmetic of one softmax prediction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SoftmaxDetails {
    /// Scores `z_k = xᵀw⁽ᵏ⁾ + b_k`.
    pub z: Vec<f64>,
    /// The shift `m = max_k z_k` subtracted before exponentiating: `ŷ_k = e^(z_k − m) / Σ e^(z_k' − m)`
    /// is the same number as `e^(z_k) / Σ e^(z_k')` but cannot overflow.
    pub shift: f64,
    /// `e^(z_k − m)` (multiply by `e^m` for `e^(z_k)`).
    pub exp_shifted: Vec<f64>,
    /// `Σ_k e^(z_k − m)`.
    pub sum_exp_shifted: f64,
    /// `log Σ_k e^(z_k) = m + log Σ_k e^(z_k − m)`.
    pub log_sum_exp: f64,
    /// `ŷ_k`.
    pub probabilities: Vec<f64>,
    /// `argmax_k ŷ_k`.
    pub predicted: usize,
    /// The chosen true class `y` and its one-hot vector.
    pub true_class: usize,
    pub one_hot: Vec<f64>,
    /// `−log ŷ_y = log Σ e^(z_k) − z_y` (finite even when `ŷ_y` rounds to 0).
    pub cross_entropy: f64,
}

/// The one-hot vector of `label` among `classes` classes.
pub fn one_hot(label: usize, classes: usize) -> Result<Vec<f64>> {
    check_class("label", label, classes)?;
    Ok((0..classes).map(|k| if k == label { 1.0 } else { 0.0 }).collect())
}

/// One-hot rows of several labels (`labels.len() × classes`, row-major).
pub fn one_hot_rows(labels: &[u8], classes: usize) -> Result<Vec<f64>> {
    labels.iter().map(|&l| one_hot(usize::from(l), classes)).collect::<Result<Vec<_>>>().map(|rows| rows.concat())
}

/// The numbers of `model`'s prediction for the input `x` (already transformed), with the
/// cross-entropy for `true_class`. The computation is done in `f64`.
pub fn softmax_details<F: Real>(
    model: &SoftmaxRegression<F>,
    x: ArrayView1<F>,
    true_class: usize,
) -> Result<SoftmaxDetails> {
    if x.len() != model.inputs() {
        return Err(LabError::ShapeMismatch {
            what: "input for the softmax details".into(),
            expected: model.inputs(),
            actual: x.len(),
        });
    }
    let c = model.classes();
    let one_hot = one_hot(true_class, c)?;
    let z: Vec<f64> = model.logits(x).iter().map(|&v| f64_of(v)).collect();
    let shift = z.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v));
    let exp_shifted: Vec<f64> = z.iter().map(|&v| (v - shift).exp()).collect();
    let sum_exp_shifted: f64 = exp_shifted.iter().sum();
    let log_sum_exp = shift + sum_exp_shifted.ln();
    let probabilities: Vec<f64> = exp_shifted.iter().map(|&e| e / sum_exp_shifted).collect();
    let predicted = argmax(Array1::from(probabilities.clone()).view());
    Ok(SoftmaxDetails {
        cross_entropy: log_sum_exp - z[true_class],
        shift,
        exp_shifted,
        sum_exp_shifted,
        log_sum_exp,
        probabilities,
        predicted,
        true_class,
        one_hot,
        z,
    })
}

/// One example of the `c = 2` comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TwoClassExample {
    /// Position in the data set compared (for the lesson: in the held-out pair, not in the
    /// test set).
    pub index: usize,
    /// Index in the full test set (MNIST's numbering, as in "test image #"); equal to `index`
    /// when the data set compared is the test set itself.
    pub test_index: usize,
    pub label: u8,
    /// `softmax(z)₁`.
    pub softmax_p1: f64,
    /// `σ(xᵀw + b)` with `w = w⁽¹⁾ − w⁽⁰⁾`, `b = b₁ − b₀`.
    pub logistic_p1: f64,
    /// `−log softmax(z)_y`.
    pub cross_entropy: f64,
    /// `−y log ŷ − (1 − y) log(1 − ŷ)`.
    pub log_loss: f64,
}

/// Softmax (`c = 2`) vs the equivalent logistic model over a data set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TwoClassComparison {
    pub count: usize,
    /// `max |softmax(z)₁ − σ(xᵀw + b)|` over the set.
    pub max_probability_difference: f64,
    /// Mean cross-entropy of the softmax model and mean log-loss of the logistic model.
    pub mean_cross_entropy: f64,
    pub mean_log_loss: f64,
    /// Examples whose predicted classes differ (0 unless a probability sits at exactly ½).
    pub prediction_disagreements: usize,
    /// The first few examples, number by number.
    pub examples: Vec<TwoClassExample>,
}

/// Compare a two-class softmax model with its logistic equivalent on `data` (labels 0/1),
/// keeping the first `keep` examples for display.
pub fn compare_two_class<F: Real>(
    model: &SoftmaxRegression<F>,
    data: &Dataset,
    lut: &[F; 256],
    keep: usize,
) -> Result<TwoClassComparison> {
    let logistic = LogisticRegression::from_softmax2(model)?;
    let mut out = TwoClassComparison {
        count: data.len(),
        max_probability_difference: 0.0,
        mean_cross_entropy: 0.0,
        mean_log_loss: 0.0,
        prediction_disagreements: 0,
        examples: Vec::new(),
    };
    for_each_chunk(data, lut, |start, x, labels| {
        let mut z = Array2::zeros((labels.len(), 2));
        model.logits_into(x, z.view_mut());
        let zl: Vec<F> = x.rows().into_iter().map(|row| logistic.logit(row)).collect();
        for (i, &label) in labels.iter().enumerate() {
            let ce = f64_of(softmax_cross_entropy_inplace(z.row_mut(i).insert_axis(Axis(0)), &[label]));
            let softmax_p1 = f64_of(z[[i, 1]]);
            let y = if label == 0 { F::zero() } else { F::one() };
            let logistic_p1 = f64_of(sigmoid(zl[i]));
            let log_loss = f64_of(BinaryLoss::LogLoss.of_logit(zl[i], y));
            out.max_probability_difference = out.max_probability_difference.max((softmax_p1 - logistic_p1).abs());
            out.mean_cross_entropy += ce;
            out.mean_log_loss += log_loss;
            out.prediction_disagreements += usize::from((softmax_p1 > 0.5) != (logistic_p1 > 0.5));
            if out.examples.len() < keep {
                out.examples.push(TwoClassExample {
                    index: start + i,
                    test_index: start + i,
                    label,
                    softmax_p1,
                    logistic_p1,
                    cross_entropy: ce,
                    log_loss,
                });
            }
        }
    });
    let n = data.len().max(1) as f64;
    out.mean_cross_entropy /= n;
    out.mean_log_loss /= n;
    Ok(out)
}

/// Settings of the `c = 2` demonstration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TwoClassConfig {
    /// The digit of class 1.
    pub positive: usize,
    /// The digit of class 0.
    pub negative: usize,
    pub learning_rate: f64,
    pub batch_size: usize,
    /// Seeds the initialisation and the minibatch order.
    pub seed: u32,
    /// How many examples the summary lists (0..=100).
    pub examples: usize,
}

impl Default for TwoClassConfig {
    fn default() -> Self {
        TwoClassConfig { positive: 3, negative: 5, learning_rate: 0.05, batch_size: 100, seed: 541, examples: 8 }
    }
}

/// One SGD step of the two-class softmax model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TwoClassStep {
    pub step: u64,
    /// Mean cross-entropy of the minibatch before the update.
    pub loss: f64,
}

/// A softmax model with `c = 2` trained on a digit pair, compared with logistic regression.
#[derive(Debug, Clone)]
pub struct TwoClass<F> {
    learner: SoftmaxLearner<F>,
    stream: Minibatches<F>,
    heldout: Arc<Dataset>,
    /// The test-set index of each held-out example.
    heldout_indices: Vec<usize>,
    lr: F,
    step: u64,
    keep: usize,
}

impl<F: Real> TwoClass<F> {
    pub fn model(&self) -> &SoftmaxRegression<F> {
        self.learner.model()
    }

    /// The comparison on the held-out pair, its examples numbered as in the test set.
    pub fn comparison(&self) -> Result<TwoClassComparison> {
        let mut c = compare_two_class(self.model(), &self.heldout, self.stream.lut(), self.keep)?;
        for e in &mut c.examples {
            e.test_index = self.heldout_indices[e.index];
        }
        Ok(c)
    }
}

impl<F: Real> Lesson for TwoClass<F> {
    type Config = TwoClassConfig;
    type Record = TwoClassStep;
    type Summary = Option<TwoClassComparison>;

    fn new(train: Arc<Dataset>, test: Arc<Dataset>, c: TwoClassConfig) -> Result<Self> {
        let (train, heldout, lut) = pair_task::<F>(&train, &test, c.positive, c.negative)?;
        let heldout_indices: Vec<usize> =
            (0..test.len()).filter(|&i| [c.positive, c.negative].contains(&usize::from(test.labels[i]))).collect();
        check_sgd(c.learning_rate, c.batch_size, 0.0, train.len())?;
        check_count("number of examples listed", c.examples, 0, 100)?;
        Ok(TwoClass {
            learner: SoftmaxLearner::new(SoftmaxRegression::init(INPUT_DIM, 2, u64::from(c.seed)), F::zero()),
            stream: Minibatches::new(train, lut, c.batch_size, u64::from(c.seed)),
            heldout,
            heldout_indices,
            lr: real(c.learning_rate),
            step: 0,
            keep: c.examples,
        })
    }

    fn step(&mut self, n: usize) -> Result<Vec<TwoClassStep>> {
        (0..n)
            .map(|_| {
                let (batch, _) = self.stream.next_batch();
                let loss = self.learner.train_step(batch, self.lr, self.step + 1)?;
                self.step += 1;
                Ok(TwoClassStep { step: self.step, loss: f64_of(loss) })
            })
            .collect()
    }

    /// The comparison (always available for a two-class model).
    fn summary(&self) -> Option<TwoClassComparison> {
        self.comparison().ok()
    }
}
