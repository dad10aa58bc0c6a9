//! The `#[wasm_bindgen]` facade, compiled to wasm32 and run by wasm-bindgen-test-runner in a
//! dedicated worker of headless Chromium (through chromedriver) — where the page's worker runs it.
//! Run with `./lab test wasm` (it sets the runner and the driver), or on its own:
//! `CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test --release --target wasm32-unknown-unknown --test wasm`.
#![cfg(target_arch = "wasm32")]

use softmax_lab::data::idx::{encode_images, encode_labels};
use softmax_lab::wasm::curves::sigmoid_at_js;
use softmax_lab::wasm::lessons::{JsGridSearchLesson, JsLogisticLesson};
use softmax_lab::wasm::{prepare_image, validate_hyperparameters, Data, Lab};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

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
            if s.is_multiple_of(7) {
                *p = p.saturating_add((s >> 24) as u8 / 2);
            }
        }
    }
    (encode_images(n, 28, 28, &px), encode_labels(&labels))
}

fn data() -> Data {
    let (ti, tl) = synthetic(500, 1);
    let (si, sl) = synthetic(100, 2);
    Data::new("mnist", ti, &tl, si, &sl).unwrap()
}

fn get(v: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(v, &name.into()).unwrap()
}

fn field(v: &JsValue, name: &str) -> f64 {
    get(v, name).as_f64().unwrap()
}

fn text(v: &JsValue, name: &str) -> Option<String> {
    get(v, name).as_string()
}

/// `performance.now()` of the host, the clock `Lab::play` reads.
fn performance_now() -> f64 {
    let performance = get(&js_sys::global(), "performance");
    let now: js_sys::Function = get(&performance, "now").into();
    now.call0(&performance).unwrap().as_f64().unwrap()
}

/// A settings object as JS would pass it.
fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap()
}

#[wasm_bindgen_test]
fn runs_in_a_dedicated_worker_as_the_page_runs_it() {
    let scope = js_sys::global();
    assert!(scope.is_instance_of::<web_sys::WorkerGlobalScope>(), "a worker's global scope");
    assert!(get(&scope, "document").is_undefined(), "no DOM: not the page itself, not Node");
    assert!(!get(&scope, "postMessage").is_undefined(), "a dedicated worker posts to its page");
}

#[wasm_bindgen_test]
fn trains_predicts_and_exports_through_the_facade() {
    let d = data();
    assert_eq!((d.train_size(), d.test_size()), (500, 100));
    let mut lab = Lab::new(&d, 0.05, 50.0, 0.0, 541.0).unwrap();
    let before = field(&lab.evaluate().unwrap(), "accuracy");
    let losses = lab.train(100);
    assert_eq!(losses.len(), 100);
    assert!(losses[99] < losses[0] * 0.5, "{} → {}", losses[0], losses[99]);
    assert!(lab.take_divergence().is_none());
    let metrics = lab.evaluate().unwrap();
    assert!(field(&metrics, "accuracy") > 0.95 && before < 0.5);
    let progress = lab.progress().unwrap();
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
    let p = lab.predict(&img).unwrap();
    assert_eq!(p.len(), 10);
    assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5);
    let best = (0..10).max_by(|&a, &b| p[a].total_cmp(&p[b])).unwrap();
    assert_eq!(best, 7);
    // Export, reset (changes the weights), import: the predictions come back.
    let json = lab.export_weights(0.1, 0.99, 100);
    lab.reset(1.0).unwrap();
    assert_ne!(lab.predict(&img).unwrap(), p);
    lab.import_weights(&json).unwrap();
    assert_eq!(lab.predict(&img).unwrap(), p);
}

