//! Property tests of the weights importer: no text makes `WeightsFile::from_json` or
//! `model()` panic; whatever is accepted has the shapes and finite values the lab needs;
//! every finite model written with `to_json` is read back exactly.
#![cfg(not(target_arch = "wasm32"))]

use ndarray::{Array1, Array2};
use proptest::prelude::*;
use serde_json::{json, Value};
use softmax_lab::data::{DatasetKind, INPUT_DIM};
use softmax_lab::export::{InputSpec, TestMetrics, TrainingState, WeightsFile, FORMAT, VERSION};
use softmax_lab::model::SoftmaxRegression;
use softmax_lab::train::Hyperparameters;
use softmax_lab::LabError;

/// Every finite `f32`: normal, subnormal and (signed) zero, of either sign.
fn finite_f32() -> impl Strategy<Value = f32> {
    use prop::num::f32::*;
    POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO
}

/// Every finite `f64`.
fn finite_f64() -> impl Strategy<Value = f64> {
    use prop::num::f64::*;
    POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO
}

/// A finite `f64` above 0.
fn positive_f64() -> impl Strategy<Value = f64> {
    use prop::num::f64::*;
    POSITIVE | NORMAL | SUBNORMAL
}

fn dataset_kind() -> impl Strategy<Value = DatasetKind> {
    prop_oneof![Just(DatasetKind::Mnist), Just(DatasetKind::Fashion)]
}

/// A complete, valid weights file with `c` classes (2..=10) and arbitrary finite numbers.
fn weights_file() -> impl Strategy<Value = WeightsFile> {
    (2usize..=10)
        .prop_flat_map(|c| {
            (
                (dataset_kind(), prop::collection::vec(any::<String>(), c)),
                (finite_f64(), positive_f64(), any::<String>(), any::<String>(), any::<usize>(), any::<usize>()),
                (prop::collection::vec(finite_f32(), INPUT_DIM * c), prop::collection::vec(finite_f32(), c)),
                (finite_f64(), any::<usize>(), finite_f64()),
                (any::<u32>(), any::<u64>(), any::<u64>(), finite_f64()),
                prop::option::of((finite_f64(), finite_f64(), any::<usize>())),
            )
        })
        .prop_map(
            |((dataset, classes), (mean, std, layout, transform, width, height), (w, b), hyper, training, test)| {
                let c = b.len();
                WeightsFile {
                    format: FORMAT.into(),
                    version: VERSION,
                    dataset,
                    classes,
                    input: InputSpec { width, height, layout, transform, mean, std },
                    w: w.chunks(c).map(<[f32]>::to_vec).collect(),
                    b,
                    hyperparameters: Hyperparameters { learning_rate: hyper.0, batch_size: hyper.1, l2: hyper.2 },
                    training: TrainingState {
                        seed: training.0,
                        steps: training.1,
                        examples_seen: training.2,
                        epochs: training.3,
                    },
                    test: test.map(|(loss, accuracy, examples)| TestMetrics { loss, accuracy, examples }),
                }
            },
        )
}

/// What an accepted file must satisfy, and `model()` must agree with it.
fn check_accepted(file: &WeightsFile) -> Result<(), TestCaseError> {
    let c = file.b.len();
    prop_assert_eq!(file.format.as_str(), FORMAT);
    prop_assert_eq!(file.version, VERSION);
    prop_assert!(c >= 2 && file.classes.len() == c, "{} biases, {} classes", c, file.classes.len());
    prop_assert_eq!(file.w.len(), INPUT_DIM);
    prop_assert!(file.w.iter().all(|r| r.len() == c));
    prop_assert!(file.input.std.is_finite() && file.input.std > 0.0 && file.input.mean.is_finite());
    let finite = file.w.iter().flatten().chain(&file.b).all(|v| v.is_finite());
    match file.model() {
        Ok(m) => {
            prop_assert!(finite);
            prop_assert_eq!(m.w.dim(), (INPUT_DIM, c));
            prop_assert_eq!(m.b.len(), c);
        }
        Err(e) => {
            prop_assert!(!finite, "finite weights refused: {}", e);
            prop_assert!(matches!(e, LabError::Import(ref m) if m.contains("NaN or infinite")), "{:?}", e);
        }
    }
    Ok(())
}

/// Import `text`: never a panic; accepted files are checked, refusals are `Import` errors.
fn import(text: &str) -> Result<Option<WeightsFile>, TestCaseError> {
    match WeightsFile::from_json(text) {
        Ok(f) => {
            check_accepted(&f)?;
            Ok(Some(f))
        }
        Err(e) => {
            prop_assert!(matches!(e, LabError::Import(_)), "{:?}", e);
            prop_assert!(e.to_string().starts_with("cannot import weights: "), "{}", e);
            Ok(None)
        }
    }
}

