//! The user's own data set: CSV files in the common MNIST layout, or IDX files as MNIST's, with
//! optional class names, validated with the row and column of every fault.
//!
//! CSV: one image per row, `label,pixel0,…,pixel783`, pixels 0–255 (row-major 28 × 28, ink
//! bright), labels 0 … c−1 with 2 ≤ c ≤ 20; a header row (`label,pixel0,…` or any row whose first
//! cell is not a number) is skipped; a first line `# classes: cat, dog, bird` names the classes.
//! Class names may also come in a small names file (one per line, or comma-separated). Without
//! a test file, a share of the training rows is held out, chosen with the seed.

use crate::data::idx::{IMAGES_MAGIC, LABELS_MAGIC};
use crate::data::{Dataset, INPUT_DIM};
use crate::error::{LabError, Result};
use rand::seq::SliceRandom;
use rand::SeedableRng;

/// Largest file accepted (the best-known MNIST training CSV is 110 MB).
pub const MAX_FILE_BYTES: usize = 128 * 1024 * 1024;
/// Largest names file.
pub const MAX_NAMES_BYTES: usize = 64 * 1024;
/// Labels must be below this (0 … 19).
pub const MAX_CLASSES: usize = 20;
/// Longest class name kept.
pub const MAX_NAME_CHARS: usize = 40;
/// Largest held-out share.
pub const MAX_TEST_SHARE: f64 = 0.9;

fn bad(what: &str, reason: impl std::fmt::Display) -> LabError {
    LabError::Invalid(format!("{what}: {reason}"))
}

/// Rows of a CSV file: pixels, labels and the class names of a `# classes:` line.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvRows {
    pub images: Vec<u8>,
    pub labels: Vec<u8>,
    pub names: Option<Vec<String>>,
}

/// Split a names list ("a, b, c" or one per line).
pub fn parse_names(text: &str) -> Vec<String> {
    let sep = if text.trim().contains('\n') { '\n' } else { ',' };
    text.split(sep)
        .map(|s| s.trim().chars().take(MAX_NAME_CHARS).collect::<String>())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Parse a CSV file. Rows and columns are counted from 1, as a spreadsheet shows them.
pub fn parse_csv(bytes: &[u8], what: &str) -> Result<CsvRows> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(bad(what, format!("file is {} bytes; the limit is {MAX_FILE_BYTES} (128 MiB)", bytes.len())));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(bad(what, "the file is empty"));
    }
    let mut images = Vec::new();
    let mut labels = Vec::new();
    let mut names = None;
    let mut row = 0usize;
    let mut pending_blank = None;
    for line in bytes.split(|&b| b == b'\n') {
        row += 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            pending_blank.get_or_insert(row);
            continue;
        }
        if let Some(blank) = pending_blank.take() {
            return Err(bad(what, format!("row {blank} is empty (rows must follow each other)")));
        }
        let text = std::str::from_utf8(line).map_err(|_| bad(what, format!("row {row} is not text (UTF-8)")))?;
        if let Some(comment) = text.trim_start().strip_prefix('#') {
            if labels.is_empty() {
                if let Some(list) = comment.trim().strip_prefix("classes:") {
                    names = Some(parse_names(list));
                }
                continue;
            }
            return Err(bad(what, format!("row {row}: a comment line is allowed only before the data")));
        }
        let first = text.split(',').next().unwrap_or("").trim();
        if labels.is_empty() && !first.is_empty() && first.parse::<f64>().is_err() {
            continue; // the header row
        }
        let start = images.len();
        images.resize(start + INPUT_DIM, 0);
        let mut col = 0usize;
        for cell in text.split(',') {
            col += 1;
            if col > INPUT_DIM + 1 {
                continue;
            }
            let v = cell_value(cell).map_err(|r| bad(what, format!("row {row}, column {col}: {r}")))?;
            if col == 1 {
                if v >= MAX_CLASSES as u32 {
                    return Err(bad(
                        what,
                        format!("row {row}, column 1: label {v} is outside 0 … {}", MAX_CLASSES - 1),
                    ));
                }
                labels.push(v as u8);
            } else if v > 255 {
                return Err(bad(what, format!("row {row}, column {col}: {v} is outside 0–255")));
            } else {
                images[start + col - 2] = v as u8;
            }
        }
        if col != INPUT_DIM + 1 {
            return Err(bad(
                what,
                format!(
                    "row {row} has {col} columns, every row needs {} (label, pixel0 … pixel783 of a 28 × 28 image)",
                    INPUT_DIM + 1
                ),
            ));
        }
    }
    if labels.is_empty() {
        return Err(bad(what, "the file has no data rows"));
    }
    Ok(CsvRows { images, labels, names })
}

/// A cell as a whole number (`12`, ` 12 `, `12.0`), or why not.
fn cell_value(cell: &str) -> std::result::Result<u32, String> {
    let t = cell.trim().trim_matches('"');
    if t.is_empty() {
        return Err("the cell is empty".into());
    }
    if let Ok(v) = t.parse::<u32>() {
        return Ok(v);
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && v.fract() == 0.0 && v >= 0.0 => Ok(v.min(f64::from(u32::MAX)) as u32),
        Ok(v) if v.is_finite() && v.fract() == 0.0 => Err(format!("{t} is outside 0–255")),
        Ok(_) => Err(format!("{t:?} is not a whole number")),
        Err(_) => Err(format!("{t:?} is not a number")),
    }
}

/// One set (training or test) as the user chose it.
pub enum SetFiles {
    /// One CSV file.
    Csv(Vec<u8>),
    /// IDX images and labels (either order).
    Idx(Vec<u8>, Vec<u8>),
}

