//! The hot loop: minibatch SGD on softmax regression straight from `u8` pixels.
//!
//! Exactly the mathematics of [`SoftmaxRegression::loss_and_grad`] followed by
//! [`SoftmaxRegression::apply_update`] (a test checks the two agree), organised for speed.
//! With `x_j = a·p_j + c₀` (`a = 1/(255σ)`, `c₀ = −μ/σ`, the standardisation),
//!
//! ```text
//! z_i        = x_i W + b       = a·Σ_{j: p_ij≠0} p_ij W_j  +  (b + c₀·Σ_j W_j)
//! Xᵀ(Ŷ−Y)/n  = Σ_i x_iᵀ δ_i    = a·Σ_i Σ_{j: p_ij≠0} p_ij δ_i e_jᵀ  +  c₀·1 (Σ_i δ_i)ᵀ
//! ```
//!
//! with `δ_i = (ŷ_i − y_i)/n`. About 81 % of MNIST's pixels are 0, so both products skip most
//! of the work; the dense parts (`Σ_j W_j`, the shift `c₀·Σ_i δ_i`, weight decay) cost one
//! pass over `W` per step. Rows of `W` are `C` contiguous floats with `C` a constant, so the
//! inner loops compile to SIMD (`f32x4` on wasm32 with `+simd128`). No allocation per step.

use super::softmax::{Metrics, SoftmaxRegression};
use crate::data::{Dataset, InputTransform, INPUT_DIM};

/// The standardisation as `x = a·pixel + c₀`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Affine {
    pub a: f32,
    pub c0: f32,
}

impl From<InputTransform> for Affine {
    fn from(t: InputTransform) -> Self {
        Affine { a: (1.0 / (255.0 * t.std)) as f32, c0: (-t.mean / t.std) as f32 }
    }
}

/// Buffers reused by every step (grown on demand, never shrunk).
#[derive(Debug, Default, Clone)]
pub struct Workspace {
    /// Non-zero pixels of the batch: (feature index, a·pixel).
    nz: Vec<(u32, f32)>,
    /// Where each example's run of `nz` starts (length n + 1).
    starts: Vec<usize>,
    /// δ_i for each example, `n × C`.
    delta: Vec<f32>,
    /// The next `W`, built in place and then swapped with the model's.
    next_w: Vec<f32>,
}

/// Why a step was refused.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StepFailure {
    /// The minibatch loss was not finite.
    Loss(f64),
    /// The update would have produced non-finite weights.
    Update,
}

#[inline]
fn gather(pixels: &[u8], a: f32, out: &mut Vec<(u32, f32)>) {
    for (j, &p) in pixels.iter().enumerate() {
        if p != 0 {
            out.push((j as u32, a * f32::from(p)));
        }
    }
}

#[inline]
fn logits<const C: usize>(w: &[[f32; C]], base: &[f32; C], nz: &[(u32, f32)]) -> [f32; C] {
    let mut z = *base;
    for &(j, v) in nz {
        let row = &w[j as usize];
        for k in 0..C {
            z[k] += v * row[k];
        }
    }
    z
}

/// `b + c₀·Σ_j W_j`: the logits of an all-zero image.
#[inline]
fn base<const C: usize>(w: &[[f32; C]], b: &[f32], c0: f32) -> [f32; C] {
    let mut s = [0.0f32; C];
    for row in w {
        for k in 0..C {
            s[k] += row[k];
        }
    }
    let mut out = [0.0f32; C];
    for k in 0..C {
        out[k] = b[k] + c0 * s[k];
    }
    out
}

/// Softmax of `z` in place (max-shifted) and the cross-entropy `logsumexp(z) − z_y`.
#[inline]
fn softmax_ce<const C: usize>(z: &mut [f32; C], y: usize) -> f32 {
    let max = z.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
    let max = if max.is_finite() { max } else { 0.0 };
    let zy = z[y];
    let mut sum = 0.0f32;
    for v in z.iter_mut() {
        *v = (*v - max).exp();
        sum += *v;
    }
    let inv = 1.0 / sum;
    for v in z.iter_mut() {
        *v *= inv;
    }
    sum.ln() + max - zy
}

fn rows<const C: usize>(flat: &[f32]) -> &[[f32; C]] {
    flat.as_chunks::<C>().0
}

fn rows_mut<const C: usize>(flat: &mut [f32]) -> &mut [[f32; C]] {
    flat.as_chunks_mut::<C>().0
}

