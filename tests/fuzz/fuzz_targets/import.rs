//! Fuzz the weights importer: `WeightsFile::from_json` and `model()`, on raw text and on
//! a valid file with the fuzzer's text spliced into one field (so it gets past the JSON
//! syntax quickly and exercises the shape and value checks).
//! Run: `cargo +nightly fuzz run --fuzz-dir tests/fuzz import`
#![no_main]

use libfuzzer_sys::fuzz_target;
use softmax_lab::data::INPUT_DIM;
use softmax_lab::export::{WeightsFile, FORMAT, VERSION};
use softmax_lab::LabError;
use std::sync::OnceLock;

const HOLE: &str = "@@";

/// A valid two-class file with `@@` where field `k` goes.
fn template(k: u8) -> String {
    let row = "[0.5,-0.25]";
    let rows = |first: &str| std::iter::once(first).chain(std::iter::repeat_n(row, INPUT_DIM - 1)).collect::<Vec<_>>().join(",");
    let f = |i: u8, valid: &str| if k == i { HOLE.to_string() } else { valid.to_string() };
    format!(
        "{{\"format\":{},\"version\":{},\"dataset\":{},\"classes\":{},\"input\":{{\"width\":28,\"height\":28,\"layout\":\"row-major\",\"transform\":\"x\",\"mean\":{},\"std\":{}}},\"W\":{},\"b\":{},\"hyperparameters\":{{\"learning_rate\":0.05,\"batch_size\":100,\"l2\":0}},\"training\":{{\"seed\":1,\"steps\":2,\"examples_seen\":200,\"epochs\":0.01}},\"test\":{}}}",
        f(0, &format!("\"{FORMAT}\"")),
        f(1, &VERSION.to_string()),
        f(2, "\"mnist\""),
        f(3, "[\"0\",\"1\"]"),
        f(4, "0.13"),
        f(5, "0.31"),
        if k == 6 { format!("[{}]", rows(HOLE)) } else if k == 7 { HOLE.to_string() } else { format!("[{}]", rows(row)) },
        f(8, "[0.1,-0.1]"),
        f(9, "null"),
    )
}

fn templates() -> &'static [String] {
    static T: OnceLock<Vec<String>> = OnceLock::new();
    T.get_or_init(|| (0..10).map(template).collect())
}

fn check(text: &str) {
    match WeightsFile::from_json(text) {
        Ok(f) => {
            let c = f.b.len();
            assert_eq!((f.format.as_str(), f.version), (FORMAT, VERSION));
            assert!(c >= 2 && f.classes.len() == c);
            assert!(f.w.len() == INPUT_DIM && f.w.iter().all(|r| r.len() == c));
            assert!(f.input.std.is_finite() && f.input.std > 0.0 && f.input.mean.is_finite());
            match f.model() {
                Ok(m) => {
                    assert_eq!(m.w.dim(), (INPUT_DIM, c));
                    assert!(m.is_finite());
                }
                Err(e) => assert!(matches!(e, LabError::Import(_)), "{e:?}"),
            }
        }
        Err(e) => assert!(matches!(e, LabError::Import(_)), "{e:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    if mode < 128 {
        check(text);
    } else {
        let t = &templates()[usize::from(mode) % 10];
        check(&t.replacen(HOLE, text, 1));
    }
});
