//! Fuzz the preprocessing: `prepare_rgba` with arbitrary dimensions (up to 65535 per side,
//! or scaled far beyond, over a short buffer) and bytes, and `to_mnist` on the bytes read
//! as floats (NaN and ±∞ included). Work is bounded by the input length.
//! Run: `cargo +nightly fuzz run --fuzz-dir tests/fuzz preprocess`
#![no_main]

use libfuzzer_sys::fuzz_target;
use softmax_lab::data::INPUT_DIM;
use softmax_lab::preprocess::{prepare_rgba, to_mnist, Background};
use softmax_lab::LabError;

fn check_pixels(p: &[f32]) {
    assert_eq!(p.len(), INPUT_DIM);
    assert!(p.iter().all(|v| v.is_finite() && (0.0..=1.0).contains(v)), "{p:?}");
}

fn check_error(e: &LabError) {
    assert!(matches!(e, LabError::EmptyImage | LabError::InvalidImage { .. }), "{e:?}");
}

fuzz_target!(|data: &[u8]| {
    let Some((head, body)) = data.split_first_chunk::<6>() else { return };
    let background = match head[0] % 3 {
        0 => Background::Auto,
        1 => Background::Dark,
        _ => Background::Light,
    };
    let mut width = usize::from(u16::from_le_bytes([head[1], head[2]]));
    let mut height = usize::from(u16::from_le_bytes([head[3], head[4]]));
    let mut rgba = body;
    if head[0] & 0x80 != 0 && width > 0 {
        // Dimensions that fit the buffer, so the whole pipeline runs.
        height = body.len() / 4 / width;
        rgba = &body[..width * height * 4];
    } else if head[0] & 0x40 != 0 {
        // Huge declared dimensions over a short buffer (w·h·4 may overflow).
        width = width.wrapping_shl(u32::from(head[5] % 64)) | 1;
        height = height.wrapping_shl(u32::from(head[5] / 4 % 64));
    }
    match prepare_rgba(rgba, width, height, background) {
        Ok(p) => {
            check_pixels(&p.pixels);
            let (x0, y0, x1, y1) = p.bbox;
            assert!(x0 < x1 && x1 <= width && y0 < y1 && y1 <= height);
        }
        Err(e) => check_error(&e),
    }
    // The same bytes as float intensities, laid out `head[5] + 1` wide.
    let ink: Vec<f32> = body.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
    let w = usize::from(head[5]) + 1;
    let h = ink.len() / w;
    match to_mnist(&ink[..w * h], w, h) {
        Ok((pixels, _)) => check_pixels(&pixels),
        Err(e) => check_error(&e),
    }
});
