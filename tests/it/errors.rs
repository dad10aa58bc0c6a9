//! Every `LabError` variant, produced the way a user or a file produces it — through the
//! public API — and checked with `matches!` and for a message that says what is wrong.
//!
//! `variant_name` matches exhaustively, so a new variant does not compile until it is named
//! here, and `every_variant_is_produced_by_the_public_api` fails until it has a producer.
#![cfg(not(target_arch = "wasm32"))]

use softmax_lab::data::idx::{encode_images, encode_labels, parse_images, parse_labels};
use softmax_lab::data::{Dataset, DatasetKind, INPUT_DIM};
use softmax_lab::export::{WeightsFile, MAX_IMPORT_BYTES};
use softmax_lab::files;
use softmax_lab::model::{evaluate, SoftmaxRegression};
use softmax_lab::preprocess::{prepare_rgba, Background, MAX_SIDE};
use softmax_lab::train::{self, Hyperparameters, Trainer, MAX_L2, MAX_LEARNING_RATE};
use softmax_lab::LabError;
use std::path::Path;
use std::sync::Arc;

fn variant_name(e: &LabError) -> &'static str {
    match e {
        LabError::InvalidLearningRate { .. } => "InvalidLearningRate",
        LabError::InvalidBatchSize { .. } => "InvalidBatchSize",
        LabError::InvalidL2 { .. } => "InvalidL2",
        LabError::InvalidSeed { .. } => "InvalidSeed",
        LabError::BadMagic { .. } => "BadMagic",
        LabError::Truncated { .. } => "Truncated",
        LabError::Oversized { .. } => "Oversized",
        LabError::BadDimensions { .. } => "BadDimensions",
        LabError::LabelOutOfRange { .. } => "LabelOutOfRange",
        LabError::CountMismatch { .. } => "CountMismatch",
        LabError::EmptyDataset { .. } => "EmptyDataset",
        LabError::ShapeMismatch { .. } => "ShapeMismatch",
        LabError::Diverged { .. } => "Diverged",
        LabError::EmptyImage => "EmptyImage",
        LabError::InvalidImage { .. } => "InvalidImage",
        LabError::Import(_) => "Import",
        LabError::Invalid(_) => "Invalid",
        LabError::Io { .. } => "Io",
    }
}

/// The `Err` of `r`, or a failed test naming what was expected.
fn err<T: std::fmt::Debug>(r: softmax_lab::Result<T>, expected: &str) -> LabError {
    match r {
        Err(e) => e,
        Ok(v) => panic!("expected {expected}, got Ok({v:?})"),
    }
}

/// Assert that the message names every one of `needles`.
fn says(e: &LabError, needles: &[&str]) {
    let msg = e.to_string();
    for n in needles {
        assert!(msg.contains(n), "message {msg:?} should mention {n:?}");
    }
}

/// A small synthetic 10-class set: class k lights a 4×4 block of its own, plus faint noise.
fn synthetic(n: usize, classes: usize) -> Arc<Dataset> {
    let mut images = vec![0u8; n * INPUT_DIM];
    let labels: Vec<u8> = (0..n).map(|i| (i % classes) as u8).collect();
    for (i, &k) in labels.iter().enumerate() {
        let img = &mut images[i * INPUT_DIM..(i + 1) * INPUT_DIM];
        for (j, p) in img.iter_mut().enumerate() {
            *p = ((i * 31 + j * 17) % 23) as u8;
        }
        let (bx, by) = (2 + (usize::from(k) % 5) * 5, 4 + (usize::from(k) / 5) * 12);
        for y in by..by + 4 {
            for x in bx..bx + 4 {
                img[y * 28 + x] = 250;
            }
        }
    }
    Arc::new(Dataset::new(images, labels, classes, "synthetic").unwrap())
}

fn trainer() -> Trainer {
    Trainer::new(
        synthetic(40, 10),
        synthetic(20, 10),
        Hyperparameters { batch_size: 10, ..Hyperparameters::default() },
        7,
    )
    .unwrap()
}

