//! Section 8 — Exercise 3, choosing the learning rate ε of `SGD(X, y, ε) → (θ_T, finalLoss)`.
//!
//! One problem, three methods. The problem ([`LrProblem`]): softmax regression trained for a
//! fixed budget of `T` minibatch steps from a fixed initialisation with a fixed sequence of
//! minibatches, on a training split; `F(ε)` is the mean cross-entropy of `θ_T` on a validation
//! split held out of the *training* data (never the test set). With everything else fixed,
//! `F` is a deterministic function of ε.
//!
//! - (a) [`GridSearch`]: `F(ε)` at each point of a log grid; pick the smallest.
//!   Cost: `T` steps per grid point.
//! - (b) [`Hypergradient`]: gradient descent on `log ε`. `dF/dε` is exact, by forward-mode
//!   differentiation through the unrolled updates: with `θ_t = θ_{t−1} − ε g_t(θ_{t−1})`,
//!   the tangent `u_t = dθ_t/dε` obeys `u_t = u_{t−1} − g_t − ε H_t u_{t−1}` (`H_t u` by
//!   [`softmax_hvp`]), `u_0 = 0`, and `dF/dε = ⟨∇F(θ_T), u_T⟩`. Cost per hyper-iteration: `T`
//!   steps plus `T` Hessian–vector products (about three gradients' work per step).
//!   It breaks on long or chaotic horizons: the tangent is a product of `T` factors
//!   `(I − εH_t)`, which explodes once `ε` exceeds `2/λ_max(H)` — `F` then is no longer smooth
//!   in ε and its derivative says little about the next finite step.
//! - (c) [`OnlineHypergradient`] (Baydin et al. 2018, "Online learning rate adaptation with
//!   hypergradient descent"): a single run in which, before each update, `ε ← ε + β·g_t·g_{t−1}`
//!   (the derivative of the current loss with respect to the previous step's ε is `−g_t·g_{t−1}`).
//!   Cost: `T` steps in all; ε changes during the run instead of being one number.

use crate::data::{Dataset, InputTransform, INPUT_DIM};
use crate::error::{LabError, Result};
use crate::lessons::common::{
    check_count, check_range, check_sgd, f64_of, for_each_chunk, real, train_validation_split, Lesson, Minibatches,
    CHUNK, MIN_LEARNING_RATE,
};
use crate::lessons::sgd::{dot, softmax_hvp, SoftmaxLearner};
use crate::model::softmax::{evaluate, Gradient, Real, SoftmaxRegression};
use crate::train::MAX_LEARNING_RATE;
use ndarray::Array2;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Most SGD steps in one run.
pub const MAX_BUDGET: usize = 100_000;
/// Most points in a grid.
pub const MAX_GRID_POINTS: usize = 50;
/// Largest β of online hypergradient descent.
pub const MAX_BETA: f64 = 1e3;
/// Largest step on `log ε` of one hyper-iteration.
pub const MAX_LOG_STEP: f64 = 5.0;

/// The problem shared by the three methods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LrSetup {
    /// Examples in the training split.
    pub train_size: usize,
    /// Examples in the validation split (disjoint from the training split).
    pub validation_size: usize,
    pub batch_size: usize,
    /// SGD steps `T` of every run.
    pub budget: usize,
    /// L2 strength α of the training objective (`F` is always the plain cross-entropy).
    pub alpha: f64,
    /// Seeds the split, the initialisation and the minibatch order.
    pub seed: u32,
}

impl Default for LrSetup {
    fn default() -> Self {
        LrSetup { train_size: 2000, validation_size: 1000, batch_size: 50, budget: 200, alpha: 0.0, seed: 541 }
    }
}

/// What a method has computed so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Cost {
    /// Minibatch gradient steps.
    pub sgd_steps: u64,
    /// Hessian–vector products (forward-mode tangent steps).
    pub hessian_vector_products: u64,
    /// Passes over the validation split.
    pub validation_passes: u64,
}

/// `F(ε)`: `T` SGD steps from a fixed start, then the validation loss.
#[derive(Debug, Clone)]
pub struct LrProblem<F> {
    train: Arc<Dataset>,
    validation: Dataset,
    transform: InputTransform,
    lut: [F; 256],
    init: SoftmaxRegression<F>,
    batch_size: usize,
    budget: usize,
    alpha: F,
    seed: u64,
}

