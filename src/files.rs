//! Native-only: find and read the IDX files that set-up fetched (`data/<dataset>/`).

use crate::data::{Dataset, DatasetKind, IDX_FILES};
use crate::error::{LabError, Result};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Environment variable that overrides where the data lives.
pub const DATA_ENV: &str = "SOFTMAX_LAB_DATA";

/// The data directory: `explicit`, else `$SOFTMAX_LAB_DATA`, else `./data`, else the
/// `data/` folder of the source tree this binary was built from.
pub fn data_dir(explicit: Option<&Path>) -> PathBuf {
    if let Some(p) = explicit {
        return p.to_path_buf();
    }
    if let Some(p) = std::env::var_os(DATA_ENV) {
        return PathBuf::from(p);
    }
    let local = PathBuf::from("data");
    if local.join("mnist").is_dir() {
        return local;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// Read one IDX file, uncompressed or as `<name>.gz`.
pub fn read_idx(dir: &Path, name: &str) -> Result<Vec<u8>> {
    let raw = dir.join(name);
    let io = |path: &Path, e: std::io::Error| LabError::Io { path: path.display().to_string(), message: e.to_string() };
    if raw.is_file() {
        return std::fs::read(&raw).map_err(|e| io(&raw, e));
    }
    let gz = dir.join(format!("{name}.gz"));
    if gz.is_file() {
        let file = std::fs::File::open(&gz).map_err(|e| io(&gz, e))?;
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(file).read_to_end(&mut out).map_err(|e| io(&gz, e))?;
        return Ok(out);
    }
    Err(LabError::Io {
        path: raw.display().to_string(),
        message: "not found (run `./lab setup` to fetch the data sets, or pass --data DIR)".into(),
    })
}

/// Load the training and test sets of `kind` from `root/<kind>/`.
pub fn load(root: &Path, kind: DatasetKind) -> Result<(Arc<Dataset>, Arc<Dataset>)> {
    let dir = root.join(kind.id());
    let [ti, tl, si, sl] = IDX_FILES.map(|f| read_idx(&dir, f));
    let c = kind.class_names().len();
    let train = Dataset::from_idx(ti?, &tl?, c, &format!("{} training set", kind.id()))?;
    let test = Dataset::from_idx(si?, &sl?, c, &format!("{} test set", kind.id()))?;
    Ok((Arc::new(train), Arc::new(test)))
}
