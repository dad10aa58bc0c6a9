//! Minibatch SGD over a data set: seeded shuffling per epoch, live hyperparameters,
//! divergence detection, and evaluation on the full test set.

use crate::data::{Dataset, InputTransform, INPUT_DIM};
use crate::error::{LabError, Result};
use crate::model::kernel::{self, Affine, FastSgd, StepFailure};
use crate::model::softmax::{evaluate, pixels_to_inputs, Gradient, Metrics, SoftmaxRegression};
use crate::run::{Clock, Done, UnitTimer};
use ndarray::{s, Array1, Array2};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Largest learning rate the lab accepts.
pub const MAX_LEARNING_RATE: f64 = 100.0;
/// Largest L2 strength the lab accepts.
pub const MAX_L2: f64 = 100.0;
/// Largest seed (seeds are 32-bit so they survive a round trip through a URL and JS numbers).
pub const MAX_SEED: u32 = u32::MAX;

/// Defaults shipped by the page and the CLI (the accuracy tests train with exactly these).
pub const DEFAULT_LEARNING_RATE: f64 = 0.05;
pub const DEFAULT_BATCH_SIZE: usize = 100;
pub const DEFAULT_L2: f64 = 0.0;
pub const DEFAULT_SEED: u32 = 541;

/// Examples per chunk when evaluating the test set.
pub const EVAL_CHUNK: usize = 1000;

/// Most epochs of shuffles [`Trainer::restore_progress`] replays (one shuffle of 60 000
/// indices costs well under a millisecond, so this bounds a restore to about a second).
pub const MAX_REPLAY_EPOCHS: u64 = 2000;

/// The hyperparameters of SGD that may change while training runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Hyperparameters {
    /// Learning rate ε.
    pub learning_rate: f64,
    /// Examples per minibatch.
    pub batch_size: usize,
    /// L2 strength α of the term α·‖W‖².
    pub l2: f64,
}

impl Default for Hyperparameters {
    fn default() -> Self {
        Hyperparameters { learning_rate: DEFAULT_LEARNING_RATE, batch_size: DEFAULT_BATCH_SIZE, l2: DEFAULT_L2 }
    }
}

impl Hyperparameters {
    /// Validate raw numbers (as typed into the page) against a training set of `n_train` examples.
    pub fn from_numbers(learning_rate: f64, batch_size: f64, l2: f64, n_train: usize) -> Result<Self> {
        Ok(Hyperparameters {
            learning_rate: check_learning_rate(learning_rate)?,
            batch_size: check_batch_size(batch_size, n_train)?,
            l2: check_l2(l2)?,
        })
    }

    /// Check an existing value (e.g. one read from a file).
    pub fn validate(&self, n_train: usize) -> Result<Self> {
        Self::from_numbers(self.learning_rate, self.batch_size as f64, self.l2, n_train)
    }
}

/// A learning rate in (0, [`MAX_LEARNING_RATE`]].
pub fn check_learning_rate(learning_rate: f64) -> Result<f64> {
    if learning_rate.is_finite() && learning_rate > 0.0 && learning_rate <= MAX_LEARNING_RATE {
        Ok(learning_rate)
    } else {
        Err(LabError::InvalidLearningRate { got: learning_rate, max: MAX_LEARNING_RATE })
    }
}

/// A whole batch size from 1 to the training-set size `n_train`.
pub fn check_batch_size(batch_size: f64, n_train: usize) -> Result<usize> {
    if batch_size.is_finite() && batch_size.fract() == 0.0 && batch_size >= 1.0 && batch_size <= n_train as f64 {
        Ok(batch_size as usize)
    } else {
        Err(LabError::InvalidBatchSize { got: batch_size, max: n_train })
    }
}

/// An L2 strength α in [0, [`MAX_L2`]].
pub fn check_l2(l2: f64) -> Result<f64> {
    if l2.is_finite() && (0.0..=MAX_L2).contains(&l2) {
        Ok(l2)
    } else {
        Err(LabError::InvalidL2 { got: l2, max: MAX_L2 })
    }
}