// --- one producer per variant (each test below checks its variant and message) ----------

fn invalid_learning_rate() -> Vec<LabError> {
    [0.0, -0.5, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, MAX_LEARNING_RATE * 1.01]
        .map(|lr| err(Hyperparameters::from_numbers(lr, 10.0, 0.0, 100), "InvalidLearningRate"))
        .to_vec()
}

fn invalid_batch_size() -> Vec<LabError> {
    [0.0, -3.0, 2.5, 101.0, f64::NAN, f64::INFINITY]
        .map(|b| err(Hyperparameters::from_numbers(0.1, b, 0.0, 100), "InvalidBatchSize"))
        .to_vec()
}

fn invalid_l2() -> Vec<LabError> {
    [-0.001, f64::NAN, f64::INFINITY, MAX_L2 + 1.0]
        .map(|a| err(Hyperparameters::from_numbers(0.1, 10.0, a, 100), "InvalidL2"))
        .to_vec()
}

fn invalid_seed() -> Vec<LabError> {
    [-1.0, 0.5, 4_294_967_296.0, f64::NAN, f64::INFINITY]
        .map(|s| err(train::seed_from_number(s), "InvalidSeed"))
        .to_vec()
}

fn bad_magic() -> LabError {
    // A label file given where the images belong.
    err(parse_images(encode_labels(&[1, 2, 3, 4, 5, 6, 7, 8]), "train-images-idx3-ubyte"), "BadMagic")
}

fn truncated() -> LabError {
    let f = encode_images(2, 28, 28, &[9; 2 * INPUT_DIM]);
    err(parse_images(f[..f.len() - 100].to_vec(), "t10k-images-idx3-ubyte"), "Truncated")
}

fn oversized() -> LabError {
    let mut f = encode_labels(&[1, 2, 3]);
    f.extend_from_slice(b"<html>");
    err(parse_labels(&f, "t10k-labels-idx1-ubyte", 10), "Oversized")
}

fn bad_dimensions() -> LabError {
    let img = encode_images(1, 32, 32, &[0; 32 * 32]);
    err(Dataset::from_idx(img, &encode_labels(&[3]), 10, "cifar training set"), "BadDimensions")
}

fn label_out_of_range() -> LabError {
    err(parse_labels(&encode_labels(&[0, 9, 10, 3]), "train-labels-idx1-ubyte", 10), "LabelOutOfRange")
}

fn count_mismatch() -> LabError {
    let img = encode_images(3, 28, 28, &[0; 3 * INPUT_DIM]);
    err(Dataset::from_idx(img, &encode_labels(&[1, 2]), 10, "mnist test set"), "CountMismatch")
}

fn empty_dataset() -> LabError {
    err(Dataset::from_idx(encode_images(0, 28, 28, &[]), &encode_labels(&[]), 10, "mnist test set"), "EmptyDataset")
}

fn shape_mismatch() -> Vec<LabError> {
    let t = trainer();
    let fashion_like = synthetic(20, 4);
    vec![
        err(Dataset::new(vec![0; INPUT_DIM + 1], vec![0], 10, "pixels"), "ShapeMismatch"),
        err(t.predict(&[0.5; 100]), "ShapeMismatch"),
        err(
            Trainer::new(
                synthetic(20, 10),
                fashion_like.clone(),
                Hyperparameters { batch_size: 10, ..Hyperparameters::default() },
                1,
            )
            .map(|_| ()),
            "ShapeMismatch",
        ),
        err(evaluate(t.model(), &fashion_like, &t.transform(), 10), "ShapeMismatch"),
        err(trainer().set_model(SoftmaxRegression::zeros(INPUT_DIM, 4)), "ShapeMismatch"),
    ]
}

