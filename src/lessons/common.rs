//! What the experiments share: the [`Lesson`] protocol the Worker drives, validation of
//! settings, seeded minibatches, chunked passes over a data set and the data sets the
//! experiments are built from (a digit pair, a random subset, a train/validation split).

use crate::data::{Dataset, InputTransform, INPUT_DIM};
use crate::error::{LabError, Result};
use crate::model::softmax::{pixels_to_inputs, Real};
use crate::run::{Clock, Done, RunReport, UnitTimer};
use crate::train::Hyperparameters;
use ndarray::{s, Array2, ArrayView2};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::Arc;

/// The protocol of every experiment with state: build it from the data and a validated
/// configuration, advance it in chunks (`step(n)` returns the records of the work done, so
/// a Worker can plot as it goes), and ask for a summary of where it stands.
pub trait Lesson: Sized {
    /// Settings; missing fields take their defaults.
    type Config: Default + Serialize + DeserializeOwned;
    /// What one unit of work (a step, an epoch, a finished run) produced.
    type Record: Serialize;
    /// Where the experiment stands (held-out metrics, best choice, cost so far).
    type Summary: Serialize;

    /// Validate `config` against the data (before any work) and set the experiment up.
    fn new(train: Arc<Dataset>, test: Arc<Dataset>, config: Self::Config) -> Result<Self>;
    /// Advance by `n` units and return their records (possibly fewer when the experiment
    /// is finished). On an error the model keeps its last good state.
    fn step(&mut self, n: usize) -> Result<Vec<Self::Record>>;
    /// The current summary (may evaluate on held-out data).
    fn summary(&self) -> Self::Summary;
    /// Whether there is no work left (experiments with an end, such as a grid search).
    fn finished(&self) -> bool {
        false
    }

    /// Advance by whole units until `budget_ms` is spent or `max_units` are done
    /// ([`UnitTimer::run`]), or the experiment finishes; returns the records of the work done.
    fn run_for(
        &mut self,
        timer: &mut UnitTimer,
        clock: &dyn Clock,
        budget_ms: f64,
        max_units: u64,
    ) -> Result<(Vec<Self::Record>, RunReport)> {
        let mut records = Vec::new();
        let report = timer.run(clock, budget_ms, max_units, |n| {
            let got = self.step(usize::try_from(n).unwrap_or(usize::MAX))?;
            let stop = got.is_empty() && self.finished();
            records.extend(got);
            Ok(Done { units: n, stop })
        })?;
        Ok((records, report))
    }

    /// SGD steps in one unit (1 unless a unit is an epoch or more): a pace counts steps.
    fn steps_per_unit(&self) -> f64 {
        1.0
    }

    /// [`Self::run_for`] at a pace: at most the units `pacer` allows now (none if the next one
    /// is not due yet), then how long until the next one is ([`Paced::wait_ms`]).
    fn run_paced(
        &mut self,
        timer: &mut UnitTimer,
        pacer: &mut Pacer,
        clock: &dyn Clock,
        budget_ms: f64,
        max_units: u64,
    ) -> Result<(Vec<Self::Record>, Paced)> {
        let per_unit = self.steps_per_unit();
        let allowed = pacer.grant(clock.now_ms(), per_unit, max_units);
        let (records, report) = if allowed == 0 || max_units == 0 {
            (Vec::new(), RunReport { units: 0, ms: 0.0 })
        } else {
            self.run_for(timer, clock, budget_ms, allowed)?
        };
        pacer.spend(report.units, per_unit);
        Ok((records, Paced { units: report.units, ms: report.ms, wait_ms: pacer.wait_ms(per_unit) }))
    }
}

/// Most seconds of steps a slow pace may owe: a tab in the background, or a slow chunk, must
/// not come back as a burst.
pub const MAX_OWED_SECONDS: f64 = 0.25;

/// What a paced run did: [`RunReport`] and the wait before the next unit is due.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Paced {
    pub units: u64,
    pub ms: f64,
    /// Milliseconds until the pace allows the next unit (0 at full speed, or when it is due).
    pub wait_ms: f64,
}

/// A pace: at most `steps_per_second` SGD steps per second of the clock, or full speed. A token
/// bucket: steps are earned with time (at most [`MAX_OWED_SECONDS`] worth, and at least one
/// unit's), spent by the units run; the first unit after the pace is set is due at once.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Pacer {
    steps_per_second: Option<f64>,
    allowance: f64,
    last_ms: Option<f64>,
}

