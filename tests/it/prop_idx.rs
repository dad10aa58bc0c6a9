//! Property tests of the IDX parser: no byte string makes it panic, every refusal is the
//! right one, and what `encode_images`/`encode_labels` write parses back unchanged —
//! synthetic files and slices of the real MNIST training set alike.
#![cfg(not(target_arch = "wasm32"))]

use crate::common;

use proptest::prelude::*;
use softmax_lab::data::idx::{encode_images, encode_labels, parse_images, parse_labels, IMAGES_MAGIC, LABELS_MAGIC};
use softmax_lab::data::{Dataset, INPUT_DIM};
use softmax_lab::LabError;
use std::sync::{Arc, OnceLock};

/// Header fields that reach the edges: 0, 1, small, the MNIST sizes, and up to `u32::MAX`.
fn header_field() -> impl Strategy<Value = u32> {
    prop_oneof![Just(0u32), Just(1), 0u32..64, Just(28), Just(60_000), Just(u32::MAX), any::<u32>()]
}

/// The real MNIST training set, loaded once for this test binary.
fn real_train() -> &'static Arc<Dataset> {
    static TRAIN: OnceLock<Arc<Dataset>> = OnceLock::new();
    TRAIN.get_or_init(|| common::mnist().0)
}

/// `PROPTEST_CASES` overrides the modest default case counts for a deeper run.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(256)))]

    /// Arbitrary bytes: an image file is parsed or refused, and when it is parsed the
    /// header and the length agree exactly.
    #[test]
    fn arbitrary_bytes_never_panic_the_image_parser(bytes in prop::collection::vec(any::<u8>(), 0..128)) {
        let len = bytes.len();
        match parse_images(bytes, "fuzz") {
            Ok(img) => {
                prop_assert_eq!(img.pixels.len(), img.count * img.rows * img.cols);
                prop_assert_eq!(len, 16 + img.pixels.len());
            }
            Err(e) => prop_assert!(
                matches!(e, LabError::Truncated { .. } | LabError::Oversized { .. } | LabError::BadMagic { .. }),
                "unexpected error {:?}", e
            ),
        }
    }

    /// Arbitrary bytes and class counts: labels are parsed or refused, never out of range.
    #[test]
    fn arbitrary_bytes_never_panic_the_label_parser(bytes in prop::collection::vec(any::<u8>(), 0..64), classes in 0usize..300) {
        match parse_labels(&bytes, "fuzz", classes) {
            Ok(labels) => {
                prop_assert_eq!(bytes.len(), 8 + labels.len());
                prop_assert!(labels.iter().all(|&l| usize::from(l) < classes));
            }
            Err(e) => prop_assert!(
                matches!(e, LabError::Truncated { .. } | LabError::Oversized { .. } | LabError::BadMagic { .. } | LabError::LabelOutOfRange { .. }),
                "unexpected error {:?}", e
            ),
        }
    }

    /// The right magic and any declared dimensions (up to 2³²−1 each, so the product
    /// overflows 64 bits) over a short body: accepted only at exactly the declared length,
    /// otherwise truncated or oversized with the real length reported.
    #[test]
    fn any_declared_image_dimensions_over_a_short_body(
        count in header_field(), rows in header_field(), cols in header_field(),
        body in prop::collection::vec(any::<u8>(), 0..256),
    ) {
        let mut file = Vec::new();
        for v in [IMAGES_MAGIC, count, rows, cols] {
            file.extend_from_slice(&v.to_be_bytes());
        }
        file.extend_from_slice(&body);
        let declared = u128::from(count) * u128::from(rows) * u128::from(cols);
        match parse_images(file, "fuzz") {
            Ok(img) => {
                prop_assert_eq!(declared, body.len() as u128);
                prop_assert_eq!((img.count, img.rows, img.cols), (count as usize, rows as usize, cols as usize));
                prop_assert_eq!(img.pixels, body);
            }
            Err(LabError::Truncated { expected, actual, .. }) => {
                prop_assert!(declared > body.len() as u128);
                prop_assert_eq!(actual, 16 + body.len());
                prop_assert!(expected > actual);
            }
            Err(LabError::Oversized { expected, actual, .. }) => {
                prop_assert!(declared < body.len() as u128);
                prop_assert_eq!(expected as u128, 16 + declared);
                prop_assert_eq!(actual, 16 + body.len());
            }
            Err(e) => prop_assert!(false, "unexpected error {:?}", e),
        }
    }

    /// The same for label files: any declared count over a short body.
    #[test]
    fn any_declared_label_count_over_a_short_body(count in header_field(), body in prop::collection::vec(0u8..10, 0..64)) {
        let mut file = LABELS_MAGIC.to_be_bytes().to_vec();
        file.extend_from_slice(&count.to_be_bytes());
        file.extend_from_slice(&body);
        let r = parse_labels(&file, "fuzz", 10);
        match (count as usize).cmp(&body.len()) {
            std::cmp::Ordering::Equal => prop_assert_eq!(r, Ok(body)),
            std::cmp::Ordering::Greater => prop_assert!(matches!(r, Err(LabError::Truncated { .. })), "{:?}", r),
            std::cmp::Ordering::Less => prop_assert!(matches!(r, Err(LabError::Oversized { .. })), "{:?}", r),
        }
    }

    /// Valid images round-trip, including 0 images and 0×0 or 1×1 images; every strict
    /// prefix is refused as truncated, and every extension as oversized.
    #[test]
    fn images_round_trip_and_cuts_are_truncations(
        (count, rows, cols, pixels) in (0usize..6, 0usize..30, 0usize..30)
            .prop_flat_map(|(n, r, c)| (Just(n), Just(r), Just(c), prop::collection::vec(any::<u8>(), n * r * c))),
        cut in any::<prop::sample::Index>(),
        extra in prop::collection::vec(any::<u8>(), 1..8),
    ) {
        let file = encode_images(count, rows, cols, &pixels);
        let img = parse_images(file.clone(), "t").unwrap();
        prop_assert_eq!((img.count, img.rows, img.cols), (count, rows, cols));
        prop_assert_eq!(&img.pixels, &pixels);

        let at = cut.index(file.len());
        let r = parse_images(file[..at].to_vec(), "t");
        prop_assert!(matches!(r, Err(LabError::Truncated { actual, .. }) if actual == at), "cut at {}: {:?}", at, r);

        let mut longer = file.clone();
        longer.extend_from_slice(&extra);
        let r = parse_images(longer, "t");
        prop_assert!(matches!(r, Err(LabError::Oversized { expected, .. }) if expected == file.len()), "{:?}", r);
    }

    /// Labels below `classes` round-trip; the first label at or above it is reported by index.
    #[test]
    fn labels_round_trip_and_the_first_bad_label_is_named(labels in prop::collection::vec(any::<u8>(), 0..200), classes in 1usize..=256) {
        let r = parse_labels(&encode_labels(&labels), "t", classes);
        match labels.iter().position(|&l| usize::from(l) >= classes) {
            None => prop_assert_eq!(r, Ok(labels)),
            Some(index) => prop_assert_eq!(
                r,
                Err(LabError::LabelOutOfRange { what: "t".into(), index, label: labels[index], classes })
            ),
        }
    }

    /// A single flipped byte anywhere in a valid pair of files is either harmless (a pixel)
    /// or refused with a data-file error; `Dataset::from_idx` never panics on it.
    #[test]
    fn one_flipped_byte_never_panics_the_dataset_loader(
        n in 1usize..4, at in any::<prop::sample::Index>(), value in any::<u8>(), in_labels in any::<bool>(),
    ) {
        let pixels: Vec<u8> = (0..n * INPUT_DIM).map(|i| (i * 7) as u8).collect();
        let labels: Vec<u8> = (0..n as u8).collect();
        let (mut img, mut lab) = (encode_images(n, 28, 28, &pixels), encode_labels(&labels));
        if in_labels {
            let i = at.index(lab.len());
            lab[i] = value;
        } else {
            let i = at.index(img.len());
            img[i] = value;
        }
        match Dataset::from_idx(img, &lab, 10, "set") {
            Ok(d) => {
                prop_assert_eq!(d.len(), n);
                prop_assert!(d.labels.iter().all(|&l| l < 10));
            }
            Err(e) => prop_assert!(
                matches!(
                    e,
                    LabError::BadMagic { .. } | LabError::Truncated { .. } | LabError::Oversized { .. }
                        | LabError::BadDimensions { .. } | LabError::LabelOutOfRange { .. }
                        | LabError::CountMismatch { .. } | LabError::EmptyDataset { .. }
                ),
                "unexpected error {:?}", e
            ),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(32)))]

    /// Real MNIST images and labels, any selection of them, written as IDX and read back:
    /// the same pixels and labels as taking the subset directly.
    #[test]
    fn real_mnist_subsets_round_trip(indices in prop::collection::vec(0usize..60_000, 1..40)) {
        let train = real_train();
        let direct = train.subset(&indices, "subset").unwrap();
        let img = encode_images(indices.len(), 28, 28, &direct.images);
        let lab = encode_labels(&direct.labels);
        let parsed = Dataset::from_idx(img, &lab, 10, "subset").unwrap();
        prop_assert_eq!(parsed, direct);
    }
}