#[wasm_bindgen_test]
fn bad_input_is_an_error_and_the_model_survives() {
    let d = data();
    let mut lab = Lab::new(&d, 0.05, 50.0, 0.0, 541.0).unwrap();
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
    // Each field of the form is judged on its own.
    let fields = validate_hyperparameters(0.1, 100.0, 0.0, 5.0, 60000).unwrap();
    for f in ["learning_rate", "batch_size", "l2", "seed"] {
        assert!(get(&fields, f).is_null(), "{f}");
    }
    let fields = validate_hyperparameters(0.0, 100.0, -1.0, 1e12, 60000).unwrap();
    assert!(text(&fields, "learning_rate").unwrap().contains("learning rate"));
    assert!(get(&fields, "batch_size").is_null());
    assert!(text(&fields, "l2").unwrap().contains("L2"));
    assert!(text(&fields, "seed").unwrap().contains("seed"));
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
    let mut lab = Lab::new(&d, 100.0, 50.0, 100.0, 541.0).unwrap();
    let losses = lab.train(10_000);
    assert!(losses.len() < 10_000);
    let msg = lab.take_divergence().expect("diverged");
    assert!(msg.contains("diverged at step"), "{msg}");
    assert!(lab.weights().iter().all(|v| v.is_finite()));
}

#[wasm_bindgen_test]
fn a_checkpoint_restores_the_run_through_the_facade() {
    // What the page does after a reload or a worker crash: a fresh Lab on the same data, then
    // importWeights(checkpoint), which re-seeds, loads and restores the step and shuffling.
    let d = data();
    let mut a = Lab::new(&d, 0.05, 30.0, 0.0, 9.0).unwrap();
    a.train(25); // epochs of 17 steps (16 of 30 and one of 20): into the second epoch
    let json = a.export_weights(f64::NAN, f64::NAN, 0);
    let pa = a.progress().unwrap();
    assert_eq!(field(&pa, "examples_seen"), 500.0 + 8.0 * 30.0);
    let mut b = Lab::new(&d, 0.2, 7.0, 0.0, 541.0).unwrap();
    let r = b.import_weights(&json).unwrap();
    assert_eq!(field(&r, "seed"), 9.0);
    for f in ["exact", "progress_restored", "hyper_applied"] {
        assert_eq!(get(&r, f).as_bool(), Some(true), "{f}");
    }
    assert_eq!(field(&get(&r, "hyperparameters"), "batch_size"), 30.0, "the file's settings are in force");
    let pb = b.progress().unwrap();
    for f in ["step", "epoch", "examples_seen", "epochs_fraction"] {
        assert_eq!(field(&pa, f), field(&pb, f), "{f}");
    }
    assert_eq!(a.train(30), b.train(30), "the same minibatches after the restore");
    assert_eq!(a.weights(), b.weights());
    // Counters that cannot belong to this training set: the weights load, the count starts at 0.
    let mut file: serde_json::Value = serde_json::from_str(&json).unwrap();
    file["training"]["examples_seen"] = 1_000_000.into();
    let r = b.import_weights(&file.to_string()).unwrap();
    assert_eq!(get(&r, "progress_restored").as_bool(), Some(false));
    assert_eq!(field(&b.progress().unwrap(), "step"), 0.0);
    // A batch size larger than this training set: the current settings stay.
    let mut file: serde_json::Value = serde_json::from_str(&json).unwrap();
    file["hyperparameters"]["batch_size"] = 60_000.into();
    let r = b.import_weights(&file.to_string()).unwrap();
    assert_eq!(get(&r, "hyper_applied").as_bool(), Some(false));
    assert_eq!(field(&get(&r, "hyperparameters"), "batch_size"), 30.0);
}

