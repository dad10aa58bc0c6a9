//! Restoring a checkpoint (the page's saved session and its recovery after a worker crash):
//! weights from the weights file, then `Trainer::restore_progress(step, examples_seen)`.
//! The resumed run must continue exactly as the uninterrupted one would have: same
//! minibatches (replayed seeded shuffles), same losses, same weights, bit for bit.

use crate::common;

use softmax_lab::data::DatasetKind;
use softmax_lab::export::WeightsFile;
use softmax_lab::train::{self, Hyperparameters, Trainer, MAX_REPLAY_EPOCHS};
use softmax_lab::LabError;

fn trainer(hyper: Hyperparameters, seed: u32) -> Trainer {
    let (train_set, test_set) = common::mnist();
    Trainer::new(train_set, test_set, hyper, seed).unwrap()
}

/// What the page does on restore: a fresh model from the seed, the saved weights (through the
/// JSON text, as IndexedDB holds it), the saved hyperparameters, then the progress.
fn restore(saved_json: &str, hyper: Hyperparameters) -> (Trainer, bool) {
    let file = WeightsFile::from_json(saved_json).unwrap();
    let mut t = trainer(hyper, file.training.seed);
    t.set_model(file.model().unwrap()).unwrap();
    let exact = t.restore_progress(file.training.steps, file.training.examples_seen).unwrap();
    (t, exact)
}

fn checkpoint(t: &Trainer) -> String {
    WeightsFile::from_trainer(t, DatasetKind::Mnist, None).to_json()
}

fn run(t: &mut Trainer, steps: usize) -> Vec<f32> {
    let mut losses = Vec::new();
    t.steps(steps, &mut losses).unwrap();
    losses
}

fn assert_same(a: &Trainer, b: &Trainer) {
    assert_eq!(a.progress(), b.progress());
    assert_eq!(a.model().w, b.model().w, "bit-identical W");
    assert_eq!(a.model().b, b.model().b, "bit-identical b");
}

#[test]
fn a_checkpoint_mid_epoch_resumes_the_same_run_across_the_next_epoch_boundary() {
    let hyper = Hyperparameters::default();
    let mut a = trainer(hyper, 7);
    run(&mut a, 250); // 25 000 of 60 000 examples: mid-epoch
    let (mut b, exact) = restore(&checkpoint(&a), hyper);
    assert!(exact);
    assert_same(&a, &b);
    // 500 more steps cross the end of epoch 1 (step 600) into epoch 2's fresh shuffle.
    assert_eq!(run(&mut a, 500), run(&mut b, 500), "bit-identical losses after resuming");
    assert_same(&a, &b);
    assert_eq!(a.progress().epoch, 1);
}

#[test]
fn resuming_does_not_depend_on_the_batch_sizes_used_before_the_checkpoint() {
    // Batch 100 for 130 steps, then 77 (not a divisor of 60 000, so epochs end with a short
    // batch) for 1000 steps: 90 000 examples, 1.5 epochs, then the checkpoint.
    let mut a = trainer(Hyperparameters::default(), 541);
    run(&mut a, 130);
    let h77 = Hyperparameters { batch_size: 77, ..Hyperparameters::default() };
    a.set_hyperparameters(h77).unwrap();
    run(&mut a, 1000);
    assert!(a.progress().epoch == 1 && !a.progress().examples_seen.is_multiple_of(60_000));
    let (mut b, exact) = restore(&checkpoint(&a), h77);
    assert!(exact);
    assert_eq!(run(&mut a, 900), run(&mut b, 900));
    assert_same(&a, &b);
}

#[test]
fn a_checkpoint_exactly_at_an_epoch_boundary_draws_the_next_shuffle_like_the_original() {
    let hyper = Hyperparameters::default();
    let mut a = trainer(hyper, 3);
    run(&mut a, 1200); // exactly two epochs
    assert_eq!((a.progress().epoch, a.progress().examples_seen), (2, 120_000));
    let (mut b, exact) = restore(&checkpoint(&a), hyper);
    assert!(exact);
    assert_eq!(run(&mut a, 50), run(&mut b, 50));
    assert_same(&a, &b);
}

#[test]
fn step_zero_is_the_state_after_reset() {
    let hyper = Hyperparameters::default();
    let mut a = trainer(hyper, train::DEFAULT_SEED);
    let (mut b, exact) = restore(&checkpoint(&a), hyper);
    assert!(exact);
    assert_eq!(b.progress().step, 0);
    assert_eq!(run(&mut a, 20), run(&mut b, 20));
}

#[test]
fn impossible_counters_are_refused_and_change_nothing() {
    let mut t = trainer(Hyperparameters::default(), 1);
    run(&mut t, 10);
    let before = t.progress();
    // Fewer examples than steps (each step uses at least one), and more than a full batch each.
    for (step, seen) in [(10, 9), (1, 60_001), (0, 5)] {
        let e = t.restore_progress(step, seen).unwrap_err();
        assert!(matches!(&e, LabError::Invalid(m) if m.contains("cannot restore")), "{e}");
    }
    assert_eq!(t.progress(), before);
}

#[test]
fn very_long_runs_restore_the_counters_without_replaying_every_shuffle() {
    let mut t = trainer(Hyperparameters::default(), 1);
    let epochs = MAX_REPLAY_EPOCHS + 5;
    let seen = epochs * 60_000 + 1234;
    let exact = t.restore_progress(seen / 100, seen).unwrap();
    assert!(!exact, "beyond MAX_REPLAY_EPOCHS the shuffles are not replayed");
    let p = t.progress();
    assert_eq!((p.step, p.epoch, p.examples_seen), (seen / 100, epochs, seen));
    // Training goes on from there (a fresh order, the rest of the epoch).
    run(&mut t, 3);
    assert_eq!(t.progress().examples_seen, seen + 300);
}

