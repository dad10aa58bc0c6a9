//! Helpers shared by the native integration tests.
#![allow(dead_code)]

use softmax_lab::data::{Dataset, DatasetKind};
use softmax_lab::files;
use std::sync::Arc;

/// The real MNIST training and test sets that `./lab setup` fetched and checksummed.
pub fn mnist() -> (Arc<Dataset>, Arc<Dataset>) {
    files::load(&files::data_dir(None), DatasetKind::Mnist)
        .unwrap_or_else(|e| panic!("real MNIST is needed for this test: {e}. Run `./lab setup` first."))
}

/// Raw bytes of one real MNIST IDX file.
pub fn mnist_file(name: &str) -> Vec<u8> {
    files::read_idx(&files::data_dir(None).join("mnist"), name)
        .unwrap_or_else(|e| panic!("real MNIST is needed for this test: {e}. Run `./lab setup` first."))
}