/// A valid file with `c` classes as a JSON value (small numbers, so building it is cheap).
fn base_value(c: usize) -> Value {
    json!({
        "format": FORMAT,
        "version": VERSION,
        "dataset": "mnist",
        "classes": (0..c).map(|k| k.to_string()).collect::<Vec<_>>(),
        "input": {"width": 28, "height": 28, "layout": "row-major", "transform": "x = (pixel/255 - mean) / std", "mean": 0.1307, "std": 0.3081},
        "W": (0..INPUT_DIM).map(|j| (0..c).map(|k| ((j * c + k) % 7) as f32 * 0.25 - 0.5).collect::<Vec<_>>()).collect::<Vec<_>>(),
        "b": vec![0.125f32; c],
        "hyperparameters": {"learning_rate": 0.05, "batch_size": 100, "l2": 0.0},
        "training": {"seed": 541, "steps": 10, "examples_seen": 1000, "epochs": 0.0167},
        "test": {"loss": 0.3, "accuracy": 0.91, "examples": 10000}
    })
}

/// Raw JSON tokens that are hard on a number field: out of f32 or f64 range, NaN-ish
/// spellings JSON does not have, wrong types.
const TOKENS: &[&str] = &[
    "0",
    "-0",
    "1",
    "-1",
    "1.5",
    "1e39",
    "-1e39",
    "3.4028235e38",
    "3.4028236e38",
    "1e-46",
    "1e308",
    "1e309",
    "-1e309",
    "4294967296",
    "18446744073709551616",
    "NaN",
    "-Infinity",
    "Infinity",
    "null",
    "true",
    "\"1\"",
    "[]",
    "{}",
    "[1]",
    "1e",
    "--1",
    "0x10",
];

const PLACEHOLDER: &str = "\"@@token@@\"";

/// One way to break a valid file, as proptest chooses it.
#[derive(Debug, Clone)]
enum Damage {
    /// Change the shape of W: `rows` rows of `cols` numbers, and row `ragged` one longer.
    WShape { rows: usize, cols: usize, ragged: Option<usize> },
    /// Give b and the class list their own lengths.
    Lengths { b: usize, classes: usize },
    /// Put a raw token into W[row][col], b[k], input.mean/std, version, format, dataset…
    Token { field: usize, at: usize, token: &'static str },
    /// Remove a top-level key.
    Remove { key: usize },
}

const KEYS: &[&str] =
    &["format", "version", "dataset", "classes", "input", "W", "b", "hyperparameters", "training", "test"];

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (
            prop_oneof![Just(0usize), Just(1), Just(783), Just(784), Just(785), 0usize..800],
            0usize..12,
            prop::option::of(0usize..785)
        )
            .prop_map(|(rows, cols, ragged)| Damage::WShape { rows, cols, ragged }),
        (0usize..12, 0usize..12).prop_map(|(b, classes)| Damage::Lengths { b, classes }),
        (0usize..9, any::<usize>(), prop::sample::select(TOKENS)).prop_map(|(field, at, token)| Damage::Token {
            field,
            at,
            token
        }),
        (0usize..KEYS.len()).prop_map(|key| Damage::Remove { key }),
    ]
}

/// Apply the damage to `v` (a file with `c` classes); returns the JSON text.
fn damaged(mut v: Value, c: usize, d: &Damage) -> String {
    match *d {
        Damage::WShape { rows, cols, ragged } => {
            let mut w: Vec<Vec<f32>> = vec![vec![0.5; cols]; rows];
            if let Some(r) = ragged.filter(|&r| r < rows) {
                w[r].push(1.0);
            }
            v["W"] = json!(w);
        }
        Damage::Lengths { b, classes } => {
            v["b"] = json!(vec![0.0f32; b]);
            v["classes"] = json!((0..classes).map(|k| format!("class {k}")).collect::<Vec<_>>());
        }
        Damage::Token { field, at, .. } => {
            let slot = match field {
                0 => &mut v["W"][at % INPUT_DIM][at % c],
                1 => &mut v["b"][at % c],
                2 => &mut v["input"]["mean"],
                3 => &mut v["input"]["std"],
                4 => &mut v["version"],
                5 => &mut v["format"],
                6 => &mut v["dataset"],
                7 => &mut v["W"][at % INPUT_DIM],
                _ => &mut v["test"]["accuracy"],
            };
            *slot = Value::String("@@token@@".into());
        }
        Damage::Remove { key } => {
            v.as_object_mut().map(|o| o.remove(KEYS[key]));
        }
    }
    let text = v.to_string();
    match d {
        Damage::Token { token, .. } => text.replacen(PLACEHOLDER, token, 1),
        _ => text,
    }
}

