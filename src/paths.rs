//! Where Dossier keeps its own files beside the output folder: `.NAME.SUFFIX` in the folder
//! that holds the output (the cache, the staging folder, the lock). Shared by the cache and
//! the output stage, so that neither imports the other for it.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// `.NAME.SUFFIX` in the output's parent folder.
pub fn sibling(output: &Path, suffix: &str) -> Result<PathBuf> {
    let name = output.file_name().with_context(|| format!("{}: the output must be a named folder", output.display()))?;
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Ok(parent.join(format!(".{}.{suffix}", name.to_string_lossy())))
}
