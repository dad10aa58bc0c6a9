//! Section 8 (Exercise 3): choosing the learning rate by grid search, by exact hypergradient
//! descent and by online hypergradient descent.

use crate::common as lessons_common;

use ndarray::{Array1, Array2};
use softmax_lab::lessons::common::train_validation_split;
use softmax_lab::lessons::lr_search::*;
use softmax_lab::lessons::sgd::{dot, softmax_hvp};
use softmax_lab::lessons::Lesson;
use softmax_lab::model::{softmax, Gradient, SoftmaxRegression};
use softmax_lab::LabError;

/// The exact hypergradient `dF/dε` (forward mode through the unrolled SGD) against a central
/// difference `(F(ε + h) − F(ε − h)) / 2h`, `h = 10⁻⁵ε`, in f64. Settings: 200 training and 200
/// validation images (disjoint, from the MNIST training set), batch 20, T = 30 steps, seed 7,
/// ε ∈ {0.01, 0.1}, α ∈ {0, 0.01}. Required: relative error < 10⁻³ (at the time of writing
/// about 10⁻⁹). At ε = 0.5, where the run is already chaotic (F ≈ 3.9), the two still agree
/// to about 10⁻⁴, which is printed, not required.
#[test]
fn exact_hypergradient_matches_finite_difference() {
    let (train, _) = lessons_common::mnist();
    for alpha in [0.0, 0.01] {
        let setup = LrSetup { train_size: 200, validation_size: 200, batch_size: 20, budget: 30, alpha, seed: 7 };
        let problem = LrProblem::<f64>::new(&train, &setup).unwrap();
        for eps in [0.01, 0.1, 0.5] {
            let (f, exact) = problem.final_loss_and_derivative(eps).unwrap();
            assert_eq!(f, problem.final_loss(eps).unwrap(), "the tangent does not disturb the run");
            let h = 1e-5 * eps;
            let fd = (problem.final_loss(eps + h).unwrap() - problem.final_loss(eps - h).unwrap()) / (2.0 * h);
            let rel = (exact - fd).abs() / fd.abs();
            println!("α = {alpha}, ε = {eps}: F = {f:.6}, dF/dε exact {exact:.9e}, finite difference {fd:.9e}, relative error {rel:.1e}");
            if eps < 0.5 {
                assert!(rel < 1e-3, "relative error {rel}");
            }
        }
    }
}

/// `softmax_hvp` is the directional derivative of the minibatch gradient: against
/// `(∇J(θ + hu) − ∇J(θ − hu)) / 2h` on 9 random examples, 6 features, 4 classes, α = 0.2.
#[test]
fn hessian_vector_product_matches_directional_derivative() {
    let x = Array2::from_shape_fn((9, 6), |(i, j)| ((i * 6 + j) as f64 * 0.7).sin() * 2.0);
    let y = [0u8, 1, 2, 3, 0, 1, 2, 3, 1];
    let mut model = SoftmaxRegression::<f64>::init(6, 4, 5);
    model.w.mapv_inplace(|v| v * 50.0);
    model.b = Array1::from(vec![0.1, -0.3, 0.2, 0.0]);
    let u = Gradient {
        w: Array2::from_shape_fn((6, 4), |(j, k)| ((j * 4 + k) as f64).cos()),
        b: Array1::from(vec![0.5, -1.0, 0.25, 0.0]),
    };
    let alpha = 0.2;
    let grad_at = |m: &SoftmaxRegression<f64>| {
        let mut z = Array2::zeros((9, 4));
        let mut g = Gradient::zeros(6, 4);
        m.loss_and_grad(x.view(), &y, alpha, &mut z, &mut g);
        g
    };
    let mut p = Array2::zeros((9, 4));
    for i in 0..9 {
        p.row_mut(i).assign(&softmax(model.logits(x.row(i)).view()));
    }
    let (mut hu, mut dz) = (Gradient::zeros(6, 4), Array2::zeros((0, 0)));
    softmax_hvp(x.view(), p.view(), &u, alpha, &mut dz, &mut hu);
    let h = 1e-6;
    let shifted = |s: f64| SoftmaxRegression { w: &model.w + &(&u.w * s), b: &model.b + &(&u.b * s) };
    let (gp, gm) = (grad_at(&shifted(h)), grad_at(&shifted(-h)));
    let max_err = (&(&gp.w - &gm.w) / (2.0 * h) - &hu.w)
        .iter()
        .chain((&(&gp.b - &gm.b) / (2.0 * h) - &hu.b).iter())
        .fold(0.0f64, |m, v| m.max(v.abs()));
    println!("max |Hu − finite difference| = {max_err:.2e} (‖Hu‖² = {:.3})", dot(&hu, &hu));
    assert!(max_err < 1e-7);
}

