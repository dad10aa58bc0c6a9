//! What §2 and §4 say about their data (www/sections/logistic.js, softmax.js).

use crate::common as lessons_common;

use softmax_lab::data::InputTransform;
use softmax_lab::lessons::all_positive::{AllPositive, AllPositiveConfig};
use softmax_lab::lessons::common::digit_pair;
use softmax_lab::lessons::logistic::pair_task;
use softmax_lab::lessons::softmax_details::{TwoClass, TwoClassConfig};
use softmax_lab::lessons::Lesson;

/// §2 "inputs standardised the way the main model's are, (pixel − μ)/σ, but with μ and σ … of
/// these training images of a and b, not of the whole training set": the pair task's lookup
/// table is the transform fitted on the training images of 3 and 5, and differs from the one
/// fitted on the whole training set (the main model's).
#[test]
fn the_digit_pair_is_standardised_on_its_own_training_images() {
    let (train, test) = lessons_common::mnist();
    let (pair_train, _, lut) = pair_task::<f32>(&train, &test, 3, 5).unwrap();
    let own = InputTransform::fit(&pair_train);
    let main = InputTransform::fit(&train);
    println!(
        "μ, σ of the 3s and 5s: {:.5}, {:.5}; of the whole training set: {:.5}, {:.5}",
        own.mean, own.std, main.mean, main.std
    );
    assert_eq!(lut, own.lut::<f32>());
    assert_ne!(lut, main.lut::<f32>());
    assert_eq!(pair_train.len(), digit_pair(&train, 3, 5, "pair").unwrap().len());
}

/// §4 "the first 6 test images of 3 and 5, numbered as in the whole test set (the Test image #
/// above)": each listed example's `test_index` is an MNIST test image of its digit (y = 1 ↔ 3,
/// y = 0 ↔ 5), in increasing order, and they are the first six such images; MNIST test #0 is a
/// 7, so the numbering is not the position in the pair.
#[test]
fn the_two_class_table_numbers_rows_as_in_the_test_set() {
    let (train, test) = lessons_common::mnist();
    let lesson =
        TwoClass::<f64>::new(train, test.clone(), TwoClassConfig { examples: 6, ..Default::default() }).unwrap();
    let c = lesson.summary().unwrap();
    let expected: Vec<usize> = (0..test.len()).filter(|&i| [3, 5].contains(&test.labels[i])).take(6).collect();
    let got: Vec<usize> = c.examples.iter().map(|e| e.test_index).collect();
    println!("rows: {got:?}; positions in the pair {:?}", c.examples.iter().map(|e| e.index).collect::<Vec<_>>());
    assert_eq!(got, expected);
    assert_eq!(test.labels[0], 7);
    for e in &c.examples {
        assert_eq!(test.labels[e.test_index], if e.label == 1 { 3 } else { 5 });
    }
    assert_ne!(got, (0..6).collect::<Vec<_>>());
}

/// Exercise 2 "The inputs are standardised, (pixel − μ)/σ, with μ and σ fitted on the pixels of
/// these training images": at the page's defaults (200 images of 1) the lookup table is the
/// transform fitted on those 200 images, not the main model's.
#[test]
fn exercise_2_is_standardised_on_its_training_images() {
    let (train, test) = lessons_common::mnist();
    let config = AllPositiveConfig { train_size: 200, alpha: 0.1, ..Default::default() };
    let lesson = AllPositive::<f32>::new(train.clone(), test, config).unwrap();
    let run = lesson.lockstep();
    let own = InputTransform::fit(run.train_set());
    println!("μ, σ of the 200 images of 1: {:.5}, {:.5}", own.mean, own.std);
    assert_eq!(run.train_set().len(), 200);
    assert!(run.train_set().labels.iter().all(|&y| y == 1));
    assert_eq!(*run.lut(), own.lut::<f32>());
    assert_ne!(*run.lut(), InputTransform::fit(&train).lut::<f32>());
}
