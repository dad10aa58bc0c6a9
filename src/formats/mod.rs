//! File formats from outside the lab: numpy's `.npy` / `.npz` arrays and the weights a numpy
//! homework saves in them.

pub mod npy;
pub mod weights;

pub use npy::{parse_npy, parse_npz, write_npy, write_npz, NpyArray, NpyData};
pub use weights::{ForeignWeights, TransformScore};
