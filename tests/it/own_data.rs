//! The user's own data set: a CSV of real MNIST images with 3 named classes trains end to end;
//! every fault is refused with its row and column; IDX files and a held-out share work too.

use crate::common;

use softmax_lab::data::idx::{encode_images, encode_labels};
use softmax_lab::data::own::{self, parse_csv, SetFiles, MAX_FILE_BYTES};
use softmax_lab::data::{Dataset, INPUT_DIM};
use softmax_lab::train::{self, Hyperparameters, Trainer};
use std::sync::Arc;

/// The first `n` images of `set` with a label below 3, as CSV text in the common layout.
pub fn csv_of(set: &Dataset, n: usize, header: bool) -> String {
    let mut out = String::new();
    if header {
        out.push_str("label");
        (0..INPUT_DIM).for_each(|j| out.push_str(&format!(",pixel{j}")));
        out.push('\n');
    }
    let mut k = 0;
    for i in 0..set.len() {
        if set.labels[i] >= 3 || k == n {
            continue;
        }
        k += 1;
        out.push_str(&set.labels[i].to_string());
        set.image(i).iter().for_each(|p| out.push_str(&format!(",{p}")));
        out.push_str("\r\n");
    }
    out
}

fn three_class_csvs() -> (String, String) {
    let (tr, te) = common::mnist();
    (csv_of(&tr, 3000, true), csv_of(&te, 600, false))
}

#[test]
fn a_three_class_csv_trains_with_its_names_and_predicts_one_of_them() {
    let (train_csv, test_csv) = three_class_csvs();
    let d = own::load(
        SetFiles::Csv(train_csv.into_bytes()),
        Some(SetFiles::Csv(test_csv.into_bytes())),
        Some(b"zero\none\ntwo\n"),
        0.2,
        541,
    )
    .unwrap();
    assert_eq!((d.train.len(), d.test.len(), d.train.classes), (3000, 600, 3));
    assert_eq!(d.class_names, ["zero", "one", "two"]);
    let mut t = Trainer::new(Arc::new(d.train), Arc::new(d.test.clone()), Hyperparameters::default(), 541).unwrap();
    t.run_epoch().unwrap();
    let m = t.evaluate_test();
    assert_eq!(m.confusion.len(), 3 * 3, "a 3 × 3 confusion matrix");
    assert!(m.accuracy > 0.95, "{}", m.accuracy);
    let i = d.test.labels.iter().position(|&l| l == 1).unwrap();
    let px: Vec<f32> = d.test.image(i).iter().map(|&p| f32::from(p) / 255.0).collect();
    let p = t.predict(&px).unwrap();
    assert_eq!(p.len(), 3);
    let best = (0..3).max_by(|&a, &b| p[a].total_cmp(&p[b])).unwrap();
    assert_eq!(best, 1, "{p:?}");
}

#[test]
fn without_a_test_file_a_share_is_held_out_with_the_seed() {
    let (train_csv, _) = three_class_csvs();
    let load = |seed| {
        own::load(SetFiles::Csv(format!("# classes: a, b, c\n{train_csv}").into_bytes()), None, None, 0.25, seed)
            .unwrap()
    };
    let (a, b, c) = (load(1), load(1), load(2));
    assert_eq!((a.train.len(), a.test.len()), (2250, 750));
    assert!(a.held_out);
    assert_eq!(a, b, "the same seed holds out the same rows");
    assert_ne!(a.test, c.test);
    assert_eq!(a.class_names, ["a", "b", "c"]);
}

#[test]
fn idx_files_load_as_mnist_does() {
    let (tr, _) = common::mnist();
    let idx: Vec<usize> = (0..tr.len()).filter(|&i| tr.labels[i] < 4).take(500).collect();
    let sub = tr.subset(&idx, "sub").unwrap();
    let files = vec![
        ("l".to_string(), encode_labels(&sub.labels)),
        ("i".to_string(), encode_images(sub.len(), 28, 28, &sub.images)),
    ];
    let d = own::load(SetFiles::from_files(files, "training file").unwrap(), None, None, 0.2, 7).unwrap();
    assert_eq!((d.train.classes, d.train.len() + d.test.len()), (4, 500));
    assert_eq!(d.class_names, ["0", "1", "2", "3"]);
}

