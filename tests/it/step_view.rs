//! One step in slow motion (`step_view`): its matrices are the lecture's formulas computed
//! independently here in f64 from the raw pixels (to f32 rounding: the fast kernel that
//! `Trainer::step` runs sums in another order), and its loss and weights after are exactly
//! those of the `Trainer::step` that follows, bit for bit.

use crate::common;
use ndarray::Array2;
use softmax_lab::model::softmax::Gradient;
use softmax_lab::step_view::{step_view, step_view_rows};
use softmax_lab::train::{Hyperparameters, Trainer};

/// Largest |a − b| over two equally long slices.
fn max_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max)
}

fn check(hyper: Hyperparameters, warmup: usize) {
    let (train, test) = common::mnist();
    let mut t = Trainer::new(train.clone(), test, hyper, 7).unwrap();
    let mut losses = Vec::new();
    t.steps(warmup, &mut losses).unwrap();
    let v = step_view(&t).unwrap();
    let (n, c, d) = (v.n, v.c, 784);
    assert_eq!((n, c, v.rows), (hyper.batch_size, 10, hyper.batch_size));
    assert_eq!((v.learning_rate, v.batch_size, v.l2), (hyper.learning_rate, hyper.batch_size, hyper.l2));
    assert_eq!(v.step, warmup as u64 + 1);
    // The lecture's formulas, in f64 with plain loops, from the pixels and the transform.
    let tr = t.transform();
    let x: Vec<f64> = v.pixels.iter().map(|&p| (f64::from(p) / 255.0 - tr.mean) / tr.std).collect();
    assert!(max_diff(&x.iter().map(|&a| a as f32).collect::<Vec<_>>(), &v.x) < 1e-5, "X is the transformed pixels");
    let w: Vec<f64> = v.w_before.iter().map(|&a| f64::from(a)).collect();
    let b: Vec<f64> = v.b_before.iter().map(|&a| f64::from(a)).collect();
    let mut grad_w = vec![0f64; d * c];
    let mut grad_b = vec![0f64; c];
    let mut loss = 0f64;
    for i in 0..n {
        assert_eq!(v.labels[i], train.labels[v.indices[i] as usize]);
        let z: Vec<f64> = (0..c).map(|k| b[k] + (0..d).map(|j| x[i * d + j] * w[j * c + k]).sum::<f64>()).collect();
        let zmax = z.iter().copied().fold(f64::MIN, f64::max);
        let sum: f64 = z.iter().map(|zk| (zk - zmax).exp()).sum();
        let y_hat: Vec<f64> = z.iter().map(|zk| (zk - zmax).exp() / sum).collect();
        let label = usize::from(v.labels[i]);
        loss -= y_hat[label].ln() / n as f64;
        for k in 0..c {
            let yk = if k == label { 1.0 } else { 0.0 };
            assert!((v.z[i * c + k] as f64 - z[k]).abs() < 1e-3, "Z[{i},{k}]");
            assert!((v.y_hat[i * c + k] as f64 - y_hat[k]).abs() < 1e-5, "Ŷ[{i},{k}]");
            assert_eq!(v.y[i * c + k], yk as f32, "Y one-hot");
            assert!((v.residual[i * c + k] as f64 - (y_hat[k] - yk)).abs() < 1e-5, "Ŷ − Y");
            let r = (y_hat[k] - yk) / n as f64;
            grad_b[k] += r;
            for j in 0..d {
                grad_w[j * c + k] += x[i * d + j] * r;
            }
        }
    }
    for (g, wj) in grad_w.iter_mut().zip(&w) {
        *g += 2.0 * hyper.l2 * wj;
    }
    assert!((f64::from(v.loss) - loss).abs() < 1e-5, "loss {} vs {loss}", v.loss);
    let f32s = |a: &[f64]| a.iter().map(|&x| x as f32).collect::<Vec<f32>>();
    assert!(max_diff(&v.grad_w, &f32s(&grad_w)) < 1e-5, "∇W = Xᵀ(Ŷ − Y)/n + 2αW");
    assert!(max_diff(&v.grad_b, &f32s(&grad_b)) < 1e-6, "∇b = Σ(ŷ − y)/n");
    let eps = hyper.learning_rate;
    let w_after: Vec<f64> = w.iter().zip(&grad_w).map(|(wj, g)| wj - eps * g).collect();
    assert!(max_diff(&v.w_after, &f32s(&w_after)) < 1e-6, "W − ε∇W");
    let b_after: Vec<f64> = b.iter().zip(&grad_b).map(|(bk, g)| bk - eps * g).collect();
    assert!(max_diff(&v.b_after, &f32s(&b_after)) < 1e-6, "b − ε∇b");
    // Applying it is the real next step: the same minibatch loss and the same weights as
    // Trainer::step, bit for bit.
    let step_loss = t.step().unwrap();
    assert_eq!(step_loss.to_bits(), v.loss.to_bits(), "{step_loss} vs {}", v.loss);
    let w_real: Vec<f32> = t.model().w.iter().copied().collect();
    assert_eq!(w_real, v.w_after, "W after the step");
    assert_eq!(t.model().b.to_vec(), v.b_after);
    assert_eq!(t.progress().step, v.step);
}

