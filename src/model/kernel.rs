//! The hot loop: minibatch SGD on softmax regression straight from `u8` pixels.
//!
//! Exactly the mathematics of [`SoftmaxRegression::loss_and_grad`] followed by
//! [`SoftmaxRegression::apply_update`] (a test checks the two agree), organised so that a step
//! costs time in proportion to the non-zero pixels of its minibatch and nothing else.
//!
//! With `x_j = a·p_j + c₀` (`a = 1/(255σ)`, `c₀ = −μ/σ`, the standardisation) and
//! `δ_i = (ŷ_i − y_i)/n`:
//!
//! ```text
//! z_i        = x_i W + b    = a·Σ_{j: p_ij≠0} p_ij W_j  +  (b + c₀·Σ_j W_j)
//! Xᵀ(Ŷ−Y)/n  = Σ_i x_iᵀ δ_i = a·Σ_i Σ_{j: p_ij≠0} p_ij e_j δ_i  +  c₀·1 (Σ_i δ_i)
//! W ← (1 − 2εα)·W − ε·c₀·1 (Σ_i δ_i) − ε·a·Σ_i Σ_{j: p_ij≠0} p_ij e_j δ_i
//! ```
//!
//! About 81 % of MNIST's pixels are 0, so the sparse sums skip most of the work. What is left
//! touches every row of `W` — the decay `(1 − 2εα)`, the shift `ε·c₀·Σδ` of the constant part
//! of `x`, and the column sums `Σ_j W_j` — and [`FastSgd`] keeps all three implicit:
//!
//! ```text
//! W = s·V + 1 oᵀ      (a scale s, a per-class offset o, and V with its column sums Σ_j V_j)
//! ```
//!
//! so decay multiplies `s` and `o`, the shift moves `o`, and the sparse part updates the rows
//! of `V` it touches and `Σ_j V_j` (in `f64`) through `Σ_j p_ij` per example: a batch-1 step costs
//! about 150 row updates instead of four passes over the 7 840 weights. `V` is folded back into
//! `W` (`s = 1`, `o = 0`, exact column sums) whenever the trainer asks, and when `s` leaves
//! [2⁻¹⁶, 2¹⁶] or the weights could come near `f32::MAX` — then that step is taken densely with
//! the exact finiteness check, so a refused step still leaves the model untouched.
//!
//! Rows of `V` are `L ≥ C` contiguous floats (lanes) with `L` a constant: the trainer pads
//! its 10 classes to `L = 12`, three `f32x4` per row on wasm32 with `+simd128` (10 lanes compile to
//! two `f32x4` and two scalar lanes; the padding made a wasm epoch about 15 % faster). The
//! padding lanes of `V`, `o`, `b` and `δ` stay 0. Nothing is allocated per step once the
//! buffers have grown.

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

/// Why a step was refused.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StepFailure {
    /// The minibatch loss was not finite.
    Loss(f64),
    /// The update would have produced non-finite weights.
    Update,
}

/// |s| is kept lazily inside this range; outside it the step is dense and folds `s` into `V`.
const SCALE_MIN: f32 = 1.0 / 65536.0;
const SCALE_MAX: f32 = 65536.0;
/// A lazy step is taken only while this bounds every weight (far below `f32::MAX ≈ 3.4e38`).
const SAFE_MAGNITUDE: f32 = 1e30;

/// Softmax regression with `C` classes in the form the SGD kernel updates fastest:
/// `W = s·V + 1 oᵀ` with rows of `L` lanes (see the module documentation). Build it from a
/// model, run [`FastSgd::step`], and [`FastSgd::write_to`] a model to read the weights.
#[derive(Debug, Clone)]
pub struct FastSgd<const C: usize, const L: usize> {
    /// `INPUT_DIM` rows of `L` lanes (the first `C` are the classes).
    v: Vec<[f32; L]>,
    scale: f32,
    offset: [f32; L],
    b: [f32; L],
    /// `Σ_j V_j`, kept up to date by every step.
    colsum: [f64; L],
    /// An upper bound of every `|V_jk|`.
    bound: f32,
    ws: Workspace<L>,
}

