//! The native CLI: one JSON line per epoch, weights written in the page's format, scored back.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_softmax-lab");

#[test]
fn train_prints_json_lines_and_writes_weights_that_score_the_same() {
    let out_path = std::env::temp_dir().join(format!("softmax-lab-cli-{}.json", std::process::id()));
    let out = Command::new(BIN)
        .args([
            "train",
            "--dataset",
            "mnist",
            "--epochs",
            "2",
            "--lr",
            "0.05",
            "--batch",
            "100",
            "--l2",
            "0",
            "--seed",
            "541",
            "--out",
        ])
        .arg(&out_path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l["epoch"], i + 1);
        for key in ["train_loss", "test_loss", "test_accuracy", "seconds"] {
            assert!(l[key].as_f64().is_some_and(f64::is_finite), "{key} in {l}");
        }
    }
    // Same seed and settings as the library defaults → the same figures as the training test.
    let acc = lines[1]["test_accuracy"].as_f64().unwrap();
    assert!(acc > 0.91, "{acc}");
    let score = Command::new(BIN).arg("score").arg(&out_path).output().unwrap();
    assert!(score.status.success(), "{}", String::from_utf8_lossy(&score.stderr));
    let s: serde_json::Value = serde_json::from_slice(&score.stdout).unwrap();
    assert_eq!(s["test_accuracy"].as_f64(), Some(acc));
    assert_eq!(s["examples"], 10_000);
    std::fs::remove_file(&out_path).ok();
}

#[test]
fn bad_arguments_fail_with_a_message() {
    let out = Command::new(BIN).args(["train", "--lr", "-1", "--epochs", "1"]).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("learning rate must be a number greater than 0"), "{err}");
    let out = Command::new(BIN).args(["train", "--dataset", "cifar"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown data set"));
    let out = Command::new(BIN).args(["train", "--data", "/nonexistent", "--epochs", "1"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("./lab setup"));
}