impl Pacer {
    /// Full speed.
    pub fn full_speed() -> Self {
        Pacer::default()
    }

    /// The pace in steps per second (`None`: full speed).
    pub fn pace(&self) -> Option<f64> {
        self.steps_per_second
    }

    /// Set the pace: a positive number of steps per second, `None` or +∞ for full speed. A new
    /// pace starts afresh (its first unit at once); the same pace again changes nothing.
    pub fn set(&mut self, steps_per_second: Option<f64>) -> Result<()> {
        let pace = match steps_per_second {
            None => None,
            Some(p) if p == f64::INFINITY => None,
            Some(p) if p.is_finite() && p > 0.0 => Some(p),
            Some(p) => return Err(invalid("the pace (steps per second)", p, "a positive number, or ∞ for full speed")),
        };
        if pace != self.steps_per_second {
            *self = Pacer { steps_per_second: pace, allowance: 0.0, last_ms: None };
        }
        Ok(())
    }

    /// How many whole units of `steps_per_unit` steps may run at `now_ms` (at most `max_units`).
    pub fn grant(&mut self, now_ms: f64, steps_per_unit: f64, max_units: u64) -> u64 {
        let Some(pace) = self.steps_per_second else { return max_units };
        let cap = (pace * MAX_OWED_SECONDS).max(steps_per_unit);
        self.allowance = match self.last_ms {
            None => self.allowance.max(steps_per_unit),
            Some(last) => (self.allowance + (now_ms - last).max(0.0) * pace / 1000.0).min(cap),
        };
        self.last_ms = Some(now_ms);
        let units = (self.allowance / steps_per_unit).floor();
        if units >= max_units as f64 {
            max_units
        } else {
            units.max(0.0) as u64
        }
    }

    /// `units` were run.
    pub fn spend(&mut self, units: u64, steps_per_unit: f64) {
        if self.steps_per_second.is_some() {
            self.allowance -= units as f64 * steps_per_unit;
        }
    }

    /// Milliseconds from the last [`Self::grant`] until the next unit is due.
    pub fn wait_ms(&self, steps_per_unit: f64) -> f64 {
        self.steps_per_second.map_or(0.0, |pace| ((steps_per_unit - self.allowance) * 1000.0 / pace).max(0.0))
    }
}

/// Examples per chunk when a pass goes over a whole data set.
pub const CHUNK: usize = 500;

/// Smallest learning rate an adaptive method may reach (the validation of user input
/// is [`Hyperparameters::from_numbers`]).
pub const MIN_LEARNING_RATE: f64 = 1e-6;

/// Validate a learning rate, batch size and L2 strength against a training set of `n` examples
/// (the same rules as the main trainer).
pub fn check_sgd(learning_rate: f64, batch_size: usize, l2: f64, n: usize) -> Result<()> {
    Hyperparameters::from_numbers(learning_rate, batch_size as f64, l2, n).map(|_| ())
}

/// A setting outside its range.
pub fn invalid(name: &str, got: impl std::fmt::Display, expected: &str) -> LabError {
    LabError::Invalid(format!("{name} must be {expected}; got {got}"))
}

/// Check a whole-number setting lies in `min..=max`.
pub fn check_count(name: &str, value: usize, min: usize, max: usize) -> Result<usize> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(invalid(name, value, &format!("a whole number from {min} to {max}")))
    }
}

/// Check a real setting is finite and lies in `[min, max]`.
pub fn check_range(name: &str, value: f64, min: f64, max: f64) -> Result<f64> {
    if value.is_finite() && (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(invalid(name, value, &format!("a number from {min} to {max}")))
    }
}

/// Check a class index.
pub fn check_class(name: &str, class: usize, classes: usize) -> Result<usize> {
    if class < classes {
        Ok(class)
    } else {
        Err(invalid(name, class, &format!("a class from 0 to {}", classes.saturating_sub(1))))
    }
}

/// Convert a validated `f64` setting to the model's float type.
pub fn real<F: Real>(v: f64) -> F {
    F::from_f64(v).unwrap_or_else(F::nan)
}

/// Convert a model value to `f64` for a record.
pub fn f64_of<F: Real>(v: F) -> f64 {
    v.to_f64().unwrap_or(f64::NAN)
}

/// A minibatch buffer: `rows` examples as model inputs and their labels.
#[derive(Debug, Clone)]
pub struct Batch<F> {
    x: Array2<F>,
    labels: Vec<u8>,
}

