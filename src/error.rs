//! Every way the lab can refuse work, as one `thiserror` enum.
//!
//! Variants carry the values that caused them so the page and the CLI can say
//! exactly what was wrong. Nothing in the core panics on user- or file-controlled
//! input: it returns one of these instead.

use thiserror::Error;

/// Everything that can go wrong in the core.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum LabError {
    /// Learning rate outside (0, [`crate::train::MAX_LEARNING_RATE`]] or not a number.
    #[error("learning rate must be a number greater than 0 and at most {max}; got {got}")]
    InvalidLearningRate { got: f64, max: f64 },

    /// Batch size not a whole number in 1..=training-set size.
    #[error("batch size must be a whole number from 1 to {max} (the training-set size); got {got}")]
    InvalidBatchSize { got: f64, max: usize },

    /// L2 strength α negative, too large or not a number.
    #[error("L2 strength α must be a number from 0 to {max}; got {got}")]
    InvalidL2 { got: f64, max: f64 },

    /// Seed not a whole number in 0..=2³²−1.
    #[error("seed must be a whole number from 0 to 4294967295; got {got}")]
    InvalidSeed { got: f64 },

    /// An IDX file does not start with the expected magic number.
    #[error("{what}: not an IDX {kind} file (magic number 0x{found:08x}, expected 0x{expected:08x})")]
    BadMagic { what: String, kind: &'static str, expected: u32, found: u32 },

    /// An IDX file is shorter than its header says.
    #[error("{what}: file is truncated ({actual} bytes, the header promises {expected})")]
    Truncated { what: String, expected: usize, actual: usize },

    /// An IDX file is longer than its header says.
    #[error("{what}: file has {actual} bytes, the header promises exactly {expected}")]
    Oversized { what: String, expected: usize, actual: usize },

    /// Image dimensions the lab cannot use (it needs 28×28).
    #[error("{what}: images are {rows}×{cols}, the lab needs {expected_rows}×{expected_cols}")]
    BadDimensions { what: String, rows: usize, cols: usize, expected_rows: usize, expected_cols: usize },

    /// A label outside 0..classes.
    #[error("{what}: label {label} at index {index} is outside 0..{classes}")]
    LabelOutOfRange { what: String, index: usize, label: u8, classes: usize },

    /// Images and labels disagree on how many examples there are.
    #[error("{what}: {images} images but {labels} labels")]
    CountMismatch { what: String, images: usize, labels: usize },

    /// A data set with no examples.
    #[error("{what}: the data set is empty")]
    EmptyDataset { what: String },

    /// Arrays whose shapes do not fit together.
    #[error("{what}: expected {expected} values, got {actual}")]
    ShapeMismatch { what: String, expected: usize, actual: usize },

    /// Training produced a non-finite loss or weights; the update was not applied. `step` is
    /// the step that diverged; the message writes it, and the step the model stays at (the
    /// page's step count), with thousands separators as the page does ("1,815,201").
    #[error(
        "training diverged at step {}: the loss became {loss}; that update was not applied, the model stays at step {} (try a smaller learning rate, then Reset)",
        thousands(*.step),
        thousands(.step.saturating_sub(1))
    )]
    Diverged { step: u64, loss: f64 },

    /// The drawing pad or the image has no ink.
    #[error("there is no digit to classify: draw a digit")]
    EmptyImage,

    /// An image buffer whose size does not match its stated dimensions, or that is too large.
    #[error("image of {width}×{height} pixels cannot be used: {reason}")]
    InvalidImage { width: usize, height: usize, reason: String },

    /// A weights file that cannot be imported.
    #[error("cannot import weights: {0}")]
    Import(String),

    /// A request the current model cannot serve.
    #[error("{0}")]
    Invalid(String),

    /// File-system errors (CLI only).
    #[error("{path}: {message}")]
    Io { path: String, message: String },
}

impl LabError {
    /// A stable name of the variant (`"invalid_learning_rate"`, `"empty_image"`…): what the page
    /// matches on, never the message.
    pub fn kind(&self) -> &'static str {
        match self {
            LabError::InvalidLearningRate { .. } => "invalid_learning_rate",
            LabError::InvalidBatchSize { .. } => "invalid_batch_size",
            LabError::InvalidL2 { .. } => "invalid_l2",
            LabError::InvalidSeed { .. } => "invalid_seed",
            LabError::BadMagic { .. } => "bad_magic",
            LabError::Truncated { .. } => "truncated",
            LabError::Oversized { .. } => "oversized",
            LabError::BadDimensions { .. } => "bad_dimensions",
            LabError::LabelOutOfRange { .. } => "label_out_of_range",
            LabError::CountMismatch { .. } => "count_mismatch",
            LabError::EmptyDataset { .. } => "empty_dataset",
            LabError::ShapeMismatch { .. } => "shape_mismatch",
            LabError::Diverged { .. } => "diverged",
            LabError::EmptyImage => "empty_image",
            LabError::InvalidImage { .. } => "invalid_image",
            LabError::Import(_) => "import",
            LabError::Invalid(_) => "invalid",
            LabError::Io { .. } => "io",
        }
    }

    /// The hyperparameter the error is about (`"learning_rate"`, `"batch_size"`, `"l2"`, `"seed"`),
    /// so the page can mark that field.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            LabError::InvalidLearningRate { .. } => Some("learning_rate"),
            LabError::InvalidBatchSize { .. } => Some("batch_size"),
            LabError::InvalidL2 { .. } => Some("l2"),
            LabError::InvalidSeed { .. } => Some("seed"),
            _ => None,
        }
    }

    /// The message without its variant's preamble: for an import, the reason the file was refused
    /// ("the W matrix has 7 columns…" rather than "cannot import weights: the W matrix…").
    pub fn reason(&self) -> String {
        match self {
            LabError::Import(reason) => reason.clone(),
            other => other.to_string(),
        }
    }
}

/// Result type of the core.
pub type Result<T> = std::result::Result<T, LabError>;

/// A whole number with thousands separators, as the page writes counts ("1,815,200").
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