/// The shared problem of the method tests: 1 000 training and 500 validation images, batch 50,
/// T = 100 steps, no L2, seed 541, f64.
fn setup() -> LrSetup {
    LrSetup { train_size: 1000, validation_size: 500, batch_size: 50, budget: 100, alpha: 0.0, seed: 541 }
}

/// Grid search over 13 values of ε from 10⁻³ to 10 (log grid): F is U-shaped, the best point is
/// inside the grid, the cost is 13 × 100 steps and 13 validation passes, and running in
/// chunks of 37 steps gives exactly the same results as one call.
///
/// Exact hypergradient descent on log ε (η = 5, steps clipped to ±1), 12 hyper-iterations of
/// 100 steps, from ε = 0.003 (below) and from ε = 1 (above, in the chaotic region): both end at
/// the same ε within 2 %, between the grid's neighbours of its best point, with F no worse than
/// the grid's best. At the time of writing: grid best ε = 0.0464 (F = 0.5019); hypergradient
/// ε ≈ 0.0585 (F = 0.4990) from both starts.
#[test]
fn grid_search_and_hypergradient_descent_agree() {
    let (train, test) = lessons_common::mnist();
    let config = GridConfig { setup: setup(), epsilon_min: 1e-3, epsilon_max: 10.0, points: 13 };
    let mut grid = GridSearch::<f64>::new(train.clone(), test.clone(), config.clone()).unwrap();
    let all = grid.step(100_000).unwrap();
    let s = grid.summary();
    let best = s.best.unwrap();
    println!("grid: {:?}", all.iter().map(|r| (r.epsilon, r.validation_loss.unwrap())).collect::<Vec<_>>());
    println!("grid best ε = {:.4} (F = {:.4}); cost {:?}", best.epsilon, best.validation_loss.unwrap(), s.cost);
    assert!(s.done && all.len() == 13);
    assert_eq!((s.cost.sgd_steps, s.cost.validation_passes, s.cost.hessian_vector_products), (1300, 13, 0));
    let i = all.iter().position(|r| r.epsilon == best.epsilon).unwrap();
    assert!(0 < i && i < 12, "the best ε is inside the grid");
    assert!(all.iter().all(|r| r.validation_loss >= best.validation_loss));
    let mut chunked = GridSearch::<f64>::new(train.clone(), test.clone(), config).unwrap();
    let mut pieces = Vec::new();
    while !chunked.summary().done {
        pieces.extend(chunked.step(37).unwrap());
    }
    assert_eq!(pieces, all);

    let mut ends = Vec::new();
    for epsilon0 in [0.003, 1.0] {
        let mut hyper = Hypergradient::<f64>::new(
            train.clone(),
            test.clone(),
            HypergradientConfig { setup: setup(), epsilon0, hyper_lr: 5.0, max_log_step: 1.0 },
        )
        .unwrap();
        let records = hyper.step(12 * 100).unwrap();
        assert_eq!(records.len(), 12);
        let last = records.last().unwrap();
        let s = hyper.summary();
        println!(
            "hypergradient from ε = {epsilon0}: {:?}; last ε {:.4} F {:.4} dF/dε {:.3e}; cost {:?}",
            records.iter().map(|r| (r.epsilon, r.validation_loss.unwrap())).collect::<Vec<_>>(),
            last.epsilon,
            last.validation_loss.unwrap(),
            last.derivative.unwrap(),
            s.cost
        );
        assert_eq!((s.cost.sgd_steps, s.cost.hessian_vector_products, s.cost.validation_passes), (1200, 1200, 12));
        assert!(last.validation_loss.unwrap() <= best.validation_loss.unwrap());
        assert!(all[i - 1].epsilon < last.epsilon && last.epsilon < all[i + 1].epsilon);
        ends.push(last.epsilon);
    }
    assert!((ends[0] / ends[1] - 1.0).abs() < 0.02);
}