/// One SGD step on the examples `batch` of `data`: returns the minibatch's mean cross-entropy
/// (before the update) and updates `model` — or changes nothing and says why.
/// `C` must equal the model's number of classes (the caller dispatches on it).
#[allow(clippy::too_many_arguments)]
pub fn sgd_step<const C: usize>(
    model: &mut SoftmaxRegression<f32>,
    ws: &mut Workspace,
    data: &Dataset,
    batch: &[u32],
    t: Affine,
    lr: f32,
    alpha: f32,
) -> Result<f32, StepFailure> {
    let n = batch.len();
    let (Some(wflat), Some(b)) = (model.w.as_slice(), model.b.as_slice()) else { return Err(StepFailure::Update) };
    let w = rows::<C>(wflat);
    let base = base(w, b, t.c0);
    ws.nz.clear();
    ws.starts.clear();
    ws.delta.resize(n * C, 0.0);
    let inv_n = 1.0 / n as f32;
    let mut total = 0.0f64;
    let mut dsum = [0.0f32; C];
    for (r, &i) in batch.iter().enumerate() {
        let i = i as usize;
        let start = ws.nz.len();
        ws.starts.push(start);
        gather(data.image(i), t.a, &mut ws.nz);
        let mut z = logits(w, &base, &ws.nz[start..]);
        let y = usize::from(data.labels[i]);
        total += f64::from(softmax_ce(&mut z, y));
        z[y] -= 1.0;
        let d = &mut ws.delta[r * C..(r + 1) * C];
        for k in 0..C {
            d[k] = z[k] * inv_n;
            dsum[k] += d[k];
        }
    }
    ws.starts.push(ws.nz.len());
    let loss = total / n as f64;
    if !loss.is_finite() {
        return Err(StepFailure::Loss(loss));
    }
    // next = W·(1 − 2εα) − ε·c₀·Σδ  (dense part: decay and the shift of the constant c₀)
    ws.next_w.resize(INPUT_DIM * C, 0.0);
    let next = rows_mut::<C>(&mut ws.next_w);
    let decay = 1.0 - 2.0 * lr * alpha;
    let mut shift = [0.0f32; C];
    for k in 0..C {
        shift[k] = lr * t.c0 * dsum[k];
    }
    for (nr, wr) in next.iter_mut().zip(w) {
        for k in 0..C {
            nr[k] = wr[k] * decay - shift[k];
        }
    }
    // next −= ε·a·p_ij·δ_i for the non-zero pixels (sparse part)
    let delta = rows::<C>(&ws.delta);
    for (r, d) in delta.iter().enumerate().take(n) {
        for &(j, v) in &ws.nz[ws.starts[r]..ws.starts[r + 1]] {
            let s = lr * v;
            let nr = &mut next[j as usize];
            for k in 0..C {
                nr[k] -= s * d[k];
            }
        }
    }
    if !ws.next_w.iter().all(|v| v.is_finite()) || !dsum.iter().all(|d| (d * lr).is_finite()) {
        return Err(StepFailure::Update);
    }
    let Some(wmut) = model.w.as_slice_mut() else { return Err(StepFailure::Update) };
    wmut.swap_with_slice(&mut ws.next_w[..]);
    for (bk, dk) in model.b.iter_mut().zip(dsum) {
        *bk -= lr * dk;
    }
    Ok(loss as f32)
}

/// Loss, accuracy and confusion matrix of `model` on all of `data` (forward pass only).
pub fn evaluate<const C: usize>(model: &SoftmaxRegression<f32>, data: &Dataset, t: Affine, ws: &mut Workspace) -> Metrics {
    let mut confusion = vec![0u32; C * C];
    let (Some(wflat), Some(b)) = (model.w.as_slice(), model.b.as_slice()) else {
        return Metrics { loss: f64::NAN, accuracy: 0.0, count: 0, confusion };
    };
    let w = rows::<C>(wflat);
    let base = base(w, b, t.c0);
    let (mut total, mut correct) = (0.0f64, 0usize);
    for i in 0..data.len() {
        ws.nz.clear();
        gather(data.image(i), t.a, &mut ws.nz);
        let mut z = logits(w, &base, &ws.nz);
        let y = usize::from(data.labels[i]);
        // argmax before softmax (same order, first index wins ties, NaN never wins)
        let mut pred = 0;
        for k in 1..C {
            if z[k] > z[pred] || z[pred].is_nan() {
                pred = k;
            }
        }
        total += f64::from(softmax_ce(&mut z, y));
        confusion[y * C + pred] += 1;
        correct += usize::from(pred == y);
    }
    let n = data.len().max(1) as f64;
    Metrics { loss: total / n, accuracy: correct as f64 / n, count: data.len(), confusion }
}