fn diverged() -> (LabError, Trainer, Vec<f32>) {
    let mut t = trainer();
    // ε = 100 with α = 100 multiplies W by about (1 − 2εα) per step: f32 overflows within a few steps.
    t.set_hyperparameters(Hyperparameters { learning_rate: MAX_LEARNING_RATE, batch_size: 10, l2: MAX_L2 }).unwrap();
    let mut losses = Vec::new();
    let e = err(t.steps(1000, &mut losses), "Diverged");
    (e, t, losses)
}

fn empty_image() -> Vec<LabError> {
    let blank = [0u8, 0, 0, 255].repeat(280 * 280);
    let white = [255u8; 4].repeat(50 * 50);
    let transparent = vec![0u8; 28 * 28 * 4];
    vec![
        err(prepare_rgba(&blank, 280, 280, Background::Auto), "EmptyImage"),
        err(prepare_rgba(&white, 50, 50, Background::Auto), "EmptyImage"),
        err(prepare_rgba(&transparent, 28, 28, Background::Dark), "EmptyImage"),
    ]
}

fn invalid_image() -> Vec<LabError> {
    vec![
        err(prepare_rgba(&[], 0, 0, Background::Auto), "InvalidImage"),
        err(prepare_rgba(&[0; 16], MAX_SIDE + 1, 1, Background::Auto), "InvalidImage"),
        err(prepare_rgba(&[0; 16], 10_000, 10_000, Background::Auto), "InvalidImage"),
        err(prepare_rgba(&[0; 15], 2, 2, Background::Auto), "InvalidImage"),
    ]
}

fn import() -> Vec<LabError> {
    let good = WeightsFile::from_trainer(&trainer(), DatasetKind::Mnist, None);
    let mut v: serde_json::Value = serde_json::from_str(&good.to_json()).unwrap();
    v["version"] = 7.into();
    let mut nan = good.clone();
    nan.b[3] = f32::NAN;
    // JSON cannot spell NaN or ∞; 1e39 is the nearest a file gets to an infinite f32.
    let too_large = good.to_json().replacen("\"b\":[", "\"b\":[1e39,", 1).replacen(",0.0]", "]", 1);
    vec![
        err(WeightsFile::from_json("{\"format\": \"softmax-lab-weights\""), "Import"),
        err(WeightsFile::from_json(&v.to_string()), "Import"),
        err(WeightsFile::from_json(&" ".repeat(MAX_IMPORT_BYTES + 1)), "Import"),
        err(nan.model(), "Import"),
        err(WeightsFile::from_json(&too_large), "Import"),
    ]
}

fn invalid() -> Vec<LabError> {
    vec![err(DatasetKind::from_id("cifar10"), "Invalid"), err(synthetic(5, 10).subset(&[0, 5], "gallery"), "Invalid")]
}

fn io() -> LabError {
    err(files::read_idx(Path::new("/nonexistent/softmax-lab-data"), "train-images-idx3-ubyte"), "Io")
}

// --- the tests ---------------------------------------------------------------------------

#[test]
fn invalid_learning_rate_says_the_range_and_the_value() {
    for e in invalid_learning_rate() {
        assert!(matches!(e, LabError::InvalidLearningRate { max, .. } if max == MAX_LEARNING_RATE), "{e:?}");
        says(&e, &["learning rate", "greater than 0", "at most 100", "got"]);
    }
    says(&invalid_learning_rate()[1], &["got -0.5"]);
    says(&invalid_learning_rate()[2], &["got NaN"]);
}

#[test]
fn invalid_batch_size_says_whole_number_up_to_the_training_set() {
    for e in invalid_batch_size() {
        assert!(matches!(e, LabError::InvalidBatchSize { max: 100, .. }), "{e:?}");
        says(&e, &["batch size", "whole number from 1 to 100", "training-set size"]);
    }
    says(&invalid_batch_size()[2], &["got 2.5"]);
    says(&invalid_batch_size()[3], &["got 101"]);
}

#[test]
fn invalid_l2_says_the_range() {
    for e in invalid_l2() {
        assert!(matches!(e, LabError::InvalidL2 { max, .. } if max == MAX_L2), "{e:?}");
        says(&e, &["L2 strength", "from 0 to 100"]);
    }
    says(&invalid_l2()[0], &["got -0.001"]);
}

