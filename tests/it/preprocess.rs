//! Preprocessing drawn and photographed digits the MNIST way.

use crate::common;

use softmax_lab::preprocess::{prepare_rgba, to_mnist, Background, BOX};
use softmax_lab::LabError;

const PAD: usize = 280;

/// RGBA canvas `side`×`side`, background `bg`, with a thick "7"-like stroke (a bar and a
/// diagonal) drawn in `ink` inside the square (x0, y0, size).
fn canvas_with_seven(side: usize, x0: f64, y0: f64, size: f64, bg: u8, ink: u8) -> Vec<u8> {
    let mut rgba = vec![0u8; side * side * 4];
    let thick = size * 0.12;
    for y in 0..side {
        for x in 0..side {
            let (u, v) = ((x as f64 + 0.5 - x0) / size, (y as f64 + 0.5 - y0) / size);
            let inside = (0.0..=1.0).contains(&u) && (0.0..=1.0).contains(&v);
            // Top bar, and the diagonal from the bar's right end to the bottom middle.
            let bar = v < thick / size;
            let diag = {
                let t = v; // along the diagonal: x goes 1.0 → 0.45 as y goes 0 → 1
                (u - (1.0 - 0.55 * t)).abs() < thick / size / 2.0
            };
            let on = inside && (bar || diag);
            let c = if on { ink } else { bg };
            rgba[(y * side + x) * 4..(y * side + x) * 4 + 4].copy_from_slice(&[c, c, c, 255]);
        }
    }
    rgba
}

fn mean_abs_diff(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum::<f32>() / a.len() as f32
}

#[test]
fn small_in_a_corner_equals_large_in_the_centre() {
    let small = prepare_rgba(&canvas_with_seven(PAD, 8.0, 10.0, 60.0, 0, 255), PAD, PAD, Background::Auto).unwrap();
    let large = prepare_rgba(&canvas_with_seven(PAD, 40.0, 35.0, 210.0, 0, 255), PAD, PAD, Background::Auto).unwrap();
    let d = mean_abs_diff(&small.pixels, &large.pixels);
    assert!(d < 0.03, "mean |difference| {d}");
    // And both differ clearly from an unrelated image (the test has teeth).
    let mut shifted = large.pixels.clone();
    shifted.rotate_right(5);
    assert!(mean_abs_diff(&small.pixels, &shifted) > 4.0 * d.max(0.01));
}

#[test]
fn digit_fits_the_20x20_box_and_is_centred_by_mass() {
    let p = prepare_rgba(&canvas_with_seven(PAD, 30.0, 20.0, 150.0, 0, 255), PAD, PAD, Background::Dark).unwrap();
    let (mut x0, mut y0, mut x1, mut y1) = (28, 28, 0, 0);
    let (mut m, mut mx, mut my) = (0.0f64, 0.0f64, 0.0f64);
    for (i, &v) in p.pixels.iter().enumerate() {
        if v > 0.0 {
            let (x, y) = (i % 28, i / 28);
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
            m += f64::from(v);
            mx += f64::from(v) * x as f64;
            my += f64::from(v) * y as f64;
        }
    }
    assert_eq!((x1 - x0).max(y1 - y0), BOX, "the longer side fills the 20-pixel box");
    assert!((mx / m - 14.0).abs() <= 0.5 && (my / m - 14.0).abs() <= 0.5, "centre of mass ({}, {})", mx / m, my / m);
    assert!(p.pixels.iter().all(|v| (0.0..=1.0).contains(v)));
}

#[test]
fn dark_ink_on_light_paper_equals_light_ink_on_dark() {
    let dark_bg = prepare_rgba(&canvas_with_seven(PAD, 50.0, 40.0, 180.0, 0, 255), PAD, PAD, Background::Auto).unwrap();
    // A scan: grey-white paper (230) with dark grey ink (40).
    let paper = prepare_rgba(&canvas_with_seven(PAD, 50.0, 40.0, 180.0, 230, 40), PAD, PAD, Background::Auto).unwrap();
    assert!(paper.light_background && !dark_bg.light_background);
    assert!(mean_abs_diff(&dark_bg.pixels, &paper.pixels) < 0.01);
}

#[test]
fn real_mnist_digits_survive_preprocessing() {
    // MNIST digits are already size-normalised and centred by mass: preprocessing each of the
    // first 200 test digits (upscaled 10×, as if drawn on the 280-pixel pad) must give back
    // nearly the same 28×28 image.
    let (_, test) = common::mnist();
    let side = 280;
    let mut total = 0.0f32;
    let mut worst = 0.0f32;
    for i in 0..200 {
        let img = test.image(i);
        let mut rgba = vec![0u8; side * side * 4];
        for y in 0..side {
            for x in 0..side {
                let v = img[(y / 10) * 28 + x / 10];
                rgba[(y * side + x) * 4..(y * side + x) * 4 + 4].copy_from_slice(&[v, v, v, 255]);
            }
        }
        let p = prepare_rgba(&rgba, side, side, Background::Auto).unwrap();
        let orig: Vec<f32> = img.iter().map(|&v| f32::from(v) / 255.0).collect();
        let d = mean_abs_diff(&orig, &p.pixels);
        total += d;
        worst = worst.max(d);
    }
    let mean = total / 200.0;
    eprintln!("mean |difference| {mean}, worst {worst}");
    assert!(mean < 0.015, "mean |difference| {mean}");
}

#[test]
fn empty_and_malformed_input_is_an_error_not_a_panic() {
    let blank = vec![0u8; 100 * 100 * 4].chunks(4).flat_map(|_| [0, 0, 0, 255]).collect::<Vec<u8>>();
    assert_eq!(prepare_rgba(&blank, 100, 100, Background::Auto), Err(LabError::EmptyImage));
    let white: Vec<u8> = (0..50 * 50).flat_map(|_| [255, 255, 255, 255]).collect();
    assert_eq!(prepare_rgba(&white, 50, 50, Background::Auto), Err(LabError::EmptyImage));
    assert!(matches!(prepare_rgba(&[0; 12], 2, 2, Background::Auto), Err(LabError::InvalidImage { .. })));
    assert!(matches!(prepare_rgba(&[], 0, 0, Background::Auto), Err(LabError::InvalidImage { .. })));
    assert!(matches!(to_mnist(&[0.0; 4], 5000, 5000), Err(LabError::InvalidImage { .. })));
    // A single dot is still a digit-shaped input: it is scaled up, centred, and finite.
    let mut dot = blank.clone();
    dot[(50 * 100 + 50) * 4..(50 * 100 + 50) * 4 + 3].copy_from_slice(&[255, 255, 255]);
    let p = prepare_rgba(&dot, 100, 100, Background::Auto).unwrap();
    assert!(p.pixels.iter().all(|v| v.is_finite()));
    assert!(p.pixels.iter().filter(|&&v| v > 0.0).count() >= 1);
    // 1×1 image.
    assert_eq!(prepare_rgba(&[255, 255, 255, 255], 1, 1, Background::Auto), Err(LabError::EmptyImage));
}
