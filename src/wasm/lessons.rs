//! `#[wasm_bindgen]` wrappers of the lecture's experiments ([`crate::lessons`]): conversions only.
//!
//! Every experiment is a class built from the shared [`Data`] handle and a settings object
//! (missing fields take their defaults, unknown fields are refused):
//!
//! ```js
//! const run = new AttenuationLesson(data, { positive: 1, negative: 7, badness: 8 });
//! const records = run.step(10);   // the records of 10 steps (plain objects)
//! const now = run.summary();      // held-out metrics, best choice, cost…
//! AttenuationLesson.defaults();   // the default settings
//! ```
//!
//! The classes: `LogisticLesson` (§2), `AttenuationLesson` (§3), `TwoClassLesson` (§4),
//! `L2Lesson` (§6, `step(n)` = n epochs), `AllPositiveLesson` (§7), `GridSearchLesson`,
//! `HypergradientLesson`, `OnlineHypergradientLesson` (§8, `step(n)` = n SGD steps). Free
//! functions serve §1, §2, §4 and §5 from the main model (`Lab`).

use super::{invalid, js_err, to_js, Data, JsResult, Lab, PerformanceClock};
use crate::lessons::all_positive::AllPositive;
use crate::lessons::attenuation::Attenuation;
use crate::lessons::common::{Paced, Pacer};
use crate::lessons::l2::L2Lesson;
use crate::lessons::learned::{confusion_cell, contribution_maps, top_classes};
use crate::lessons::logistic::LogisticLesson;
use crate::lessons::lr_search::{log_grid, GridSearch, Hypergradient, LrProblem, LrSetup, OnlineHypergradient};
use crate::lessons::softmax_details::{one_hot_rows, softmax_details, TwoClass};
use crate::lessons::Lesson;
use crate::model::logistic::LogisticRegression;
use crate::run::UnitTimer;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A settings object from JS; `undefined`/`null` means all defaults. It goes through
/// `serde_json::Value` because serde-wasm-bindgen reads only the declared fields of a struct:
/// this way a misspelt setting is refused (`deny_unknown_fields`) instead of silently ignored.
fn from_js<T: DeserializeOwned + Default>(config: JsValue) -> JsResult<T> {
    if config.is_undefined() || config.is_null() {
        return Ok(T::default());
    }
    let invalid = |e: &dyn std::fmt::Display| invalid(format!("invalid settings: {e}"));
    let value: serde_json::Value = serde_wasm_bindgen::from_value(config).map_err(|e| invalid(&e))?;
    serde_json::from_value(value).map_err(|e| invalid(&e))
}

/// Time budget of one `run` of an experiment unless the page asks for less (ms); also the
/// first guess of a unit's cost.
pub const DEFAULT_BUDGET_MS: f64 = 30.0;

/// What `run` returns: `{records, units, ms, wait_ms}`.
#[derive(Serialize)]
struct Ran<R: Serialize> {
    records: Vec<R>,
    #[serde(flatten)]
    report: Paced,
}

