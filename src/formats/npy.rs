//! numpy's `.npy` array format (read and write) and `.npz` (a zip of `.npy` members).
//!
//! Format (numpy's `numpy.lib.format`): magic `\x93NUMPY`, major and minor version, the header
//! length (`u16` little-endian in version 1, `u32` in versions 2 and 3), then the header — a
//! Python dict literal such as `{'descr': '<f4', 'fortran_order': False, 'shape': (784, 10), }`
//! in latin-1 (versions 1, 2) or UTF-8 (version 3) — then the raw data.
//!
//! The header parser is written here rather than taken from a crate: the subset numpy writes
//! is three keys with a string, a bool and a tuple of integers, and owning it gives the lab the
//! import guarantees it has for JSON (every malformed input a [`LabError::Import`] with its
//! reason, no allocation before the sizes are checked against the file, no panic on any bytes).
//! The zip container is read and written by the `zip` crate (deflate through miniz_oxide).
//!
//! Read: float32 and float64 (either byte order, C or Fortran order) and fixed-width unicode
//! strings (`<U`, for class names); everything else is refused with the reason.

use crate::error::{LabError, Result};
use std::io::{Cursor, Read, Write};

/// The magic string every `.npy` file starts with.
pub const MAGIC: &[u8; 6] = b"\x93NUMPY";
/// Longest header accepted (numpy's own default `max_header_size`).
pub const MAX_HEADER_BYTES: usize = 10_000;
/// Most members an `.npz` may hold.
pub const MAX_NPZ_MEMBERS: usize = 16;
/// Most bytes one `.npz` member may unpack to (a 784 × 20 float64 W is 125 KB): a zip bomb stops here.
pub const MAX_MEMBER_BYTES: usize = 4 * 1024 * 1024;
/// Most bytes all members of an `.npz` together may unpack to.
pub const MAX_NPZ_UNPACKED_BYTES: usize = 16 * 1024 * 1024;
/// Longest fixed-width string accepted in a `<U` array (class names).
pub const MAX_STRING_CHARS: usize = 256;

/// The values of an array, in C (row-major) order whatever order the file used.
#[derive(Debug, Clone, PartialEq)]
pub enum NpyData {
    F32(Vec<f32>),
    F64(Vec<f64>),
    /// A fixed-width unicode array (`<U n`), trailing NULs removed.
    Str(Vec<String>),
}

/// One array read from, or to be written to, a `.npy` file.
#[derive(Debug, Clone, PartialEq)]
pub struct NpyArray {
    pub shape: Vec<usize>,
    pub data: NpyData,
}

impl NpyArray {
    /// A float32 array; `data.len()` must be the product of `shape`.
    pub fn f32(shape: &[usize], data: Vec<f32>) -> Self {
        NpyArray { shape: shape.to_vec(), data: NpyData::F32(data) }
    }
    /// A float64 array.
    pub fn f64(shape: &[usize], data: Vec<f64>) -> Self {
        NpyArray { shape: shape.to_vec(), data: NpyData::F64(data) }
    }
    /// A 1-d unicode array.
    pub fn strings(data: Vec<String>) -> Self {
        NpyArray { shape: vec![data.len()], data: NpyData::Str(data) }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        match &self.data {
            NpyData::F32(v) => v.len(),
            NpyData::F64(v) => v.len(),
            NpyData::Str(v) => v.len(),
        }
    }

    /// Whether the array has no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The numbers as f64 (exact for both float types); `None` for strings.
    pub fn to_f64(&self) -> Option<Vec<f64>> {
        match &self.data {
            NpyData::F32(v) => Some(v.iter().map(|&x| f64::from(x)).collect()),
            NpyData::F64(v) => Some(v.clone()),
            NpyData::Str(_) => None,
        }
    }

