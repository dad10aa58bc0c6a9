//! Sections 4 and 5: the numbers of a softmax prediction, softmax with c = 2 as logistic
//! regression, contribution maps and confusion-matrix galleries.

use crate::common as lessons_common;

use approx::assert_relative_eq;
use ndarray::{Array1, Array2};
use softmax_lab::data::{InputTransform, INPUT_DIM};
use softmax_lab::lessons::common::{digit_pair, transform_and_lut};
use softmax_lab::lessons::learned::{confusion_cell, contribution_maps, top_classes};
use softmax_lab::lessons::softmax_details::{
    compare_two_class, one_hot, one_hot_rows, softmax_details, TwoClass, TwoClassConfig,
};
use softmax_lab::lessons::Lesson;
use softmax_lab::model::logistic::{sigmoid, LogisticRegression};
use softmax_lab::model::{evaluate, SoftmaxRegression};
use softmax_lab::train::{Hyperparameters, Trainer};
use softmax_lab::LabError;

/// The numbers shown for one prediction agree with each other: ŷ sums to 1, ŷ_k is
/// e^(z_k − m)/Σ, the cross-entropy is −log ŷ_y, and a shift of all scores changes nothing
/// but the shift (scores near 1000 do not overflow).
#[test]
fn softmax_details_are_consistent() {
    let mut model = SoftmaxRegression::<f64>::init(INPUT_DIM, 10, 3);
    model.b = Array1::from_iter((0..10).map(|k| k as f64 * 0.3));
    let x = Array1::from_iter((0..INPUT_DIM).map(|j| ((j as f64) * 0.01).sin()));
    let d = softmax_details(&model, x.view(), 4).unwrap();
    assert_relative_eq!(d.probabilities.iter().sum::<f64>(), 1.0, epsilon = 1e-15);
    assert_eq!(d.shift, d.z.iter().cloned().fold(f64::NEG_INFINITY, f64::max));
    assert_relative_eq!(d.cross_entropy, -d.probabilities[4].ln(), max_relative = 1e-12);
    assert_relative_eq!(d.log_sum_exp, d.z.iter().map(|z| z.exp()).sum::<f64>().ln(), max_relative = 1e-12);
    assert_eq!(d.one_hot, one_hot(4, 10).unwrap());
    assert_eq!(d.predicted, 9, "the largest bias wins for a small input");
    for k in 0..10 {
        assert_relative_eq!(d.exp_shifted[k] / d.sum_exp_shifted, d.probabilities[k]);
    }
    model.b += 1000.0;
    let shifted = softmax_details(&model, x.view(), 4).unwrap();
    assert!(shifted.exp_shifted.iter().all(|v| v.is_finite()));
    assert_relative_eq!(shifted.shift, d.shift + 1000.0, max_relative = 1e-12);
    for k in 0..10 {
        assert_relative_eq!(shifted.probabilities[k], d.probabilities[k], max_relative = 1e-9);
    }
    assert_relative_eq!(shifted.cross_entropy, d.cross_entropy, max_relative = 1e-9);
    assert!(matches!(softmax_details(&model, x.view(), 10), Err(LabError::Invalid(_))));
    assert!(matches!(softmax_details(&model, x.slice(ndarray::s![..10]), 0), Err(LabError::ShapeMismatch { .. })));
}

/// The lecture's example: labels a, b, a → (1,0), (0,1), (1,0).
#[test]
fn one_hot_encoding() {
    assert_eq!(one_hot_rows(&[0, 1, 0], 2).unwrap(), vec![1.0, 0.0, 0.0, 1.0, 1.0, 0.0]);
    assert_eq!(one_hot(3, 10).unwrap().iter().sum::<f64>(), 1.0);
    assert!(matches!(one_hot_rows(&[0, 2], 2), Err(LabError::Invalid(_))));
}

