//! One step in slow motion (`step_view`): its matrices are the lecture's formulas computed
//! independently here in f64 from the raw pixels, and applying it gives the weights of
//! `Trainer::step` (which runs the fast kernel: same maths, another summation order).

use crate::common;
use softmax_lab::step_view::step_view;
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
    assert_eq!((n, c), (hyper.batch_size, 10));
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
    // Applying it is the real next step: the same minibatch loss and the same weights as
    // Trainer::step, to f32 rounding (the fast kernel sums in another order).
    let step_loss = t.step().unwrap();
    assert!((step_loss - v.loss).abs() < 1e-5, "{step_loss} vs {}", v.loss);
    let w_real: Vec<f32> = t.model().w.iter().copied().collect();
    assert!(max_diff(&w_real, &v.w_after) < 1e-6, "W after the step: {}", max_diff(&w_real, &v.w_after));
    assert!(max_diff(&t.model().b.to_vec(), &v.b_after) < 1e-6);
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
    assert!(max_diff(&w, &v.w_after) < 1e-6, "the view was of the step that was then taken");
    assert!(max_diff(&t.model().b.to_vec(), &v.b_after) < 1e-6);
}
