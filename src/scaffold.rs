//! `dossier init [DIR]`: a new archive folder to start from, as `zola init` makes a site.
//!
//! The files are in `src/scaffold/` (compiled in): a commented `dossier.toml`, an `articles/`
//! folder with one example article and its metadata, and a commented `entities.toml`. Nothing
//! that exists is overwritten.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// Each file of a new archive: its path in the folder and its text.
const FILES: [(&str, &str); 4] = [
    ("dossier.toml", include_str!("scaffold/dossier.toml")),
    ("articles/harbour-reopens.txt", include_str!("scaffold/example.txt")),
    ("articles/harbour-reopens.toml", include_str!("scaffold/example.toml")),
    ("articles/entities.toml", include_str!("scaffold/entities.toml")),
];

/// A name for a new archive that no other archive has: review mode keys its corrections by
/// it, and pages opened from disk share one browser storage. Made once, here, and kept in
/// `dossier.toml`, so builds stay deterministic.
fn new_archive_id(dir: &Path) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
    let mut h = blake3::Hasher::new();
    h.update(&now.to_le_bytes()).update(&std::process::id().to_le_bytes()).update(dir.as_os_str().as_encoded_bytes());
    let hex = h.finalize().to_hex();
    format!("archive-{}", &hex[..12])
}

/// Writes a new archive into `dir` (made if missing) and returns the files written. Refuses,
/// writing nothing, when any of them exists already.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>> {
    let there: Vec<String> = FILES.iter().map(|(rel, _)| dir.join(rel)).filter(|p| p.exists()).map(|p| p.display().to_string()).collect();
    if !there.is_empty() {
        bail!("{}: not a new archive, these exist already: {} (nothing was written)", dir.display(), there.join(", "));
    }
    let mut written = Vec::new();
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("{}: cannot create", parent.display()))?;
        }
        let text = text.replace("ARCHIVE_ID", &new_archive_id(dir));
        std::fs::write(&path, text).with_context(|| format!("{}: cannot write", path.display()))?;
        written.push(path);
    }
    Ok(written)
}
