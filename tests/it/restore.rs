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
