//! The IDX parser on the real files and on every kind of broken file.

use crate::common;

use softmax_lab::data::idx::{encode_images, encode_labels, parse_images, parse_labels};
use softmax_lab::data::Dataset;
use softmax_lab::LabError;

#[test]
fn accepts_the_real_mnist_files() {
    let img = parse_images(common::mnist_file("train-images-idx3-ubyte"), "train").unwrap();
    assert_eq!((img.count, img.rows, img.cols), (60_000, 28, 28));
    assert_eq!(img.pixels.len(), 47_040_000);
    let labels = parse_labels(&common::mnist_file("train-labels-idx1-ubyte"), "train", 10).unwrap();
    // First training labels, from data.md (and every MNIST reader): 5 0 4 1 9 2 1 3 1 4.
    assert_eq!(&labels[..10], &[5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    let test = parse_labels(&common::mnist_file("t10k-labels-idx1-ubyte"), "test", 10).unwrap();
    assert_eq!(test.len(), 10_000);
    assert_eq!(&test[..10], &[7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    let (train, test) = common::mnist();
    assert_eq!((train.len(), test.len()), (60_000, 10_000));
}

#[test]
fn rejects_wrong_magic() {
    let mut f = encode_images(1, 28, 28, &[0; 784]);
    f[3] = 0x01; // a label file's magic
    assert!(matches!(parse_images(f, "x"), Err(LabError::BadMagic { expected: 0x803, found: 0x801, .. })));
    let labels = encode_labels(&[1, 2]);
    assert!(matches!(parse_images(labels.clone(), "x"), Err(LabError::BadMagic { .. } | LabError::Truncated { .. })));
    let images = encode_images(1, 28, 28, &[0; 784]);
    assert!(matches!(parse_labels(&images, "x", 10), Err(LabError::BadMagic { expected: 0x801, found: 0x803, .. })));
}

#[test]
fn rejects_truncated_files() {
    let f = encode_images(3, 28, 28, &[7; 3 * 784]);
    let cut = f[..f.len() - 1].to_vec();
    assert_eq!(
        parse_images(cut, "x"),
        Err(LabError::Truncated { what: "x".into(), expected: 16 + 3 * 784, actual: 15 + 3 * 784 })
    );
    assert!(matches!(parse_images(f[..10].to_vec(), "x"), Err(LabError::Truncated { expected: 16, actual: 10, .. })));
    assert!(matches!(parse_images(Vec::new(), "x"), Err(LabError::Truncated { .. })));
    let l = encode_labels(&[1, 2, 3]);
    assert!(matches!(
        parse_labels(&l[..l.len() - 2], "x", 10),
        Err(LabError::Truncated { expected: 11, actual: 9, .. })
    ));
    // The real training images, cut short by one byte.
    let mut real = common::mnist_file("train-images-idx3-ubyte");
    real.pop();
    assert!(matches!(
        parse_images(real, "real"),
        Err(LabError::Truncated { expected: 47_040_016, actual: 47_040_015, .. })
    ));
}

#[test]
fn rejects_oversized_files() {
    let mut f = encode_images(2, 28, 28, &[0; 2 * 784]);
    f.push(0);
    assert!(matches!(parse_images(f, "x"), Err(LabError::Oversized { expected: 1584, actual: 1585, .. })));
    let mut l = encode_labels(&[1, 2]);
    l.extend_from_slice(&[0; 5]);
    assert!(matches!(parse_labels(&l, "x", 10), Err(LabError::Oversized { expected: 10, actual: 15, .. })));
}

#[test]
fn rejects_labels_out_of_range_and_mismatched_counts_and_dimensions() {
    let l = encode_labels(&[1, 2, 10, 3]);
    assert_eq!(
        parse_labels(&l, "x", 10),
        Err(LabError::LabelOutOfRange { what: "x".into(), index: 2, label: 10, classes: 10 })
    );
    let imgs = encode_images(2, 28, 28, &[0; 2 * 784]);
    let r = Dataset::from_idx(imgs, &encode_labels(&[1, 2, 3]), 10, "set");
    assert!(matches!(r, Err(LabError::CountMismatch { images: 2, labels: 3, .. })));
    let small = encode_images(1, 10, 10, &[0; 100]);
    assert!(matches!(
        Dataset::from_idx(small, &encode_labels(&[1]), 10, "set"),
        Err(LabError::BadDimensions { rows: 10, cols: 10, .. })
    ));
    let empty = encode_images(0, 28, 28, &[]);
    assert!(matches!(Dataset::from_idx(empty, &encode_labels(&[]), 10, "set"), Err(LabError::EmptyDataset { .. })));
}

#[test]
fn error_messages_say_what_is_wrong() {
    let e = parse_images(encode_labels(&[1; 20]), "train-images-idx3-ubyte").unwrap_err();
    assert_eq!(
        e.to_string(),
        "train-images-idx3-ubyte: not an IDX image file (magic number 0x00000801, expected 0x00000803)"
    );
}
