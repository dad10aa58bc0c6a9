//! numpy weights in and out: fixtures written by numpy itself during the test
//! (tests/fixtures/numpy_fixtures.py), read back bit for bit, every broken variant refused with
//! its reason, a numpy-trained MNIST model scoring what numpy scores, and the lab's `.npz` read by
//! `np.load` with no flags.

use crate::common;

use softmax_lab::formats::npy::{self, NpyData};
use softmax_lab::formats::weights::{self, ForeignWeights};
use softmax_lab::train::{self, Hyperparameters, Trainer};
use softmax_lab::LabError;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The fixture directory, written once per test binary by numpy (2 epochs of the homework's SGD).
pub fn fixtures() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("softmax-lab-numpy-{}", std::process::id()));
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/numpy_fixtures.py");
        let mnist = softmax_lab::files::data_dir(None).join("mnist");
        let out = Command::new("python3")
            .arg(&script)
            .arg(&dir)
            .arg("--mnist")
            .arg(&mnist)
            .args(["--epochs", "2"])
            .output()
            .unwrap_or_else(|e| panic!("python3 is needed for this test: {e}"));
        assert!(
            out.status.success(),
            "numpy fixtures failed (run ./lab setup to install numpy): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        dir
    })
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn f64s(name: &str) -> Vec<u64> {
    read(name).chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().unwrap())).collect()
}

fn f32s(name: &str) -> Vec<u32> {
    read(name).chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().unwrap())).collect()
}

fn bits(data: &NpyData) -> Vec<u64> {
    match data {
        NpyData::F32(v) => v.iter().map(|x| u64::from(x.to_bits())).collect(),
        NpyData::F64(v) => v.iter().map(|x| x.to_bits()).collect(),
        NpyData::Str(_) => panic!("strings"),
    }
}

#[test]
fn every_npy_variant_reads_bit_for_bit() {
    let w64 = f64s("W.f64");
    let w32: Vec<u64> = f32s("W.f32").into_iter().map(u64::from).collect();
    for (name, want, shape) in [
        ("W_f32_C.npy", &w32, [784, 10]),
        ("W_f32_F.npy", &w32, [784, 10]),
        ("W_f32_BE.npy", &w32, [784, 10]),
        ("W_v3.npy", &w32, [784, 10]),
        ("W_f64_C.npy", &w64, [784, 10]),
        ("W_f64_F.npy", &w64, [784, 10]),
        ("W_f64_BE.npy", &w64, [784, 10]),
        ("W_v2.npy", &w64, [784, 10]),
    ] {
        let a = npy::parse_npy(&read(name), name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(a.shape, shape, "{name}");
        assert_eq!(&bits(&a.data), want, "{name}: every value bit for bit");
    }
    let t = npy::parse_npy(&read("W_f64_T.npy"), "T").unwrap();
    assert_eq!(t.shape, [10, 784]);
    assert_eq!(bits(&npy::parse_npy(&read("b_f64.npy"), "b").unwrap().data), f64s("b.f64"));
}

#[test]
fn npz_and_npy_pairs_give_the_same_weights_bit_for_bit() {
    let w64: Vec<u64> = f64s("W.f64");
    let b64: Vec<u64> = f64s("b.f64");
    let w32: Vec<u64> = f32s("W.f32").into_iter().map(|b| f64::from(f32::from_bits(b)).to_bits()).collect();
    let b32: Vec<u64> = f32s("b.f32").into_iter().map(|b| f64::from(f32::from_bits(b)).to_bits()).collect();
    let check = |fw: ForeignWeights, w: &[u64], b: &[u64], what: &str| {
        assert_eq!(fw.classes, 10, "{what}");
        assert_eq!(fw.w.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), w, "{what}: W");
        assert_eq!(fw.b.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), b, "{what}: b");
    };
    for (name, w, b) in [
        ("savez.npz", &w64, &b64),
        ("savez_compressed.npz", &w32, &b32),
        ("savez_positional.npz", &w64, &b64),
        ("savez_named.npz", &w64, &b64),
    ] {
        check(ForeignWeights::from_npz(&read(name), name).unwrap_or_else(|e| panic!("{name}: {e}")), w, b, name);
    }
    for (wf, bf, w, b) in [
        ("W_f64_C.npy", "b_f64.npy", &w64, &b64),
        ("W_f64_F.npy", "b_row.npy", &w64, &b64),
        ("W_f64_T.npy", "b_f64.npy", &w64, &b64),
        ("W_f32_BE.npy", "b_f32.npy", &w32, &b32),
    ] {
        let (wb, bb) = (read(wf), read(bf));
        // Either order: W and b are told apart by shape.
        check(ForeignWeights::from_npy_files(&[(bf, &bb), (wf, &wb)]).unwrap(), w, b, wf);
        check(ForeignWeights::from_npy_files(&[(wf, &wb), (bf, &bb)]).unwrap(), w, b, wf);
    }
    let e = ForeignWeights::from_npy_files(&[("W.npy", &read("W_f64_C.npy"))]).unwrap_err();
    assert!(e.reason().contains("choose two"), "{e}");
}