    /// numpy's name of the element type ("float32", "float64", "<U12").
    pub fn dtype_name(&self) -> String {
        match &self.data {
            NpyData::F32(_) => "float32".into(),
            NpyData::F64(_) => "float64".into(),
            NpyData::Str(v) => format!("<U{}", v.iter().map(|s| s.chars().count()).max().unwrap_or(0).max(1)),
        }
    }
}

fn err(what: &str, reason: impl std::fmt::Display) -> LabError {
    LabError::Import(format!("{what}: {reason}"))
}

/// The element type a header describes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Dtype {
    Float { size: usize, big_endian: bool },
    Unicode { chars: usize, big_endian: bool },
}

impl Dtype {
    fn item_size(self) -> usize {
        match self {
            Dtype::Float { size, .. } => size,
            Dtype::Unicode { chars, .. } => 4 * chars,
        }
    }
}

/// What a descr string such as `'<f4'` means, or why the lab cannot read it.
fn parse_descr(descr: &str) -> std::result::Result<Dtype, String> {
    let mut chars = descr.chars();
    let (order, rest) = match chars.next() {
        Some(c @ ('<' | '>' | '=' | '|')) => (c, chars.as_str()),
        _ => ('=', descr),
    };
    let big_endian = order == '>';
    let kind = rest.chars().next().unwrap_or(' ');
    let size: Option<usize> = rest.get(1..).and_then(|s| s.parse().ok());
    let unsupported = |what: &str| {
        format!(
            "dtype {descr:?} ({what}) is not supported: save the arrays as float32 or float64 (W.astype(np.float32))"
        )
    };
    match (kind, size) {
        ('f', Some(4)) => Ok(Dtype::Float { size: 4, big_endian }),
        ('f', Some(8)) => Ok(Dtype::Float { size: 8, big_endian }),
        ('f', _) => Err(unsupported("a float of another width")),
        ('U', Some(n)) if (1..=MAX_STRING_CHARS).contains(&n) => Ok(Dtype::Unicode { chars: n, big_endian }),
        ('U', _) => Err(unsupported("strings of an unusable width")),
        ('O', _) => Err(unsupported("Python objects, readable only with pickle")),
        ('c', _) => Err(unsupported("complex numbers")),
        ('i' | 'u', _) => Err(unsupported("integers")),
        ('b', _) => Err(unsupported("booleans")),
        ('S' | 'a' | 'V', _) => Err(unsupported("bytes")),
        ('M' | 'm', _) => Err(unsupported("dates or times")),
        _ => Err(unsupported("unknown")),
    }
}

/// A value of the header dict.
#[derive(Debug, PartialEq)]
enum Value {
    Str(String),
    Bool(bool),
    Tuple(Vec<usize>),
}

/// A recursive-descent reader of the one dict literal numpy writes.
struct HeaderParser<'a> {
    s: &'a [u8],
    at: usize,
}