/// Buffers reused by every step (grown on demand, never shrunk).
#[derive(Debug, Clone)]
struct Workspace<const L: usize> {
    /// Non-zero pixels of the batch: feature index and pixel value, example after example.
    idx: Vec<u16>,
    px: Vec<u8>,
    /// Where each example's run of non-zero pixels starts (length n + 1).
    starts: Vec<usize>,
    /// `a·ε/s·δ_i` per example, then (dense step) `ε·a·δ_i`.
    delta: Vec<[f32; L]>,
    /// `Σ_j p_ij` per example.
    psum: Vec<f32>,
    /// The next `W` of a dense step.
    dense: Vec<[f32; L]>,
}

impl<const L: usize> Workspace<L> {
    fn new() -> Self {
        Workspace {
            idx: Vec::new(),
            px: Vec::new(),
            starts: Vec::new(),
            delta: Vec::new(),
            psum: Vec::new(),
            dense: Vec::new(),
        }
    }
}

/// Room for the non-zero pixels of one image (8 spare slots for the branch-free copy).
const GATHER: usize = INPUT_DIM + 8;

/// The non-zero pixels of one image: feature indices into `idx`, values into `px`; returns
/// their number and their sum. Zero 8-byte words are skipped whole; inside a word the copy is
/// branch-free (each byte is written, the cursor advances only past non-zero ones).
#[inline]
fn gather(pixels: &[u8], idx: &mut [u16; GATHER], px: &mut [u8; GATHER]) -> (usize, u32) {
    let mut len = 0;
    let mut sum = 0u32;
    let (words, tail) = pixels.as_chunks::<8>();
    for (w, word) in words.iter().enumerate() {
        if u64::from_le_bytes(*word) == 0 {
            continue;
        }
        let j0 = (w * 8) as u16;
        for (o, &p) in word.iter().enumerate() {
            idx[len] = j0 + o as u16;
            px[len] = p;
            len += usize::from(p != 0);
            sum += u32::from(p);
        }
    }
    let j0 = words.len() * 8;
    for (o, &p) in tail.iter().enumerate() {
        idx[len] = (j0 + o) as u16;
        px[len] = p;
        len += usize::from(p != 0);
        sum += u32::from(p);
    }
    (len, sum)
}

/// `Σ p_j V_j` over the non-zero pixels `(idx, px)`.
#[inline]
fn sparse_dot<const C: usize>(v: &[[f32; C]], idx: &[u16], px: &[u8]) -> [f32; C] {
    let mut acc = [0.0f32; C];
    for (&j, &p) in idx.iter().zip(px) {
        let r = &v[usize::from(j)];
        let p = f32::from(p);
        for k in 0..C {
            acc[k] += p * r[k];
        }
    }
    acc
}

