//! Section 1 — the logistic sigmoid `σ(z) = 1/(1 + e^(−z))`, its derivative
//! `σ′(z) = σ(z)(1 − σ(z))` (maximum ¼ at `z = 0`) and the symmetry `σ(−z) = 1 − σ(z)`.
//! The numbers come from [`crate::model::logistic`], the functions the models use.

use crate::error::Result;
use crate::lessons::common::{check_count, invalid};
use crate::model::logistic::{sigmoid, sigmoid_prime};
use serde::Serialize;

/// Most samples a curve may have.
pub const MAX_POINTS: usize = 10_000;
/// Largest `|z|` a curve may reach.
pub const MAX_ABS_Z: f64 = 1e4;

/// `σ` and friends at one `z` (the draggable point of the page).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SigmoidPoint {
    pub z: f64,
    /// `σ(z)`.
    pub sigma: f64,
    /// `σ′(z) = σ(z)(1 − σ(z))`.
    pub sigma_prime: f64,
    /// `σ(−z)`.
    pub sigma_neg: f64,
    /// `1 − σ(z)` (equal to `σ(−z)`).
    pub one_minus_sigma: f64,
}

/// The same quantities sampled on an evenly spaced grid of `z`, one column each (uPlot's format).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SigmoidCurve {
    pub z: Vec<f64>,
    pub sigma: Vec<f64>,
    pub sigma_prime: Vec<f64>,
    pub sigma_neg: Vec<f64>,
    pub one_minus_sigma: Vec<f64>,
}

/// The maximum of `σ′`: `(z, σ′(z)) = (0, ¼)`.
pub const SIGMOID_PRIME_MAX: (f64, f64) = (0.0, 0.25);

/// `σ(z)`, `σ′(z)`, `σ(−z)` and `1 − σ(z)` at `z`.
pub fn sigmoid_at(z: f64) -> SigmoidPoint {
    let sigma = sigmoid(z);
    SigmoidPoint { z, sigma, sigma_prime: sigmoid_prime(z), sigma_neg: sigmoid(-z), one_minus_sigma: 1.0 - sigma }
}

/// `points` evenly spaced values from `min` to `max` (both included).
pub fn grid(min: f64, max: f64, points: usize) -> Result<Vec<f64>> {
    check_count("number of points", points, 2, MAX_POINTS)?;
    if !(min.is_finite() && max.is_finite() && min < max && min >= -MAX_ABS_Z && max <= MAX_ABS_Z) {
        return Err(invalid(
            "the z range",
            format!("[{min}, {max}]"),
            &format!("an interval with −{MAX_ABS_Z} ≤ min < max ≤ {MAX_ABS_Z}"),
        ));
    }
    let step = (max - min) / (points - 1) as f64;
    Ok((0..points).map(|i| if i + 1 == points { max } else { min + step * i as f64 }).collect())
}

/// The sigmoid curve on `points` samples of `[z_min, z_max]`.
pub fn sigmoid_curve(z_min: f64, z_max: f64, points: usize) -> Result<SigmoidCurve> {
    let z = grid(z_min, z_max, points)?;
    let at: Vec<SigmoidPoint> = z.iter().map(|&z| sigmoid_at(z)).collect();
    let column = |f: fn(&SigmoidPoint) -> f64| at.iter().map(f).collect();
    Ok(SigmoidCurve {
        sigma: column(|p| p.sigma),
        sigma_prime: column(|p| p.sigma_prime),
        sigma_neg: column(|p| p.sigma_neg),
        one_minus_sigma: column(|p| p.one_minus_sigma),
        z,
    })
}