#[test]
fn invalid_seed_says_the_range() {
    let all = invalid_seed();
    for e in &all {
        assert!(matches!(e, LabError::InvalidSeed { .. }), "{e:?}");
        says(e, &["seed", "whole number from 0 to 4294967295"]);
    }
    assert!(matches!(all[2], LabError::InvalidSeed { got } if got == 4_294_967_296.0));
    says(&all[0], &["got -1"]);
}

#[test]
fn bad_magic_names_the_file_and_both_magic_numbers() {
    let e = bad_magic();
    assert!(matches!(e, LabError::BadMagic { kind: "image", expected: 0x803, found: 0x801, .. }), "{e:?}");
    says(&e, &["train-images-idx3-ubyte", "not an IDX image file", "0x00000801", "0x00000803"]);
}

#[test]
fn truncated_says_how_long_it_is_and_should_be() {
    let e = truncated();
    let full = 16 + 2 * INPUT_DIM;
    assert!(
        matches!(e, LabError::Truncated { expected, actual, .. } if expected == full && actual == full - 100),
        "{e:?}"
    );
    says(&e, &["t10k-images-idx3-ubyte", "truncated", &format!("{} bytes", full - 100), &format!("promises {full}")]);
}

#[test]
fn oversized_says_how_long_it_is_and_should_be() {
    let e = oversized();
    assert!(matches!(e, LabError::Oversized { expected: 11, actual: 17, .. }), "{e:?}");
    says(&e, &["t10k-labels-idx1-ubyte", "17 bytes", "exactly 11"]);
}

#[test]
fn bad_dimensions_says_what_the_lab_needs() {
    let e = bad_dimensions();
    assert!(
        matches!(e, LabError::BadDimensions { rows: 32, cols: 32, expected_rows: 28, expected_cols: 28, .. }),
        "{e:?}"
    );
    says(&e, &["cifar training set images", "32×32", "needs 28×28"]);
}

#[test]
fn label_out_of_range_names_the_label_and_where_it_is() {
    let e = label_out_of_range();
    assert!(matches!(e, LabError::LabelOutOfRange { index: 2, label: 10, classes: 10, .. }), "{e:?}");
    says(&e, &["train-labels-idx1-ubyte", "label 10 at index 2", "outside 0..10"]);
}

#[test]
fn count_mismatch_gives_both_counts() {
    let e = count_mismatch();
    assert!(matches!(e, LabError::CountMismatch { images: 3, labels: 2, .. }), "{e:?}");
    says(&e, &["mnist test set", "3 images but 2 labels"]);
}

#[test]
fn empty_dataset_says_so() {
    let e = empty_dataset();
    assert!(matches!(e, LabError::EmptyDataset { ref what } if what == "mnist test set"), "{e:?}");
    says(&e, &["mnist test set", "empty"]);
}

#[test]
fn shape_mismatch_names_the_array_and_both_sizes() {
    let all = shape_mismatch();
    for e in &all {
        assert!(matches!(e, LabError::ShapeMismatch { .. }), "{e:?}");
        says(e, &["expected", "got"]);
    }
    assert!(matches!(all[0], LabError::ShapeMismatch { actual: 785, .. }));
    says(&all[0], &["multiple of 784"]);
    says(&all[1], &["image for prediction", "expected 784 values, got 100"]);
    says(&all[2], &["classes of training vs test set", "expected 10 values, got 4"]);
    says(&all[3], &["classes"]);
    says(&all[4], &["imported weights"]);
}

#[test]
fn diverged_names_the_step_and_keeps_the_model_finite() {
    let (e, t, losses) = diverged();
    let LabError::Diverged { step, loss } = e else { panic!("{e:?}") };
    assert_eq!(step as usize, losses.len() + 1, "reported at the step where it happens");
    assert!(!loss.is_finite() || loss > 1e30, "loss {loss}");
    assert!(t.model().is_finite(), "the diverging update was not applied");
    assert_eq!(t.progress().step as usize, losses.len());
    says(&e, &[&format!("diverged at step {step}"), "smaller learning rate", "Reset"]);
}

