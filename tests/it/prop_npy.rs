//! Property tests of the `.npy` / `.npz` readers: no bytes make them panic (arbitrary bytes,
//! and valid files with bytes changed or cut), whatever is accepted is consistent, and every
//! array written round-trips exactly.

use proptest::prelude::*;
use softmax_lab::formats::npy::{parse_npy, parse_npz, write_npy, write_npz, NpyArray, NpyData};
use softmax_lab::formats::ForeignWeights;

fn any_f32() -> impl Strategy<Value = f32> {
    any::<u32>().prop_map(f32::from_bits)
}
fn any_f64() -> impl Strategy<Value = f64> {
    any::<u64>().prop_map(f64::from_bits)
}

/// An array of either float type, 0 to 3 dimensions of up to 6.
fn array() -> impl Strategy<Value = NpyArray> {
    prop::collection::vec(0usize..6, 0..=3).prop_flat_map(|shape| {
        let n = shape.iter().product::<usize>();
        let s2 = shape.clone();
        prop_oneof![
            prop::collection::vec(any_f32(), n).prop_map(move |v| NpyArray::f32(&shape, v)),
            prop::collection::vec(any_f64(), n).prop_map(move |v| NpyArray::f64(&s2, v)),
        ]
    })
}

fn same_bits(a: &NpyArray, b: &NpyArray) -> bool {
    a.shape == b.shape
        && match (&a.data, &b.data) {
            (NpyData::F32(x), NpyData::F32(y)) => x.iter().map(|v| v.to_bits()).eq(y.iter().map(|v| v.to_bits())),
            (NpyData::F64(x), NpyData::F64(y)) => x.iter().map(|v| v.to_bits()).eq(y.iter().map(|v| v.to_bits())),
            (NpyData::Str(x), NpyData::Str(y)) => x == y,
            _ => false,
        }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = parse_npy(&bytes, "x");
        let _ = parse_npz(&bytes, "x");
        let _ = ForeignWeights::from_npz(&bytes, "x");
        let mut with_magic = b"\x93NUMPY\x01\x00".to_vec();
        with_magic.extend_from_slice(&bytes);
        if let Ok(a) = parse_npy(&with_magic, "x") {
            prop_assert_eq!(a.len(), a.shape.iter().product::<usize>());
        }
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend_from_slice(&bytes);
        let _ = parse_npz(&zip, "x");
    }

    #[test]
    fn arrays_round_trip_bit_for_bit(a in array()) {
        let back = parse_npy(&write_npy(&a), "a").unwrap();
        prop_assert!(same_bits(&a, &back));
        let z = write_npz(&[("W", &a), ("b", &a)]).unwrap();
        let members = parse_npz(&z, "z").unwrap();
        prop_assert_eq!(members.len(), 2);
        prop_assert!(same_bits(&a, &members[0].1) && members[0].0 == "W");
    }

    #[test]
    fn header_text_never_panics(header in "[{}()':,. a-z_<>=|0-9TrueFals\\[\\]\"L]{0,120}", tail in prop::collection::vec(any::<u8>(), 0..64)) {
        let mut f = b"\x93NUMPY\x01\x00".to_vec();
        f.extend_from_slice(&(header.len() as u16).to_le_bytes());
        f.extend_from_slice(header.as_bytes());
        f.extend_from_slice(&tail);
        let _ = parse_npy(&f, "x");
    }

    #[test]
    fn damaged_valid_files_never_panic(a in array(), at in any::<prop::sample::Index>(), byte in any::<u8>(), cut in any::<prop::sample::Index>()) {
        let mut f = write_npy(&a);
        let i = at.index(f.len());
        f[i] = byte;
        let _ = parse_npy(&f, "x");
        f.truncate(cut.index(f.len() + 1));
        let _ = parse_npy(&f, "x");
        let mut z = write_npz(&[("W", &a)]).unwrap();
        let i = at.index(z.len());
        z[i] = byte;
        let _ = parse_npz(&z, "z");
        z.truncate(cut.index(z.len() + 1));
        let _ = parse_npz(&z, "z");
    }
}