#[test]
fn the_step_view_is_the_lectures_gradient_and_the_real_next_step() {
    check(Hyperparameters { learning_rate: 0.05, batch_size: 8, l2: 0.0 }, 30);
}

#[test]
fn with_l2_the_gradient_includes_two_alpha_w() {
    check(Hyperparameters { learning_rate: 0.1, batch_size: 5, l2: 0.01 }, 12);
}

#[test]
fn at_an_epoch_end_the_view_takes_the_next_epochs_first_minibatch() {
    // Batch 60 000: every step is a whole epoch, so each view is of a freshly shuffled epoch.
    let (train, test) = common::mnist();
    let hyper = Hyperparameters { learning_rate: 0.05, batch_size: 60_000, l2: 0.0 };
    let mut t = Trainer::new(train, test, hyper, 3).unwrap();
    t.step().unwrap();
    let small = Hyperparameters { batch_size: 4, ..hyper };
    t.set_hyperparameters(small).unwrap();
    let v = step_view(&t).unwrap();
    assert_eq!(v.indices, t.next_batch(), "peeking does not consume the shuffling stream");
    assert_eq!(v.indices.len(), 4);
    t.step().unwrap();
    let w: Vec<f32> = t.model().w.iter().copied().collect();
    assert_eq!(w, v.w_after, "the view was of the step that was then taken");
    assert_eq!(t.model().b.to_vec(), v.b_after);
}

#[test]
fn a_large_batch_keeps_its_first_rows_and_the_gradient_of_all() {
    // Batch 1 300: the gradient is computed in chunks of rows; the page keeps 16 of them.
    let (train, test) = common::mnist();
    let hyper = Hyperparameters { learning_rate: 0.1, batch_size: 1_300, l2: 0.001 };
    let mut t = Trainer::new(train, test, hyper, 11).unwrap();
    let mut losses = Vec::new();
    t.steps(3, &mut losses).unwrap();
    let full = step_view(&t).unwrap();
    let v = step_view_rows(&t, 16).unwrap();
    assert_eq!((v.n, v.rows, full.rows), (1_300, 16, 1_300));
    assert_eq!(v.indices, full.indices, "all n indices are kept");
    assert_eq!((v.pixels.len(), v.x.len(), v.z.len()), (16 * 784, 16 * 784, 16 * 10));
    assert_eq!(v.z[..], full.z[..160], "the rows kept are the first rows");
    assert_eq!(v.residual[..], full.residual[..160]);
    assert_eq!((&v.grad_w, &v.grad_b, &v.w_after, v.loss), (&full.grad_w, &full.grad_b, &full.w_after, full.loss));
    // ∇b is the mean of the residual's columns over the whole batch, ∇W likewise against the
    // one-shot dense product (f64 here).
    for k in 0..10 {
        let mean: f64 = (0..1_300).map(|i| f64::from(full.residual[i * 10 + k])).sum::<f64>() / 1_300.0;
        assert!((f64::from(v.grad_b[k]) - mean).abs() < 1e-6, "∇b[{k}] {} vs {mean}", v.grad_b[k]);
    }
    for j in [0, 200, 406, 783] {
        for k in 0..10 {
            let g: f64 =
                (0..1_300).map(|i| f64::from(full.x[i * 784 + j]) * f64::from(full.residual[i * 10 + k])).sum::<f64>()
                    / 1_300.0
                    + 2.0 * 0.001 * f64::from(v.w_before[j * 10 + k]);
            assert!((f64::from(v.grad_w[j * 10 + k]) - g).abs() < 1e-5, "∇W[{j},{k}]");
        }
    }
    // The chunked gradient is the reference ndarray gradient of the whole batch at once.
    let x = Array2::from_shape_vec((1_300, 784), full.x.clone()).unwrap();
    let mut probs = Array2::<f32>::zeros((1_300, 10));
    let mut reference = Gradient::zeros(784, 10);
    let ref_loss = t.model().loss_and_grad(x.view(), &full.labels, 0.001, &mut probs, &mut reference);
    assert!(max_diff(&v.grad_w, reference.w.as_slice().unwrap()) < 1e-6, "∇W against loss_and_grad");
    assert!(max_diff(&v.grad_b, &reference.b.to_vec()) < 1e-7, "∇b against loss_and_grad");
    assert!((ref_loss - v.loss).abs() < 1e-5, "the reference loss {ref_loss} and the real step's {}", v.loss);
    let w_ref: Vec<f32> = v.w_before.iter().zip(&v.grad_w).map(|(w, g)| w - 0.1 * g).collect();
    assert!(max_diff(&w_ref, &v.w_after) < 1e-6, "W − ε∇W against the real step");
    let loss = t.step().unwrap();
    assert_eq!(loss.to_bits(), v.loss.to_bits());
    assert_eq!(t.model().w.iter().copied().collect::<Vec<f32>>(), v.w_after);
}