#[test]
fn every_fault_is_refused_with_its_row_and_column() {
    let row = |label: &str, cells: &[&str]| {
        let mut r = label.to_string();
        for j in 0..INPUT_DIM {
            r.push(',');
            r.push_str(cells.get(j).copied().unwrap_or("0"));
        }
        r
    };
    let good = format!("{}\n{}\n", row("0", &[]), row("1", &["255"]));
    assert!(parse_csv(good.as_bytes(), "t").is_ok());
    let fails = |text: String, needle: &str| {
        let e = parse_csv(text.as_bytes(), "training file").unwrap_err().to_string();
        assert!(e.contains(needle), "{e:?} should mention {needle:?}");
    };
    fails(format!("{good}{}\n", &row("1", &[])[..39]), "row 3 has 20 columns, every row needs 785");
    fails(format!("{good}{},0\n", row("1", &[])), "row 3 has 786 columns");
    fails(format!("{good}{}\n", row("1", &["0", "0", "x7"])), "row 3, column 4: \"x7\" is not a number");
    fails(format!("{good}{}\n", row("1", &["0", "256"])), "row 3, column 3: 256 is outside 0–255");
    fails(format!("{good}{}\n", row("1", &["-1"])), "row 3, column 2: -1 is outside 0–255");
    fails(format!("{good}{}\n", row("1", &["0.5"])), "row 3, column 2: \"0.5\" is not a whole number");
    fails(format!("{good}{}\n", row("20", &[])), "row 3, column 1: label 20 is outside 0 … 19");
    fails(format!("{good}\n{}\n", row("1", &[])), "row 3 is empty");
    fails(format!("{good}{}\n", row("1", &["", "3"])), "row 3, column 2: the cell is empty");
    fails(String::new(), "the file is empty");
    fails("label,pixel0\n".into(), "no data rows");
    let one = format!("{}\n{}\n", row("4", &[]), row("4", &["9"]));
    let e = own::load(SetFiles::Csv(one.into_bytes()), None, None, 0.5, 1).unwrap_err().to_string();
    assert!(e.contains("at least 2 classes"), "{e}");
    let csv = || SetFiles::Csv(good.clone().into_bytes());
    let e = own::load(csv(), Some(csv()), Some(b"a,b,c"), 0.5, 1).unwrap_err().to_string();
    assert!(e.contains("3 class names were given but the labels are 0 … 1"), "{e}");
    let e = own::load(SetFiles::Csv(good.clone().into_bytes()), None, None, 0.95, 1).unwrap_err().to_string();
    assert!(e.contains("held-out share"), "{e}");
    let huge = vec![b'0'; MAX_FILE_BYTES + 1];
    let e = SetFiles::from_files(vec![("big.csv".into(), huge)], "training file").err().unwrap().to_string();
    assert!(e.contains("limit is 134217728"), "{e}");
    let e = SetFiles::from_files(vec![("x.idx".into(), encode_labels(&[1]))], "test file").err().unwrap().to_string();
    assert!(e.contains("IDX file"), "{e}");
}

#[test]
fn the_cli_trains_on_csv_files_and_writes_their_names() {
    const BIN: &str = env!("CARGO_BIN_EXE_softmax-lab");
    let (train_csv, test_csv) = three_class_csvs();
    let dir = std::env::temp_dir().join(format!("softmax-lab-own-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (a, b, n, out) = (dir.join("a.csv"), dir.join("b.csv"), dir.join("names.txt"), dir.join("w.json"));
    std::fs::write(&a, train_csv).unwrap();
    std::fs::write(&b, test_csv).unwrap();
    std::fs::write(&n, "zero, one, two").unwrap();
    let run = Command::new(BIN)
        .args(["train", "--epochs", "2", "--train"])
        .arg(&a)
        .arg("--test")
        .arg(&b)
        .arg("--names")
        .arg(&n)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let last: serde_json::Value =
        serde_json::from_str(String::from_utf8(run.stdout).unwrap().lines().last().unwrap()).unwrap();
    assert!(last["test_accuracy"].as_f64().unwrap() > 0.95, "{last}");
    let w: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(w["classes"], serde_json::json!(["zero", "one", "two"]));
    assert_eq!(w["dataset"], "files");
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "3,1,2\n").unwrap();
    let run = Command::new(BIN).args(["train", "--epochs", "1", "--train"]).arg(&bad).output().unwrap();
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("row 1 has 3 columns"));
    std::fs::remove_dir_all(&dir).ok();
    let _ = train::DEFAULT_SEED;
}

use std::process::Command;