#[wasm_bindgen_test]
fn a_run_moves_to_another_copy_of_the_core_exactly() {
    // What the worker does when the full module first is needed (www/wasm-modules.js): the data
    // set rebuilt from the start-up module's pixels, a Lab there, then takeOver(runState()).
    let d = data();
    let mut a = Lab::new(&d, 0.05, 30.0, 1e-4, 9.0).unwrap();
    a.train(25);
    a.set_hyperparameters(0.1, 7.0, 0.0).unwrap();
    a.train(3);
    let moved =
        Data::from_pixels(&d.dataset(), d.train_pixels(), d.train_labels(), d.test_pixels(), d.test_labels()).unwrap();
    assert_eq!((moved.train_size(), moved.test_size()), (500, 100));
    assert_eq!(moved.test_labels(), d.test_labels());
    let mut b = Lab::new(&moved, 0.3, 50.0, 0.0, 1.0).unwrap();
    b.take_over(&a.run_state()).unwrap();
    let (pa, pb) = (a.progress().unwrap(), b.progress().unwrap());
    for f in ["step", "epoch", "examples_seen", "epochs_fraction"] {
        assert_eq!(field(&pa, f), field(&pb, f), "{f}");
    }
    assert_eq!(a.train(200), b.train(200), "the same minibatches and losses after the move");
    assert_eq!((a.weights(), a.bias()), (b.weights(), b.bias()));
    assert_eq!(a.export_weights(f64::NAN, f64::NAN, 0), b.export_weights(f64::NAN, f64::NAN, 0));
    // A state that is not one is refused with a reason, and the lab keeps its run.
    let e = b.take_over("{}").unwrap_err();
    assert!(text(&e, "message").unwrap().contains("cannot take over the run"));
    assert_eq!(text(&e, "kind").as_deref(), Some("invalid"));
    assert_eq!(a.train(5), b.train(5));
    // Pixels that are not whole images are refused.
    let e = Data::from_pixels("mnist", vec![0; 785], vec![0], vec![0; 784], vec![0]).err().unwrap();
    assert!(text(&e, "message").unwrap().contains("multiple of 784"), "{:?}", text(&e, "message"));
}

#[wasm_bindgen_test]
fn errors_cross_as_data_with_kind_field_and_reason() {
    let d = data();
    let e = Lab::new(&d, -1.0, 50.0, 0.0, 541.0).err().expect("a negative learning rate is refused");
    assert!(wasm_bindgen::JsCast::is_instance_of::<js_sys::Error>(&e));
    assert_eq!(text(&e, "name").as_deref(), Some("LabError"));
    assert_eq!(text(&e, "kind").as_deref(), Some("invalid_learning_rate"));
    assert_eq!(text(&e, "field").as_deref(), Some("learning_rate"));
    assert!(text(&e, "message").unwrap().contains("learning rate must be a number greater than 0"));
    let mut lab = Lab::new(&d, 0.05, 50.0, 0.0, 541.0).unwrap();
    let e = lab.import_weights("{\"format\": 1}").unwrap_err();
    assert_eq!(text(&e, "kind").as_deref(), Some("import"));
    assert!(get(&e, "field").is_null());
    assert!(text(&e, "message").unwrap().starts_with("cannot import weights: "));
    assert!(!text(&e, "reason").unwrap().starts_with("cannot import weights"), "the reason alone");
    let blank: Vec<u8> = (0..32 * 32).flat_map(|_| [0, 0, 0, 255]).collect();
    let e = prepare_image(&blank, 32, 32, "dark").unwrap_err();
    assert_eq!(text(&e, "kind").as_deref(), Some("empty_image"));
}

