//! The analytic gradient of mean cross-entropy + α‖W‖² against central finite differences
//! (the convnetjs NeuralNetSpec way), run in f64 through the same generic code that trains in f32.

use ndarray::{Array2, Axis};
use softmax_lab::model::softmax::{softmax_cross_entropy_inplace, Gradient, SoftmaxRegression};

/// Objective = mean CE + α‖W‖², evaluated from scratch.
fn objective(m: &SoftmaxRegression<f64>, x: &Array2<f64>, y: &[u8], alpha: f64) -> f64 {
    let mut z = Array2::zeros((x.nrows(), m.classes()));
    m.logits_into(x.view(), z.view_mut());
    softmax_cross_entropy_inplace(z.view_mut(), y) + m.l2_penalty(alpha)
}

fn rel_err(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(1e-8)
}

fn check(alpha: f64) {
    let (n, d, c) = (7, 30, 4);
    let mut rng = 12345u64;
    let mut next = || {
        rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((rng >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    };
    let x = Array2::from_shape_simple_fn((n, d), &mut next);
    let y: Vec<u8> = (0..n).map(|i| (i % c) as u8).collect();
    let mut m = SoftmaxRegression::<f64>::init(d, c, 7);
    m.w.mapv_inplace(|v| v * 30.0); // non-trivial probabilities, not all ≈ 1/c
    m.b = ndarray::Array1::from_shape_simple_fn(c, &mut next);

    let mut z = Array2::zeros((n, c));
    let mut g = Gradient::zeros(d, c);
    m.loss_and_grad(x.view(), &y, alpha, &mut z, &mut g);

    let h = 1e-5;
    let mut worst = 0.0f64;
    for j in 0..d {
        for k in 0..c {
            let mut p = m.clone();
            p.w[[j, k]] += h;
            let mut q = m.clone();
            q.w[[j, k]] -= h;
            let fd = (objective(&p, &x, &y, alpha) - objective(&q, &x, &y, alpha)) / (2.0 * h);
            worst = worst.max(rel_err(fd, g.w[[j, k]]));
        }
    }
    for k in 0..c {
        let mut p = m.clone();
        p.b[k] += h;
        let mut q = m.clone();
        q.b[k] -= h;
        let fd = (objective(&p, &x, &y, alpha) - objective(&q, &x, &y, alpha)) / (2.0 * h);
        worst = worst.max(rel_err(fd, g.b[k]));
    }
    assert!(worst < 1e-4, "α = {alpha}: worst relative error {worst:e}");
    // On return, z holds (Ŷ − Y)/n: each row sums to 0 (probabilities sum to 1, one-hot sums to 1).
    for s in z.sum_axis(Axis(1)) {
        assert!(s.abs() < 1e-12);
    }
}

#[test]
fn gradient_matches_finite_differences_without_l2() {
    check(0.0);
}

#[test]
fn gradient_matches_finite_differences_with_l2() {
    check(0.05);
}

#[test]
fn bias_is_not_penalised() {
    let mut m = SoftmaxRegression::<f64>::zeros(3, 2);
    m.b[0] = 100.0;
    assert_eq!(m.l2_penalty(1.0), 0.0);
    m.w[[0, 0]] = 2.0;
    assert_eq!(m.l2_penalty(0.5), 2.0);
}
