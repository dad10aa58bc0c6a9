//! Helpers shared by the native integration tests.

use softmax_lab::data::{Dataset, DatasetKind};
use softmax_lab::files;
use std::sync::{Arc, OnceLock};

/// The real MNIST training and test sets that `./lab setup` fetched and checksummed.
/// Loaded once per test binary and shared by every test.
pub fn mnist() -> (Arc<Dataset>, Arc<Dataset>) {
    static DATA: OnceLock<(Arc<Dataset>, Arc<Dataset>)> = OnceLock::new();
    let (train, test) = DATA.get_or_init(|| {
        files::load(&files::data_dir(None), DatasetKind::Mnist)
            .unwrap_or_else(|e| panic!("real MNIST is needed for this test: {e}. Run `./lab setup` first."))
    });
    (Arc::clone(train), Arc::clone(test))
}

/// Raw bytes of one real MNIST IDX file.
pub fn mnist_file(name: &str) -> Vec<u8> {
    files::read_idx(&files::data_dir(None).join("mnist"), name)
        .unwrap_or_else(|e| panic!("real MNIST is needed for this test: {e}. Run `./lab setup` first."))
}