#[wasm_bindgen_test]
fn play_runs_for_its_budget_and_stops_where_an_evaluation_is_due() {
    let d = data();
    let mut lab = Lab::new(&d, 0.05, 10.0, 0.0, 541.0).unwrap();
    // The last evaluation 1 s ago (more than the 300 ms gap, less than the 3 s one): the calls
    // stop at the early points 1, 2, 5, 10, 20, 50 and then at the first multiple of 100.
    let mut stops = Vec::new();
    while stops.last() != Some(&100) {
        let losses = lab.play(1e6, performance_now() - 1000.0, f64::INFINITY, -1.0);
        assert!(lab.take_eval_due());
        assert!(!lab.take_eval_due(), "cleared by reading it");
        stops.push(field(&lab.progress().unwrap(), "step") as u64);
        assert!(!losses.is_empty());
    }
    assert_eq!(stops, [1, 2, 5, 10, 20, 50, 100]);
    // No evaluation due and no budget: one step, and no stop for an evaluation.
    let losses = lab.play(0.0, f64::INFINITY, f64::INFINITY, -1.0);
    assert_eq!(losses.len(), 1, "a zero budget still makes one step");
    assert!(!lab.take_eval_due());
    // The pace's allowance bounds the steps of a call.
    let losses = lab.play(1e6, f64::INFINITY, 7.0, -1.0);
    assert_eq!(losses.len(), 7);
    let losses = lab.play(1e6, f64::INFINITY, 0.0, -1.0);
    assert!(losses.is_empty(), "no allowance, no step");
    // "Train until epoch 3": 500 examples in batches of 10 are 50 steps an epoch, so the call
    // ends exactly at step 150 (from 108), whatever its budget.
    let losses = lab.play(1e6, f64::INFINITY, f64::INFINITY, 3.0);
    assert_eq!(losses.len(), 42);
    assert!(lab.take_epoch_reached());
    let p = lab.progress().unwrap();
    assert_eq!((field(&p, "step"), field(&p, "epoch")), (150.0, 3.0));
    let losses = lab.play(1e6, f64::INFINITY, f64::INFINITY, 3.0);
    assert!(losses.is_empty() && lab.take_epoch_reached(), "already there: no step");
    assert!(lab.take_divergence().is_none());
}