/// Online hypergradient descent (β = 10⁻³) from ε = 0.01 adapts ε during one run of T = 100
/// steps and ends with a lower validation loss than the fixed ε = 0.01, at the cost of those
/// 100 steps (plus one validation pass).
#[test]
fn online_hypergradient_descent_adapts_epsilon() {
    let (train, test) = lessons_common::mnist();
    let mut online = OnlineHypergradient::<f64>::new(
        train.clone(),
        test,
        OnlineConfig { setup: setup(), epsilon0: 0.01, beta: 1e-3 },
    )
    .unwrap();
    let mut records = online.step(60).unwrap();
    records.extend(online.step(1000).unwrap());
    let s = online.summary();
    let fixed = LrProblem::<f64>::new(&train, &setup()).unwrap().final_loss(0.01).unwrap();
    let max_eps = records.iter().map(|r| r.epsilon).fold(0.0, f64::max);
    println!(
        "online: ε from 0.01 up to {max_eps:.4}, ends {:.4}; F {:.4} vs fixed ε = 0.01: {fixed:.4}; cost {:?}",
        s.epsilon,
        s.validation_loss.unwrap(),
        s.cost
    );
    assert_eq!(records.len(), 100);
    assert!(s.done && records[0].gradient_dot.is_none() && records[1].gradient_dot.is_some());
    assert!(max_eps > 0.015);
    assert!(s.validation_loss.unwrap() < fixed);
    assert_eq!((s.cost.sgd_steps, s.cost.validation_passes), (100, 1));
    assert!(online.step(10).unwrap().is_empty(), "the run stops at the budget");
}

/// The validation split is held out of the training data: no validation image appears in the
/// training split.
#[test]
fn validation_is_held_out_of_training() {
    let (train, _) = lessons_common::mnist();
    let (tr, va) = train_validation_split(&train, 300, 200, 3).unwrap();
    assert_eq!((tr.len(), va.len()), (300, 200));
    let seen: std::collections::HashSet<&[u8]> = (0..tr.len()).map(|i| tr.image(i)).collect();
    assert!((0..va.len()).all(|i| !seen.contains(va.image(i))));
    assert!(matches!(train_validation_split(&train, 60_000, 1, 3), Err(LabError::Invalid(_))));
    assert!(matches!(train_validation_split(&train, 0, 10, 3), Err(LabError::Invalid(_))));
}

#[test]
fn learning_rate_settings_are_validated() {
    let (train, test) = lessons_common::mnist();
    let grid = |c: GridConfig| GridSearch::<f64>::new(train.clone(), test.clone(), c).expect_err("refused");
    assert!(matches!(grid(GridConfig { epsilon_min: 0.0, ..Default::default() }), LabError::Invalid(_)));
    assert!(matches!(
        grid(GridConfig { epsilon_min: 1.0, epsilon_max: 0.1, ..Default::default() }),
        LabError::Invalid(_)
    ));
    assert!(matches!(grid(GridConfig { points: 1, ..Default::default() }), LabError::Invalid(_)));
    assert!(matches!(
        grid(GridConfig { setup: LrSetup { budget: 0, ..Default::default() }, ..Default::default() }),
        LabError::Invalid(_)
    ));
    assert!(matches!(
        grid(GridConfig { setup: LrSetup { batch_size: 0, ..Default::default() }, ..Default::default() }),
        LabError::InvalidBatchSize { .. }
    ));
    let hyper =
        |c: HypergradientConfig| Hypergradient::<f64>::new(train.clone(), test.clone(), c).expect_err("refused");
    assert!(matches!(hyper(HypergradientConfig { epsilon0: f64::NAN, ..Default::default() }), LabError::Invalid(_)));
    assert!(matches!(hyper(HypergradientConfig { max_log_step: 0.0, ..Default::default() }), LabError::Invalid(_)));
    let online =
        |c: OnlineConfig| OnlineHypergradient::<f64>::new(train.clone(), test.clone(), c).expect_err("refused");
    assert!(matches!(online(OnlineConfig { beta: -1.0, ..Default::default() }), LabError::Invalid(_)));
    assert_eq!(log_grid(0.01, 1.0, 3).unwrap().len(), 3);
    assert!((log_grid(0.01, 1.0, 3).unwrap()[1] - 0.1).abs() < 1e-12);
}