fn trainer() -> Trainer {
    let (tr, te) = common::mnist();
    Trainer::new(tr, te, Hyperparameters::default(), train::DEFAULT_SEED).unwrap()
}

#[test]
fn every_broken_file_is_refused_with_its_reason_and_the_model_is_kept() {
    let mut t = trainer();
    let before = t.model().clone();
    let b = read("b_f64.npy");
    let reasons = String::from_utf8(read("broken/reasons.txt")).unwrap();
    let mut n = 0;
    for line in reasons.lines() {
        let (name, needle) = line.split_once('\t').unwrap();
        let bytes = read(&format!("broken/{name}"));
        let result = if name.ends_with(".npz") {
            ForeignWeights::from_npz(&bytes, name)
        } else {
            ForeignWeights::from_npy_files(&[(name, &bytes), ("b.npy", &b)])
        };
        let result = result.and_then(|fw| weights::score_transforms(&fw, &mut t, None).map(|_| fw));
        let lab = t.transform();
        let result = result.and_then(|fw| weights::apply(&fw, &mut t, lab));
        let e = result.expect_err(name);
        assert!(matches!(e, LabError::Import(_)), "{name}: {e:?}");
        assert!(e.reason().contains(needle), "{name}: {:?} should mention {needle:?}", e.reason());
        assert_eq!(*t.model(), before, "{name}: the current model is kept");
        n += 1;
    }
    assert!(n >= 20, "{n} broken variants");
}

#[test]
fn a_numpy_trained_model_scores_what_numpy_scores_under_the_transform_it_expects() {
    let report: serde_json::Value = serde_json::from_slice(&read("homework.json")).unwrap();
    let numpy_accuracy = report["accuracy"].as_f64().unwrap();
    let mut t = trainer();
    for fw in [
        ForeignWeights::from_npz(&read("homework.npz"), "homework.npz").unwrap(),
        ForeignWeights::from_npy_files(&[("W.npy", &read("homework_W.npy")), ("b.npy", &read("homework_b.npy"))])
            .unwrap(),
    ] {
        let (scores, best) = weights::score_transforms(&fw, &mut t, None).unwrap();
        assert_eq!(scores[best].id, "pixel", "{scores:?}");
        assert_eq!(scores[best].accuracy, numpy_accuracy, "the lab scores what numpy scores: {scores:?}");
        let standardised = scores.iter().find(|s| s.id == "standardised").unwrap();
        assert!(standardised.accuracy < numpy_accuracy - 0.01, "{scores:?}");
        weights::apply(&fw, &mut t, softmax_lab::data::InputTransform { mean: 0.0, std: 1.0 }).unwrap();
        let m = t.evaluate_test();
        assert_eq!(m.accuracy, numpy_accuracy);
        assert!((m.loss - report["loss"].as_f64().unwrap()).abs() < 1e-4, "{} vs {}", m.loss, report["loss"]);
        assert_eq!(t.progress().step, 0);
    }
}

