//! Property tests of the preprocessing (drawn or uploaded image → 28×28): any dimensions and
//! any bytes give either 784 finite intensities in [0, 1] or an error — never a panic —
//! and the result does not depend on where on the canvas the digit was drawn.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use softmax_lab::data::INPUT_DIM;
use softmax_lab::preprocess::{ink_from_rgba, prepare_rgba, to_mnist, Background, Prepared, MAX_SIDE};
use softmax_lab::LabError;

fn background() -> impl Strategy<Value = Background> {
    prop_oneof![Just(Background::Auto), Just(Background::Dark), Just(Background::Light)]
}

/// Sides that reach the edges: 0, 1, small, the pad's 280, `MAX_SIDE` and just above, and huge.
fn side() -> impl Strategy<Value = usize> {
    prop_oneof![
        4 => 0usize..40,
        1 => Just(280usize),
        1 => Just(MAX_SIDE),
        1 => Just(MAX_SIDE + 1),
        1 => Just(usize::MAX),
        1 => Just(usize::MAX / 4 + 1),
        1 => any::<usize>(),
    ]
}

/// What every successful result must look like.
fn check_prepared(p: &Prepared, width: usize, height: usize) -> Result<(), TestCaseError> {
    check_pixels(&p.pixels)?;
    let (x0, y0, x1, y1) = p.bbox;
    prop_assert!(x0 < x1 && x1 <= width && y0 < y1 && y1 <= height, "bbox {:?} in {}×{}", p.bbox, width, height);
    Ok(())
}

/// 784 finite intensities in [0, 1], with some ink.
fn check_pixels(pixels: &[f32]) -> Result<(), TestCaseError> {
    prop_assert_eq!(pixels.len(), INPUT_DIM);
    prop_assert!(pixels.iter().all(|v| v.is_finite() && (0.0..=1.0).contains(v)), "{:?}", pixels);
    prop_assert!(pixels.iter().sum::<f32>() > 0.0);
    Ok(())
}

/// The errors preprocessing may give: no ink, or an unusable buffer.
fn check_error(e: &LabError, width: usize, height: usize) -> Result<(), TestCaseError> {
    match e {
        LabError::EmptyImage => {}
        LabError::InvalidImage { width: w, height: h, reason } => {
            prop_assert_eq!((*w, *h), (width, height));
            prop_assert!(!reason.is_empty());
        }
        other => prop_assert!(false, "unexpected error {:?}", other),
    }
    Ok(())
}

/// An RGBA canvas of `width × height` in grey `bg`, opaque.
fn canvas(width: usize, height: usize, bg: u8) -> Vec<u8> {
    [bg, bg, bg, 255].repeat(width * height)
}

/// Paint the grey `patch` (`pw` wide) onto the canvas at (x, y).
fn paint(rgba: &mut [u8], width: usize, patch: &[u8], pw: usize, x: usize, y: usize) {
    for (i, &v) in patch.iter().enumerate() {
        let at = ((y + i / pw) * width + x + i % pw) * 4;
        rgba[at..at + 3].copy_from_slice(&[v, v, v]);
    }
}