impl<F: Real> LrProblem<F> {
    /// Split `train` and fix the initialisation and the minibatch order.
    pub fn new(train: &Dataset, s: &LrSetup) -> Result<Self> {
        let (tr, validation) = train_validation_split(train, s.train_size, s.validation_size, u64::from(s.seed))?;
        // Batch size and α by the trainer's rules (each method checks its own ε).
        check_sgd(MIN_LEARNING_RATE, s.batch_size, s.alpha, tr.len())?;
        check_count("budget (SGD steps per run)", s.budget, 1, MAX_BUDGET)?;
        let transform = InputTransform::fit(&tr);
        Ok(LrProblem {
            lut: transform.lut(),
            transform,
            init: SoftmaxRegression::init(INPUT_DIM, train.classes, u64::from(s.seed)),
            batch_size: s.batch_size,
            budget: s.budget,
            alpha: real(s.alpha),
            seed: u64::from(s.seed),
            train: Arc::new(tr),
            validation,
        })
    }

    /// Steps per run.
    pub fn budget(&self) -> usize {
        self.budget
    }

    /// Mean cross-entropy and accuracy of `model` on the validation split.
    pub fn validation(&self, model: &SoftmaxRegression<F>) -> (f64, f64) {
        evaluate(model, &self.validation, &self.transform, CHUNK)
            .map(|m| (m.loss, m.accuracy))
            .unwrap_or((f64::NAN, 0.0))
    }

    /// `F` at `model` and its gradient `∇F` (mean cross-entropy over the validation split).
    pub fn validation_loss_and_grad(&self, model: &SoftmaxRegression<F>) -> (F, Gradient<F>) {
        let (d, c) = (model.inputs(), model.classes());
        let (mut total, mut grad, mut part) = (F::zero(), Gradient::zeros(d, c), Gradient::zeros(d, c));
        let mut z = Array2::zeros((CHUNK, c));
        for_each_chunk(&self.validation, &self.lut, |_, x, labels| {
            let m = F::from_usize(labels.len()).unwrap_or_else(F::one);
            total += model.loss_and_grad(x, labels, F::zero(), &mut z, &mut part) * m;
            grad.w.scaled_add(m, &part.w);
            grad.b.scaled_add(m, &part.b);
        });
        let inv_n = F::one() / F::from_usize(self.validation.len()).unwrap_or_else(F::one);
        grad.w *= inv_n;
        grad.b *= inv_n;
        (total * inv_n, grad)
    }

    /// `F(ε)`: a whole plain run.
    pub fn final_loss(&self, eps: f64) -> Result<f64> {
        let mut run = Run::new(self, real(eps), Mode::Plain);
        while !run.done(self) {
            run.step(self)?;
        }
        Ok(f64_of(self.validation_loss_and_grad(run.learner.model()).0))
    }

    /// `F(ε)` and the exact `dF/dε` (forward mode), by a whole tangent run.
    pub fn final_loss_and_derivative(&self, eps: f64) -> Result<(f64, f64)> {
        let mut run = Run::new(self, real(eps), Mode::tangent(self));
        while !run.done(self) {
            run.step(self)?;
        }
        run.finish_tangent(self)
    }
}

/// What a run carries besides the parameters.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // one run per experiment: boxing would buy nothing
enum Mode<F> {
    /// Fixed ε.
    Plain,
    /// Fixed ε, with the tangent `u = dθ/dε`, `H u`, the probabilities and scratch.
    Tangent { u: Gradient<F>, hu: Gradient<F>, p: Array2<F>, dz: Array2<F> },
    /// ε adapted by `ε ← ε + β g_t·g_{t−1}` (the previous gradient is kept).
    Online { beta: F, prev: Option<Gradient<F>> },
}

impl<F: Real> Mode<F> {
    fn tangent(problem: &LrProblem<F>) -> Self {
        let (d, c) = (problem.init.inputs(), problem.init.classes());
        Mode::Tangent {
            u: Gradient::zeros(d, c),
            hu: Gradient::zeros(d, c),
            p: Array2::zeros((0, c)),
            dz: Array2::zeros((0, c)),
        }
    }
}