/// Validate a seed given as a number.
pub fn seed_from_number(seed: f64) -> Result<u32> {
    if seed.is_finite() && seed.fract() == 0.0 && (0.0..=f64::from(MAX_SEED)).contains(&seed) {
        Ok(seed as u32)
    } else {
        Err(LabError::InvalidSeed { got: seed })
    }
}

/// What is wrong with each field of the form, independently (`None` = the value is fine): the
/// page marks every wrong field at once rather than the first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldErrors {
    pub learning_rate: Option<String>,
    pub batch_size: Option<String>,
    pub l2: Option<String>,
    pub seed: Option<String>,
}

impl FieldErrors {
    /// Check the four numbers of the form against a training set of `n_train` examples.
    pub fn check(learning_rate: f64, batch_size: f64, l2: f64, seed: f64, n_train: usize) -> Self {
        let reason = |r: Result<()>| r.err().map(|e| e.to_string());
        FieldErrors {
            learning_rate: reason(check_learning_rate(learning_rate).map(drop)),
            batch_size: reason(check_batch_size(batch_size, n_train).map(drop)),
            l2: reason(check_l2(l2).map(drop)),
            seed: reason(seed_from_number(seed).map(drop)),
        }
    }

    /// Whether every field is valid.
    pub fn is_empty(&self) -> bool {
        self.learning_rate.is_none() && self.batch_size.is_none() && self.l2.is_none() && self.seed.is_none()
    }
}

/// The random stream of the shuffling for `seed` (separate from the weights' initialisation).
fn shuffle_rng(seed: u32) -> rand_pcg::Pcg64Mcg {
    rand_pcg::Pcg64Mcg::seed_from_u64(u64::from(seed) ^ 0x5eed_5eed_5eed_5eed)
}

/// When the test set is evaluated while training plays: at each of the `early` steps (where
/// the curve moves most, so the first climb has points), then at a multiple of `every_steps`
/// once `min_gap_ms` have passed since the last evaluation (a full pass over 10 000 test images
/// costs about as much as 100 steps), and in any case after `max_gap_ms` (huge batches).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EvalCadence {
    pub early: &'static [u64],
    pub every_steps: u64,
    pub min_gap_ms: f64,
    pub max_gap_ms: f64,
}

/// The page's cadence.
pub const PLAY_EVAL: EvalCadence =
    EvalCadence { early: &[1, 2, 5, 10, 20, 50], every_steps: 100, min_gap_ms: 300.0, max_gap_ms: 3000.0 };

impl EvalCadence {
    /// Whether to evaluate after `step`, `since_ms` after the last evaluation.
    pub fn due(&self, step: u64, since_ms: f64) -> bool {
        self.early.contains(&step)
            || (step.is_multiple_of(self.every_steps) && since_ms >= self.min_gap_ms)
            || since_ms >= self.max_gap_ms
    }

    /// Steps from `step` to the next point where an evaluation may be due: the next early step
    /// or the next multiple of `every_steps` (1 to `every_steps`).
    pub fn to_boundary(&self, step: u64) -> u64 {
        let regular = self.every_steps - step % self.every_steps;
        self.early.iter().filter(|&&e| e > step).map(|&e| e - step).min().map_or(regular, |e| e.min(regular))
    }
}

/// How far one [`Trainer::play_for`] call may go.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlayLimits {
    /// Time budget of the call (ms).
    pub budget_ms: f64,
    /// Most steps (the pace's allowance; `u64::MAX` at full speed).
    pub max_steps: u64,
    /// Stop when the epoch counter reaches this ("train N epochs"), exactly at the boundary.
    pub until_epoch: Option<u64>,
}

/// Why a [`Trainer::play_for`] call ended early.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PlayStop {
    /// The test set is due for an evaluation.
    pub eval_due: bool,
    /// The epoch counter reached `until_epoch`.
    pub epoch_reached: bool,
}