impl<F: Real> Batch<F> {
    /// An empty buffer (it grows to the largest batch loaded into it).
    pub fn new() -> Self {
        Batch { x: Array2::zeros((0, INPUT_DIM)), labels: Vec::new() }
    }

    /// Fill with the examples `indices` of `data`, converted through `lut`.
    pub fn load(&mut self, data: &Dataset, indices: impl ExactSizeIterator<Item = usize>, lut: &[F; 256]) {
        let m = indices.len();
        if self.x.nrows() < m {
            self.x = Array2::zeros((m, INPUT_DIM));
        }
        self.labels.clear();
        for (row, i) in indices.enumerate() {
            pixels_to_inputs(data.image(i), lut, self.x.slice_mut(s![row..row + 1, ..]));
            self.labels.push(data.labels[i]);
        }
    }

    /// The inputs (`rows × 784`) of the loaded examples.
    pub fn x(&self) -> ArrayView2<'_, F> {
        self.x.slice(s![..self.labels.len(), ..])
    }

    /// Their labels.
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }
}

impl<F: Real> Default for Batch<F> {
    fn default() -> Self {
        Self::new()
    }
}

/// A training set and its input lookup table, served as seeded minibatches: a fresh shuffle
/// of `0..n` every epoch (PCG64 seeded with `seed`), batches taken in order, the last one of an
/// epoch possibly smaller. The same seed gives the same sequence of batches, so models fed by
/// one `Minibatches` (or by two built with the same seed) see identical minibatches. When a
/// batch is the whole set (full-batch gradient descent) it is loaded once and reused.
#[derive(Debug, Clone)]
pub struct Minibatches<F> {
    data: Arc<Dataset>,
    lut: [F; 256],
    order: Vec<u32>,
    cursor: usize,
    batch_size: usize,
    rng: rand_pcg::Pcg64Mcg,
    epochs: u64,
    batch: Batch<F>,
}

impl<F: Real> Minibatches<F> {
    /// Batches of `batch_size` (≥ 1) examples of `data`.
    pub fn new(data: Arc<Dataset>, lut: [F; 256], batch_size: usize, seed: u64) -> Self {
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(seed ^ 0x0ba7_c4e5_0b5e_55ed);
        let mut order: Vec<u32> = (0..data.len() as u32).collect();
        order.shuffle(&mut rng);
        Minibatches { data, lut, order, cursor: 0, batch_size: batch_size.max(1), rng, epochs: 0, batch: Batch::new() }
    }

    /// Load the next minibatch; returns it and whether it completes an epoch.
    pub fn next_batch(&mut self) -> (&Batch<F>, bool) {
        let n = self.order.len();
        if self.batch_size >= n && self.epochs > 0 {
            self.epochs += 1;
            return (&self.batch, true);
        }
        if self.cursor >= n {
            self.order.shuffle(&mut self.rng);
            self.cursor = 0;
        }
        let end = (self.cursor + self.batch_size).min(n);
        self.batch.load(&self.data, self.order[self.cursor..end].iter().map(|&i| i as usize), &self.lut);
        self.cursor = end;
        let ended = end >= n;
        self.epochs += u64::from(ended);
        (&self.batch, ended)
    }

    /// The batch loaded last.
    pub fn current(&self) -> &Batch<F> {
        &self.batch
    }

    pub fn data(&self) -> &Arc<Dataset> {
        &self.data
    }

    pub fn lut(&self) -> &[F; 256] {
        &self.lut
    }

    /// Minibatches in one epoch.
    pub fn batches_per_epoch(&self) -> usize {
        self.order.len().div_ceil(self.batch_size).max(1)
    }

    /// Whole epochs completed.
    pub fn epochs(&self) -> u64 {
        self.epochs
    }
}

/// Call `f(start, x, labels)` on consecutive chunks of `data` converted through `lut`.
pub fn for_each_chunk<F: Real>(data: &Dataset, lut: &[F; 256], mut f: impl FnMut(usize, ArrayView2<F>, &[u8])) {
    let mut batch = Batch::new();
    for start in (0..data.len()).step_by(CHUNK) {
        batch.load(data, start..(start + CHUNK).min(data.len()), lut);
        f(start, batch.x(), batch.labels());
    }
}