/// One step of a run.
#[derive(Debug, Clone, Copy, PartialEq)]
struct RunStep {
    /// Minibatch loss before the update.
    loss: f64,
    /// ε used for the update.
    eps: f64,
    /// `g_t·g_{t−1}` (online mode).
    h: Option<f64>,
}

/// One SGD run of the problem: its own model, the problem's minibatch sequence.
#[derive(Debug, Clone)]
struct Run<F> {
    learner: SoftmaxLearner<F>,
    stream: Minibatches<F>,
    eps: F,
    t: usize,
    mode: Mode<F>,
}

impl<F: Real> Run<F> {
    fn new(problem: &LrProblem<F>, eps: F, mode: Mode<F>) -> Self {
        Run {
            learner: SoftmaxLearner::new(problem.init.clone(), problem.alpha),
            stream: Minibatches::new(Arc::clone(&problem.train), problem.lut, problem.batch_size, problem.seed),
            eps,
            t: 0,
            mode,
        }
    }

    fn done(&self, problem: &LrProblem<F>) -> bool {
        self.t >= problem.budget
    }

    /// `θ ← θ − ε g` on the next minibatch, with the mode's extra work first.
    fn step(&mut self, problem: &LrProblem<F>) -> Result<RunStep> {
        let (batch, _) = self.stream.next_batch();
        let step = self.t as u64 + 1;
        let loss = self.learner.gradient(batch);
        if !loss.is_finite() {
            return Err(LabError::Diverged { step, loss: f64_of(loss) });
        }
        let mut h = None;
        match &mut self.mode {
            Mode::Plain => {}
            Mode::Tangent { u, hu, p, dz } => {
                // u ← u − g − ε H u   (H at θ_{t−1}, before the update)
                let batch = self.stream.current();
                self.learner.probabilities_into(batch.labels(), p);
                softmax_hvp(batch.x(), p.view(), u, problem.alpha, dz, hu);
                let (g, eps) = (self.learner.grad(), self.eps);
                u.w.zip_mut_with(&g.w, |u, &g| *u -= g);
                u.b.zip_mut_with(&g.b, |u, &g| *u -= g);
                u.w.scaled_add(-eps, &hu.w);
                u.b.scaled_add(-eps, &hu.b);
            }
            Mode::Online { beta, prev } => {
                let g = self.learner.grad();
                if let Some(prev) = prev.as_mut() {
                    let dot = dot(g, prev);
                    let eps = f64_of(self.eps + *beta * dot).clamp(MIN_LEARNING_RATE, MAX_LEARNING_RATE);
                    self.eps = real(eps);
                    h = Some(f64_of(dot));
                    prev.clone_from(g);
                } else {
                    *prev = Some(g.clone());
                }
            }
        }
        self.learner.apply(self.eps, step)?;
        self.t += 1;
        Ok(RunStep { loss: f64_of(loss), eps: f64_of(self.eps), h })
    }

    /// `F(θ_T)` and `dF/dε = ⟨∇F(θ_T), u_T⟩` of a finished tangent run.
    fn finish_tangent(&self, problem: &LrProblem<F>) -> Result<(f64, f64)> {
        let Mode::Tangent { u, .. } = &self.mode else {
            return Err(LabError::Invalid("not a tangent run".into()));
        };
        let (loss, grad) = problem.validation_loss_and_grad(self.learner.model());
        Ok((f64_of(loss), f64_of(dot(&grad, u))))
    }
}

/// Check a learning rate given as a starting point.
fn check_epsilon(name: &str, eps: f64) -> Result<f64> {
    check_range(name, eps, MIN_LEARNING_RATE, MAX_LEARNING_RATE)
}

// ---------------------------------------------------------------------------------------
// (a) Grid search
// ---------------------------------------------------------------------------------------

/// Settings of the grid search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GridConfig {
    pub setup: LrSetup,
    /// Smallest and largest ε of the grid.
    pub epsilon_min: f64,
    pub epsilon_max: f64,
    /// Number of grid points, spaced evenly in `log ε` (2..=50).
    pub points: usize,
}

impl Default for GridConfig {
    fn default() -> Self {
        GridConfig { setup: LrSetup::default(), epsilon_min: 1e-3, epsilon_max: 10.0, points: 9 }
    }
}