/// `PROPTEST_CASES` overrides the modest default case counts for a deeper run.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(256)))]

    /// Any small dimensions and any bytes, the length usually right and sometimes not.
    #[test]
    fn arbitrary_pixels_never_panic(
        width in 0usize..48, height in 0usize..48, bg in background(),
        seed_bytes in prop::collection::vec(any::<u8>(), 0..64), wrong_len in prop::option::weighted(0.2, 0usize..64),
    ) {
        let len = wrong_len.unwrap_or(width * height * 4);
        let rgba: Vec<u8> = (0..len).map(|i| seed_bytes.get(i % seed_bytes.len().max(1)).copied().unwrap_or(0) ^ (i as u8).wrapping_mul(31)).collect();
        match prepare_rgba(&rgba, width, height, bg) {
            Ok(p) => check_prepared(&p, width, height)?,
            Err(e) => check_error(&e, width, height)?,
        }
        if let Ok((ink, _)) = ink_from_rgba(&rgba, width, height, bg) {
            prop_assert_eq!(ink.len(), width * height);
            prop_assert!(ink.iter().all(|v| (0.0..=1.0).contains(v)));
        }
    }

    /// Any declared dimensions — 0×0, 1×1, above `MAX_SIDE`, `usize::MAX` (where w·h·4
    /// overflows) — over a short buffer: refused as an invalid image, never a panic.
    #[test]
    fn any_declared_dimensions_over_a_short_buffer(
        width in side(), height in side(), bg in background(), rgba in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let fits = width.checked_mul(height).and_then(|n| n.checked_mul(4)) == Some(rgba.len());
        match prepare_rgba(&rgba, width, height, bg) {
            Ok(p) => {
                prop_assert!(fits);
                check_prepared(&p, width, height)?;
            }
            Err(e) => {
                check_error(&e, width, height)?;
                if !fits || width == 0 || height == 0 {
                    prop_assert!(matches!(e, LabError::InvalidImage { .. }), "{:?}", e);
                }
            }
        }
        let ink = vec![1.0f32; rgba.len()];
        match to_mnist(&ink, width, height) {
            Ok((pixels, _)) => {
                prop_assert_eq!(width.checked_mul(height), Some(ink.len()));
                check_pixels(&pixels)?;
            }
            Err(e) => check_error(&e, width, height)?,
        }
    }

    /// Thin strips up to `MAX_SIDE` long (a 4096×2 scan, a 1×4096 line), with ink somewhere.
    #[test]
    fn extreme_aspect_ratios(long in 1usize..=MAX_SIDE, short in 1usize..4, tall in any::<bool>(), at in any::<prop::sample::Index>(), bg in background()) {
        let (width, height) = if tall { (short, long) } else { (long, short) };
        let mut rgba = canvas(width, height, 0);
        let i = at.index(width * height);
        rgba[i * 4..i * 4 + 3].copy_from_slice(&[255; 3]);
        match prepare_rgba(&rgba, width, height, bg) {
            Ok(p) => check_prepared(&p, width, height)?,
            Err(e) => check_error(&e, width, height)?,
        }
    }

    /// Ink of any float values, NaN, ±∞, negative, huge or subnormal included:
    /// 784 finite values in [0, 1], or "no digit".
    #[test]
    fn to_mnist_with_nan_ish_ink(
        (width, height, ink) in (1usize..40, 1usize..40).prop_flat_map(|(w, h)| {
            let value = prop_oneof![
                3 => Just(0.0f32),
                2 => 0.0f32..=1.0,
                1 => Just(f32::NAN),
                1 => Just(f32::INFINITY),
                1 => Just(f32::NEG_INFINITY),
                1 => Just(f32::MAX),
                1 => Just(-1.0f32),
                1 => Just(f32::MIN_POSITIVE / 2.0),
                1 => any::<f32>(),
            ];
            (Just(w), Just(h), prop::collection::vec(value, w * h))
        }),
    ) {
        match to_mnist(&ink, width, height) {
            Ok((pixels, (x0, y0, x1, y1))) => {
                check_pixels(&pixels)?;
                prop_assert!(x0 < x1 && x1 <= width && y0 < y1 && y1 <= height);
            }
            Err(e) => {
                prop_assert!(matches!(e, LabError::EmptyImage), "{:?}", e);
                prop_assert!(!ink.iter().any(|v| v.is_finite() && *v > f32::MIN_POSITIVE), "ink was there: {:?}", e);
            }
        }
    }

    /// A rectangle of strong ink away from the edges, on a dark pad or on light paper, is
    /// always found: its bounding box is the rectangle, the background is told right.
    #[test]
    fn a_clear_stroke_is_always_found(
        width in 3usize..64, height in 3usize..64, light in any::<bool>(),
        (fx, fy, fw, fh) in (0.0f64..1.0, 0.0f64..1.0, 0.0f64..1.0, 0.0f64..1.0),
        bg in prop::sample::select(vec![Background::Auto, Background::Auto, Background::Dark, Background::Light]),
    ) {
        // Explicit background settings must match the paper here; Auto must detect it.
        let bg = match (bg, light) {
            (Background::Auto, _) => Background::Auto,
            (_, true) => Background::Light,
            (_, false) => Background::Dark,
        };
        let (paper, ink) = if light { (230u8, 20u8) } else { (0u8, 255u8) };
        let x = 1 + (fx * (width - 2) as f64) as usize;
        let y = 1 + (fy * (height - 2) as f64) as usize;
        let w = 1 + (fw * (width - 1 - x) as f64) as usize;
        let h = 1 + (fh * (height - 1 - y) as f64) as usize;
        let w = w.min(width - 1 - x);
        let h = h.min(height - 1 - y);
        let mut rgba = canvas(width, height, paper);
        paint(&mut rgba, width, &vec![ink; w * h], w, x, y);
        let p = prepare_rgba(&rgba, width, height, bg);
        prop_assert!(p.is_ok(), "{:?}", p);
        let p = p.unwrap();
        check_prepared(&p, width, height)?;
        prop_assert_eq!(p.light_background, light);
        prop_assert_eq!(p.bbox, (x, y, x + w, y + h));
    }

    /// The same digit drawn anywhere on the pad gives exactly the same 28×28 image.
    #[test]
    fn the_result_does_not_depend_on_where_the_digit_is(
        (pw, ph, patch) in (1usize..24, 1usize..24).prop_flat_map(|(w, h)| (Just(w), Just(h), prop::collection::vec(any::<u8>(), w * h))),
        (width, height) in (26usize..80, 26usize..80),
        a in any::<(prop::sample::Index, prop::sample::Index)>(),
        b in any::<(prop::sample::Index, prop::sample::Index)>(),
        peak in any::<prop::sample::Index>(),
    ) {
        let mut patch = patch;
        let k = peak.index(patch.len());
        patch[k] = 255; // some strong ink, so the digit is there
        let place = |(ix, iy): (prop::sample::Index, prop::sample::Index)| {
            let (x, y) = (1 + ix.index(width - pw - 1), 1 + iy.index(height - ph - 1));
            let mut rgba = canvas(width, height, 0);
            paint(&mut rgba, width, &patch, pw, x, y);
            (prepare_rgba(&rgba, width, height, Background::Auto), x, y)
        };
        let (pa, xa, ya) = place(a);
        let (pb, xb, yb) = place(b);
        let (pa, pb) = (pa.unwrap(), pb.unwrap());
        check_prepared(&pa, width, height)?;
        prop_assert_eq!(&pa.pixels, &pb.pixels);
        prop_assert!(!pa.light_background && !pb.light_background);
        let shift = |bb: (usize, usize, usize, usize), x: usize, y: usize| (bb.0 - x, bb.1 - y, bb.2 - x, bb.3 - y);
        prop_assert_eq!(shift(pa.bbox, xa, ya), shift(pb.bbox, xb, yb));
    }
}
