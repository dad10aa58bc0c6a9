//! The weights file: what the page exports and the CLI writes, read back and validated.

use crate::common;

use softmax_lab::data::DatasetKind;
use softmax_lab::export::{TestMetrics, WeightsFile, FORMAT, VERSION};
use softmax_lab::model::evaluate;
use softmax_lab::train::{self, Hyperparameters, Trainer};
use softmax_lab::LabError;

fn trained_file() -> (Trainer, WeightsFile) {
    let (tr, te) = common::mnist();
    let mut t = Trainer::new(tr, te, Hyperparameters::default(), train::DEFAULT_SEED).unwrap();
    let mut l = Vec::new();
    t.steps(200, &mut l).unwrap();
    let m = t.evaluate_test();
    let f = WeightsFile::from_trainer(
        &t,
        DatasetKind::Mnist,
        Some(TestMetrics { loss: m.loss, accuracy: m.accuracy, examples: m.count }),
    );
    (t, f)
}

#[test]
fn round_trip_reproduces_the_model_and_its_accuracy() {
    let (t, f) = trained_file();
    let text = f.to_json();
    let back = WeightsFile::from_json(&text).unwrap();
    assert_eq!(back, f, "f32 values survive the JSON round trip exactly");
    assert_eq!(back.model().unwrap(), *t.model());
    assert_eq!((back.format.as_str(), back.version), (FORMAT, VERSION));
    assert_eq!(back.w.len(), 784);
    assert_eq!(back.classes, (0..10).map(|d| d.to_string()).collect::<Vec<_>>());
    assert!((back.input.mean - 0.1307).abs() < 1e-4 && (back.input.std - 0.3081).abs() < 1e-4, "{:?}", back.input);
    let m = evaluate(&back.model().unwrap(), t.test_set(), &back.transform(), 1000).unwrap();
    assert_eq!(Some(m.accuracy), back.test.as_ref().map(|x| x.accuracy));
}

#[test]
fn malformed_files_are_rejected_with_the_reason() {
    let (_, f) = trained_file();
    let good: serde_json::Value = serde_json::from_str(&f.to_json()).unwrap();
    let reject = |v: serde_json::Value, needle: &str| {
        let e = WeightsFile::from_json(&v.to_string()).unwrap_err();
        assert!(matches!(e, LabError::Import(_)), "{e:?}");
        assert!(e.to_string().contains(needle), "{e} should mention {needle:?}");
    };
    assert!(matches!(WeightsFile::from_json("{not json"), Err(LabError::Import(_))));
    let mut v = good.clone();
    v["version"] = 2.into();
    reject(v, "version 2");
    let mut v = good.clone();
    v["format"] = "something-else".into();
    reject(v, "format");
    let mut v = good.clone();
    v["W"].as_array_mut().unwrap().pop();
    reject(v, "784 rows");
    let mut v = good.clone();
    v["W"][3].as_array_mut().unwrap().push(1.0.into());
    reject(v, "784 rows of 10");
    let mut v = good.clone();
    v["b"].as_array_mut().unwrap().pop();
    reject(v, "b has 9 entries");
    let mut v = good.clone();
    v["input"]["std"] = 0.into();
    reject(v, "std");
    // JSON cannot spell NaN; a number too large for f32 becomes ∞ and is refused.
    let text = good.to_string().replacen("\"b\":[", "\"b\":[1e39,", 1);
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["b"].as_array_mut().unwrap().pop();
    let e = WeightsFile::from_json(&v.to_string()).and_then(|f| f.model().map(|_| ()));
    assert!(matches!(e, Err(LabError::Import(ref m)) if m.contains("infinite")), "{e:?}");
    let huge = " ".repeat(17 * 1024 * 1024);
    assert!(WeightsFile::from_json(&huge).unwrap_err().to_string().contains("limit"));
}