impl HeaderParser<'_> {
    fn ws(&mut self) {
        while self.s.get(self.at).is_some_and(|c| c.is_ascii_whitespace()) {
            self.at += 1;
        }
    }
    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.at).copied()
    }
    fn expect(&mut self, c: u8) -> std::result::Result<(), String> {
        match self.peek() {
            Some(x) if x == c => {
                self.at += 1;
                Ok(())
            }
            Some(x) => {
                Err(format!("expected '{}' at character {} of the header, found '{}'", c as char, self.at, x as char))
            }
            None => Err(format!("the header ends early (expected '{}')", c as char)),
        }
    }
    fn string(&mut self) -> std::result::Result<String, String> {
        let quote = match self.peek() {
            Some(q @ (b'\'' | b'"')) => q,
            _ => return Err(format!("expected a quoted string at character {} of the header", self.at)),
        };
        self.at += 1;
        let start = self.at;
        while let Some(&c) = self.s.get(self.at) {
            if c == b'\\' {
                return Err("escape sequences in the header are not supported".into());
            }
            if c == quote {
                let text = String::from_utf8_lossy(&self.s[start..self.at]).into_owned();
                self.at += 1;
                return Ok(text);
            }
            self.at += 1;
        }
        Err("a string in the header is not closed".into())
    }
    fn word(&mut self) -> &[u8] {
        self.ws();
        let start = self.at;
        while self.s.get(self.at).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') {
            self.at += 1;
        }
        &self.s[start..self.at]
    }
    fn value(&mut self) -> std::result::Result<Value, String> {
        match self.peek() {
            Some(b'\'' | b'"') => self.string().map(Value::Str),
            Some(b'(') => {
                self.at += 1;
                let mut dims = Vec::new();
                loop {
                    if self.peek() == Some(b')') {
                        self.at += 1;
                        return Ok(Value::Tuple(dims));
                    }
                    let w = self.word();
                    let digits = w.strip_suffix(b"L").unwrap_or(w);
                    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
                        return Err("the shape must be a tuple of whole numbers".into());
                    }
                    let n: usize = std::str::from_utf8(digits)
                        .ok()
                        .and_then(|d| d.parse().ok())
                        .ok_or("a dimension of the shape is too large")?;
                    dims.push(n);
                    if dims.len() > 32 {
                        return Err("the shape has more than 32 dimensions".into());
                    }
                    match self.peek() {
                        Some(b',') => self.at += 1,
                        Some(b')') => {}
                        _ => return Err("the shape tuple is malformed".into()),
                    }
                }
            }
            Some(b'[' | b'{') => Err("structured dtypes (records) are not supported: save plain arrays".into()),
            _ => match self.word() {
                b"True" => Ok(Value::Bool(true)),
                b"False" => Ok(Value::Bool(false)),
                _ => Err(format!("unexpected value at character {} of the header", self.at)),
            },
        }
    }
    /// `(descr, fortran_order, shape)`.
    fn dict(&mut self) -> std::result::Result<(String, bool, Vec<usize>), String> {
        self.expect(b'{')?;
        let (mut descr, mut fortran, mut shape) = (None, None, None);
        loop {
            if self.peek() == Some(b'}') {
                self.at += 1;
                break;
            }
            let key = self.string()?;
            self.expect(b':')?;
            let value = self.value()?;
            let slot_taken = match (key.as_str(), value) {
                ("descr", Value::Str(s)) => descr.replace(s).is_some(),
                ("fortran_order", Value::Bool(b)) => fortran.replace(b).is_some(),
                ("shape", Value::Tuple(t)) => shape.replace(t).is_some(),
                ("descr" | "fortran_order" | "shape", _) => {
                    return Err(format!("the header's {key:?} has the wrong type"))
                }
                _ => return Err(format!("the header has an unknown key {key:?}")),
            };
            if slot_taken {
                return Err(format!("the header repeats the key {key:?}"));
            }
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {}
                _ => return Err("the header dict is malformed".into()),
            }
        }
        if self.s[self.at..].iter().any(|c| !c.is_ascii_whitespace() && *c != 0) {
            return Err("the header has text after its dict".into());
        }
        match (descr, fortran, shape) {
            (Some(d), Some(f), Some(s)) => Ok((d, f, s)),
            _ => Err("the header must have 'descr', 'fortran_order' and 'shape'".into()),
        }
    }
}