/// What [`Trainer::resume`] brought back of a saved run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Resumed {
    /// The run's seed (the model was reset with it).
    pub seed: u32,
    /// The hyperparameters now in force: the run's if `hyper_applied`, else the current ones.
    pub hyperparameters: Hyperparameters,
    /// Whether the run's hyperparameters fit this training set and were applied.
    pub hyper_applied: bool,
    /// Whether the run's step count and examples seen were restored (else counting from 0).
    pub progress_restored: bool,
    /// Whether the shuffling was replayed exactly (see [`Trainer::restore_progress`]).
    pub exact: bool,
}

/// A run as one copy of the core hands it to another: the weights, the settings, the
/// position, and the shuffling — the seeded stream, the current epoch's order and the place in
/// it — so the next minibatches are the uninterrupted run's (a weights file's position is replayed
/// from the seed, at most [`MAX_REPLAY_EPOCHS`] epochs). The page's worker uses it to move its
/// model from the start-up wasm module to the full one; serialised as JSON (f32 values exact).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunState {
    /// `W`, 784 × c, row-major.
    pub w: Vec<f32>,
    pub b: Vec<f32>,
    pub seed: u32,
    pub hyperparameters: Hyperparameters,
    pub progress: Progress,
    /// The shuffling stream, after drawing `order`.
    pub rng: rand_pcg::Pcg64Mcg,
    /// The current epoch's order of the training examples (a permutation of `0..n`).
    pub order: Vec<u32>,
    /// How much of `order` the run has used.
    pub cursor: usize,
}

/// Where training stands.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Minibatch updates applied since the last reset.
    pub step: u64,
    /// Whole epochs completed.
    pub epoch: u64,
    /// Examples used in updates since the last reset.
    pub examples_seen: u64,
    /// Fractional epochs: `examples_seen / n_train`.
    pub epochs_fraction: f64,
}

/// A softmax-regression model together with its SGD state, training and test data. A clone
/// shares the data sets and continues the same run ([`crate::step_view`] steps a copy).
#[derive(Clone)]
pub struct Trainer {
    model: SoftmaxRegression<f32>,
    train: Arc<Dataset>,
    test: Arc<Dataset>,
    transform: InputTransform,
    affine: Affine,
    lut: [f32; 256],
    hyper: Hyperparameters,
    seed: u32,
    rng: rand_pcg::Pcg64Mcg,
    order: Vec<u32>,
    cursor: usize,
    progress: Progress,
    x: Array2<f32>,
    z: Array2<f32>,
    labels: Vec<u8>,
    grad: Gradient<f32>,
    /// The fast kernel's form of `model` (10-class data sets); `model` is written from it
    /// at the end of every public call that trains.
    fast: Option<FastSgd<10, 12>>,
}

impl Trainer {
    /// Build a trainer; the input transform is fitted on `train`. The data sets are shared
    /// (`Arc`) so that the lessons' experiments can use them without a second copy.
    pub fn new(train: Arc<Dataset>, test: Arc<Dataset>, hyper: Hyperparameters, seed: u32) -> Result<Self> {
        if train.classes != test.classes {
            return Err(LabError::ShapeMismatch {
                what: "classes of training vs test set".into(),
                expected: train.classes,
                actual: test.classes,
            });
        }
        let hyper = hyper.validate(train.len())?;
        let transform = InputTransform::fit(&train);
        let c = train.classes;
        let mut t = Trainer {
            model: SoftmaxRegression::zeros(INPUT_DIM, c),
            lut: transform.lut(),
            affine: Affine::from(transform),
            transform,
            hyper,
            seed,
            rng: rand_pcg::Pcg64Mcg::seed_from_u64(0),
            order: (0..train.len() as u32).collect(),
            cursor: 0,
            progress: Progress { step: 0, epoch: 0, examples_seen: 0, epochs_fraction: 0.0 },
            x: Array2::zeros((0, INPUT_DIM)),
            z: Array2::zeros((0, c)),
            labels: Vec::new(),
            grad: Gradient::zeros(INPUT_DIM, c),
            fast: None,
            train,
            test,
        };
        t.reset(seed);
        Ok(t)
    }