/// One finished grid point.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GridRecord {
    pub epsilon: f64,
    /// `F(ε)`; `null` if the run diverged.
    pub validation_loss: Option<f64>,
    pub validation_accuracy: Option<f64>,
    /// Minibatch loss of the last step.
    pub last_train_loss: Option<f64>,
    /// Cost of the search when this point finished.
    pub cost: Cost,
}

/// The search so far.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridSummary {
    pub done: bool,
    pub results: Vec<GridRecord>,
    /// The point with the smallest validation loss.
    pub best: Option<GridRecord>,
    pub cost: Cost,
}

/// (a) `F` on a log grid of ε.
#[derive(Debug, Clone)]
pub struct GridSearch<F> {
    problem: LrProblem<F>,
    grid: Vec<f64>,
    run: Option<Run<F>>,
    last_loss: Option<f64>,
    results: Vec<GridRecord>,
    cost: Cost,
}

/// `points` values from `min` to `max` spaced evenly in `log ε`.
pub fn log_grid(min: f64, max: f64, points: usize) -> Result<Vec<f64>> {
    check_epsilon("the smallest ε", min)?;
    check_epsilon("the largest ε", max)?;
    check_count("number of grid points", points, 2, MAX_GRID_POINTS)?;
    if min >= max {
        return Err(LabError::Invalid(format!("the smallest ε ({min}) must be below the largest ({max})")));
    }
    let (a, b) = (min.ln(), max.ln());
    Ok((0..points)
        .map(|i| if i + 1 == points { max } else { (a + (b - a) * i as f64 / (points - 1) as f64).exp() })
        .collect())
}

impl<F: Real> GridSearch<F> {
    fn finish_point(&mut self, diverged: bool) {
        let eps = self.grid[self.results.len()];
        self.cost.validation_passes += u64::from(!diverged);
        let (loss, acc) = match (&self.run, diverged) {
            (Some(run), false) => {
                let (l, a) = self.problem.validation(run.learner.model());
                (Some(l), Some(a))
            }
            _ => (None, None),
        };
        self.results.push(GridRecord {
            epsilon: eps,
            validation_loss: loss,
            validation_accuracy: acc,
            last_train_loss: self.last_loss.filter(|_| !diverged),
            cost: self.cost,
        });
        self.run = None;
        self.last_loss = None;
    }

    pub fn best(&self) -> Option<GridRecord> {
        self.results
            .iter()
            .filter(|r| r.validation_loss.is_some_and(f64::is_finite))
            .min_by(|a, b| a.validation_loss.partial_cmp(&b.validation_loss).unwrap_or(std::cmp::Ordering::Equal))
            .copied()
    }
}

impl<F: Real> Lesson for GridSearch<F> {
    type Config = GridConfig;
    type Record = GridRecord;
    type Summary = GridSummary;

    fn new(train: Arc<Dataset>, _test: Arc<Dataset>, c: GridConfig) -> Result<Self> {
        let grid = log_grid(c.epsilon_min, c.epsilon_max, c.points)?;
        let problem = LrProblem::new(&train, &c.setup)?;
        Ok(GridSearch { problem, grid, run: None, last_loss: None, results: Vec::new(), cost: Cost::default() })
    }

    /// Up to `n` SGD steps, moving through the grid; returns the points finished.
    fn step(&mut self, n: usize) -> Result<Vec<GridRecord>> {
        let before = self.results.len();
        for _ in 0..n {
            let Some(&eps) = self.grid.get(self.results.len()) else { break };
            let run = self.run.get_or_insert_with(|| Run::new(&self.problem, real(eps), Mode::Plain));
            let outcome = run.step(&self.problem);
            self.cost.sgd_steps += 1;
            match outcome {
                Ok(s) => {
                    self.last_loss = Some(s.loss);
                    if run.done(&self.problem) {
                        self.finish_point(false);
                    }
                }
                Err(_) => self.finish_point(true),
            }
        }
        Ok(self.results[before..].to_vec())
    }

    fn finished(&self) -> bool {
        self.results.len() == self.grid.len()
    }

    fn summary(&self) -> GridSummary {
        GridSummary {
            done: self.results.len() == self.grid.len(),
            results: self.results.clone(),
            best: self.best(),
            cost: self.cost,
        }
    }
}

// ---------------------------------------------------------------------------------------
// (b) Exact hypergradient descent on log ε
// ---------------------------------------------------------------------------------------

