//! The native integration tests, one binary (one link) for all of them: `cargo test --profile test-opt`
//! (what `./lab test native` runs). Most of them train or score on the real MNIST that `./lab setup`
//! fetched; `common::mnist()` loads it once for the whole binary.
#![cfg(not(target_arch = "wasm32"))]

mod common;

mod cli;
mod errors;
mod export;
mod gradient;
mod idx;
mod kernel;
mod lessons_all_positive;
mod lessons_attenuation;
mod lessons_l2;
mod lessons_logistic;
mod lessons_lr_search;
mod lessons_softmax;
mod numpy_import;
mod own_data;
mod preprocess;
mod prop_csv;
mod prop_idx;
mod prop_import;
mod prop_npy;
mod prop_preprocess;
mod restore;
mod sentences_attenuation;
mod sentences_lr;
mod sentences_positive;
mod sentences_sections;
mod softmax;
mod step_view;
mod training;
