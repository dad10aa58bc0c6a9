//! The `#[wasm_bindgen]` facade, compiled to wasm32 and run by wasm-bindgen-test-runner (Node).
//! Run with `./lab test` (it sets the runner), or on its own:
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test --target wasm32-unknown-unknown --test wasm`.
#![cfg(target_arch = "wasm32")]

use softmax_lab::data::idx::{encode_images, encode_labels};
use softmax_lab::wasm::{check_hyperparameters, prepare_image, Data, Lab};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

/// A synthetic 10-class set: class k is a bright 6×6 block at a place of its own, plus noise.
fn synthetic(n: usize, salt: u32) -> (Vec<u8>, Vec<u8>) {
    let mut px = vec![0u8; n * 784];
    let mut labels = Vec::with_capacity(n);
    let mut s = 0x1234_5678u32 ^ salt;
    for i in 0..n {
        let k = i % 10;
        labels.push(k as u8);
        let (bx, by) = (2 + (k % 5) * 5, 4 + (k / 5) * 12);
        for y in by..by + 6 {
            for x in bx..bx + 6 {
                px[i * 784 + y * 28 + x] = 255;
            }
        }
        for p in &mut px[i * 784..(i + 1) * 784] {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            if s % 7 == 0 {
                *p = p.saturating_add((s >> 24) as u8 / 2);
            }
        }
    }
    (encode_images(n, 28, 28, &px), encode_labels(&labels))
}

fn data() -> Data {
    let (ti, tl) = synthetic(500, 1);
    let (si, sl) = synthetic(100, 2);
    Data::new("mnist", ti, &tl, si, &sl).map_err(JsValue::from).unwrap()
}

fn field(v: &JsValue, name: &str) -> f64 {
    js_sys::Reflect::get(v, &name.into()).unwrap().as_f64().unwrap()
}

#[wasm_bindgen_test]
fn trains_predicts_and_exports_through_the_facade() {
    let d = data();
    assert_eq!((d.train_size(), d.test_size()), (500, 100));
    let mut lab = Lab::new(&d, 0.05, 50.0, 0.0, 541.0).map_err(JsValue::from).unwrap();
    let before = field(&lab.evaluate().map_err(JsValue::from).unwrap(), "accuracy");
    let losses = lab.train(100);
    assert_eq!(losses.len(), 100);
    assert!(losses[99] < losses[0] * 0.5, "{} → {}", losses[0], losses[99]);
    assert!(lab.take_divergence().is_none());
    let metrics = lab.evaluate().map_err(JsValue::from).unwrap();
    assert!(field(&metrics, "accuracy") > 0.95 && before < 0.5);
    let progress = lab.progress().map_err(JsValue::from).unwrap();
    assert_eq!(field(&progress, "step"), 100.0);
    assert_eq!(field(&progress, "examples_seen"), 5000.0);
    // Predict a clean class-7 block.
    let mut img = vec![0f32; 784];
    let (bx, by) = (2 + 2 * 5, 4 + 12);
    for y in by..by + 6 {
        for x in bx..bx + 6 {
            img[y * 28 + x] = 1.0;
        }
    }
    let p = lab.predict(&img).map_err(JsValue::from).unwrap();
    assert_eq!(p.len(), 10);
    assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5);
    let best = (0..10).max_by(|&a, &b| p[a].total_cmp(&p[b])).unwrap();
    assert_eq!(best, 7);
    // Export, reset (changes the weights), import: the predictions come back.
    let json = lab.export_weights(0.1, 0.99, 100);
    lab.reset(1.0).map_err(JsValue::from).unwrap();
    assert_ne!(lab.predict(&img).map_err(JsValue::from).unwrap(), p);
    lab.import_weights(&json).map_err(JsValue::from).unwrap();
    assert_eq!(lab.predict(&img).map_err(JsValue::from).unwrap(), p);
}

#[wasm_bindgen_test]
fn bad_input_is_an_error_and_the_model_survives() {
    let d = data();
    let mut lab = Lab::new(&d, 0.05, 50.0, 0.0, 541.0).map_err(JsValue::from).unwrap();
    lab.train(5);
    let w = lab.weights();
    assert!(lab.set_hyperparameters(-1.0, 50.0, 0.0).is_err());
    assert!(lab.set_hyperparameters(0.1, 0.5, 0.0).is_err());
    assert!(lab.set_hyperparameters(0.1, 501.0, 0.0).is_err());
    assert!(lab.set_hyperparameters(0.1, 10.0, f64::NAN).is_err());
    assert!(lab.reset(-3.0).is_err());
    assert!(lab.import_weights("{\"format\": 1}").is_err());
    assert!(lab.predict(&[0.0; 10]).is_err());
    assert_eq!(lab.weights(), w, "nothing above touched the model");
    assert!(check_hyperparameters(0.1, 100.0, 0.0, 5.0, 60000).is_ok());
    assert!(check_hyperparameters(0.1, 100.0, 0.0, 1e12, 60000).is_err());
    // Broken data: wrong magic / truncated / mismatched.
    let (ti, tl) = synthetic(20, 3);
    let mut bad = ti.clone();
    bad[3] = 1;
    assert!(Data::new("mnist", bad, &tl, ti.clone(), &tl).is_err());
    assert!(Data::new("mnist", ti[..100].to_vec(), &tl, ti.clone(), &tl).is_err());
    assert!(Data::new("cifar", ti.clone(), &tl, ti.clone(), &tl).is_err());
    // An empty pad is "draw a digit", not a crash.
    let blank: Vec<u8> = (0..64 * 64).flat_map(|_| [0, 0, 0, 255]).collect();
    assert!(prepare_image(&blank, 64, 64, "dark").is_err());
    let mut one = blank.clone();
    for y in 10..50 {
        one[(y * 64 + 30) * 4..(y * 64 + 30) * 4 + 3].copy_from_slice(&[255, 255, 255]);
    }
    assert!(prepare_image(&one, 64, 64, "dark").is_ok());
}

#[wasm_bindgen_test]
fn divergence_is_reported_and_weights_stay_finite() {
    let d = data();
    let mut lab = Lab::new(&d, 100.0, 50.0, 100.0, 541.0).map_err(JsValue::from).unwrap();
    let losses = lab.train(10_000);
    assert!(losses.len() < 10_000);
    let msg = lab.take_divergence().expect("diverged");
    assert!(msg.contains("diverged at step"), "{msg}");
    assert!(lab.weights().iter().all(|v| v.is_finite()));
}

#[wasm_bindgen_test]
fn a_checkpoint_restores_the_run_through_the_facade() {
    // What the page does after a reload or a worker crash: a fresh Lab on the same data,
    // reset(seed), importWeights(checkpoint), restoreProgress(step, examples seen).
    let d = data();
    let mut a = Lab::new(&d, 0.05, 30.0, 0.0, 9.0).map_err(JsValue::from).unwrap();
    a.train(25); // epochs of 17 steps (16 of 30 and one of 20): into the second epoch
    let json = a.export_weights(f64::NAN, f64::NAN, 0);
    let pa = a.progress().map_err(JsValue::from).unwrap();
    assert_eq!(field(&pa, "examples_seen"), 500.0 + 8.0 * 30.0);
    let mut b = Lab::new(&d, 0.05, 30.0, 0.0, 541.0).map_err(JsValue::from).unwrap();
    b.reset(9.0).map_err(JsValue::from).unwrap();
    b.import_weights(&json).map_err(JsValue::from).unwrap();
    assert!(b.restore_progress(25.0, 740.0).map_err(JsValue::from).unwrap(), "replayed exactly");
    let pb = b.progress().map_err(JsValue::from).unwrap();
    for f in ["step", "epoch", "examples_seen", "epochs_fraction"] {
        assert_eq!(field(&pa, f), field(&pb, f), "{f}");
    }
    assert_eq!(a.train(30), b.train(30), "the same minibatches after the restore");
    assert_eq!(a.weights(), b.weights());
    // Numbers JS may pass that are not counters are refused, and change nothing.
    for (step, seen) in [(1.5, 30.0), (-1.0, 0.0), (f64::NAN, 1.0), (3.0, 1.0), (1.0, 1e300)] {
        assert!(b.restore_progress(step, seen).is_err(), "{step}, {seen}");
    }
    assert_eq!(field(&b.progress().map_err(JsValue::from).unwrap(), "step"), 55.0);
}