/// Parse a `.npy` file. `what` names it in error messages.
pub fn parse_npy(bytes: &[u8], what: &str) -> Result<NpyArray> {
    if bytes.len() < 10 || &bytes[..6] != MAGIC {
        return Err(err(what, "not a .npy file (it does not start with \\x93NUMPY)"));
    }
    let (major, minor) = (bytes[6], bytes[7]);
    let (header_len, start) = match major {
        1 => (usize::from(u16::from_le_bytes([bytes[8], bytes[9]])), 10),
        2 | 3 => {
            let b = bytes.get(8..12).ok_or_else(|| err(what, "the file ends inside its header"))?;
            (u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize, 12)
        }
        _ => {
            return Err(err(what, format!("NPY format version {major}.{minor} is not supported (versions 1 to 3 are)")))
        }
    };
    if header_len > MAX_HEADER_BYTES {
        return Err(err(what, format!("the header is {header_len} bytes; the limit is {MAX_HEADER_BYTES}")));
    }
    let header =
        bytes.get(start..start + header_len).ok_or_else(|| err(what, "the file ends inside its header (truncated)"))?;
    if major < 3 && !header.is_ascii() {
        return Err(err(what, "the header is not ASCII"));
    }
    if major == 3 && std::str::from_utf8(header).is_err() {
        return Err(err(what, "the header is not UTF-8"));
    }
    let (descr, fortran, shape) = HeaderParser { s: header, at: 0 }.dict().map_err(|r| err(what, r))?;
    let dtype = parse_descr(&descr).map_err(|r| err(what, r))?;
    let count = shape.iter().try_fold(1usize, |a, &d| a.checked_mul(d));
    let data = &bytes[start + header_len..];
    let expected = count.and_then(|n| n.checked_mul(dtype.item_size()));
    match expected {
        Some(n) if n == data.len() => {}
        Some(n) if n > data.len() => {
            return Err(err(
                what,
                format!(
                    "the data is truncated: shape {} of {descr} needs {n} bytes, the file has {}",
                    shape_text(&shape),
                    data.len()
                ),
            ))
        }
        Some(n) => {
            return Err(err(
                what,
                format!("the file has {} bytes of data, shape {} needs exactly {n}", data.len(), shape_text(&shape)),
            ))
        }
        None => return Err(err(what, format!("shape {} is too large", shape_text(&shape)))),
    }
    let count = count.unwrap_or(0);
    let values = match dtype {
        Dtype::Float { size: 4, big_endian } => NpyData::F32(
            data.chunks_exact(4)
                .map(|c| {
                    let b = [c[0], c[1], c[2], c[3]];
                    if big_endian {
                        f32::from_be_bytes(b)
                    } else {
                        f32::from_le_bytes(b)
                    }
                })
                .collect(),
        ),
        Dtype::Float { big_endian, .. } => NpyData::F64(
            data.chunks_exact(8)
                .map(|c| {
                    let b = [c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]];
                    if big_endian {
                        f64::from_be_bytes(b)
                    } else {
                        f64::from_le_bytes(b)
                    }
                })
                .collect(),
        ),
        Dtype::Unicode { chars, big_endian } => {
            let mut out = Vec::with_capacity(count);
            for item in data.chunks_exact(4 * chars) {
                let mut s = String::new();
                for c in item.chunks_exact(4) {
                    let b = [c[0], c[1], c[2], c[3]];
                    let code = if big_endian { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) };
                    if code == 0 {
                        break;
                    }
                    s.push(char::from_u32(code).ok_or_else(|| err(what, "a string holds an invalid character"))?);
                }
                out.push(s);
            }
            NpyData::Str(out)
        }
    };
    let values = if fortran && shape.len() > 1 { to_c_order(values, &shape) } else { values };
    Ok(NpyArray { shape, data: values })
}