#[test]
fn empty_image_asks_for_a_digit() {
    for e in empty_image() {
        assert!(matches!(e, LabError::EmptyImage), "{e:?}");
        says(&e, &["draw a digit"]);
    }
}

#[test]
fn invalid_image_gives_the_size_and_the_reason() {
    let all = invalid_image();
    for e in &all {
        assert!(matches!(e, LabError::InvalidImage { .. }), "{e:?}");
        says(e, &["image of", "cannot be used"]);
    }
    says(&all[0], &["0×0", "no pixels"]);
    says(&all[1], &["4097×1", "scaled down"]);
    says(&all[2], &["10000×10000", "scaled down"]);
    says(&all[3], &["2×2", "expected 16 values, got 15"]);
}

#[test]
fn import_gives_the_reason() {
    let all = import();
    for e in &all {
        assert!(matches!(e, LabError::Import(_)), "{e:?}");
        says(e, &["cannot import weights"]);
    }
    says(&all[0], &["not a weights file"]);
    says(&all[1], &["version 7", "not supported"]);
    says(&all[2], &["limit"]);
    says(&all[3], &["NaN or infinite"]);
    says(&all[4], &["too large", "infinite", "line 1 column"]);
}

#[test]
fn invalid_says_what_was_asked_and_what_is_possible() {
    let all = invalid();
    assert!(all.iter().all(|e| matches!(e, LabError::Invalid(_))), "{all:?}");
    says(&all[0], &["unknown data set \"cifar10\"", "\"mnist\" or \"fashion\""]);
    says(&all[1], &["gallery", "index 5", "outside 0..5"]);
}

#[test]
fn io_names_the_path_and_what_to_do() {
    let e = io();
    assert!(matches!(e, LabError::Io { ref path, .. } if path.contains("/nonexistent/softmax-lab-data")), "{e:?}");
    says(&e, &["train-images-idx3-ubyte", "not found", "./lab setup"]);
    let e = err(files::load(Path::new("/nonexistent"), DatasetKind::Fashion), "Io");
    assert!(matches!(e, LabError::Io { ref path, .. } if path.contains("fashion")), "{e:?}");
}

#[test]
fn every_variant_is_produced_by_the_public_api() {
    let mut produced: Vec<LabError> = Vec::new();
    produced.extend(invalid_learning_rate());
    produced.extend(invalid_batch_size());
    produced.extend(invalid_l2());
    produced.extend(invalid_seed());
    produced.extend([
        bad_magic(),
        truncated(),
        oversized(),
        bad_dimensions(),
        label_out_of_range(),
        count_mismatch(),
        empty_dataset(),
    ]);
    produced.extend(shape_mismatch());
    produced.push(diverged().0);
    produced.extend(empty_image());
    produced.extend(invalid_image());
    produced.extend(import());
    produced.extend(invalid());
    produced.push(io());
    let mut names: Vec<&str> = produced.iter().map(variant_name).collect();
    names.sort();
    names.dedup();
    let mut all = vec![
        "InvalidLearningRate",
        "InvalidBatchSize",
        "InvalidL2",
        "InvalidSeed",
        "BadMagic",
        "Truncated",
        "Oversized",
        "BadDimensions",
        "LabelOutOfRange",
        "CountMismatch",
        "EmptyDataset",
        "ShapeMismatch",
        "Diverged",
        "EmptyImage",
        "InvalidImage",
        "Import",
        "Invalid",
        "Io",
    ];
    all.sort();
    assert_eq!(names, all);
    // No message is empty or a bare debug dump.
    for e in &produced {
        let m = e.to_string();
        assert!(m.len() > 10 && !m.contains("{ "), "{m:?}");
    }
}
