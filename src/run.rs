//! Time-budgeted runs: do whole units of work (SGD steps, a lesson's epochs…) until a budget
//! of milliseconds is spent, sizing each call from the measured cost of one unit.
//!
//! The worker that plays the main model and the one that runs the lecture's experiments both
//! use [`UnitTimer::run`]; the clock is passed in ([`Clock`]), so the core stays free of web
//! APIs: the wasm facade reads `performance.now()`, native code an [`std::time::Instant`].

use crate::error::Result;
use serde::Serialize;

/// A monotonic clock in milliseconds.
pub trait Clock {
    fn now_ms(&self) -> f64;
}

/// Milliseconds since the clock was made (native runs and tests).
#[cfg(not(target_arch = "wasm32"))]
pub struct StdClock(std::time::Instant);

#[cfg(not(target_arch = "wasm32"))]
impl StdClock {
    pub fn new() -> Self {
        StdClock(std::time::Instant::now())
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Default for StdClock {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Clock for StdClock {
    fn now_ms(&self) -> f64 {
        self.0.elapsed().as_secs_f64() * 1000.0
    }
}

/// What one call of the work did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Done {
    /// Units done (at least 1 unless the work had nothing left to do).
    pub units: u64,
    /// Whether the run should end now (the work finished, or reached a point where the caller
    /// wants to act, such as a test evaluation).
    pub stop: bool,
}

/// What a run did.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RunReport {
    pub units: u64,
    pub ms: f64,
}

/// The running estimate of the cost of one unit, kept between runs of the same work.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnitTimer {
    ms_per_unit: f64,
    initial: f64,
}

impl UnitTimer {
    /// Start from a guess of `initial_ms` per unit (pessimistic: the first call then does one unit).
    pub fn new(initial_ms: f64) -> Self {
        UnitTimer { ms_per_unit: initial_ms, initial: initial_ms }
    }

    /// Forget what was measured (the cost of a unit changed: a new batch size, a new model).
    pub fn reset(&mut self) {
        self.ms_per_unit = self.initial;
    }

    /// The current estimate of milliseconds per unit.
    pub fn ms_per_unit(&self) -> f64 {
        self.ms_per_unit
    }

    /// Call `work(n)` until `budget_ms` is spent, `max_units` are done, or the work says stop.
    /// Each `n` is what fits in the time left at the measured cost (at least 1, so a run always
    /// makes progress, at most what is left of `max_units`); the estimate follows each call's
    /// cost (an exponential average, 0.7 old + 0.3 new). An error from the work ends the run.
    pub fn run(
        &mut self,
        clock: &dyn Clock,
        budget_ms: f64,
        max_units: u64,
        mut work: impl FnMut(u64) -> Result<Done>,
    ) -> Result<RunReport> {
        // A budget that is not a number (JS passed nothing) is no budget: one unit.
        let budget_ms = if budget_ms.is_finite() { budget_ms } else { 0.0 };
        let start = clock.now_ms();
        let mut units = 0u64;
        while units < max_units {
            let remaining = budget_ms - (clock.now_ms() - start);
            if remaining <= 0.0 && units > 0 {
                break;
            }
            let fit = if self.ms_per_unit > 0.0 { (remaining / self.ms_per_unit).floor() } else { f64::MAX };
            let n = (fit.max(1.0) as u64).clamp(1, max_units - units);
            let t0 = clock.now_ms();
            let done = work(n)?;
            let dt = clock.now_ms() - t0;
            if done.units > 0 {
                self.ms_per_unit = 0.7 * self.ms_per_unit + 0.3 * dt / done.units as f64;
            }
            units += done.units;
            if done.stop || done.units == 0 {
                break;
            }
        }
        Ok(RunReport { units, ms: clock.now_ms() - start })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// A clock that advances only when the work says so: each unit costs `unit_ms`.
    struct FakeClock(Cell<f64>);
    impl Clock for FakeClock {
        fn now_ms(&self) -> f64 {
            self.0.get()
        }
    }

    #[test]
    fn fills_the_budget_in_few_calls_once_the_cost_is_known() {
        let clock = FakeClock(Cell::new(0.0));
        let mut timer = UnitTimer::new(8.0);
        let mut calls = Vec::new();
        let work = |n: u64| {
            calls.push(n);
            clock.0.set(clock.0.get() + 0.5 * n as f64);
            Ok(Done { units: n, stop: false })
        };
        let r = timer.run(&clock, 8.0, u64::MAX, work).unwrap();
        // First call: one unit at the pessimistic guess; then the estimate falls toward 0.5 ms.
        assert_eq!(calls[0], 1);
        assert!(r.ms <= 8.0 + 0.5 * calls.last().copied().unwrap() as f64);
        assert!(r.units >= 8, "{r:?} {calls:?}");
        assert!(timer.ms_per_unit() < 8.0);
        // A second run starts from the learnt cost: it fills the budget in far fewer calls.
        let mut second = Vec::new();
        timer
            .run(&clock, 8.0, u64::MAX, |n| {
                second.push(n);
                clock.0.set(clock.0.get() + 0.5 * n as f64);
                Ok(Done { units: n, stop: false })
            })
            .unwrap();
        assert!(second[0] > 1, "{second:?}");
    }

    #[test]
    fn stops_at_max_units_and_when_the_work_says_so() {
        let clock = FakeClock(Cell::new(0.0));
        let mut timer = UnitTimer::new(0.001);
        let r = timer.run(&clock, 1e9, 7, |n| Ok(Done { units: n, stop: false })).unwrap();
        assert_eq!(r.units, 7);
        let r = timer.run(&clock, 1e9, 100, |n| Ok(Done { units: n.min(3), stop: true })).unwrap();
        assert_eq!(r.units, 3);
        let r = timer.run(&clock, 1e9, 100, |_| Ok(Done { units: 0, stop: false })).unwrap();
        assert_eq!(r.units, 0, "work with nothing left ends the run");
    }

    #[test]
    fn always_makes_progress_even_with_no_budget_and_passes_errors_on() {
        let clock = FakeClock(Cell::new(0.0));
        let mut timer = UnitTimer::new(8.0);
        let r = timer.run(&clock, 0.0, 10, |n| Ok(Done { units: n, stop: false })).unwrap();
        assert_eq!(r.units, 1);
        let r = timer.run(&clock, f64::NAN, u64::MAX, |n| Ok(Done { units: n, stop: false })).unwrap();
        assert_eq!(r.units, 1, "no budget (NaN from JS) is one unit, not a run without end");
        let e = timer.run(&clock, 5.0, 10, |_| Err(crate::LabError::EmptyImage)).unwrap_err();
        assert_eq!(e, crate::LabError::EmptyImage);
    }
}
