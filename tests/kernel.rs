//! The fast sparse kernel that trains the page's model computes the same SGD step and the
//! same metrics as the reference (dense ndarray) implementation that the gradient check covers.

mod common;

use ndarray::Array2;
use softmax_lab::data::{InputTransform, INPUT_DIM};
use softmax_lab::model::kernel::{self, Affine, Workspace};
use softmax_lab::model::softmax::{evaluate, pixels_to_inputs, Gradient, SoftmaxRegression};

#[test]
fn sparse_step_equals_reference_step() {
    let (train, test) = common::mnist();
    let t = InputTransform::fit(&train);
    let lut = t.lut::<f32>();
    let mut fast = SoftmaxRegression::<f32>::init(INPUT_DIM, 10, 3);
    let mut slow = fast.clone();
    let mut ws = Workspace::default();
    let (lr, alpha) = (0.05f32, 0.01f32);
    for round in 0..20u32 {
        let batch: Vec<u32> = (0..64).map(|i| (round * 997 + i * 131) % 60_000).collect();
        let lf = kernel::sgd_step::<10>(&mut fast, &mut ws, &train, &batch, Affine::from(t), lr, alpha).unwrap();
        let mut x = Array2::<f32>::zeros((batch.len(), INPUT_DIM));
        let mut y = Vec::new();
        for (r, &i) in batch.iter().enumerate() {
            pixels_to_inputs(train.image(i as usize), &lut, x.slice_mut(ndarray::s![r..r + 1, ..]));
            y.push(train.labels[i as usize]);
        }
        let mut z = Array2::zeros((batch.len(), 10));
        let mut g = Gradient::zeros(INPUT_DIM, 10);
        let ls = slow.loss_and_grad(x.view(), &y, alpha, &mut z, &mut g);
        assert!(slow.apply_update(&g, lr));
        assert!((lf - ls).abs() < 1e-4 * ls.abs().max(1.0), "round {round}: loss {lf} vs {ls}");
    }
    let scale = slow.w.iter().fold(0f32, |m, v| m.max(v.abs()));
    let diff = fast.w.iter().zip(&slow.w).fold(0f32, |m, (a, b)| m.max((a - b).abs()));
    assert!(diff < 1e-4 * scale, "max |ΔW| {diff} vs max |W| {scale}");
    let bdiff = fast.b.iter().zip(&slow.b).fold(0f32, |m, (a, b)| m.max((a - b).abs()));
    assert!(bdiff < 1e-5, "max |Δb| {bdiff}");
    // And the training had an effect (the comparison is not between two untouched models).
    assert!(fast.w != SoftmaxRegression::<f32>::init(INPUT_DIM, 10, 3).w);

    let mf = kernel::evaluate::<10>(&fast, &test, Affine::from(t), &mut ws);
    let ms = evaluate(&fast, &test, &t, 1000).unwrap();
    assert_eq!(mf.count, 10_000);
    assert!((mf.accuracy - ms.accuracy).abs() <= 2.0 / 10_000.0, "{} vs {}", mf.accuracy, ms.accuracy);
    assert!((mf.loss - ms.loss).abs() < 1e-4, "{} vs {}", mf.loss, ms.loss);
    assert!(mf.accuracy > 0.8, "20 steps of 64 already classify most digits: {}", mf.accuracy);
}

#[test]
fn a_refused_step_leaves_the_model_untouched() {
    let (train, _) = common::mnist();
    let t = InputTransform::fit(&train);
    let mut m = SoftmaxRegression::<f32>::init(INPUT_DIM, 10, 3);
    m.w.fill(3e38); // finite, but Σ_j W_j overflows to ∞
    let before = m.clone();
    let mut ws = Workspace::default();
    let r = kernel::sgd_step::<10>(&mut m, &mut ws, &train, &[0, 1, 2], Affine::from(t), 100.0, 0.0);
    assert!(r.is_err(), "{r:?}");
    assert_eq!(m, before);
}
