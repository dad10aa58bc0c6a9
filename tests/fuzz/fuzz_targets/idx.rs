//! Fuzz the IDX parser: image files, label files, and a pair of them as
//! `Dataset::from_idx` (what the page and the CLI call) sees it.
//! Run: `cargo +nightly fuzz run --fuzz-dir tests/fuzz idx`
#![no_main]

use libfuzzer_sys::fuzz_target;
use softmax_lab::data::idx::{parse_images, parse_labels};
use softmax_lab::data::{Dataset, INPUT_DIM};
use softmax_lab::LabError;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    match mode % 3 {
        0 => match parse_images(rest.to_vec(), "fuzz") {
            Ok(img) => {
                assert_eq!(img.pixels.len(), img.count * img.rows * img.cols);
                assert_eq!(rest.len(), 16 + img.pixels.len());
            }
            Err(e) => assert!(matches!(e, LabError::Truncated { .. } | LabError::Oversized { .. } | LabError::BadMagic { .. }), "{e:?}"),
        },
        1 => {
            let classes = usize::from(mode / 3);
            match parse_labels(rest, "fuzz", classes) {
                Ok(labels) => {
                    assert_eq!(rest.len(), 8 + labels.len());
                    assert!(labels.iter().all(|&l| usize::from(l) < classes));
                }
                Err(e) => assert!(
                    matches!(e, LabError::Truncated { .. } | LabError::Oversized { .. } | LabError::BadMagic { .. } | LabError::LabelOutOfRange { .. }),
                    "{e:?}"
                ),
            }
        }
        _ => {
            // A pair of files: two bytes say where the image file ends and the label file begins.
            let Some((cut, files)) = rest.split_first_chunk::<2>() else { return };
            let at = usize::from(u16::from_le_bytes(*cut)).min(files.len());
            let (images, labels) = files.split_at(at);
            if let Ok(d) = Dataset::from_idx(images.to_vec(), labels, 10, "fuzz") {
                assert!(!d.is_empty());
                assert_eq!(d.images.len(), d.len() * INPUT_DIM);
                assert!(d.labels.iter().all(|&l| l < 10));
            }
        }
    }
});