/// JS classes over experiments implementing [`Lesson`]: constructor, `defaults()`, `step(n)`, `summary()`.
macro_rules! lesson_classes {
    ($($doc:literal, $rust:ident as $js:ident => $ty:ty;)*) => {$(
        #[doc = $doc]
        #[wasm_bindgen(js_name = $js)]
        pub struct $rust {
            inner: $ty,
            /// The measured cost of a unit, for `run`.
            timer: UnitTimer,
            /// The pace of `run` (steps per second, or full speed).
            pacer: Pacer,
        }

        #[wasm_bindgen(js_class = $js)]
        impl $rust {
            /// Build the experiment on `data` with `config` (a settings object); throws on invalid settings.
            #[wasm_bindgen(constructor)]
            pub fn new(data: &Data, config: JsValue) -> JsResult<$rust> {
                let (train, test) = data.sets();
                let inner = <$ty as Lesson>::new(train, test, from_js(config)?).map_err(js_err)?;
                Ok($rust { inner, timer: UnitTimer::new(DEFAULT_BUDGET_MS), pacer: Pacer::full_speed() })
            }

            /// The default settings.
            pub fn defaults() -> JsResult<JsValue> {
                to_js(&<<$ty as Lesson>::Config as Default>::default())
            }

            /// Advance by `n` units; returns their records (an array of plain objects).
            pub fn step(&mut self, n: usize) -> JsResult<JsValue> {
                to_js(&self.inner.step(n).map_err(js_err)?)
            }

            /// Advance by whole units for about `budget_ms` (at most `max_units`; the units are
            /// sized from their measured cost) or until the experiment finishes, at full speed:
            /// `{records, units, ms, wait_ms}` (`wait_ms` 0).
            pub fn run(&mut self, budget_ms: f64, max_units: f64) -> JsResult<JsValue> {
                self.run_paced(budget_ms, max_units, None)
            }

            /// `run` at a pace of at most `steps_per_second` SGD steps per second (`undefined`,
            /// `null` or `Infinity`: full speed): no units when the next one is not due yet, and
            /// `wait_ms`, the time until it is. A new pace starts afresh (its first unit at once).
            #[wasm_bindgen(js_name = runPaced)]
            pub fn run_paced(&mut self, budget_ms: f64, max_units: f64, steps_per_second: Option<f64>) -> JsResult<JsValue> {
                let max = if max_units.is_finite() && max_units >= 1.0 { max_units as u64 } else { u64::MAX };
                self.pacer.set(steps_per_second).map_err(js_err)?;
                let clock = PerformanceClock::new();
                let (records, report) =
                    self.inner.run_paced(&mut self.timer, &mut self.pacer, &clock, budget_ms, max).map_err(js_err)?;
                to_js(&Ran { records, report })
            }

            /// Where the experiment stands.
            pub fn summary(&self) -> JsResult<JsValue> {
                to_js(&self.inner.summary())
            }
        }
    )*};
}

lesson_classes! {
    "§2: logistic regression on a digit pair with MSE or log-loss.", JsLogisticLesson as LogisticLesson => LogisticLesson<f32>;
    "§3: MSE vs log-loss from the same bad initialisation, in lockstep.", JsAttenuationLesson as AttenuationLesson => Attenuation<f32>;
    "§4: softmax with c = 2 trained on a digit pair and compared with logistic regression (f64).", JsTwoClassLesson as TwoClassLesson => TwoClass<f64>;
    "§6: N1 (with α‖W‖²) and N2 (without) in lockstep; `step(n)` runs n epochs.", JsL2Lesson as L2Lesson => L2Lesson<f32>;
    "§7: log-loss on an all-positive training set (full-batch gradient descent).", JsAllPositiveLesson as AllPositiveLesson => AllPositive<f32>;
    "§8a: grid search over ε on a log grid; `step(n)` runs n SGD steps across the grid.", JsGridSearchLesson as GridSearchLesson => GridSearch<f64>;
    "§8b: gradient descent on log ε with the exact hypergradient; `step(n)` runs n SGD (+ tangent) steps.", JsHypergradientLesson as HypergradientLesson => Hypergradient<f64>;
    "§8c: online hypergradient descent (Baydin et al. 2018); `step(n)` runs n SGD steps.", JsOnlineHypergradientLesson as OnlineHypergradientLesson => OnlineHypergradient<f64>;
}

/// The 784 weights of a logistic model (for a 28×28 image).
fn logistic_weights(m: &LogisticRegression<f32>) -> Vec<f32> {
    m.w.to_vec()
}

#[wasm_bindgen(js_class = LogisticLesson)]
impl JsLogisticLesson {
    /// `w` (784 values, row-major 28×28).
    pub fn weights(&self) -> Vec<f32> {
        logistic_weights(self.inner.model())
    }
}

#[wasm_bindgen(js_class = AllPositiveLesson)]
impl JsAllPositiveLesson {
    /// `w` (784 values, row-major 28×28).
    pub fn weights(&self) -> Vec<f32> {
        logistic_weights(self.inner.model())
    }
}

/// §4: the numbers of the main model's prediction for a 28×28 image of intensities in [0, 1]
/// (`{z, shift, exp_shifted, sum_exp_shifted, log_sum_exp, probabilities, predicted, true_class, one_hot, cross_entropy}`).
#[wasm_bindgen(js_name = softmaxDetails)]
pub fn softmax_details_js(lab: &Lab, pixels: &[f32], true_class: usize) -> JsResult<JsValue> {
    let x = lab.trainer.inputs_from_intensities(pixels).map_err(js_err)?;
    to_js(&softmax_details(lab.trainer.model(), x.view(), true_class).map_err(js_err)?)
}

/// §4: one-hot rows of `labels` (`labels.length × classes`, row-major).
#[wasm_bindgen(js_name = oneHot)]
pub fn one_hot_js(labels: &[u8], classes: usize) -> JsResult<Vec<f64>> {
    one_hot_rows(labels, classes).map_err(js_err)
}