/// Arbitrary JSON values, nested a few levels.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        finite_f64().prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        prop::sample::select(KEYS).prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS).prop_map(String::from), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// `PROPTEST_CASES` overrides the modest default case counts for a deeper run.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(256)))]

    /// Any text at all is refused with an `Import` error (or, impossibly here, accepted and valid).
    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        import(&text)?;
    }

    /// Any JSON document with the file's key names in it: refused, never a panic.
    #[test]
    fn arbitrary_json_never_panics(v in json_value()) {
        import(&v.to_string())?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(96)))]

    /// A valid file broken in one place: wrong shapes, numbers out of range (∞ for f32 or
    /// f64), NaN-ish spellings, wrong types, missing keys. Accepted only if still valid;
    /// `model()` accepts exactly the finite ones.
    #[test]
    fn a_damaged_file_is_refused_or_still_valid(c in 2usize..=10, d in damage()) {
        let text = damaged(base_value(c), c, &d);
        let accepted = import(&text)?;
        // Damage that cannot leave the file valid must be refused.
        let must_refuse = match d {
            Damage::WShape { rows, cols, ragged } => rows != INPUT_DIM || cols != c || ragged.is_some_and(|r| r < rows),
            Damage::Lengths { b, classes } => b != classes || b < 2 || b != c,
            Damage::Remove { key } => KEYS[key] != "test",
            Damage::Token { field, token, .. } => match field {
                0 | 1 => !matches!(token, "0" | "-0" | "1" | "-1" | "1.5" | "3.4028235e38" | "3.4028236e38" | "1e-46" | "1e308" | "4294967296" | "18446744073709551616"),
                4 => token != "1",
                5..=7 => true,
                _ => false,
            },
        };
        if must_refuse {
            prop_assert!(accepted.is_none(), "accepted: {:?}", d);
        }
    }

    /// A valid file with random characters deleted, inserted or replaced: never a panic.
    #[test]
    fn text_edits_never_panic(
        c in 2usize..=4,
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..3, any::<char>(), 1usize..40), 1..6),
    ) {
        let mut chars: Vec<char> = base_value(c).to_string().chars().collect();
        for (at, op, ch, len) in edits {
            let i = at.index(chars.len() + 1);
            match op {
                0 => { chars.drain(i..(i + len).min(chars.len())); }
                1 => chars.insert(i, ch),
                _ => if i < chars.len() { chars[i] = ch },
            }
        }
        import(&chars.into_iter().collect::<String>())?;
    }

    /// `model()` on a file built in code (not read through `from_json`): any row lengths,
    /// any values incl. NaN and ∞. It returns the model only for a rectangular W whose rows
    /// have one number per bias, all finite — never a reshaped or partial one.
    #[test]
    fn model_never_reshapes_a_ragged_w(
        rows in prop::collection::vec(prop::collection::vec(any::<f32>(), 0..5), 0..6),
        b in prop::collection::vec(any::<f32>(), 0..5),
    ) {
        let mut file = WeightsFile::from_json(&base_value(2).to_string()).unwrap();
        let rectangular = rows.iter().all(|r| r.len() == b.len());
        let finite = rows.iter().flatten().chain(&b).all(|v| v.is_finite());
        file.w = rows.clone();
        file.b = b.clone();
        match file.model() {
            Ok(m) => {
                prop_assert!(rectangular && finite);
                prop_assert_eq!(m.w.dim(), (rows.len(), b.len()));
                for (j, r) in rows.iter().enumerate() {
                    prop_assert_eq!(m.w.row(j).to_vec(), r.clone());
                }
            }
            Err(e) => {
                prop_assert!(!(rectangular && finite), "refused a valid model: {}", e);
                prop_assert!(matches!(e, LabError::Import(_)), "{:?}", e);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(48)))]

    /// Every finite model, with any class names and metadata, survives `to_json` →
    /// `from_json` exactly, and `model()` gives back the same W and b.
    #[test]
    fn finite_files_round_trip_exactly(file in weights_file()) {
        let text = file.to_json();
        let back = WeightsFile::from_json(&text);
        prop_assert!(back.is_ok(), "{:?}", back.err());
        let back = back.unwrap();
        // Field by field first, so that a failure names the field rather than dumping 7840 numbers.
        prop_assert_eq!(&back.input, &file.input);
        prop_assert_eq!(&back.hyperparameters, &file.hyperparameters);
        prop_assert_eq!(&back.training, &file.training);
        prop_assert_eq!(&back.test, &file.test);
        prop_assert_eq!(&back.classes, &file.classes);
        prop_assert_eq!(&back.b, &file.b);
        let differs = back.w.iter().flatten().zip(file.w.iter().flatten()).position(|(a, b)| a.to_bits() != b.to_bits());
        prop_assert!(differs.is_none(), "W differs at {:?}", differs.map(|i| (i / file.b.len(), i % file.b.len())));
        prop_assert_eq!(&back, &file);
        let c = file.b.len();
        let w = Array2::from_shape_vec((INPUT_DIM, c), file.w.iter().flatten().copied().collect()).unwrap();
        let expected = SoftmaxRegression { w, b: Array1::from(file.b.clone()) };
        prop_assert_eq!(back.model().unwrap(), expected);
        prop_assert_eq!(back.transform().mean, file.input.mean);
        prop_assert_eq!(back.transform().std, file.input.std);
    }
}