/// `(784, 10)` the way numpy prints a shape.
pub fn shape_text(shape: &[usize]) -> String {
    match shape {
        [n] => format!("({n},)"),
        _ => format!("({})", shape.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")),
    }
}

/// Reorder column-major (Fortran) values to row-major.
fn to_c_order(values: NpyData, shape: &[usize]) -> NpyData {
    fn reorder<T: Clone>(v: Vec<T>, shape: &[usize]) -> Vec<T> {
        let n = v.len();
        let mut out = Vec::with_capacity(n);
        // C-order index → multi-index → Fortran offset.
        let mut idx = vec![0usize; shape.len()];
        for _ in 0..n {
            let mut off = 0;
            let mut stride = 1;
            for (k, &d) in shape.iter().enumerate() {
                off += idx[k] * stride;
                stride *= d;
            }
            out.push(v[off].clone());
            for k in (0..shape.len()).rev() {
                idx[k] += 1;
                if idx[k] < shape[k] {
                    break;
                }
                idx[k] = 0;
            }
        }
        out
    }
    match values {
        NpyData::F32(v) => NpyData::F32(reorder(v, shape)),
        NpyData::F64(v) => NpyData::F64(reorder(v, shape)),
        NpyData::Str(v) => NpyData::Str(reorder(v, shape)),
    }
}

/// Write an array as a version-1.0 `.npy` file (little-endian, C order), the header padded
/// to 64 bytes as numpy pads it.
pub fn write_npy(array: &NpyArray) -> Vec<u8> {
    let descr = match &array.data {
        NpyData::F32(_) => "<f4".to_string(),
        NpyData::F64(_) => "<f8".to_string(),
        NpyData::Str(_) => array.dtype_name(),
    };
    let mut header = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': {}, }}", shape_text(&array.shape));
    let unpadded = MAGIC.len() + 4 + header.len() + 1;
    header.push_str(&" ".repeat((64 - unpadded % 64) % 64));
    header.push('\n');
    let mut out = Vec::with_capacity(10 + header.len() + array.len() * 8);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&[1, 0]);
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    match &array.data {
        NpyData::F32(v) => v.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes())),
        NpyData::F64(v) => v.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes())),
        NpyData::Str(v) => {
            let width = descr[2..].parse::<usize>().unwrap_or(1);
            for s in v {
                let mut n = 0;
                for c in s.chars().take(width) {
                    out.extend_from_slice(&(c as u32).to_le_bytes());
                    n += 1;
                }
                out.extend(std::iter::repeat_n(0u8, 4 * (width - n)));
            }
        }
    }
    out
}

/// Parse an `.npz` archive: each member's name (without `.npy`) and array, in archive order.
/// Anything but `.npy` members, more than [`MAX_NPZ_MEMBERS`], a member that would unpack past
/// [`MAX_MEMBER_BYTES`] (or all together past [`MAX_NPZ_UNPACKED_BYTES`]), encryption or a
/// compression other than stored/deflate is refused.
pub fn parse_npz(bytes: &[u8], what: &str) -> Result<Vec<(String, NpyArray)>> {
    if bytes.len() > crate::export::MAX_IMPORT_BYTES {
        return Err(err(
            what,
            format!("file is {} bytes; the limit is {}", bytes.len(), crate::export::MAX_IMPORT_BYTES),
        ));
    }
    if !bytes.starts_with(b"PK") {
        return Err(err(what, "not an .npz file (not a zip archive)"));
    }
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| err(what, format!("not a valid zip archive ({e})")))?;
    if zip.len() > MAX_NPZ_MEMBERS {
        return Err(err(what, format!("the archive has {} members; the limit is {MAX_NPZ_MEMBERS}", zip.len())));
    }
    let mut out: Vec<(String, NpyArray)> = Vec::new();
    let mut unpacked = 0usize;
    for i in 0..zip.len() {
        // Raw: the zip crate is built without its deflate support (its writer would bring a
        // deflater along, 75 KB of the full wasm module); deflated members are inflated here
        // with flate2, and every member's CRC-32 is checked here.
        let mut member = zip.by_index_raw(i).map_err(|e| err(what, format!("member {i} cannot be read ({e})")))?;
        let name =
            member.name().map_err(|e| err(what, format!("member {i} has an unreadable name ({e})")))?.to_string();
        let Some(stem) = name.strip_suffix(".npy") else {
            return Err(err(
                what,
                format!("member {name:?} is not a .npy array: an .npz from np.savez holds only .npy members"),
            ));
        };
        if out.iter().any(|(n, _)| n == stem) {
            return Err(err(what, format!("member {name:?} appears twice")));
        }
        let budget = MAX_MEMBER_BYTES.min(MAX_NPZ_UNPACKED_BYTES - unpacked);
        if member.size() > budget as u64 {
            return Err(err(
                what,
                format!("member {name:?} would unpack to {} bytes; the limit is {budget}", member.size()),
            ));
        }
        if member.encrypted() {
            return Err(err(what, format!("member {name:?} is encrypted; the lab reads only unencrypted archives")));
        }
        let crc = member.crc32();
        let mut data = Vec::new();
        // The declared size may lie (a zip bomb): stop reading one byte past the budget.
        let limit = budget as u64 + 1;
        let read = match member.compression() {
            zip::CompressionMethod::STORE => (&mut member).take(limit).read_to_end(&mut data),
            // DEFLATE, not Deflated: without the crate's deflate feature method 8 is `Unsupported(8)`.
            zip::CompressionMethod::DEFLATE => {
                flate2::read::DeflateDecoder::new(&mut member).take(limit).read_to_end(&mut data)
            }
            method => {
                return Err(err(
                    what,
                    format!("member {name:?} is compressed with {method}; the lab reads stored and deflated members (np.savez, np.savez_compressed)"),
                ))
            }
        };
        read.map_err(|e| err(what, format!("member {name:?} is corrupt ({e})")))?;
        if data.len() > budget {
            return Err(err(what, format!("member {name:?} unpacks to more than {budget} bytes (the limit)")));
        }
        if crc32fast::hash(&data) != crc {
            return Err(err(what, format!("member {name:?} is corrupt (its CRC-32 does not match its contents)")));
        }
        unpacked += data.len();
        let array = parse_npy(&data, &format!("{what} member {name:?}"))?;
        out.push((stem.to_string(), array));
    }
    if out.is_empty() {
        return Err(err(what, "the archive holds no arrays"));
    }
    Ok(out)
}