    /// Re-initialise the weights and the shuffling from `seed`; hyperparameters are kept.
    pub fn reset(&mut self, seed: u32) {
        self.seed = seed;
        self.model = SoftmaxRegression::init(INPUT_DIM, self.train.classes, u64::from(seed));
        self.fast = FastSgd::new(&self.model);
        // A separate stream for shuffling, so batch order does not depend on the model size.
        self.rng = shuffle_rng(seed);
        self.order = (0..self.train.len() as u32).collect();
        self.order.shuffle(&mut self.rng);
        self.cursor = 0;
        self.progress = Progress { step: 0, epoch: 0, examples_seen: 0, epochs_fraction: 0.0 };
    }

    /// Put the SGD state where a run from the current seed stood after `step` updates that
    /// used `examples_seen` examples, keeping the current model: restoring a checkpoint is
    /// `reset(seed)`, `set_model(saved)`, then this. Every epoch uses exactly `n_train`
    /// examples, so the shuffled order and the position in it follow from `examples_seen`
    /// alone (whatever batch sizes were used): the seeded shuffles are replayed and the next
    /// minibatches are those of the uninterrupted run. Returns `false` if the run is more than
    /// [`MAX_REPLAY_EPOCHS`] epochs long: the counters are restored but the order is not replayed.
    pub fn restore_progress(&mut self, step: u64, examples_seen: u64) -> Result<bool> {
        let n = self.train.len() as u64;
        if examples_seen < step || examples_seen > step.saturating_mul(n) {
            return Err(LabError::Invalid(format!(
                "cannot restore step {step} with {examples_seen} examples seen: each step uses 1 to {n} examples"
            )));
        }
        let (epoch, within) = (examples_seen / n, examples_seen % n);
        // Epoch e runs on the (e+1)-th shuffle of the seeded stream, drawn when the previous
        // epoch is used up; `reset` has drawn the first. At an epoch's end the next shuffle
        // has not been drawn yet (the cursor stays at n until the next step).
        let extra_shuffles = if within == 0 { epoch.saturating_sub(1) } else { epoch };
        let exact = extra_shuffles <= MAX_REPLAY_EPOCHS;
        self.rng = shuffle_rng(self.seed);
        self.order = (0..self.train.len() as u32).collect();
        self.order.shuffle(&mut self.rng);
        if exact {
            for _ in 0..extra_shuffles {
                self.order.shuffle(&mut self.rng);
            }
        }
        self.cursor = if within == 0 && epoch > 0 { n as usize } else { within as usize };
        self.progress = Progress { step, epoch, examples_seen, epochs_fraction: examples_seen as f64 / n as f64 };
        Ok(exact)
    }

    /// Change the hyperparameters; training continues from where it is.
    pub fn set_hyperparameters(&mut self, hyper: Hyperparameters) -> Result<()> {
        self.hyper = hyper.validate(self.train.len())?;
        Ok(())
    }

    /// One SGD update on the next minibatch. Returns the minibatch's mean cross-entropy
    /// (before the update). On a non-finite loss or update, nothing changes and
    /// [`LabError::Diverged`] is returned.
    pub fn step(&mut self) -> Result<f32> {
        let r = self.step_unsynced();
        self.sync_model();
        r
    }

    /// [`Trainer::step`] without writing the fast kernel's weights back to `model`.
    fn step_unsynced(&mut self) -> Result<f32> {
        let n = self.train.len();
        if self.cursor >= n {
            // Fold once an epoch inside long calls too (the incremental column sums drift by
            // rounding); epoch ends are the same steps in an interrupted and a resumed run.
            if let Some(fast) = &mut self.fast {
                fast.fold();
            }
            self.order.shuffle(&mut self.rng);
            self.cursor = 0;
        }
        let m = self.hyper.batch_size.min(n - self.cursor);
        let (lr, alpha) = (self.hyper.learning_rate as f32, self.hyper.l2 as f32);
        let result = match &mut self.fast {
            // Both data sets have 10 classes: the fast kernel. Other sizes take the reference path.
            Some(fast) => fast.step(&self.train, &self.order[self.cursor..self.cursor + m], self.affine, lr, alpha),
            None => self.reference_step(m, lr, alpha),
        };
        let loss = result.map_err(|failure| LabError::Diverged {
            step: self.progress.step + 1,
            loss: match failure {
                StepFailure::Loss(l) => l,
                StepFailure::Update => f64::INFINITY,
            },
        })?;
        self.cursor += m;
        self.progress.step += 1;
        self.progress.examples_seen += m as u64;
        if self.cursor >= n {
            self.progress.epoch += 1;
        }
        self.progress.epochs_fraction = self.progress.examples_seen as f64 / n as f64;
        Ok(loss)
    }