/// Settings of hypergradient descent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HypergradientConfig {
    pub setup: LrSetup,
    /// ε of the first hyper-iteration.
    pub epsilon0: f64,
    /// Step size η of `log ε ← log ε − η·ε·dF/dε` (gradient descent on `log ε`).
    pub hyper_lr: f64,
    /// Largest change of `log ε` per hyper-iteration (the step is clipped to it).
    pub max_log_step: f64,
}

impl Default for HypergradientConfig {
    fn default() -> Self {
        HypergradientConfig { setup: LrSetup::default(), epsilon0: 0.003, hyper_lr: 5.0, max_log_step: 1.0 }
    }
}

/// One finished hyper-iteration.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HypergradientRecord {
    /// 1 for the first.
    pub iteration: u64,
    /// ε of this run.
    pub epsilon: f64,
    /// `F(ε)` (`null` if the run diverged).
    pub validation_loss: Option<f64>,
    /// `dF/dε` (`null` if the run or its tangent diverged).
    pub derivative: Option<f64>,
    /// `dF/d log ε = ε·dF/dε`.
    pub log_derivative: Option<f64>,
    /// ε of the next run (after a divergence: ε shrunk by `e^(max_log_step)`).
    pub next_epsilon: f64,
    pub cost: Cost,
}

/// Where the descent stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HypergradientSummary {
    /// ε of the run in progress.
    pub epsilon: f64,
    pub iterations: u64,
    /// The finished hyper-iteration with the smallest validation loss.
    pub best: Option<HypergradientRecord>,
    pub cost: Cost,
}

/// (b) Gradient descent on `log ε` with the exact `dF/dε`.
#[derive(Debug, Clone)]
pub struct Hypergradient<F> {
    problem: LrProblem<F>,
    eps: f64,
    hyper_lr: f64,
    max_log_step: f64,
    run: Run<F>,
    history: Vec<HypergradientRecord>,
    cost: Cost,
}

impl<F: Real> Hypergradient<F> {
    /// End the current run: record it, choose the next ε, start the next run.
    fn finish_run(&mut self, diverged: bool) -> HypergradientRecord {
        let result = if diverged {
            None
        } else {
            self.run.finish_tangent(&self.problem).ok().filter(|(l, d)| l.is_finite() && d.is_finite())
        };
        self.cost.validation_passes += u64::from(!diverged);
        let next = match result {
            Some((_, d)) => {
                self.eps * (-(self.hyper_lr * self.eps * d).clamp(-self.max_log_step, self.max_log_step)).exp()
            }
            None => self.eps * (-self.max_log_step).exp(),
        };
        let record = HypergradientRecord {
            iteration: self.history.len() as u64 + 1,
            epsilon: self.eps,
            validation_loss: result.map(|r| r.0),
            derivative: result.map(|r| r.1),
            log_derivative: result.map(|r| r.1 * self.eps),
            next_epsilon: next.clamp(MIN_LEARNING_RATE, MAX_LEARNING_RATE),
            cost: self.cost,
        };
        self.history.push(record);
        self.eps = record.next_epsilon;
        self.run = Run::new(&self.problem, real(self.eps), Mode::tangent(&self.problem));
        record
    }
}

impl<F: Real> Lesson for Hypergradient<F> {
    type Config = HypergradientConfig;
    type Record = HypergradientRecord;
    type Summary = HypergradientSummary;

    fn new(train: Arc<Dataset>, _test: Arc<Dataset>, c: HypergradientConfig) -> Result<Self> {
        check_epsilon("the starting ε", c.epsilon0)?;
        check_range("the hyper learning rate η", c.hyper_lr, 0.0, 1e6)?;
        check_range("the largest log-ε step", c.max_log_step, 1e-3, MAX_LOG_STEP)?;
        let problem = LrProblem::new(&train, &c.setup)?;
        let run = Run::new(&problem, real(c.epsilon0), Mode::tangent(&problem));
        Ok(Hypergradient {
            problem,
            eps: c.epsilon0,
            hyper_lr: c.hyper_lr,
            max_log_step: c.max_log_step,
            run,
            history: Vec::new(),
            cost: Cost::default(),
        })
    }

