//! Training on the full, real MNIST with the defaults the page and the CLI ship.
//!
//! Reference (../shared/notes/data.md): plain numpy softmax regression reaches 0.923 after
//! 10 epochs on all 60k; a published run gives 90.9 % after epoch 1 and 92.6 % after epoch 10.
//! The accuracy floors below are measured on the full 10 000-image test set.

use crate::common;

use softmax_lab::train::{self, Hyperparameters, Trainer};
use softmax_lab::LabError;

fn default_trainer() -> Trainer {
    let (train_set, test_set) = common::mnist();
    Trainer::new(train_set, test_set, Hyperparameters::default(), train::DEFAULT_SEED).unwrap()
}

#[test]
fn defaults_reach_91_percent_after_one_epoch_and_92_after_ten() {
    let mut t = default_trainer();
    assert_eq!(t.hyperparameters(), Hyperparameters { learning_rate: 0.05, batch_size: 100, l2: 0.0 });
    let before = t.evaluate_test();
    assert!(before.accuracy < 0.3, "an untrained model is near chance: {}", before.accuracy);
    t.run_epoch().unwrap();
    let one = t.evaluate_test();
    assert_eq!(one.count, 10_000, "accuracy is measured on the full test set");
    assert_eq!(t.progress().step, 600);
    assert_eq!(t.progress().examples_seen, 60_000);
    eprintln!("after 1 epoch: test accuracy {:.4}, test loss {:.4}", one.accuracy, one.loss);
    assert!(one.accuracy >= 0.91, "after 1 epoch: {}", one.accuracy);
    for _ in 1..10 {
        t.run_epoch().unwrap();
    }
    let ten = t.evaluate_test();
    eprintln!("after 10 epochs: test accuracy {:.4}, test loss {:.4}", ten.accuracy, ten.loss);
    assert!(ten.accuracy >= 0.92, "after 10 epochs: {}", ten.accuracy);
    assert!(ten.loss < one.loss);
    // The confusion matrix agrees with the accuracy.
    let diag: u32 = (0..10).map(|k| ten.confusion[k * 10 + k]).sum();
    assert_eq!(ten.confusion.iter().sum::<u32>(), 10_000);
    assert!((f64::from(diag) / 10_000.0 - ten.accuracy).abs() < 1e-12);
}

#[test]
fn same_seed_same_run_and_reset_restarts_it() {
    let mut a = default_trainer();
    let mut b = default_trainer();
    let (mut la, mut lb) = (Vec::new(), Vec::new());
    a.steps(30, &mut la).unwrap();
    b.steps(30, &mut lb).unwrap();
    assert_eq!(la, lb, "bit-identical losses for the same seed");
    a.reset(train::DEFAULT_SEED);
    let mut again = Vec::new();
    a.steps(30, &mut again).unwrap();
    assert_eq!(la, again);
    b.reset(7);
    let mut other = Vec::new();
    b.steps(30, &mut other).unwrap();
    assert_ne!(la, other, "another seed gives another run");
}

#[test]
fn hyperparameters_change_live_without_reset() {
    let mut t = default_trainer();
    let mut l = Vec::new();
    t.steps(20, &mut l).unwrap();
    let w_before = t.model().w.clone();
    t.set_hyperparameters(Hyperparameters { learning_rate: 0.01, batch_size: 32, l2: 0.001 }).unwrap();
    assert_eq!(t.model().w, w_before, "changing hyperparameters keeps the weights");
    assert_eq!(t.progress().step, 20);
    t.steps(1, &mut l).unwrap();
    assert_eq!(t.progress().examples_seen, 20 * 100 + 32);
    // Invalid values are refused and the old ones kept.
    let e = t.set_hyperparameters(Hyperparameters { learning_rate: -1.0, batch_size: 32, l2: 0.0 });
    assert!(matches!(e, Err(LabError::InvalidLearningRate { .. })));
    assert_eq!(t.hyperparameters().learning_rate, 0.01);
}

#[test]
fn loss_falls_over_the_first_50_steps() {
    let mut t = default_trainer();
    let mut l = Vec::new();
    t.steps(50, &mut l).unwrap();
    let first: f32 = l[..5].iter().sum::<f32>() / 5.0;
    let last: f32 = l[45..].iter().sum::<f32>() / 5.0;
    // W ~ N(0, 0.01²) starts near uniform probabilities: the first loss is ≈ ln 10 = 2.303.
    assert!((l[0] - 10f32.ln()).abs() < 0.2, "first step loss {}", l[0]);
    assert!(last < 0.5 * first, "first {first}, last {last}");
}

#[test]
fn a_huge_learning_rate_is_stopped_at_the_step_that_diverges() {
    let mut t = default_trainer();
    t.set_hyperparameters(Hyperparameters { learning_rate: 100.0, batch_size: 100, l2: 100.0 }).unwrap();
    let mut l = Vec::new();
    let r = t.steps(10_000, &mut l);
    let Err(LabError::Diverged { step, .. }) = r else {
        panic!("expected divergence, got {r:?} after {} steps", l.len())
    };
    assert_eq!(step as usize, l.len() + 1, "reported at the step where it happens");
    assert!(t.model().is_finite(), "no NaN ever reaches the weights");
    assert!(l.iter().all(|v| v.is_finite()));
    assert_eq!(t.progress().step as usize, l.len());
}

#[test]
fn hyperparameter_validation() {
    let n = 60_000;
    let ok = Hyperparameters::from_numbers(0.1, 100.0, 0.0, n).unwrap();
    assert_eq!(ok.batch_size, 100);
    for lr in [0.0, -0.1, f64::NAN, f64::INFINITY, 100.5] {
        assert!(
            matches!(Hyperparameters::from_numbers(lr, 100.0, 0.0, n), Err(LabError::InvalidLearningRate { .. })),
            "lr {lr}"
        );
    }
    for b in [0.0, -5.0, 2.5, 60_001.0, f64::NAN] {
        assert!(
            matches!(Hyperparameters::from_numbers(0.1, b, 0.0, n), Err(LabError::InvalidBatchSize { .. })),
            "batch {b}"
        );
    }
    assert!(Hyperparameters::from_numbers(0.1, 60_000.0, 0.0, n).is_ok());
    for a in [-1e-9, f64::NAN, f64::NEG_INFINITY, 1e9] {
        assert!(matches!(Hyperparameters::from_numbers(0.1, 10.0, a, n), Err(LabError::InvalidL2 { .. })), "α {a}");
    }
    for s in [-1.0, 0.5, 4_294_967_296.0, f64::NAN] {
        assert!(matches!(train::seed_from_number(s), Err(LabError::InvalidSeed { .. })), "seed {s}");
    }
    assert_eq!(train::seed_from_number(4_294_967_295.0), Ok(u32::MAX));
    assert_eq!(
        Hyperparameters::from_numbers(0.0, 100.0, 0.0, n).unwrap_err().to_string(),
        "learning rate must be a number greater than 0 and at most 100; got 0"
    );
}