impl SetFiles {
    /// Files of one set: one file is CSV (or an error if it is IDX), two are an IDX pair.
    pub fn from_files(mut files: Vec<(String, Vec<u8>)>, what: &str) -> Result<Self> {
        let is_idx = |b: &[u8], m: u32| b.len() >= 4 && u32::from_be_bytes([b[0], b[1], b[2], b[3]]) == m;
        if let Some((name, b)) = files.iter().find(|(_, b)| b.len() > MAX_FILE_BYTES) {
            return Err(bad(what, format!("{name} is {} bytes; the limit is {MAX_FILE_BYTES} (128 MiB)", b.len())));
        }
        match files.len() {
            1 => {
                let (name, b) = files.remove(0);
                if is_idx(&b, IMAGES_MAGIC) || is_idx(&b, LABELS_MAGIC) {
                    return Err(bad(
                        what,
                        format!("{name} is an IDX file: choose its images and labels files together"),
                    ));
                }
                Ok(SetFiles::Csv(b))
            }
            2 => {
                let (b, a) = (files.remove(1).1, files.remove(0).1);
                if is_idx(&a, IMAGES_MAGIC) && is_idx(&b, LABELS_MAGIC) {
                    Ok(SetFiles::Idx(a, b))
                } else if is_idx(&b, IMAGES_MAGIC) && is_idx(&a, LABELS_MAGIC) {
                    Ok(SetFiles::Idx(b, a))
                } else {
                    Err(bad(what, "two files must be an IDX images file and an IDX labels file (or choose one CSV)"))
                }
            }
            0 => Err(bad(what, "no file was chosen")),
            n => Err(bad(what, format!("{n} files were chosen: one CSV, or two IDX files (images and labels)"))),
        }
    }

    fn load(self, what: &str) -> Result<(Dataset, Option<Vec<String>>)> {
        match self {
            SetFiles::Csv(b) => {
                let rows = parse_csv(&b, what)?;
                Ok((Dataset::new(rows.images, rows.labels, MAX_CLASSES, what)?, rows.names))
            }
            SetFiles::Idx(images, labels) => {
                if images.len() <= 16 || labels.len() <= 8 {
                    return Err(bad(what, "the file is empty"));
                }
                Ok((Dataset::from_idx(images, &labels, MAX_CLASSES, what)?, None))
            }
        }
    }
}

/// A user's data set, ready for a trainer.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnData {
    pub train: Dataset,
    pub test: Dataset,
    pub class_names: Vec<String>,
    /// Whether the test set was held out of the training file (with `test_share` and the seed).
    pub held_out: bool,
}

/// Build the user's data set: classes counted from the labels (2 ≤ c ≤ 20), names from the
/// names file, a CSV `# classes:` line or the digits; without a test set, `test_share` of the
/// training rows held out, chosen with `seed`.
pub fn load(
    train: SetFiles,
    test: Option<SetFiles>,
    names: Option<&[u8]>,
    test_share: f64,
    seed: u32,
) -> Result<OwnData> {
    let (train, train_names) = train.load("training file")?;
    let (mut train, test, held_out, csv_names) = match test {
        Some(t) => {
            let (test, test_names) = t.load("test file")?;
            (train, test, false, train_names.or(test_names))
        }
        None => {
            if !(test_share > 0.0 && test_share <= MAX_TEST_SHARE) {
                return Err(LabError::Invalid(format!(
                    "the held-out share must be above 0 and at most {MAX_TEST_SHARE}; got {test_share}"
                )));
            }
            let n = train.len();
            let k = ((n as f64 * test_share).round() as usize).clamp(1, n.saturating_sub(1).max(1));
            if n < 2 {
                return Err(LabError::Invalid(
                    "training file: 1 row cannot be split into training and test sets: give a test file".into(),
                ));
            }
            let mut order: Vec<usize> = (0..n).collect();
            order.shuffle(&mut rand_pcg::Pcg64Mcg::seed_from_u64(u64::from(seed) ^ 0x0005_9117));
            let (test_idx, train_idx) = order.split_at(k);
            let (mut test_idx, mut train_idx) = (test_idx.to_vec(), train_idx.to_vec());
            test_idx.sort_unstable();
            train_idx.sort_unstable();
            (
                train.subset(&train_idx, "training set")?,
                train.subset(&test_idx, "held-out test set")?,
                true,
                train_names,
            )
        }
    };
    let max = train.labels.iter().chain(&test.labels).copied().max().unwrap_or(0);
    let c = usize::from(max) + 1;
    let mut seen = [false; MAX_CLASSES];
    train.labels.iter().for_each(|&l| seen[usize::from(l)] = true);
    let distinct = seen.iter().filter(|&&s| s).count();
    if distinct < 2 {
        return Err(LabError::Invalid(format!(
            "training file: every row has label {}: a data set needs at least 2 classes",
            train.labels[0]
        )));
    }
    let class_names = match names {
        Some(bytes) => {
            if bytes.len() > MAX_NAMES_BYTES {
                return Err(LabError::Invalid(format!(
                    "names file: {} bytes; the limit is {MAX_NAMES_BYTES}",
                    bytes.len()
                )));
            }
            let text =
                std::str::from_utf8(bytes).map_err(|_| LabError::Invalid("names file: not text (UTF-8)".into()))?;
            Some(parse_names(text))
        }
        None => csv_names,
    };
    let class_names = match class_names {
        Some(n) if n.len() == c => n,
        Some(n) => {
            return Err(LabError::Invalid(format!(
                "{} class names were given but the labels are 0 … {max} ({c} classes)",
                n.len()
            )))
        }
        None => (0..c).map(|k| k.to_string()).collect(),
    };
    train.classes = c;
    let test = Dataset { classes: c, ..test };
    Ok(OwnData { train, test, class_names, held_out })
}
