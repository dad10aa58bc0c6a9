//! Section 7 (Exercise 2): log-loss on a training set where every label is 1.

use crate::common as lessons_common;

use softmax_lab::lessons::all_positive::{AllPositive, AllPositiveConfig};
use softmax_lab::lessons::binary::BinaryStep;
use softmax_lab::lessons::Lesson;
use softmax_lab::LabError;

/// Settings shared by the runs below: 200 training images of digit 1 (seeded sample), all
/// labelled y = 1; test set = the 2 163 test images of 1 (y = 1) and 7 (y = 0); full-batch
/// gradient descent with ε = 0.01 from w = 0, b = 0; f32.
pub(crate) fn config(alpha: f64, penalize_bias: bool) -> AllPositiveConfig {
    AllPositiveConfig {
        digit: 1,
        negative: 7,
        train_size: 200,
        learning_rate: 0.01,
        alpha,
        penalize_bias,
        seed: 541,
        eval_every: 1000,
    }
}

fn run(config: AllPositiveConfig, steps: usize) -> (AllPositive<f32>, Vec<BinaryStep>) {
    let (train, test) = lessons_common::mnist();
    let mut a = AllPositive::new(train, test, config).unwrap();
    let records = a.step(steps).unwrap();
    (a, records)
}

/// Without L2, 3000 steps: b increases at every single step, the training loss decreases at
/// every step and ends below 2·10⁻⁴ (and below 1 % of its value after 10 steps), while the
/// test loss (the 7s, all called 1) keeps growing.
#[test]
fn without_l2_b_grows_and_training_loss_goes_to_zero() {
    let (a, records) = run(config(0.0, false), 3000);
    assert!(records.windows(2).all(|w| w[1].b > w[0].b), "b increases monotonically");
    assert!(records.windows(2).all(|w| w[1].loss <= w[0].loss), "training loss never increases");
    let tests: Vec<f64> = records.iter().filter_map(|r| r.heldout.map(|e| e.loss)).collect();
    let s = a.summary();
    println!(
        "α = 0, 3000 steps: b {:.5} (after 10 steps {:.5}), ‖w‖ {:.4}, training loss {:.3e} (after 10 steps {:.3e}), test loss at 1000/2000/3000 steps {tests:.4?}",
        s.model.b, records[9].b, s.model.w_norm, s.model.train.loss, records[9].loss
    );
    assert!(s.model.train.loss < 2e-4 && s.model.train.loss < records[9].loss / 100.0);
    assert!(tests.windows(2).all(|w| w[1] > w[0]), "the test loss grows");
    assert_eq!(s.b_bound, None);
}

/// With α = 0.1 on `α(‖w‖² + b²)`: |b| ≤ √(log 2 / α) ≈ 2.63 at every step and b converges
/// (it moves less than 10⁻⁴ between steps 2000 and 4000 — under 1/50 of its move without L2); with the
/// usual `α‖w‖²` alone, b is not held: it keeps growing (by more than 0.05 over the same steps).
#[test]
fn with_l2_on_the_bias_b_stays_bounded() {
    let (a, records) = run(config(0.1, true), 4000);
    let bound = a.summary().b_bound.unwrap();
    assert!((bound - (std::f64::consts::LN_2 / 0.1).sqrt()).abs() < 1e-12);
    assert!(records.iter().all(|r| r.b.abs() <= bound));
    let drift = records[3999].b - records[1999].b;
    let (_, free) = run(config(0.0, false), 4000);
    let free_drift = free[3999].b - free[1999].b;
    let (_, w_only) = run(config(0.1, false), 4000);
    let w_only_drift = w_only[3999].b - w_only[1999].b;
    println!(
        "steps 2000→4000: b moves {drift:.2e} with α(‖w‖²+b²) (b = {:.5}), {free_drift:.2e} without L2 (b = {:.5}), {w_only_drift:.2e} with α‖w‖² only (b = {:.5})",
        records[3999].b, free[3999].b, w_only[3999].b
    );
    assert!(drift.abs() < 1e-4 && drift.abs() * 50.0 < free_drift);
    assert!(w_only_drift > 0.05, "α‖w‖² does not bound b");
}

#[test]
fn all_positive_settings_are_validated() {
    let (train, test) = lessons_common::mnist();
    let bad = |c: AllPositiveConfig| AllPositive::<f32>::new(train.clone(), test.clone(), c).expect_err("refused");
    assert!(matches!(bad(AllPositiveConfig { digit: 3, negative: 3, ..Default::default() }), LabError::Invalid(_)));
    assert!(matches!(bad(AllPositiveConfig { train_size: 0, ..Default::default() }), LabError::Invalid(_)));
    assert!(matches!(bad(AllPositiveConfig { train_size: 5001, ..Default::default() }), LabError::Invalid(_)));
    assert!(matches!(bad(AllPositiveConfig { alpha: -0.1, ..Default::default() }), LabError::InvalidL2 { .. }));
    assert!(matches!(
        bad(AllPositiveConfig { learning_rate: 0.0, ..Default::default() }),
        LabError::InvalidLearningRate { .. }
    ));
}