#[test]
fn the_labs_npz_is_read_by_np_load_with_no_flags_and_back_by_the_lab() {
    let mut t = trainer();
    let mut losses = Vec::new();
    t.steps(50, &mut losses).unwrap();
    let classes: Vec<String> = (0..10).map(|d| format!("digit {d}")).collect();
    let bytes = weights::to_npz(t.model(), t.transform(), &classes).unwrap();
    let path = fixtures().join("lab-export.npz");
    std::fs::write(&path, &bytes).unwrap();
    let code = r#"
import json, sys, numpy as np
d = np.load(sys.argv[1])
print(json.dumps({"files": sorted(d.files), "W": [str(d["W"].dtype), list(d["W"].shape)],
  "w_bits": int(d["W"].view(np.uint32)[3, 7]), "b0": float(d["b"][0]), "mean": float(d["mean"]),
  "std": float(d["std"]), "classes": [str(c) for c in d["classes"]]}))
"#;
    let out = Command::new("python3").args(["-c", code]).arg(&path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["files"], serde_json::json!(["W", "b", "classes", "mean", "std"]));
    assert_eq!(v["W"], serde_json::json!(["float32", [784, 10]]));
    assert_eq!(v["w_bits"].as_u64(), Some(u64::from(t.model().w[[3, 7]].to_bits())));
    assert_eq!(v["b0"].as_f64(), Some(f64::from(t.model().b[0])));
    assert_eq!(v["mean"].as_f64(), Some(t.transform().mean));
    assert_eq!(v["std"].as_f64(), Some(t.transform().std));
    assert_eq!(v["classes"], serde_json::json!(classes));
    let fw = ForeignWeights::from_npz(&bytes, "lab-export.npz").unwrap();
    assert_eq!(fw.file_transform, Some(t.transform()));
    assert_eq!(fw.class_names.as_deref(), Some(&classes[..]));
    let (scores, best) = weights::score_transforms(&fw, &mut t, None).unwrap();
    assert!(matches!(scores[best].id.as_str(), "file" | "standardised"), "{scores:?}");
    let before = t.evaluate_test();
    let lab = t.transform();
    weights::apply(&fw, &mut t, lab).unwrap();
    assert_eq!(t.evaluate_test(), before, "the lab's own export comes back exactly");
}

#[test]
fn the_cli_scores_numpy_weights_and_writes_npz() {
    const BIN: &str = env!("CARGO_BIN_EXE_softmax-lab");
    let report: serde_json::Value = serde_json::from_slice(&read("homework.json")).unwrap();
    let run = |args: &[&Path]| {
        let out = Command::new(BIN).arg("score").args(args).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let dir = fixtures();
    for s in [run(&[&dir.join("homework.npz")]), run(&[&dir.join("homework_b.npy"), &dir.join("homework_W.npy")])] {
        assert_eq!(s["test_accuracy"], report["accuracy"], "{s}");
        assert_eq!(s["transform"], "pixel");
        assert_eq!(s["examples"], 10_000);
    }
    let out_path = dir.join("cli-out.npz");
    let out = Command::new(BIN).args(["train", "--epochs", "1", "--out"]).arg(&out_path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let last: serde_json::Value =
        serde_json::from_str(String::from_utf8(out.stdout).unwrap().lines().last().unwrap()).unwrap();
    let s = run(&[&out_path]);
    assert_eq!(s["transform"], "file", "the file's own mean and std: {s}");
    assert_eq!(s["test_accuracy"], last["test_accuracy"], "{s}");
    let bad = Command::new(BIN).arg("score").arg(dir.join("broken/nan.npz")).output().unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("W[5][3] is NaN"));
}
