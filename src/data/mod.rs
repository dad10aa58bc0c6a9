//! Data: the IDX file format and labelled image sets.

pub mod dataset;
pub mod idx;

pub use dataset::{Dataset, DatasetKind, InputTransform, IDX_FILES, INPUT_DIM, SIDE};