    /// Fold the fast kernel's lazy scale and offset into its weights and write them into
    /// `model`, which every reader sees. Every public call that trains ends here, so between
    /// calls the kernel's state is a function of `model` alone: a checkpoint of `model`
    /// resumes bit for bit ([`Trainer::restore_progress`]).
    fn sync_model(&mut self) {
        if let Some(fast) = &mut self.fast {
            fast.fold();
            fast.write_to(&mut self.model);
        }
    }

    /// The reference implementation of a step (ndarray, dense): the next `m` examples.
    fn reference_step(&mut self, m: usize, lr: f32, alpha: f32) -> std::result::Result<f32, StepFailure> {
        if self.x.nrows() < m {
            self.x = Array2::zeros((m, INPUT_DIM));
            self.z = Array2::zeros((m, self.train.classes));
        }
        self.labels.clear();
        for (row, &i) in self.order[self.cursor..self.cursor + m].iter().enumerate() {
            let i = i as usize;
            pixels_to_inputs(self.train.image(i), &self.lut, self.x.slice_mut(s![row..row + 1, ..]));
            self.labels.push(self.train.labels[i]);
        }
        let loss =
            self.model.loss_and_grad(self.x.slice(s![..m, ..]), &self.labels, alpha, &mut self.z, &mut self.grad);
        if !loss.is_finite() {
            return Err(StepFailure::Loss(f64::from(loss)));
        }
        if !self.model.apply_update(&self.grad, lr) {
            return Err(StepFailure::Update);
        }
        Ok(loss)
    }

    /// The training-set indices of the next step's minibatch, without taking the step (at an
    /// epoch's end, the first of the next epoch's shuffle, drawn from a copy of the stream).
    pub fn next_batch(&self) -> Vec<u32> {
        let n = self.train.len();
        let m = self.hyper.batch_size;
        if self.cursor >= n {
            let mut rng = self.rng.clone();
            let mut order = self.order.clone();
            order.shuffle(&mut rng);
            order[..m.min(n)].to_vec()
        } else {
            self.order[self.cursor..self.cursor + m.min(n - self.cursor)].to_vec()
        }
    }

    /// The input transform as a lookup table from pixel value to input.
    pub fn input_lut(&self) -> &[f32; 256] {
        &self.lut
    }

    /// Up to `count` steps, appending each minibatch loss to `losses`. Stops at the first
    /// divergence and returns it (the losses of the steps before it are kept).
    pub fn steps(&mut self, count: usize, losses: &mut Vec<f32>) -> Result<()> {
        let mut r = Ok(());
        for _ in 0..count {
            match self.step_unsynced() {
                Ok(loss) => losses.push(loss),
                Err(e) => {
                    r = Err(e);
                    break;
                }
            }
        }
        self.sync_model();
        r
    }

    /// Train within `limits` ([`UnitTimer::run`], `timer` holding the measured cost of a
    /// step), appending each step's loss to `losses`, and stop early where `cadence` says the
    /// test set is due for an evaluation (the last was at `last_eval_ms` on `clock`) or where the
    /// epoch counter reaches `limits.until_epoch`. A divergence ends the call with
    /// [`LabError::Diverged`]; the losses of the steps before it are in `losses`.
    pub fn play_for(
        &mut self,
        timer: &mut UnitTimer,
        clock: &dyn Clock,
        limits: PlayLimits,
        cadence: &EvalCadence,
        last_eval_ms: f64,
        losses: &mut Vec<f32>,
    ) -> Result<PlayStop> {
        let mut stop = PlayStop { eval_due: false, epoch_reached: self.epoch_reached(limits.until_epoch) };
        if stop.epoch_reached {
            return Ok(stop);
        }
        timer.run(clock, limits.budget_ms, limits.max_steps, |n| {
            let mut n = n.min(cadence.to_boundary(self.progress.step));
            if limits.until_epoch == Some(self.progress.epoch + 1) {
                n = n.min(self.steps_left_in_epoch());
            }
            self.steps(n as usize, losses)?;
            stop.eval_due = cadence.due(self.progress.step, clock.now_ms() - last_eval_ms);
            stop.epoch_reached = self.epoch_reached(limits.until_epoch);
            Ok(Done { units: n, stop: stop.eval_due || stop.epoch_reached })
        })?;
        Ok(stop)
    }