#[test]
fn the_longest_exact_run_is_replayed_exactly() {
    // MAX_REPLAY_EPOCHS shuffles of 60 000 indices: the most a restore replays. How long that
    // takes is printed, not asserted (a timing in a test fails on a loaded machine; about 1–2 s
    // on a quiet 2-core one, release build).
    let mut t = trainer(Hyperparameters::default(), 1);
    let start = std::time::Instant::now();
    assert!(t.restore_progress(MAX_REPLAY_EPOCHS * 600 + 1, MAX_REPLAY_EPOCHS * 60_000 + 100).unwrap());
    eprintln!("replaying {MAX_REPLAY_EPOCHS} shuffles took {:.3} s", start.elapsed().as_secs_f64());
    let p = t.progress();
    assert_eq!(
        (p.step, p.epoch, p.examples_seen),
        (MAX_REPLAY_EPOCHS * 600 + 1, MAX_REPLAY_EPOCHS, MAX_REPLAY_EPOCHS * 60_000 + 100)
    );
}

// ---- Handing a run over (`Trainer::run_state` → `Trainer::take_over`): how the page's worker
// moves its model from the start-up wasm module to the full one. Unlike a weights file, the
// state carries the shuffling itself, so it is exact at any length and costs no replay.

use softmax_lab::data::Dataset;
use softmax_lab::train::RunState;
use std::sync::Arc;

/// Through JSON, as it crosses from one module to the other.
fn hand_over(from: &Trainer, to: &mut Trainer) {
    let json = serde_json::to_string(&from.run_state()).unwrap();
    to.take_over(serde_json::from_str::<RunState>(&json).unwrap()).unwrap();
}

#[test]
fn a_handed_over_run_continues_bit_for_bit_mid_epoch_after_a_batch_size_change() {
    let mut a = trainer(Hyperparameters::default(), 541);
    run(&mut a, 137);
    a.set_hyperparameters(Hyperparameters { batch_size: 33, l2: 1e-4, ..Hyperparameters::default() }).unwrap();
    run(&mut a, 50);
    // Another seed and other settings: everything must come from the state.
    let mut b = trainer(Hyperparameters { learning_rate: 0.5, ..Hyperparameters::default() }, 9);
    hand_over(&a, &mut b);
    assert_same(&a, &b);
    assert_eq!(b.hyperparameters(), a.hyperparameters());
    assert_eq!(b.seed(), 541);
    // 1 500 steps of 33 cross the end of epoch 1 into a fresh shuffle of the stream.
    assert_eq!(run(&mut a, 1500), run(&mut b, 1500), "bit-identical losses after the handover");
    assert_same(&a, &b);
    assert_eq!(a.progress().epoch, 1);
}

#[test]
fn a_handover_is_exact_where_a_weights_file_can_no_longer_replay_the_shuffles() {
    // 50 images, batch 10: five steps an epoch, so MAX_REPLAY_EPOCHS is passed in 10 025 steps.
    let (train_set, test_set) = common::mnist();
    let small = Arc::new(
        Dataset::new(train_set.images[..50 * 784].to_vec(), train_set.labels[..50].to_vec(), 10, "50 images").unwrap(),
    );
    let hyper = Hyperparameters { batch_size: 10, ..Hyperparameters::default() };
    let mut a = Trainer::new(Arc::clone(&small), Arc::clone(&test_set), hyper, 5).unwrap();
    run(&mut a, 5 * (MAX_REPLAY_EPOCHS as usize + 5) + 2);
    let mut file_copy = Trainer::new(Arc::clone(&small), Arc::clone(&test_set), hyper, 5).unwrap();
    let resumed =
        WeightsFile::from_trainer(&a, DatasetKind::Mnist, None).resume(&mut file_copy, DatasetKind::Mnist).unwrap();
    assert!(!resumed.exact, "a weights file does not replay this many shuffles");
    let mut b = Trainer::new(Arc::clone(&small), test_set, hyper, 6).unwrap();
    hand_over(&a, &mut b);
    let (la, lb, lf) = (run(&mut a, 10), run(&mut b, 10), run(&mut file_copy, 10));
    assert_eq!(la, lb, "the handover continues the run");
    assert_ne!(la, lf, "the weights file's copy draws other minibatches");
    assert_same(&a, &b);
}

#[test]
fn a_state_that_does_not_fit_is_refused_and_changes_nothing() {
    let mut a = trainer(Hyperparameters::default(), 1);
    run(&mut a, 10);
    let mut b = trainer(Hyperparameters::default(), 2);
    let before = (b.progress(), b.model().clone(), b.seed());
    let bad = |edit: &dyn Fn(&mut RunState)| {
        let mut s = a.run_state();
        edit(&mut s);
        s
    };
    let cases: Vec<(RunState, &str)> = vec![
        (bad(&|s| s.order[0] = s.order[1]), "not a permutation"),
        (bad(&|s| s.order.truncate(59_999)), "its order has 59999 entries"),
        (bad(&|s| s.cursor = 60_001), "at position 60001"),
        (bad(&|s| s.b.truncate(9)), "9 biases"),
        (bad(&|s| s.progress.examples_seen = 5), "do not fit together"),
        (bad(&|s| s.w[3] = f32::NAN), "NaN"),
    ];
    for (state, says) in cases {
        let e = b.take_over(state).unwrap_err();
        assert!(e.to_string().contains(says), "{e} should say {says:?}");
        assert_eq!((b.progress(), b.model().clone(), b.seed()), before, "unchanged after {says:?}");
    }
}
