//! Data: the IDX file format, labelled image sets, and the user's own files (CSV or IDX).

pub mod dataset;
pub mod idx;
pub mod own;

pub use dataset::{Dataset, DatasetKind, InputTransform, IDX_FILES, INPUT_DIM, SIDE};
