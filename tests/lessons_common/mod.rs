//! Shared by the `lessons_*` tests: MNIST loaded once per test binary.

use softmax_lab::data::{Dataset, DatasetKind};
use softmax_lab::files;
use std::sync::{Arc, OnceLock};

/// The MNIST training and test sets (`data/mnist/`, fetched by `./lab setup`).
pub fn mnist() -> (Arc<Dataset>, Arc<Dataset>) {
    static DATA: OnceLock<(Arc<Dataset>, Arc<Dataset>)> = OnceLock::new();
    let (train, test) = DATA.get_or_init(|| files::load(&files::data_dir(None), DatasetKind::Mnist).expect("MNIST in data/mnist (run ./lab setup)"));
    (Arc::clone(train), Arc::clone(test))
}