    fn epoch_reached(&self, until_epoch: Option<u64>) -> bool {
        until_epoch.is_some_and(|e| self.progress.epoch >= e)
    }

    /// Steps until the current epoch ends at the current batch size (the last one takes what
    /// is left); a whole epoch's worth when one has just ended.
    pub fn steps_left_in_epoch(&self) -> u64 {
        let n = self.train.len();
        let left = if self.cursor >= n { n } else { n - self.cursor };
        left.div_ceil(self.hyper.batch_size) as u64
    }

    /// Train until the current epoch ends; returns the mean minibatch loss over it.
    pub fn run_epoch(&mut self) -> Result<f64> {
        let target = self.progress.epoch + 1;
        let (mut sum, mut count) = (0.0f64, 0usize);
        while self.progress.epoch < target {
            match self.step_unsynced() {
                Ok(loss) => sum += f64::from(loss),
                Err(e) => {
                    self.sync_model();
                    return Err(e);
                }
            }
            count += 1;
        }
        self.sync_model();
        Ok(sum / count.max(1) as f64)
    }

    /// Loss, accuracy and confusion matrix on the full test set.
    pub fn evaluate_test(&mut self) -> Metrics {
        match self.test.classes {
            10 => kernel::evaluate::<10>(&self.model, &self.test, self.affine),
            // Shapes are fixed at construction, so evaluation cannot fail here.
            _ => evaluate(&self.model, &self.test, &self.transform, EVAL_CHUNK).unwrap_or(Metrics {
                loss: f64::NAN,
                accuracy: 0.0,
                count: 0,
                confusion: Vec::new(),
            }),
        }
    }

    /// Model inputs for a 28×28 image of intensities in [0, 1] (`pixel/255`).
    pub fn inputs_from_intensities(&self, intensities: &[f32]) -> Result<Array1<f32>> {
        if intensities.len() != INPUT_DIM {
            return Err(LabError::ShapeMismatch {
                what: "image for prediction".into(),
                expected: INPUT_DIM,
                actual: intensities.len(),
            });
        }
        Ok(intensities.iter().map(|&p| self.transform.apply(f64::from(p.clamp(0.0, 1.0))) as f32).collect())
    }

    /// Class probabilities for a 28×28 image of intensities in [0, 1].
    pub fn predict(&self, intensities: &[f32]) -> Result<Vec<f32>> {
        let x = self.inputs_from_intensities(intensities)?;
        Ok(self.model.predict_proba(x.view()).to_vec())
    }

    pub fn model(&self) -> &SoftmaxRegression<f32> {
        &self.model
    }
    /// Replace the model (weights import); shapes must match.
    pub fn set_model(&mut self, model: SoftmaxRegression<f32>) -> Result<()> {
        self.check_model(&model)?;
        self.model = model;
        if let Some(fast) = &mut self.fast {
            fast.load(&self.model);
        }
        Ok(())
    }

    /// Whether `model` fits this trainer (784 × c for its c classes) and is finite.
    fn check_model(&self, model: &SoftmaxRegression<f32>) -> Result<()> {
        if model.w.dim() != self.model.w.dim() || model.b.len() != self.model.b.len() {
            return Err(LabError::ShapeMismatch {
                what: "imported weights".into(),
                expected: self.model.w.len(),
                actual: model.w.len(),
            });
        }
        if !model.is_finite() {
            return Err(LabError::Import("weights contain NaN or infinite values".into()));
        }
        Ok(())
    }