/// §5: the maps `w⁽ᵏ⁾ ⊙ x` of the main model for an image of intensities in [0, 1], one
/// 784-value map per entry of `classes`, concatenated.
#[wasm_bindgen(js_name = contributionMaps)]
pub fn contribution_maps_js(lab: &Lab, pixels: &[f32], classes: &[u32]) -> JsResult<Vec<f32>> {
    let x = lab.trainer.inputs_from_intensities(pixels).map_err(js_err)?;
    let classes: Vec<usize> = classes.iter().map(|&k| k as usize).collect();
    Ok(contribution_maps(lab.trainer.model(), x.view(), &classes).map_err(js_err)?.into_iter().collect())
}

/// §5: the `k` most probable classes of `probabilities`, most probable first.
#[wasm_bindgen(js_name = topClasses)]
pub fn top_classes_js(probabilities: &[f32], k: usize) -> Vec<u32> {
    top_classes(probabilities, k).into_iter().map(|c| c as u32).collect()
}

/// §5: the test images in one confusion-matrix cell of the main model
/// (`{true_class, predicted_class, count, items: [{index, probabilities}]}`, most confident first).
#[wasm_bindgen(js_name = confusionCell)]
pub fn confusion_cell_js(lab: &Lab, true_class: usize, predicted_class: usize, limit: usize) -> JsResult<JsValue> {
    let t = &lab.trainer;
    to_js(
        &confusion_cell(t.model(), &t.transform(), t.test_set(), (true_class, predicted_class), limit)
            .map_err(js_err)?,
    )
}

/// §8: the log grid of ε a grid search would use.
#[wasm_bindgen(js_name = logGrid)]
pub fn log_grid_js(min: f64, max: f64, points: usize) -> JsResult<Vec<f64>> {
    log_grid(min, max, points).map_err(js_err)
}

/// §8: the exact `dF/dε` of one ε against a central difference of `F`.
#[derive(Serialize)]
struct HypergradientCheck {
    epsilon: f64,
    /// `F(ε)`, the validation loss after the `T` steps.
    loss: f64,
    /// `dF/dε` by forward mode through the unrolled updates.
    derivative: f64,
    /// `(F(ε + h) − F(ε − h)) / 2h` with `h = relativeStep·ε`.
    finite_difference: f64,
    /// `|derivative − finite_difference| / |finite_difference|`.
    relative_error: f64,
}

/// §8: check the exact hypergradient of the problem `setup` (an `LrSetup` object) at
/// `epsilon` against a central difference with step `relativeStep·epsilon` (three runs of `T` steps).
#[wasm_bindgen(js_name = hypergradientCheck)]
pub fn hypergradient_check_js(data: &Data, setup: JsValue, epsilon: f64, relative_step: f64) -> JsResult<JsValue> {
    let (train, _) = data.sets();
    let setup: LrSetup = from_js(setup)?;
    let problem = LrProblem::<f64>::new(&train, &setup).map_err(js_err)?;
    if !(relative_step.is_finite() && relative_step > 0.0 && relative_step < 0.1) {
        return Err(invalid(format!("the relative step must be a number in (0, 0.1); got {relative_step}")));
    }
    let h = relative_step * epsilon;
    let (loss, derivative) = problem.final_loss_and_derivative(epsilon).map_err(js_err)?;
    let finite_difference = (problem.final_loss(epsilon + h).map_err(js_err)?
        - problem.final_loss(epsilon - h).map_err(js_err)?)
        / (2.0 * h);
    let relative_error = (derivative - finite_difference).abs() / finite_difference.abs();
    to_js(&HypergradientCheck { epsilon, loss, derivative, finite_difference, relative_error })
}

/// §4, §5: the pixels of the test images `indices` (784 bytes each, row-major, ink bright,
/// concatenated); their labels are in `Data.testLabels()`.
#[wasm_bindgen(js_name = testImages)]
pub fn test_images_js(data: &Data, indices: &[u32]) -> JsResult<Vec<u8>> {
    let (_, test) = data.sets();
    let mut pixels = Vec::with_capacity(indices.len() * crate::data::INPUT_DIM);
    for &i in indices {
        let i = i as usize;
        if i >= test.len() {
            return Err(invalid(format!("test image {i} does not exist (the test set has {})", test.len())));
        }
        pixels.extend_from_slice(test.image(i));
    }
    Ok(pixels)
}