#[wasm_bindgen_test]
fn the_lessons_facade_refuses_unknown_settings_and_runs_for_a_budget() {
    let d = data();
    let e = JsLogisticLesson::new(&d, json(r#"{"positive": 3, "negative": 5, "learnig_rate": 0.1}"#)).err().unwrap();
    assert_eq!(text(&e, "kind").as_deref(), Some("invalid"));
    assert!(text(&e, "message").unwrap().contains("unknown field `learnig_rate`"), "{:?}", text(&e, "message"));
    let e = JsLogisticLesson::new(&d, json(r#"{"positive": 3, "negative": 3}"#)).err().unwrap();
    assert!(text(&e, "message").unwrap().contains("two different"), "{:?}", text(&e, "message"));
    // Defaults come from the core.
    let defaults = JsLogisticLesson::defaults().unwrap();
    assert_eq!(field(&defaults, "learning_rate"), 0.1);
    assert_eq!(text(&defaults, "loss").as_deref(), Some("log-loss"));
    let mut lesson = JsLogisticLesson::new(&d, json(r#"{"batch_size": 10, "eval_every": 1}"#)).unwrap();
    let ran = lesson.run(1e6, 7.0).unwrap();
    assert_eq!(field(&ran, "units"), 7.0, "max_units bounds the run");
    let records: js_sys::Array = get(&ran, "records").into();
    assert_eq!(records.length(), 7);
    assert_eq!(field(&records.get(6), "step"), 7.0);
    assert_eq!(lesson.weights().len(), 784);
    // A lesson with an end stops there, whatever the budget.
    let mut grid = JsGridSearchLesson::new(
        &d,
        json(r#"{"points": 2, "setup": {"budget": 3, "train_size": 300, "validation_size": 100, "batch_size": 10}}"#),
    )
    .unwrap();
    let ran = grid.run(1e6, f64::INFINITY).unwrap();
    let records: js_sys::Array = get(&ran, "records").into();
    assert_eq!(records.length(), 2, "both grid points (2 × 3 steps) finished in one run");
    assert_eq!(get(&grid.summary().unwrap(), "done").as_bool(), Some(true));
    // Free functions.
    let s = sigmoid_at_js(0.0).unwrap();
    assert_eq!(field(&s, "sigma"), 0.5);
    assert_eq!(field(&s, "sigma_prime"), 0.25);
}

#[wasm_bindgen_test]
fn numpy_weights_are_scored_under_each_transform_imported_and_exported_as_npz() {
    use softmax_lab::formats::npy::{parse_npz, write_npy, write_npz, NpyArray};
    let d = data();
    let mut lab = Lab::new(&d, 0.05, 50.0, 0.0, 541.0).unwrap();
    lab.train(200);
    let trained = field(&lab.evaluate().unwrap(), "accuracy");
    // The lab's model written as a homework would: x = pixel/255, so W and b re-expressed.
    let npz = lab.export_npz().unwrap();
    let members = parse_npz(&npz, "lab.npz").unwrap();
    let names: Vec<&str> = members.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["W", "b", "mean", "std", "classes"]);
    let mut fresh = Lab::new(&d, 0.05, 50.0, 0.0, 541.0).unwrap();
    let r = fresh.score_numpy_weights("lab.npz", &npz, None, None, f64::NAN, f64::NAN).unwrap();
    let scores: js_sys::Array = get(&r, "scores").into();
    let ids: Vec<String> = scores.iter().map(|s| text(&s, "id").unwrap()).collect();
    assert_eq!(ids, ["pixel", "standardised", "file"]);
    let best = scores.get(field(&r, "best") as u32);
    assert_eq!(field(&best, "accuracy"), trained);
    fresh.import_numpy_weights("lab.npz", &npz, None, None, field(&best, "mean"), field(&best, "std")).unwrap();
    assert_eq!(field(&fresh.evaluate().unwrap(), "accuracy"), trained);
    // Two .npy files, b first; a third class count is refused and the model kept.
    let w = write_npy(&members[0].1);
    let b = write_npy(&members[1].1);
    fresh.import_numpy_weights("b.npy", &b, Some("W.npy".into()), Some(w.clone()), 0.0, 1.0).unwrap();
    let bad =
        write_npz(&[("W", &NpyArray::f32(&[784, 3], vec![0.0; 2352])), ("b", &NpyArray::f32(&[3], vec![0.0; 3]))])
            .unwrap();
    let before = fresh.weights();
    let e = fresh.score_numpy_weights("three.npz", &bad, None, None, f64::NAN, f64::NAN).unwrap_err();
    assert_eq!(text(&e, "kind").as_deref(), Some("import"));
    assert!(text(&e, "reason").unwrap().contains("for 3 classes"));
    let e = fresh.import_numpy_weights("W.npy", &w, None, None, 0.0, 1.0).unwrap_err();
    assert!(text(&e, "reason").unwrap().contains("choose two"));
    assert_eq!(fresh.weights(), before, "the current model is kept");
}

#[wasm_bindgen_test]
fn a_csv_data_set_with_names_trains_through_the_facade() {
    let mut csv = String::from("# classes: left, right\n");
    for i in 0..200 {
        let k = i % 2;
        csv.push_str(&k.to_string());
        for j in 0..784 {
            let on = (j % 28 < 14) == (k == 0) && (i * 7 + j) % 3 != 0;
            csv.push_str(if on { ",200" } else { ",0" });
        }
        csv.push('\n');
    }
    let d = Data::from_files(csv.clone().into_bytes(), None, None, None, None, 0.25, 1.0).unwrap();
    assert_eq!((d.train_size(), d.test_size(), d.held_out()), (150, 50, true));
    assert_eq!(d.class_names(), ["left", "right"]);
    assert_eq!(d.dataset(), "files");
    let mut lab = Lab::new(&d, 0.05, 10.0, 0.0, 541.0).unwrap();
    lab.train(50);
    let m = lab.evaluate().unwrap();
    assert!(field(&m, "accuracy") > 0.9);
    assert_eq!(js_sys::Array::from(&get(&m, "confusion")).length(), 4);
    assert_eq!(lab.class_names(), ["left", "right"]);
    assert!(lab.export_weights(f64::NAN, f64::NAN, 0).contains(r#""classes":["left","right"]"#));
    let e = Data::from_files(b"1,2,3\n".to_vec(), None, None, None, None, 0.25, 1.0).err().unwrap();
    assert!(text(&e, "reason").unwrap().contains("row 1 has 3 columns"));
}

/// A typed array property of a JS object, as a Vec (its constructor name checked).
fn floats(v: &JsValue, name: &str) -> Vec<f32> {
    let a = get(v, name);
    assert!(a.is_instance_of::<js_sys::Float32Array>(), "{name} is a Float32Array");
    js_sys::Float32Array::from(a).to_vec()
}

#[wasm_bindgen_test]
fn the_step_view_crosses_as_typed_arrays_and_is_the_next_step() {
    let d = data();
    let mut lab = Lab::new(&d, 0.1, 30.0, 0.01, 541.0).unwrap();
    lab.train(16); // 16 batches of 30: the epoch's last minibatch has 20 examples
    let v = lab.step_view(4).unwrap();
    assert_eq!(["step", "n", "rows", "c", "batch_size"].map(|f| field(&v, f)), [17.0, 20.0, 4.0, 10.0, 30.0]);
    assert_eq!((field(&v, "learning_rate"), field(&v, "l2")), (0.1, 0.01));
    let pixels = get(&v, "pixels");
    assert!(pixels.is_instance_of::<js_sys::Uint8Array>());
    assert_eq!(js_sys::Uint8Array::from(pixels).length(), 4 * 784, "only the rows asked for cross");
    assert!(get(&v, "indices").is_instance_of::<js_sys::Uint32Array>());
    assert_eq!(js_sys::Uint8Array::from(get(&v, "labels")).length(), 20);
    for (name, len) in
        [("z", 40), ("y_hat", 40), ("residual", 40), ("y", 40), ("grad_w", 7840), ("w_after", 7840), ("grad_b", 10)]
    {
        assert_eq!(floats(&v, name).len(), len, "{name}");
    }
    // All rows: Ŷ rows sum to 1, Ŷ − Y is the residual, ∇b its column means.
    let all = lab.step_view(1_000).unwrap();
    assert_eq!(field(&all, "rows"), 20.0);
    let (y_hat, y, residual, grad_b) =
        (floats(&all, "y_hat"), floats(&all, "y"), floats(&all, "residual"), floats(&all, "grad_b"));
    for i in 0..20 {
        let sum: f32 = y_hat[i * 10..(i + 1) * 10].iter().sum();
        assert!((sum - 1.0).abs() < 1e-5, "row {i} sums to {sum}");
    }
    for k in 0..10 {
        let mean = (0..20).map(|i| residual[i * 10 + k]).sum::<f32>() / 20.0;
        assert!((mean - grad_b[k]).abs() < 1e-6, "∇b[{k}]");
        for i in 0..20 {
            assert_eq!(residual[i * 10 + k], y_hat[i * 10 + k] - y[i * 10 + k]);
        }
    }
    assert_eq!(floats(&v, "grad_w"), floats(&all, "grad_w"), "the gradient is of the whole batch");
    assert_eq!(floats(&v, "w_before"), lab.weights(), "computing the view takes no step");
    // Applying it is the next train(1): the same loss and weights, bit for bit.
    let loss = lab.train(1)[0];
    assert_eq!(loss, field(&v, "loss") as f32);
    assert_eq!(lab.weights(), floats(&v, "w_after"));
    assert_eq!(lab.bias(), floats(&v, "b_after"));
    assert_eq!(field(&lab.progress().unwrap(), "step"), 17.0);
    // A step that would diverge is refused as data and changes nothing.
    let mut wild = Lab::new(&d, 100.0, 50.0, 100.0, 541.0).unwrap();
    wild.train(10_000);
    assert!(wild.take_divergence().is_some());
    let e = wild.step_view(16).unwrap_err();
    assert!(e.is_instance_of::<js_sys::Error>());
    assert_eq!(text(&e, "kind").as_deref(), Some("diverged"));
}