    /// Continue a saved run: the model re-seeded with `seed` (so the shuffling is that run's),
    /// given `model`, the run's hyperparameters and its step count and shuffling position
    /// ([`Trainer::restore_progress`]). A model that does not fit is refused and nothing
    /// changes. Hyperparameters or counters that cannot belong to this training set (a batch
    /// larger than it, say) are not applied: the current hyperparameters stay, or the count
    /// starts from 0, and [`Resumed`] says so.
    pub fn resume(
        &mut self,
        model: SoftmaxRegression<f32>,
        seed: u32,
        hyper: Hyperparameters,
        step: u64,
        examples_seen: u64,
    ) -> Result<Resumed> {
        self.check_model(&model)?;
        self.reset(seed);
        self.set_model(model)?;
        let hyper_applied = self.set_hyperparameters(hyper).is_ok();
        let (progress_restored, exact) = match self.restore_progress(step, examples_seen) {
            Ok(exact) => (true, exact),
            Err(_) => (false, false),
        };
        Ok(Resumed { seed, hyperparameters: self.hyper, hyper_applied, progress_restored, exact })
    }

    /// Everything that decides how this run continues ([`RunState`]): a copy of the core that
    /// takes it over ([`Trainer::take_over`]) makes the same next steps, however long the run.
    pub fn run_state(&self) -> RunState {
        RunState {
            w: self.model.w.iter().copied().collect(),
            b: self.model.b.to_vec(),
            seed: self.seed,
            hyperparameters: self.hyper,
            progress: self.progress,
            rng: self.rng.clone(),
            order: self.order.clone(),
            cursor: self.cursor,
        }
    }

    /// Continue the run `state` describes (from [`Trainer::run_state`] of a trainer on the same
    /// data set). Everything is checked first; on any error the trainer is unchanged.
    pub fn take_over(&mut self, state: RunState) -> Result<()> {
        let n = self.train.len();
        let c = self.model.b.len();
        let bad = |why: String| Err(LabError::Invalid(format!("cannot take over the run: {why}")));
        if state.w.len() != INPUT_DIM * c || state.b.len() != c {
            return bad(format!(
                "the model is {} weights and {} biases; this data set needs {INPUT_DIM} × {c} and {c}",
                state.w.len(),
                state.b.len()
            ));
        }
        if state.order.len() != n || state.cursor > n {
            return bad(format!(
                "its order has {} entries at position {}; the training set has {n}",
                state.order.len(),
                state.cursor
            ));
        }
        let mut seen = vec![false; n];
        for &i in &state.order {
            match seen.get_mut(i as usize) {
                Some(s) if !*s => *s = true,
                _ => return bad("its order is not a permutation of the training set".into()),
            }
        }
        let p = state.progress;
        if p.examples_seen < p.step
            || p.examples_seen > p.step.saturating_mul(n as u64)
            || p.epoch != p.examples_seen / n as u64
        {
            return bad(format!(
                "step {}, epoch {} and {} examples seen do not fit together",
                p.step, p.epoch, p.examples_seen
            ));
        }
        let hyper = state.hyperparameters.validate(n)?;
        let w = Array2::from_shape_vec((INPUT_DIM, c), state.w).map_err(|e| LabError::Invalid(e.to_string()))?;
        let model = SoftmaxRegression { w, b: Array1::from(state.b) };
        self.check_model(&model)?;
        self.set_model(model)?;
        self.seed = state.seed;
        self.hyper = hyper;
        self.progress = p;
        self.rng = state.rng;
        self.order = state.order;
        self.cursor = state.cursor;
        Ok(())
    }

    pub fn hyperparameters(&self) -> Hyperparameters {
        self.hyper
    }
    pub fn seed(&self) -> u32 {
        self.seed
    }
    pub fn progress(&self) -> Progress {
        self.progress
    }
    pub fn transform(&self) -> InputTransform {
        self.transform
    }
    pub fn train_set(&self) -> &Arc<Dataset> {
        &self.train
    }
    pub fn test_set(&self) -> &Arc<Dataset> {
        &self.test
    }
}
