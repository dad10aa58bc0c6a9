//! Parser for the IDX format of MNIST and Fashion-MNIST.
//!
//! Format (LeCun & Cortes, <http://yann.lecun.com/exdb/mnist/>): a big-endian header.
//! Images: magic `0x00000803`, count, rows, cols (16 bytes), then count·rows·cols `u8`.
//! Labels: magic `0x00000801`, count (8 bytes), then count `u8`.
//! Every field is checked against the file length: a truncated or padded file is refused.

use crate::error::{LabError, Result};

/// Magic number of an IDX file of unsigned bytes with 3 dimensions (images).
pub const IMAGES_MAGIC: u32 = 0x0000_0803;
/// Magic number of an IDX file of unsigned bytes with 1 dimension (labels).
pub const LABELS_MAGIC: u32 = 0x0000_0801;

/// Images parsed from an IDX file: `count` images of `rows × cols` bytes, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct IdxImages {
    pub count: usize,
    pub rows: usize,
    pub cols: usize,
    pub pixels: Vec<u8>,
}

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at + 4)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

fn header(bytes: &[u8], what: &str, kind: &'static str, magic: u32, header_len: usize) -> Result<()> {
    if bytes.len() < header_len {
        return Err(LabError::Truncated { what: what.to_string(), expected: header_len, actual: bytes.len() });
    }
    let found = be_u32(bytes, 0).unwrap_or(0);
    if found != magic {
        return Err(LabError::BadMagic { what: what.to_string(), kind, expected: magic, found });
    }
    Ok(())
}

fn check_len(bytes: &[u8], what: &str, expected: Option<usize>) -> Result<usize> {
    // `None` means the header's product overflowed: no real file can be that long.
    let expected = expected.unwrap_or(usize::MAX);
    match bytes.len() {
        n if n < expected => Err(LabError::Truncated { what: what.to_string(), expected, actual: n }),
        n if n > expected => Err(LabError::Oversized { what: what.to_string(), expected, actual: n }),
        _ => Ok(expected),
    }
}

/// Parse an IDX image file. `what` names the file in error messages.
/// Takes the bytes by value and strips the header in place, so a 47 MB file is not copied.
pub fn parse_images(mut bytes: Vec<u8>, what: &str) -> Result<IdxImages> {
    header(&bytes, what, "image", IMAGES_MAGIC, 16)?;
    let field = |at| be_u32(&bytes, at).map(|v| v as usize).unwrap_or(0);
    let (count, rows, cols) = (field(4), field(8), field(12));
    let expected = count.checked_mul(rows).and_then(|v| v.checked_mul(cols)).and_then(|v| v.checked_add(16));
    check_len(&bytes, what, expected)?;
    bytes.drain(..16);
    Ok(IdxImages { count, rows, cols, pixels: bytes })
}

/// Parse an IDX label file, checking every label is below `classes`.
pub fn parse_labels(bytes: &[u8], what: &str, classes: usize) -> Result<Vec<u8>> {
    header(bytes, what, "label", LABELS_MAGIC, 8)?;
    let count = be_u32(bytes, 4).map(|v| v as usize).unwrap_or(0);
    check_len(bytes, what, count.checked_add(8))?;
    let labels = &bytes[8..];
    if let Some((index, &label)) = labels.iter().enumerate().find(|(_, &l)| usize::from(l) >= classes) {
        return Err(LabError::LabelOutOfRange { what: what.to_string(), index, label, classes });
    }
    Ok(labels.to_vec())
}

/// Encode images as an IDX file (used by tests and by tools that write subsets).
pub fn encode_images(count: usize, rows: usize, cols: usize, pixels: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + pixels.len());
    for v in [IMAGES_MAGIC, count as u32, rows as u32, cols as u32] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    out.extend_from_slice(pixels);
    out
}

/// Encode labels as an IDX file.
pub fn encode_labels(labels: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + labels.len());
    out.extend_from_slice(&LABELS_MAGIC.to_be_bytes());
    out.extend_from_slice(&(labels.len() as u32).to_be_bytes());
    out.extend_from_slice(labels);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let px: Vec<u8> = (0..2 * 3 * 4).map(|v| v as u8).collect();
        let img = parse_images(encode_images(2, 3, 4, &px), "t").unwrap();
        assert_eq!((img.count, img.rows, img.cols), (2, 3, 4));
        assert_eq!(img.pixels, px);
        assert_eq!(parse_labels(&encode_labels(&[0, 9, 3]), "l", 10).unwrap(), vec![0, 9, 3]);
    }

    #[test]
    fn header_overflow_is_truncation_not_panic() {
        let mut f = encode_images(0, 0, 0, &[]);
        f[4..16].copy_from_slice(&[0xff; 12]);
        assert!(matches!(parse_images(f, "t"), Err(LabError::Truncated { .. })));
    }
}
