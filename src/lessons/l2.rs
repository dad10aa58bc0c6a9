//! Section 6 — Exercise 1, L2 regularisation. Networks N1 and N2 are identical softmax
//! regressions with the same initialisation, trained in lockstep on the same minibatches of
//! the same small training subset; N1 minimises `CE + α·Σⱼ wⱼ²`, N2 only `CE`.
//! Expected at the end of training (the lecture's first option): N1's training (data) loss is
//! higher than N2's — N2 minimises exactly that loss — but N1's test loss is lower, because
//! the penalty keeps the weights from growing to fit the few training images ever more
//! confidently.

use crate::data::{Dataset, InputTransform, INPUT_DIM};
use crate::error::{LabError, Result};
use crate::lessons::common::{check_count, check_sgd, f64_of, real, sample_indices, Lesson, Minibatches, CHUNK};
use crate::lessons::sgd::SoftmaxLearner;
use crate::model::softmax::{evaluate, Real, SoftmaxRegression};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Largest training subset.
pub const MAX_TRAIN_SIZE: usize = 10_000;
/// Most epochs between test-set evaluations.
pub const MAX_EVAL_EVERY: usize = 100_000;

/// Settings of section 6.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct L2Config {
    /// Size of the training subset (a seeded sample of the training set).
    pub train_size: usize,
    /// N1's L2 strength α (N2 has 0).
    pub alpha: f64,
    pub learning_rate: f64,
    pub batch_size: usize,
    /// Seeds the subset, the shared initialisation and the minibatch order.
    pub seed: u32,
    /// Evaluate both networks on the full test set every this many epochs.
    pub eval_every: usize,
}

impl Default for L2Config {
    fn default() -> Self {
        L2Config { train_size: 500, alpha: 0.01, learning_rate: 0.05, batch_size: 50, seed: 541, eval_every: 5 }
    }
}

/// Loss and accuracy on a data set.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Eval {
    pub loss: f64,
    pub accuracy: f64,
}

/// One network after an epoch.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct L2Side {
    /// Mean cross-entropy and accuracy on the whole training subset (the data loss, no penalty).
    pub train: Eval,
    /// The objective the network minimises: data loss + `α‖W‖²`.
    pub objective: f64,
    /// `‖W‖`.
    pub weight_norm: f64,
    /// On the full test set, every `eval_every` epochs (else `null`).
    pub test: Option<Eval>,
}

/// Both networks after an epoch.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct L2Record {
    pub epoch: u64,
    /// Minibatch updates so far.
    pub step: u64,
    /// With L2.
    pub n1: L2Side,
    /// Without.
    pub n2: L2Side,
}

/// Section 6: N1 (with `α‖W‖²`) and N2 (without), in lockstep.
#[derive(Debug, Clone)]
pub struct L2Lesson<F> {
    stream: Minibatches<F>,
    test: Arc<Dataset>,
    transform: InputTransform,
    lr: F,
    eval_every: u64,
    step: u64,
    /// `[N1, N2]`.
    nets: [SoftmaxLearner<F>; 2],
}

impl<F: Real> L2Lesson<F> {
    /// `[N1, N2]`.
    pub fn models(&self) -> [&SoftmaxRegression<F>; 2] {
        [self.nets[0].model(), self.nets[1].model()]
    }

    fn eval(&self, net: &SoftmaxLearner<F>, data: &Dataset) -> Eval {
        evaluate(net.model(), data, &self.transform, CHUNK)
            .map(|m| Eval { loss: m.loss, accuracy: m.accuracy })
            .unwrap_or(Eval { loss: f64::NAN, accuracy: 0.0 })
    }

    fn side(&self, net: &SoftmaxLearner<F>, with_test: bool) -> L2Side {
        let train = self.eval(net, self.stream.data());
        let penalty = f64_of(net.model().l2_penalty(net.alpha()));
        L2Side {
            train,
            objective: train.loss + penalty,
            weight_norm: f64_of(net.model().l2_penalty(F::one()).sqrt()),
            test: with_test.then(|| self.eval(net, &self.test)),
        }
    }

    /// One epoch of both networks on the same minibatches. An update that would make either
    /// network non-finite changes neither and is reported as [`LabError::Diverged`].
    fn epoch(&mut self) -> Result<L2Record> {
        loop {
            let (batch, ended) = self.stream.next_batch();
            let step = self.step + 1;
            for net in &mut self.nets {
                let loss = net.gradient(batch);
                if !loss.is_finite() || !net.update_is_finite(self.lr) {
                    return Err(LabError::Diverged { step, loss: f64_of(loss) });
                }
            }
            for net in &mut self.nets {
                net.apply(self.lr, step)?;
            }
            self.step = step;
            if ended {
                break;
            }
        }
        let epoch = self.stream.epochs();
        let with_test = epoch.is_multiple_of(self.eval_every);
        Ok(L2Record {
            epoch,
            step: self.step,
            n1: self.side(&self.nets[0], with_test),
            n2: self.side(&self.nets[1], with_test),
        })
    }
}

impl<F: Real> Lesson for L2Lesson<F> {
    type Config = L2Config;
    type Record = L2Record;
    type Summary = L2Record;

    fn new(train: Arc<Dataset>, test: Arc<Dataset>, c: L2Config) -> Result<Self> {
        check_count("training-subset size", c.train_size, 1, MAX_TRAIN_SIZE.min(train.len()))?;
        check_sgd(c.learning_rate, c.batch_size, c.alpha, c.train_size)?;
        check_count("evaluation interval (epochs)", c.eval_every, 1, MAX_EVAL_EVERY)?;
        if train.classes != test.classes {
            return Err(LabError::ShapeMismatch {
                what: "classes of training vs test set".into(),
                expected: train.classes,
                actual: test.classes,
            });
        }
        let subset = train.subset(
            &sample_indices(train.len(), c.train_size, u64::from(c.seed), "training-subset size")?,
            "training subset",
        )?;
        let transform = InputTransform::fit(&subset);
        let init = SoftmaxRegression::init(INPUT_DIM, train.classes, u64::from(c.seed));
        Ok(L2Lesson {
            stream: Minibatches::new(Arc::new(subset), transform.lut(), c.batch_size, u64::from(c.seed)),
            transform,
            lr: real(c.learning_rate),
            eval_every: c.eval_every as u64,
            step: 0,
            nets: [SoftmaxLearner::new(init.clone(), real(c.alpha)), SoftmaxLearner::new(init, F::zero())],
            test,
        })
    }

    /// `n` epochs.
    fn step(&mut self, n: usize) -> Result<Vec<L2Record>> {
        (0..n).map(|_| self.epoch()).collect()
    }

    /// An epoch's SGD steps.
    fn steps_per_unit(&self) -> f64 {
        self.stream.batches_per_epoch() as f64
    }

    /// Both networks now, including the test set.
    fn summary(&self) -> L2Record {
        L2Record {
            epoch: self.stream.epochs(),
            step: self.step,
            n1: self.side(&self.nets[0], true),
            n2: self.side(&self.nets[1], true),
        }
    }
}
