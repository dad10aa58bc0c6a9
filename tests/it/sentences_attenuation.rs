//! What §3's prose says (www/sections/attenuation.js), at the page's defaults: digit 1 (y = 1)
//! vs 7 (y = 0), badness 8, ε = 0.1, batch 100, seed 541, 500 steps ("Stop after"), f32.

use crate::common as lessons_common;

use softmax_lab::lessons::attenuation::{Attenuation, AttenuationConfig};
use softmax_lab::lessons::Lesson;
use softmax_lab::model::logistic::sigmoid;

/// The verdict: "MSE is stuck at x % (about the share of one digit: it learned to say the same
/// class for everything), with a gradient N times smaller than log-loss's". Checked after 500
/// steps: MSE's held-out accuracy is within 2 points of the share of one digit among the
/// held-out images and over 97 % of them get the same predicted class; log-loss is at ≥ 95 %;
/// MSE's minibatch gradient is over 100× smaller than log-loss's at the last step (137× at the time of writing).
#[test]
fn mse_says_one_class_for_everything() {
    let (train, test) = lessons_common::mnist();
    let config = AttenuationConfig { eval_every: 5, ..AttenuationConfig::default() };
    let mut run = Attenuation::<f32>::new(train, test, config).unwrap();
    let records = run.step(500).unwrap();
    let last = records.last().unwrap();
    let lock = run.lockstep();
    let heldout = lock.heldout_set();
    let mse = lock.learners()[0].model();
    let lut = lock.lut();
    let n = heldout.len();
    let ones = (0..n).filter(|&i| heldout.labels[i] == 1).count();
    let predicted_ones = (0..n)
        .filter(|&i| {
            let x: ndarray::Array1<f32> = heldout.image(i).iter().map(|&p| lut[usize::from(p)]).collect();
            sigmoid(mse.logit(x.view())) >= 0.5
        })
        .count();
    let same = predicted_ones.max(n - predicted_ones) as f64 / n as f64;
    let share = [ones as f64 / n as f64, 1.0 - ones as f64 / n as f64];
    let (acc_mse, acc_log) = (last.mse.heldout.unwrap().accuracy, last.log_loss.heldout.unwrap().accuracy);
    println!(
        "after 500 steps: MSE accuracy {acc_mse:.4}, log-loss {acc_log:.4}; shares of the digits {share:.4?}; MSE gives one class to {same:.4}; gradient ratio {:.1}",
        last.log_loss.grad_norm / last.mse.grad_norm
    );
    assert!(acc_mse < 0.6 && acc_mse > 0.3 && acc_log >= 0.95, "the verdict's case");
    assert!(share.iter().any(|s| (s - acc_mse).abs() < 0.02));
    assert!(same > 0.97);
    assert!(last.log_loss.grad_norm > 100.0 * last.mse.grad_norm);
}
