//! The pure curves of the first sections (§1's sigmoid, §2's losses): in the start-up module, so
//! the first section answers before the lecture experiments' module has loaded.

use super::{js_err, to_js, JsResult};
use crate::lessons::logistic::loss_curves;
use crate::lessons::sigmoid::{sigmoid_at, sigmoid_curve};
use wasm_bindgen::prelude::*;

/// §1: `{z, sigma, sigma_prime, sigma_neg, one_minus_sigma}` at `z`.
#[wasm_bindgen(js_name = sigmoidAt)]
pub fn sigmoid_at_js(z: f64) -> JsResult<JsValue> {
    to_js(&sigmoid_at(z))
}

/// §1: the same five quantities as columns over `points` evenly spaced `z` in `[zMin, zMax]`.
#[wasm_bindgen(js_name = sigmoidCurve)]
pub fn sigmoid_curve_js(z_min: f64, z_max: f64, points: usize) -> JsResult<JsValue> {
    to_js(&sigmoid_curve(z_min, z_max, points).map_err(js_err)?)
}

/// §2: MSE and log-loss and their gradient factors against `ŷ`, for `y = 1` and `y = 0`.
#[wasm_bindgen(js_name = lossCurves)]
pub fn loss_curves_js(points: usize) -> JsResult<JsValue> {
    to_js(&loss_curves(points).map_err(js_err)?)
}