/// Softmax with c = 2 equals logistic regression with w = w⁽¹⁾ − w⁽⁰⁾, b = b₁ − b₀: on the
/// 1 902 test images of 3 vs 5, in f64, the probabilities agree to 1e-9 (and the losses too),
/// for a random model and for one trained 100 steps (ε = 0.05, batch 100, seed 541).
#[test]
fn softmax_with_two_classes_is_logistic_regression() {
    let (train, test) = lessons_common::mnist();
    let pair_train = digit_pair(&train, 3, 5, "train").unwrap();
    let pair_test = digit_pair(&test, 3, 5, "test").unwrap();
    let (_, lut) = transform_and_lut::<f64>(&pair_train);
    let mut random = SoftmaxRegression::<f64>::init(INPUT_DIM, 2, 9);
    random.w.mapv_inplace(|v| v * 30.0);
    random.b = Array1::from(vec![0.4, -0.2]);
    let c = compare_two_class(&random, &pair_test, &lut, 3).unwrap();
    println!(
        "random model: max |Δp| {:.3e}, CE {:.6} vs log-loss {:.6}",
        c.max_probability_difference, c.mean_cross_entropy, c.mean_log_loss
    );
    assert!(c.max_probability_difference < 1e-9 && (c.mean_cross_entropy - c.mean_log_loss).abs() < 1e-9);
    assert_eq!((c.count, c.prediction_disagreements, c.examples.len()), (pair_test.len(), 0, 3));

    let mut lesson = TwoClass::<f64>::new(
        train,
        test,
        TwoClassConfig { positive: 3, negative: 5, learning_rate: 0.05, batch_size: 100, seed: 541, examples: 5 },
    )
    .unwrap();
    lesson.step(100).unwrap();
    let c = lesson.summary().unwrap();
    println!(
        "trained 100 steps: max |Δp| {:.3e}, CE {:.6} vs log-loss {:.6}; first example {:?}",
        c.max_probability_difference, c.mean_cross_entropy, c.mean_log_loss, c.examples[0]
    );
    assert!(c.max_probability_difference < 1e-9);
    assert!((c.mean_cross_entropy - c.mean_log_loss).abs() < 1e-9);
    assert!(c.examples.iter().all(|e| (e.cross_entropy - e.log_loss).abs() < 1e-9));
    assert!(c.mean_cross_entropy < 0.2, "the trained model has learned 3 vs 5");

    // The other direction, and the round trip.
    let logistic = LogisticRegression::from_softmax2(lesson.model()).unwrap();
    let back = LogisticRegression::from_softmax2(&logistic.to_softmax2()).unwrap();
    assert_eq!(back, logistic);
    let x = Array1::from_iter((0..INPUT_DIM).map(|j| lut[usize::from(pair_test.image(7)[j])]));
    assert_relative_eq!(
        logistic.to_softmax2().predict_proba(x.view())[1],
        sigmoid(logistic.logit(x.view())),
        max_relative = 1e-12
    );
    assert!(matches!(
        LogisticRegression::from_softmax2(&SoftmaxRegression::<f64>::zeros(4, 3)),
        Err(LabError::ShapeMismatch { .. })
    ));
}

/// A 10-class model trained 300 steps by the main trainer (defaults: ε = 0.05, batch 100, seed 541).
fn trained() -> Trainer {
    let (train, test) = lessons_common::mnist();
    let mut t = Trainer::new(train, test, Hyperparameters::default(), 541).unwrap();
    let mut losses = Vec::new();
    t.steps(300, &mut losses).unwrap();
    t
}

/// Each contribution map sums to z_k − b_k; the gallery of a confusion-matrix cell has exactly
/// the count of the confusion matrix on the full test set, most confident first, and its
/// probabilities are the model's.
#[test]
fn contributions_and_confusion_cells() {
    let t = trained();
    let (model, transform, test) = (t.model(), t.transform(), t.test_set());
    let pixels: Vec<f32> = test.image(0).iter().map(|&p| f32::from(p) / 255.0).collect();
    let x = t.inputs_from_intensities(&pixels).unwrap();
    let probs = t.predict(&pixels).unwrap();
    let top = top_classes(&probs, 3);
    assert_eq!(top[0], 7, "the first test image is a 7");
    let maps = contribution_maps(model, x.view(), &top).unwrap();
    let z = model.logits(x.view());
    for (row, &k) in maps.rows().into_iter().zip(&top) {
        assert_relative_eq!(row.sum() + model.b[k], z[k], max_relative = 1e-4, epsilon = 1e-4);
    }
    assert!(matches!(contribution_maps(model, x.view(), &[10]), Err(LabError::Invalid(_))));

    let metrics = evaluate(model, test, &transform, 1000).unwrap();
    println!("trainer after 300 steps: test accuracy {:.4}", metrics.accuracy);
    for (truth, predicted) in [(4, 9), (7, 7), (5, 3)] {
        let cell = confusion_cell(model, &transform, test, (truth, predicted), 5).unwrap();
        println!("cell ({truth}, {predicted}): {} images; first {:?}", cell.count, cell.items.first().map(|i| i.index));
        assert_eq!(cell.count as u32, metrics.confusion[truth * 10 + predicted]);
        assert_eq!(cell.items.len(), cell.count.min(5));
        assert!(cell.items.windows(2).all(|w| w[0].probabilities[predicted] >= w[1].probabilities[predicted]));
        for item in &cell.items {
            assert_eq!(usize::from(test.labels[item.index]), truth);
            let pixels: Vec<f32> = test.image(item.index).iter().map(|&p| f32::from(p) / 255.0).collect();
            let p = t.predict(&pixels).unwrap();
            assert_relative_eq!(item.probabilities[predicted], f64::from(p[predicted]), max_relative = 1e-4);
        }
    }
    assert!(matches!(confusion_cell(model, &transform, test, (0, 10), 5), Err(LabError::Invalid(_))));
    assert!(matches!(confusion_cell(model, &transform, test, (0, 0), 0), Err(LabError::Invalid(_))));
    let wrong = Array2::<f32>::zeros((INPUT_DIM, 3));
    let three = SoftmaxRegression { w: wrong, b: Array1::zeros(3) };
    assert!(matches!(
        confusion_cell(&three, &InputTransform { mean: 0.0, std: 1.0 }, test, (0, 0), 5),
        Err(LabError::ShapeMismatch { .. })
    ));
}

#[test]
fn top_classes_orders_by_probability() {
    assert_eq!(top_classes(&[0.1f32, 0.5, 0.2, 0.2], 3), vec![1, 2, 3]);
    assert_eq!(top_classes(&[f32::NAN, 0.5, 0.2], 3), vec![1, 2, 0]);
    assert_eq!(top_classes(&[0.3f64], 5), vec![0]);
}
