//! Drawn or photographed digits → the 28×28 image the model expects, the way MNIST was made.
//!
//! LeCun's MNIST page: "the images were size normalized to fit in a 20x20 pixel box while
//! preserving their aspect ratio … anti-aliasing … centered in a 28x28 image by computing the
//! center of mass of the pixels, and translating the image so as to position this point at the
//! center of the 28x28 field." We do the same: find the ink, crop to its bounding box,
//! area-resample to fit 20×20 keeping the aspect ratio, and place the result so its centre of
//! mass sits at the centre of the 28×28 field.

use crate::data::SIDE;
use crate::error::{LabError, Result};

/// Side of the box the digit is scaled to fit (MNIST: 20).
pub const BOX: usize = 20;
/// Largest accepted image side; callers downscale bigger images first.
pub const MAX_SIDE: usize = 4096;
/// Ink below this fraction of the image's contrast is treated as background.
pub const INK_THRESHOLD: f32 = 0.2;

/// Which tone the background has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Background {
    /// Decide from the border of the image (median luminance).
    Auto,
    /// Light ink on a dark background (MNIST's convention, the drawing pad).
    Dark,
    /// Dark ink on light paper (scans, photos).
    Light,
}

/// A bounding box in pixels: (x0, y0, x1, y1), exclusive ends.
pub type BBox = (usize, usize, usize, usize);

/// The result of preprocessing: the model's input and what was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// 28×28 intensities in [0, 1], row-major, ink = 1.
    pub pixels: Vec<f32>,
    /// Whether the input was taken as dark ink on a light background.
    pub light_background: bool,
    /// Bounding box of the ink in the input.
    pub bbox: BBox,
}

fn check_dims(width: usize, height: usize, len: usize, channels: usize) -> Result<()> {
    let bad = |reason: String| Err(LabError::InvalidImage { width, height, reason });
    if width == 0 || height == 0 {
        return bad("it has no pixels".into());
    }
    if width > MAX_SIDE || height > MAX_SIDE {
        return bad(format!("sides above {MAX_SIDE} pixels must be scaled down first"));
    }
    if width * height * channels != len {
        return bad(format!("expected {} values, got {len}", width * height * channels));
    }
    Ok(())
}

/// Ink intensity (0 = background, 1 = strongest ink) of an RGBA image.
///
/// Transparent pixels count as background. With [`Background::Auto`], a border whose median
/// luminance is above ½ means dark ink on light paper. The contrast is stretched so the
/// background maps to 0 and the strongest ink to 1; faint noise below [`INK_THRESHOLD`] is cleared.
pub fn ink_from_rgba(rgba: &[u8], width: usize, height: usize, background: Background) -> Result<(Vec<f32>, bool)> {
    check_dims(width, height, rgba.len(), 4)?;
    let lum: Vec<f32> = rgba
        .chunks_exact(4)
        .map(|p| {
            let l = (0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2])) / 255.0;
            // Fully transparent pixels carry no colour: they are background, whatever it is.
            if p[3] == 0 {
                f32::NAN
            } else {
                l
            }
        })
        .collect();
    let mut border: Vec<f32> = (0..width)
        .flat_map(|x| [x, (height - 1) * width + x])
        .chain((0..height).flat_map(|y| [y * width, y * width + width - 1]))
        .map(|i| lum[i])
        .filter(|v| !v.is_nan())
        .collect();
    border.sort_by(|a, b| a.total_cmp(b));
    let median = border.get(border.len() / 2).copied().unwrap_or(0.0);
    let light = match background {
        Background::Auto => median > 0.5,
        Background::Dark => false,
        Background::Light => true,
    };
    let raw: Vec<f32> = lum
        .iter()
        .map(|&l| {
            if l.is_nan() {
                0.0
            } else if light {
                1.0 - l
            } else {
                l
            }
        })
        .collect();
    let bg = if light { 1.0 - median } else { median };
    let top = raw.iter().fold(0.0f32, |m, &v| m.max(v));
    let range = top - bg;
    if range < 0.1 {
        return Err(LabError::EmptyImage);
    }
    let ink = raw
        .iter()
        .map(|&v| {
            let s = ((v - bg) / range).clamp(0.0, 1.0);
            if s < INK_THRESHOLD {
                0.0
            } else {
                s
            }
        })
        .collect();
    Ok((ink, light))
}

