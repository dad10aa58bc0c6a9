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

/// `train --seeds 3` is the three single-seed runs summarised: for each epoch its mean, sample
/// standard deviation (n − 1), min and max of the test accuracy and loss are those of
/// `train --seed 541`, `--seed 542` and `--seed 543` run one at a time.
#[test]
fn train_seeds_summarises_the_single_seed_runs() {
    let run = |args: &[&str]| {
        let out = Command::new(BIN).args(["train", "--epochs", "2"]).args(args).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let lines: Vec<serde_json::Value> =
            String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        (lines, String::from_utf8(out.stderr).unwrap())
    };
    let (spread, stderr) = run(&["--seed", "541", "--seeds", "3"]);
    let single: Vec<Vec<serde_json::Value>> = ["541", "542", "543"].iter().map(|s| run(&["--seed", s]).0).collect();
    assert_eq!(spread.len(), 2);
    for (e, line) in spread.iter().enumerate() {
        assert_eq!(
            (line["epoch"].as_u64(), line["seeds"].as_u64(), line["first_seed"].as_u64()),
            (Some(e as u64 + 1), Some(3), Some(541))
        );
        for key in ["test_accuracy", "test_loss"] {
            let v: Vec<f64> = single.iter().map(|lines| lines[e][key].as_f64().unwrap()).collect();
            let mean = v.iter().sum::<f64>() / 3.0;
            let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 2.0).sqrt();
            let s = &line[key];
            println!("epoch {}: {key} {v:?} → {s}", e + 1);
            assert!((s["mean"].as_f64().unwrap() - mean).abs() < 1e-12);
            assert!((s["sd"].as_f64().unwrap() - sd).abs() < 1e-12);
            assert_eq!(s["min"].as_f64().unwrap(), v.iter().copied().fold(f64::INFINITY, f64::min));
            assert_eq!(s["max"].as_f64().unwrap(), v.iter().copied().fold(f64::NEG_INFINITY, f64::max));
        }
    }
    assert!(stderr.contains("mean ± sd over 3 seeds 541–543"), "{stderr}");
    let refused = Command::new(BIN).args(["train", "--seeds", "0"]).output().unwrap();
    assert!(!refused.status.success());
    let refused = Command::new(BIN).args(["train", "--seeds", "2", "--out", "/tmp/x.json"]).output().unwrap();
    assert!(String::from_utf8_lossy(&refused.stderr).contains("cannot be used with"));
    let refused =
        Command::new(BIN).args(["train", "--seed", "4294967295", "--seeds", "2", "--epochs", "1"]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("below 2^32"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}