/// `V_j −= p_j·g` over the non-zero pixels `(idx, px)`.
#[inline]
fn sparse_update<const C: usize>(v: &mut [[f32; C]], idx: &[u16], px: &[u8], g: &[f32; C]) {
    for (&j, &p) in idx.iter().zip(px) {
        let p = f32::from(p);
        let r = &mut v[usize::from(j)];
        for k in 0..C {
            r[k] -= p * g[k];
        }
    }
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

fn max_abs(xs: &[f32]) -> f32 {
    xs.iter().fold(0.0f32, |m, &x| m.max(x.abs()))
}

impl<const C: usize, const L: usize> FastSgd<C, L> {
    /// The kernel's form of `model`, or `None` if the model is not `INPUT_DIM × C` (or `L < C`).
    pub fn new(model: &SoftmaxRegression<f32>) -> Option<Self> {
        let mut f = FastSgd {
            v: vec![[0.0; L]; INPUT_DIM],
            scale: 1.0,
            offset: [0.0; L],
            b: [0.0; L],
            colsum: [0.0; L],
            bound: 0.0,
            ws: Workspace::new(),
        };
        (L >= C && f.load(model)).then_some(f)
    }

    /// Take the weights of `model` (same shape); returns `false` and changes nothing otherwise.
    pub fn load(&mut self, model: &SoftmaxRegression<f32>) -> bool {
        if model.w.dim() != (INPUT_DIM, C) || model.b.len() != C {
            return false;
        }
        for (row, w) in self.v.iter_mut().zip(model.w.rows()) {
            for (dst, &x) in row.iter_mut().zip(w) {
                *dst = x;
            }
        }
        for (dst, &x) in self.b.iter_mut().zip(&model.b) {
            *dst = x;
        }
        self.scale = 1.0;
        self.offset = [0.0; L];
        self.refresh();
        true
    }

    /// Exact column sums and bound of `V`.
    fn refresh(&mut self) {
        let mut s = [0.0f64; L];
        let mut m = 0.0f32;
        for row in &self.v {
            for k in 0..L {
                s[k] += f64::from(row[k]);
                m = m.max(row[k].abs());
            }
        }
        self.colsum = s;
        self.bound = m;
    }

    /// Fold the scale and offset into `V` (`W` unchanged up to rounding; `s = 1`, `o = 0`) and
    /// recompute the column sums exactly: the state then depends on `W` alone. Where a run
    /// folds changes the last bits of what follows, so callers fold at points that a resumed
    /// run shares (the trainer: the end of every call that trains, and each epoch's end).
    pub fn fold(&mut self) {
        if self.scale != 1.0 || self.offset != [0.0; L] {
            let (s, o) = (self.scale, self.offset);
            for row in &mut self.v {
                for k in 0..L {
                    row[k] = s * row[k] + o[k];
                }
            }
            self.scale = 1.0;
            self.offset = [0.0; L];
        }
        self.refresh();
    }

    /// Write `W = s·V + 1 oᵀ` and `b` into `model` (which must be `INPUT_DIM × C`). After
    /// [`FastSgd::fold`] this is a copy, and `FastSgd::new` of the written model continues
    /// exactly like `self`.
    pub fn write_to(&self, model: &mut SoftmaxRegression<f32>) {
        let (s, o) = (self.scale, self.offset);
        let canonical = s == 1.0 && o == [0.0; L];
        if let Some(w) = model.w.as_slice_mut() {
            for (dst, row) in w.as_chunks_mut::<C>().0.iter_mut().zip(&self.v) {
                for k in 0..C {
                    dst[k] = if canonical { row[k] } else { s * row[k] + o[k] };
                }
            }
        }
        for (dst, &x) in model.b.iter_mut().zip(&self.b) {
            *dst = x;
        }
    }

    /// One SGD step on the examples `batch` of `data`: returns the minibatch's mean
    /// cross-entropy (before the update) and updates the weights — or changes nothing and
    /// says why.
    pub fn step(&mut self, data: &Dataset, batch: &[u32], t: Affine, lr: f32, alpha: f32) -> Result<f32, StepFailure> {
        let n = batch.len();
        let (s, o) = (self.scale, self.offset);
        // Logits of an all-zero image: b + c₀·Σ_j W_j, with Σ_j W_j = s·Σ_j V_j + INPUT_DIM·o.
        let mut base = [0.0f32; L];
        for k in 0..L {
            let colsum_w = f64::from(s) * self.colsum[k] + INPUT_DIM as f64 * f64::from(o[k]);
            base[k] = (f64::from(self.b[k]) + f64::from(t.c0) * colsum_w) as f32;
        }
        let ws = &mut self.ws;
        let (mut bi, mut bp) = ([0u16; GATHER], [0u8; GATHER]);
        ws.idx.clear();
        ws.px.clear();
        ws.starts.clear();
        ws.psum.clear();
        ws.delta.clear();
        let inv_n = 1.0 / n as f32;
        let sa = s * t.a;
        let mut total = 0.0f64;
        let mut dsum = [0.0f32; L];
        for &i in batch {
            let i = i as usize;
            let start = ws.idx.len();
            ws.starts.push(start);
            let (m, psum) = gather(data.image(i), &mut bi, &mut bp);
            ws.idx.extend_from_slice(&bi[..m]);
            ws.px.extend_from_slice(&bp[..m]);
            let psum = psum as f32;
            ws.psum.push(psum);
            let acc = sparse_dot(&self.v, &bi[..m], &bp[..m]);
            let apsum = t.a * psum;
            let mut z = [0.0f32; L];
            for k in 0..L {
                z[k] = sa * acc[k] + apsum * o[k] + base[k];
            }
            let y = usize::from(data.labels[i]);
            // Softmax over the C classes; the padding lanes (L > C) stay 0 in δ.
            if let Some((zc, pad)) = z.split_first_chunk_mut::<C>() {
                total += f64::from(softmax_ce(zc, y));
                pad.fill(0.0);
            }
            z[y] -= 1.0;
            for k in 0..L {
                z[k] *= inv_n;
                dsum[k] += z[k];
            }
            ws.delta.push(z);
        }
        ws.starts.push(ws.idx.len());
        let loss = total / n as f64;
        if !loss.is_finite() {
            return Err(StepFailure::Loss(loss));
        }
        // W' = d·W − ε·c₀·1 Σδ − ε·a·Σ p δ  with d = 1 − 2εα:
        // s' = d·s,  o' = d·o − ε·c₀·Σδ,  V' = V − (ε·a/s')·Σ p δ,  b' = b − ε·Σδ.
        let d = 1.0 - 2.0 * lr * alpha;
        let s2 = d * s;
        let mut o2 = [0.0f32; L];
        let mut b2 = [0.0f32; L];
        for k in 0..L {
            o2[k] = d * o[k] - lr * t.c0 * dsum[k];
            b2[k] = self.b[k] - lr * dsum[k];
        }
        // |δ_ik| ≤ 1/n, so one step moves any V_jk by at most 255·|a·ε/s'|.
        let bound2 = self.bound + 255.0 * (t.a * lr / s2).abs();
        let lazy = (SCALE_MIN..=SCALE_MAX).contains(&s2.abs())
            && b2.iter().chain(&o2).all(|x| x.is_finite())
            && s2.abs() * bound2 + max_abs(&o2) <= SAFE_MAGNITUDE;
        if lazy {
            let f = t.a * lr / s2;
            let mut dcol = [0.0f64; L];
            for (r, g) in ws.delta.iter_mut().enumerate() {
                for k in 0..L {
                    g[k] *= f;
                    dcol[k] += f64::from(ws.psum[r]) * f64::from(g[k]);
                }
                let (a, e) = (ws.starts[r], ws.starts[r + 1]);
                sparse_update(&mut self.v, &ws.idx[a..e], &ws.px[a..e], g);
            }
            for (c, d) in self.colsum.iter_mut().zip(dcol) {
                *c -= d;
            }
            self.scale = s2;
            self.offset = o2;
            self.bound = bound2;
        } else {
            // Dense: next = s'·V + o' − ε·a·Σ p δ, applied only if every weight is finite.
            ws.dense.resize(INPUT_DIM, [0.0; L]);
            for (nr, vr) in ws.dense.iter_mut().zip(&self.v) {
                for k in 0..L {
                    nr[k] = s2 * vr[k] + o2[k];
                }
            }
            let f = t.a * lr;
            for (r, g) in ws.delta.iter_mut().enumerate() {
                for gk in g.iter_mut() {
                    *gk *= f;
                }
                let (a, e) = (ws.starts[r], ws.starts[r + 1]);
                sparse_update(&mut ws.dense, &ws.idx[a..e], &ws.px[a..e], g);
            }
            if !(ws.dense.iter().flatten().all(|x| x.is_finite()) && b2.iter().all(|x| x.is_finite())) {
                return Err(StepFailure::Update);
            }
            std::mem::swap(&mut self.v, &mut ws.dense);
            self.scale = 1.0;
            self.offset = [0.0; L];
            self.refresh();
        }
        self.b = b2;
        Ok(loss as f32)
    }
}

/// Loss, accuracy and confusion matrix of `model` on all of `data` (forward pass only).
/// About 6 ms for the 10 000 MNIST test images in wasm, so it runs whole, not in chunks.
pub fn evaluate<const C: usize>(model: &SoftmaxRegression<f32>, data: &Dataset, t: Affine) -> Metrics {
    let mut confusion = vec![0u32; C * C];
    let (Some(wflat), Some(b)) = (model.w.as_slice(), model.b.as_slice()) else {
        return Metrics { loss: f64::NAN, accuracy: 0.0, count: 0, confusion };
    };
    let w = wflat.as_chunks::<C>().0;
    let mut base = [0.0f32; C];
    for row in w {
        for k in 0..C {
            base[k] += row[k];
        }
    }
    for (k, bk) in base.iter_mut().enumerate() {
        *bk = b.get(k).copied().unwrap_or(f32::NAN) + t.c0 * *bk;
    }
    let (mut idx, mut px) = ([0u16; GATHER], [0u8; GATHER]);
    let (mut total, mut correct) = (0.0f64, 0usize);
    for i in 0..data.len() {
        let (m, _) = gather(data.image(i), &mut idx, &mut px);
        let acc = sparse_dot(w, &idx[..m], &px[..m]);
        let mut z = [0.0f32; C];
        for k in 0..C {
            z[k] = t.a * acc[k] + base[k];
        }
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