/// Weights of 1-D area resampling from `n_in` samples to `n_out`: for each output sample,
/// the (input index, weight) pairs of the input interval it covers; weights sum to 1.
fn area_weights(n_in: usize, n_out: usize) -> Vec<Vec<(usize, f32)>> {
    let ratio = n_in as f64 / n_out as f64;
    (0..n_out)
        .map(|o| {
            let (a, b) = (o as f64 * ratio, (o + 1) as f64 * ratio);
            let mut w = Vec::new();
            let mut j = a.floor() as usize;
            while (j as f64) < b && j < n_in {
                let overlap = (b.min(j as f64 + 1.0) - a.max(j as f64)).max(0.0);
                if overlap > 0.0 {
                    w.push((j, (overlap / ratio) as f32));
                }
                j += 1;
            }
            w
        })
        .collect()
}

/// Crop `ink` (`width × height`, values in [0, 1]) to its ink, fit it into 20×20 keeping the
/// aspect ratio (area resampling = anti-aliasing), and centre it by centre of mass in 28×28.
pub fn to_mnist(ink: &[f32], width: usize, height: usize) -> Result<(Vec<f32>, BBox)> {
    check_dims(width, height, ink.len(), 1)?;
    let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
    for (i, &v) in ink.iter().enumerate() {
        if v > 0.0 && v.is_finite() {
            let (x, y) = (i % width, i / width);
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x + 1);
            y1 = y1.max(y + 1);
        }
    }
    if x0 == usize::MAX {
        return Err(LabError::EmptyImage);
    }
    let (bw, bh) = (x1 - x0, y1 - y0);
    let scale = BOX as f64 / bw.max(bh) as f64;
    let ow = ((bw as f64 * scale).round() as usize).clamp(1, BOX);
    let oh = ((bh as f64 * scale).round() as usize).clamp(1, BOX);
    // Separable area resampling: columns first, then rows.
    let wx = area_weights(bw, ow);
    let wy = area_weights(bh, oh);
    let mut tmp = vec![0.0f32; bh * ow];
    for y in 0..bh {
        let row = &ink[(y0 + y) * width + x0..(y0 + y) * width + x1];
        for (ox, ws) in wx.iter().enumerate() {
            tmp[y * ow + ox] = ws.iter().map(|&(j, w)| row[j].max(0.0) * w).sum();
        }
    }
    let mut small = vec![0.0f32; oh * ow];
    for (oy, ws) in wy.iter().enumerate() {
        for ox in 0..ow {
            small[oy * ow + ox] = ws.iter().map(|&(j, w)| tmp[j * ow + ox] * w).sum::<f32>().clamp(0.0, 1.0);
        }
    }
    // Centre of mass → pixel index (14, 14): where MNIST's digits have it (the mean centre of
    // mass of the training images is (14.006, 13.997) in row/column index coordinates).
    let (mut mass, mut mx, mut my) = (0.0f64, 0.0f64, 0.0f64);
    for (i, &v) in small.iter().enumerate() {
        let v = f64::from(v);
        mass += v;
        mx += v * (i % ow) as f64;
        my += v * (i / ow) as f64;
    }
    if mass <= 0.0 {
        return Err(LabError::EmptyImage);
    }
    let centre = (SIDE / 2) as f64;
    let off_x = (centre - mx / mass).round() as i64;
    let off_y = (centre - my / mass).round() as i64;
    let mut out = vec![0.0f32; SIDE * SIDE];
    for (i, &v) in small.iter().enumerate() {
        let (x, y) = ((i % ow) as i64 + off_x, (i / ow) as i64 + off_y);
        if (0..SIDE as i64).contains(&x) && (0..SIDE as i64).contains(&y) {
            out[y as usize * SIDE + x as usize] = v;
        }
    }
    Ok((out, (x0, y0, x1, y1)))
}

/// RGBA pixels (drawing pad or uploaded image) → the 28×28 model input.
pub fn prepare_rgba(rgba: &[u8], width: usize, height: usize, background: Background) -> Result<Prepared> {
    let (ink, light_background) = ink_from_rgba(rgba, width, height, background)?;
    let (pixels, bbox) = to_mnist(&ink, width, height)?;
    Ok(Prepared { pixels, light_background, bbox })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn area_weights_sum_to_one() {
        for (i, o) in [(100, 20), (7, 20), (20, 20), (3, 1), (1, 20)] {
            for ws in area_weights(i, o) {
                let s: f32 = ws.iter().map(|w| w.1).sum();
                assert!((s - 1.0).abs() < 1e-5, "{i}->{o}: {s}");
            }
        }
    }
}