/// The binary task "digit `positive` (y = 1) vs digit `negative` (y = 0)": the examples of
/// the two classes of `data`, in their original order, relabelled as a two-class set.
pub fn digit_pair(data: &Dataset, positive: usize, negative: usize, what: &str) -> Result<Dataset> {
    check_class("the positive class", positive, data.classes)?;
    check_class("the negative class", negative, data.classes)?;
    if positive == negative {
        return Err(invalid("the two classes", format!("{positive} and {negative}"), "two different classes"));
    }
    let keep: Vec<usize> =
        (0..data.len()).filter(|&i| [positive, negative].contains(&usize::from(data.labels[i]))).collect();
    relabel(data, &keep, |label| u8::from(usize::from(label) == positive), what)
}

/// The examples `indices` of `data` with their labels mapped by `label` into a two-class set.
pub fn relabel(data: &Dataset, indices: &[usize], label: impl Fn(u8) -> u8, what: &str) -> Result<Dataset> {
    let mut sub = data.subset(indices, what)?;
    sub.labels.iter_mut().for_each(|l| *l = label(*l));
    Dataset::new(sub.images, sub.labels, 2, what)
}

/// `count` distinct indices of `0..n` chosen by a seeded shuffle (errors if `count > n`).
pub fn sample_indices(n: usize, count: usize, seed: u64, what: &str) -> Result<Vec<usize>> {
    check_count(what, count, 1, n)?;
    let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(seed ^ 0x5a3b_1e5e_7c0f_fee5);
    let mut all: Vec<usize> = (0..n).collect();
    all.shuffle(&mut rng);
    all.truncate(count);
    Ok(all)
}

/// A training subset and a disjoint validation subset of `data` (seeded), both with the
/// original labels: the validation set is held out of the *training* data, never the test set.
pub fn train_validation_split(
    data: &Dataset,
    train: usize,
    validation: usize,
    seed: u64,
) -> Result<(Dataset, Dataset)> {
    let total = train.saturating_add(validation);
    if train == 0 || validation == 0 || total > data.len() {
        return Err(invalid(
            "training + validation size",
            format!("{train} + {validation}"),
            &format!("two whole numbers ≥ 1 adding up to at most {} (the training set)", data.len()),
        ));
    }
    let idx = sample_indices(data.len(), total, seed, "training + validation size")?;
    Ok((data.subset(&idx[..train], "training split")?, data.subset(&idx[train..], "validation split")?))
}

/// The input transform fitted on `train` and its lookup table in the model's float type.
pub fn transform_and_lut<F: Real>(train: &Dataset) -> (InputTransform, [F; 256]) {
    let t = InputTransform::fit(train);
    (t, t.lut())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pace of 5 steps/s: the first step at once, then one every 200 ms; an epoch of 10 steps
    /// waits until 10 are earned; a long gap owes at most a quarter second's worth.
    #[test]
    fn a_pacer_allows_its_steps_per_second() {
        let mut p = Pacer::full_speed();
        assert_eq!(p.grant(0.0, 1.0, 40), 40);
        assert_eq!(p.wait_ms(1.0), 0.0);
        p.set(Some(5.0)).unwrap();
        assert_eq!(p.grant(1000.0, 1.0, 40), 1, "the first step is due at once");
        p.spend(1, 1.0);
        assert_eq!(p.wait_ms(1.0), 200.0);
        assert_eq!(p.grant(1100.0, 1.0, 40), 0);
        assert_eq!(p.grant(1200.0, 1.0, 40), 1);
        p.spend(1, 1.0);
        // Over 10 simulated seconds at 50 ms per chunk: 50 steps.
        let mut steps = 0;
        for i in 1..=200 {
            let n = p.grant(1200.0 + 50.0 * f64::from(i), 1.0, u64::MAX);
            p.spend(n, 1.0);
            steps += n;
        }
        assert_eq!(steps, 50);
        assert_eq!(p.grant(60_000.0, 1.0, u64::MAX), 1, "a long pause owes at most 0.25 s of steps");
        // An epoch of 10 steps at 20 steps/s: one epoch at once, the next after 500 ms.
        let mut p = Pacer::full_speed();
        p.set(Some(20.0)).unwrap();
        assert_eq!(p.grant(0.0, 10.0, 100), 1);
        p.spend(1, 10.0);
        assert_eq!(p.wait_ms(10.0), 500.0);
        assert_eq!(p.grant(499.0, 10.0, 100), 0);
        assert_eq!(p.grant(500.0, 10.0, 100), 1);
        // Full speed again; bad paces are refused.
        p.set(Some(f64::INFINITY)).unwrap();
        assert_eq!(p.pace(), None);
        for bad in [0.0, -1.0, f64::NAN] {
            assert!(p.set(Some(bad)).is_err());
        }
    }
}
