//! Property tests of the CSV reader: no bytes make it panic, and every valid set of rows
//! written in the common layout (with or without a header, \n or \r\n) reads back exactly.

use proptest::prelude::*;
use softmax_lab::data::own::parse_csv;
use softmax_lab::data::INPUT_DIM;

fn rows() -> impl Strategy<Value = Vec<(u8, Vec<u8>)>> {
    prop::collection::vec((0u8..20, prop::collection::vec(any::<u8>(), INPUT_DIM)), 1..4)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = parse_csv(&bytes, "x");
    }

    #[test]
    fn arbitrary_cells_never_panic(cells in prop::collection::vec("[0-9a-z.,\\- \"#:\r\n]{0,6}", 0..900)) {
        let _ = parse_csv(cells.join(",").as_bytes(), "x");
    }

    #[test]
    fn valid_rows_round_trip(rows in rows(), header in any::<bool>(), crlf in any::<bool>()) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut text = String::new();
        if header {
            text.push_str("label");
            (0..INPUT_DIM).for_each(|j| text.push_str(&format!(",pixel{j}")));
            text.push_str(nl);
        }
        for (label, px) in &rows {
            text.push_str(&label.to_string());
            px.iter().for_each(|p| text.push_str(&format!(",{p}")));
            text.push_str(nl);
        }
        let back = parse_csv(text.as_bytes(), "x").unwrap();
        prop_assert_eq!(back.labels, rows.iter().map(|r| r.0).collect::<Vec<_>>());
        prop_assert_eq!(back.images, rows.iter().flat_map(|r| r.1.clone()).collect::<Vec<_>>());
    }
}