    /// Up to `n` SGD steps (each with its tangent step); returns the hyper-iterations finished.
    fn step(&mut self, n: usize) -> Result<Vec<HypergradientRecord>> {
        let mut out = Vec::new();
        for _ in 0..n {
            let outcome = self.run.step(&self.problem);
            self.cost.sgd_steps += 1;
            self.cost.hessian_vector_products += 1;
            if outcome.is_err() || self.run.done(&self.problem) {
                out.push(self.finish_run(outcome.is_err()));
            }
        }
        Ok(out)
    }

    fn summary(&self) -> HypergradientSummary {
        let best = self
            .history
            .iter()
            .filter(|r| r.validation_loss.is_some())
            .min_by(|a, b| a.validation_loss.partial_cmp(&b.validation_loss).unwrap_or(std::cmp::Ordering::Equal))
            .copied();
        HypergradientSummary { epsilon: self.eps, iterations: self.history.len() as u64, best, cost: self.cost }
    }
}

// ---------------------------------------------------------------------------------------
// (c) Online hypergradient descent (Baydin et al. 2018)
// ---------------------------------------------------------------------------------------

/// Settings of online hypergradient descent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OnlineConfig {
    pub setup: LrSetup,
    /// ε at the start of the run.
    pub epsilon0: f64,
    /// The hyper learning rate β of `ε ← ε + β·g_t·g_{t−1}`.
    pub beta: f64,
}

impl Default for OnlineConfig {
    fn default() -> Self {
        OnlineConfig { setup: LrSetup::default(), epsilon0: 0.01, beta: 1e-3 }
    }
}

/// One step of the online run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OnlineRecord {
    pub step: u64,
    /// ε used for this step's update (kept within [1e-6, 100]).
    pub epsilon: f64,
    /// Minibatch loss before the update.
    pub loss: f64,
    /// `g_t·g_{t−1}` (`null` at the first step).
    pub gradient_dot: Option<f64>,
}

/// Where the run stands.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OnlineSummary {
    pub step: u64,
    pub epsilon: f64,
    pub done: bool,
    /// `F` at the end of the run (after `T` steps), once done.
    pub validation_loss: Option<f64>,
    pub validation_accuracy: Option<f64>,
    pub cost: Cost,
}

/// (c) One run with ε adapted online.
#[derive(Debug, Clone)]
pub struct OnlineHypergradient<F> {
    problem: LrProblem<F>,
    run: Run<F>,
    validation: Option<(f64, f64)>,
    cost: Cost,
}

impl<F: Real> Lesson for OnlineHypergradient<F> {
    type Config = OnlineConfig;
    type Record = OnlineRecord;
    type Summary = OnlineSummary;

    fn new(train: Arc<Dataset>, _test: Arc<Dataset>, c: OnlineConfig) -> Result<Self> {
        check_epsilon("the starting ε", c.epsilon0)?;
        check_range("the hyper learning rate β", c.beta, 0.0, MAX_BETA)?;
        let problem = LrProblem::new(&train, &c.setup)?;
        let run = Run::new(&problem, real(c.epsilon0), Mode::Online { beta: real(c.beta), prev: None });
        Ok(OnlineHypergradient { problem, run, validation: None, cost: Cost::default() })
    }

    /// Up to `n` steps (the run stops after the budget `T`).
    fn step(&mut self, n: usize) -> Result<Vec<OnlineRecord>> {
        let mut out = Vec::new();
        while out.len() < n && !self.run.done(&self.problem) {
            let s = self.run.step(&self.problem)?;
            self.cost.sgd_steps += 1;
            out.push(OnlineRecord { step: self.run.t as u64, epsilon: s.eps, loss: s.loss, gradient_dot: s.h });
            if self.run.done(&self.problem) {
                self.validation = Some(self.problem.validation(self.run.learner.model()));
                self.cost.validation_passes += 1;
            }
        }
        Ok(out)
    }

    fn finished(&self) -> bool {
        self.run.done(&self.problem)
    }

    fn summary(&self) -> OnlineSummary {
        OnlineSummary {
            step: self.run.t as u64,
            epsilon: f64_of(self.run.eps),
            done: self.run.done(&self.problem),
            validation_loss: self.validation.map(|v| v.0),
            validation_accuracy: self.validation.map(|v| v.1),
            cost: self.cost,
        }
    }
}
