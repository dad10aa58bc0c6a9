//! The fast sparse kernel that trains the page's model computes the same SGD step and the
//! same metrics as the reference (dense ndarray) implementation that the gradient check covers,
//! on its lazy path (scale and offset kept implicit), across folds, and on its dense path.

use crate::common;

use ndarray::Array2;
use softmax_lab::data::{Dataset, InputTransform, INPUT_DIM};
use softmax_lab::model::kernel::{self, Affine, FastSgd};
use softmax_lab::model::softmax::{evaluate, pixels_to_inputs, Gradient, SoftmaxRegression};

/// `rounds` steps of 64 examples with both implementations from the same start; returns both models.
fn both(
    start: &SoftmaxRegression<f32>,
    lr: f32,
    alpha: f32,
    rounds: u32,
    fold_at: Option<u32>,
) -> (SoftmaxRegression<f32>, SoftmaxRegression<f32>) {
    let (train, _) = common::mnist();
    let t = InputTransform::fit(&train);
    let lut = t.lut::<f32>();
    let mut fast = FastSgd::<10, 12>::new(start).unwrap();
    let mut slow = start.clone();
    for round in 0..rounds {
        if fold_at == Some(round) {
            fast.fold();
        }
        let batch: Vec<u32> = (0..64).map(|i| (round * 997 + i * 131) % 60_000).collect();
        let lf = fast.step(&train, &batch, Affine::from(t), lr, alpha).unwrap();
        let ls = reference_step(&mut slow, &train, &lut, &batch, lr, alpha);
        assert!((lf - ls).abs() < 1e-4 * ls.abs().max(1.0), "round {round}: loss {lf} vs {ls}");
    }
    let mut out = start.clone();
    fast.write_to(&mut out);
    (out, slow)
}

fn reference_step(
    model: &mut SoftmaxRegression<f32>,
    data: &Dataset,
    lut: &[f32; 256],
    batch: &[u32],
    lr: f32,
    alpha: f32,
) -> f32 {
    let mut x = Array2::<f32>::zeros((batch.len(), INPUT_DIM));
    let mut y = Vec::new();
    for (r, &i) in batch.iter().enumerate() {
        pixels_to_inputs(data.image(i as usize), lut, x.slice_mut(ndarray::s![r..r + 1, ..]));
        y.push(data.labels[i as usize]);
    }
    let mut z = Array2::zeros((batch.len(), 10));
    let mut g = Gradient::zeros(INPUT_DIM, 10);
    let loss = model.loss_and_grad(x.view(), &y, alpha, &mut z, &mut g);
    assert!(model.apply_update(&g, lr));
    loss
}

fn assert_close(fast: &SoftmaxRegression<f32>, slow: &SoftmaxRegression<f32>, what: &str) {
    let scale = slow.w.iter().fold(0f32, |m, v| m.max(v.abs()));
    let diff = fast.w.iter().zip(&slow.w).fold(0f32, |m, (a, b)| m.max((a - b).abs()));
    assert!(diff < 1e-4 * scale, "{what}: max |ΔW| {diff} vs max |W| {scale}");
    let bscale = slow.b.iter().fold(1f32, |m, v| m.max(v.abs()));
    let bdiff = fast.b.iter().zip(&slow.b).fold(0f32, |m, (a, b)| m.max((a - b).abs()));
    assert!(bdiff < 1e-5 * bscale, "{what}: max |Δb| {bdiff}");
}

#[test]
fn sparse_step_equals_reference_step() {
    let start = SoftmaxRegression::<f32>::init(INPUT_DIM, 10, 3);
    // α = 0: scale stays 1, the offset carries the shift; α = 0.01: the scale decays lazily
    // (and is folded half-way); α = 5: the scale halves each step and leaves [2⁻¹⁶, 2¹⁶] at
    // step 17, which is then taken densely.
    for (alpha, fold_at) in [(0.0, None), (0.01, Some(10)), (5.0, None)] {
        let (fast, slow) = both(&start, 0.05, alpha, 20, fold_at);
        assert_close(&fast, &slow, &format!("α = {alpha}"));
        // And the training had an effect (the comparison is not between two untouched models).
        assert!(fast.w != start.w);
    }
}

#[test]
fn huge_weights_take_the_dense_path_and_agree() {
    // A weight near 1e31 is beyond what the lazy path accepts without checking every weight.
    let mut start = SoftmaxRegression::<f32>::init(INPUT_DIM, 10, 3);
    start.w[[400, 3]] = 1e31;
    let (mut fast, mut slow) = both(&start, 0.05, 0.0, 3, None);
    let (hf, hs) = (fast.w[[400, 3]], slow.w[[400, 3]]);
    assert!((hf - hs).abs() <= 1e-6 * hs.abs(), "{hf} vs {hs}");
    fast.w[[400, 3]] = 0.0;
    slow.w[[400, 3]] = 0.0;
    assert_close(&fast, &slow, "the other weights");
}

#[test]
fn evaluation_equals_reference() {
    let (train, test) = common::mnist();
    let t = InputTransform::fit(&train);
    let (model, _) = both(&SoftmaxRegression::<f32>::init(INPUT_DIM, 10, 3), 0.05, 0.0, 20, None);
    let mf = kernel::evaluate::<10>(&model, &test, Affine::from(t));
    let ms = evaluate(&model, &test, &t, 1000).unwrap();
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
    let mut fast = FastSgd::<10, 12>::new(&m).unwrap();
    let r = fast.step(&train, &[0, 1, 2], Affine::from(t), 100.0, 0.0);
    assert!(r.is_err(), "{r:?}");
    let mut after = SoftmaxRegression::<f32>::zeros(INPUT_DIM, 10);
    fast.write_to(&mut after);
    assert_eq!(after, m);
}

#[test]
fn a_folded_kernel_continues_exactly_like_one_built_from_its_weights() {
    // What makes a checkpoint resume bit for bit (the trainer folds at the end of each call).
    let (train, _) = common::mnist();
    let t = Affine::from(InputTransform::fit(&train));
    let batch = |round: u32| -> Vec<u32> { (0..50).map(|i| (round * 1009 + i * 113) % 60_000).collect() };
    let mut a = FastSgd::<10, 12>::new(&SoftmaxRegression::init(INPUT_DIM, 10, 5)).unwrap();
    for round in 0..30 {
        a.step(&train, &batch(round), t, 0.1, 0.001).unwrap();
    }
    a.fold();
    let mut saved = SoftmaxRegression::<f32>::zeros(INPUT_DIM, 10);
    a.write_to(&mut saved);
    let mut b = FastSgd::<10, 12>::new(&saved).unwrap();
    for round in 30..60 {
        let (la, lb) = (
            a.step(&train, &batch(round), t, 0.1, 0.001).unwrap(),
            b.step(&train, &batch(round), t, 0.1, 0.001).unwrap(),
        );
        assert_eq!(la.to_bits(), lb.to_bits(), "round {round}");
    }
    let (mut ma, mut mb) = (saved.clone(), saved);
    a.write_to(&mut ma);
    b.write_to(&mut mb);
    assert_eq!(ma, mb);
}