/// Write arrays as an `.npz` archive (members stored, as `np.savez` writes them).
pub fn write_npz(arrays: &[(&str, &NpyArray)]) -> Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored).large_file(false);
    let fail = |e: &dyn std::fmt::Display| LabError::Invalid(format!("cannot write the .npz: {e}"));
    for (name, array) in arrays {
        zip.start_file(format!("{name}.npy"), options).map_err(|e| fail(&e))?;
        zip.write_all(&write_npy(array)).map_err(|e| fail(&e))?;
    }
    Ok(zip.finish().map_err(|e| fail(&e))?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_fortran_order() {
        let a = NpyArray::f32(&[2, 3], vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        assert_eq!(parse_npy(&write_npy(&a), "a").unwrap(), a);
        assert_eq!((write_npy(&a).len() - 24) % 64, 0, "the data starts at a multiple of 64");
        let mut f = write_npy(&NpyArray::f32(&[2, 3], vec![1.0, 4.0, 2.0, 5.0, 3.0, 6.0]));
        let at = f.windows(5).position(|w| w == b"False").unwrap();
        f[at..at + 5].copy_from_slice(b"True ");
        assert_eq!(parse_npy(&f, "f").unwrap(), a);
        let s = NpyArray::strings(vec!["T-shirt/top".into(), "Bag".into()]);
        assert_eq!(parse_npy(&write_npy(&s), "s").unwrap(), s);
        let z = write_npz(&[("W", &a), ("classes", &s)]).unwrap();
        let back = parse_npz(&z, "z").unwrap();
        assert_eq!(back, vec![("W".to_string(), a), ("classes".to_string(), s)]);
    }

    #[test]
    fn a_member_whose_bytes_changed_is_refused_by_its_crc() {
        let a = NpyArray::f32(&[2, 3], vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        let mut z = write_npz(&[("W", &a)]).unwrap();
        // The last float of the stored member (6.0 = 0x40c00000, little-endian) becomes 7.0.
        let at = z.windows(4).rposition(|w| w == 6.0f32.to_le_bytes()).unwrap();
        z[at..at + 4].copy_from_slice(&7.0f32.to_le_bytes());
        let e = parse_npz(&z, "z").unwrap_err().to_string();
        assert!(e.contains("W.npy") && e.contains("CRC-32"), "{e}");
    }
}
