//! Softmax and cross-entropy: reference values, stability at extreme logits, invariances.

use approx::assert_abs_diff_eq;
use ndarray::{array, Array2};
use softmax_lab::model::softmax::{argmax, softmax, softmax_cross_entropy_inplace, softmax_rows_inplace};

#[test]
fn reference_values() {
    // scipy.special.softmax([1, 2, 3]) = [0.09003057, 0.24472847, 0.66524096]
    let p = softmax(array![1.0f64, 2.0, 3.0].view());
    assert_abs_diff_eq!(p[0], 0.090_030_573_170_380_46, epsilon = 1e-15);
    assert_abs_diff_eq!(p[1], 0.244_728_471_054_797_64, epsilon = 1e-15);
    assert_abs_diff_eq!(p[2], 0.665_240_955_774_821_9, epsilon = 1e-15);
    // −log softmax([1,2,3])[0] = log(e¹+e²+e³) − 1 = 2.40760596444438
    let mut z = array![[1.0f64, 2.0, 3.0]];
    assert_abs_diff_eq!(softmax_cross_entropy_inplace(z.view_mut(), &[0]), 2.407_605_964_444_38, epsilon = 1e-13);
}

#[test]
fn rows_sum_to_one_and_stay_finite_at_extreme_logits() {
    let mut z: Array2<f32> = array![[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e4, 1e4, -1e4], [0.0, 0.0, 0.0]];
    softmax_rows_inplace(z.view_mut());
    for row in z.rows() {
        assert!(row.iter().all(|v| v.is_finite() && *v >= 0.0));
        assert_abs_diff_eq!(row.sum(), 1.0, epsilon = 1e-6);
    }
    assert_abs_diff_eq!(z[[0, 0]], 1.0);
    assert_abs_diff_eq!(z[[1, 1]], 1.0 / 3.0, epsilon = 1e-6);
    assert_abs_diff_eq!(z[[2, 0]], 0.5, epsilon = 1e-6);
}

#[test]
fn cross_entropy_is_finite_when_the_true_class_probability_underflows() {
    // ŷ for the true class is e^(−2e4) = 0 in floating point; the loss must be 2e4, not ∞.
    let mut z: Array2<f32> = array![[1e4, -1e4, 0.0]];
    let loss = softmax_cross_entropy_inplace(z.view_mut(), &[1]);
    assert!(loss.is_finite());
    assert_abs_diff_eq!(loss, 2e4, epsilon = 1.0);
    let mut z: Array2<f32> = array![[1e4, -1e4, 0.0]];
    assert_abs_diff_eq!(softmax_cross_entropy_inplace(z.view_mut(), &[0]), 0.0, epsilon = 1e-6);
}

#[test]
fn softmax_is_shift_invariant() {
    let a = softmax(array![0.3f64, -1.2, 2.5, 0.0].view());
    let b = softmax(array![1000.3f64, 998.8, 1002.5, 1000.0].view());
    for (x, y) in a.iter().zip(&b) {
        assert_abs_diff_eq!(x, y, epsilon = 1e-12);
    }
}

#[test]
fn argmax_takes_first_of_ties() {
    assert_eq!(argmax(array![0.1f32, 0.7, 0.7, 0.2].view()), 1);
    assert_eq!(argmax(array![f32::NAN, 0.5].view()), 1);
}
