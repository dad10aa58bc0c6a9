//! softmax-lab: logistic and softmax regression on real MNIST, taught by running it.
//!
//! The core (everything but [`wasm`]) is plain Rust with no web dependencies:
//!
//! | module | what lives there |
//! |---|---|
//! | [`error`] | the `thiserror` enum every fallible function returns |
//! | [`data`] | IDX parsing and validation, `u8` data sets, the input transform |
//! | [`model`] | softmax regression: forward pass, stable softmax/cross-entropy, gradient |
//! | [`train`] | minibatch SGD with seeded shuffling, live hyperparameters, evaluation |
//! | [`step_view`] | one SGD step of the main model with every intermediate matrix |
//! | [`run`] | time-budgeted runs (the clock passed in): how the page trains and runs lessons |
//! | [`preprocess`] | drawn or photographed digits → 28×28 the MNIST way |
//! | [`export`] | the weights file format shared by the page and the CLI |
//! | [`formats`] | numpy `.npy` / `.npz` weights in and out, the input transform they expect |
//! | [`lessons`] | the lecture's experiments (sigmoid, attenuation, L2, all-positive, learning rate) |
//!
//! `wasm` is the only module that touches JavaScript; it converts types and errors and owns no logic.

pub mod data;
pub mod error;
pub mod export;
pub mod formats;
pub mod lessons;
pub mod model;
pub mod preprocess;
pub mod run;
pub mod step_view;
pub mod train;

#[cfg(not(target_arch = "wasm32"))]
pub mod files;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{LabError, Result};
