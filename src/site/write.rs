//! Write: put the pages in a fresh folder beside the output and swap it in when complete.
//!
//! The previous site stays intact until the new one is whole: a build that fails or is killed
//! leaves at most a stale `.NAME.dossier-new` folder, which the next build removes. The build
//! only ever deletes folders that carry Dossier's marker file, so pointing `--output` at a
//! folder of other files is refused instead of emptying it.

use anyhow::{bail, Context, Result};
use std::fs;
use std::path::{Path, PathBuf};

use super::Page;

/// The file that marks a folder as a Dossier site (safe to replace).
pub const MARKER: &str = ".dossier-site";

fn sibling(output: &Path, suffix: &str) -> Result<PathBuf> {
    let name = output.file_name().with_context(|| format!("{}: the output must be a named folder", output.display()))?;
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Ok(parent.join(format!(".{}.{suffix}", name.to_string_lossy())))
}

/// Refuses an output folder that holds anything but a previous Dossier site.
pub fn check_output(output: &Path, input: &Path) -> Result<()> {
    let out = output.canonicalize().ok();
    let inp = input.canonicalize().ok();
    if let (Some(o), Some(i)) = (&out, &inp) {
        if i.starts_with(o) {
            bail!("{}: the output folder contains the input folder {}; choose another output", output.display(), input.display());
        }
    }
    if output.exists() {
        if !output.is_dir() {
            bail!("{}: the output exists and is not a folder", output.display());
        }
        let empty = fs::read_dir(output)?.next().is_none();
        if !empty && !output.join(MARKER).is_file() {
            bail!(
                "{}: the output folder holds files that Dossier did not write (no {MARKER} marker); refusing to replace it. Choose an empty or new folder.",
                output.display()
            );
        }
    }
    Ok(())
}

/// Writes the pages into a staging folder and swaps it in for the output.
pub fn write_site(output: &Path, pages: &[Page]) -> Result<()> {
    let staging = sibling(output, "dossier-new")?;
    let old = sibling(output, "dossier-old")?;
    for leftover in [&staging, &old] {
        if leftover.exists() {
            fs::remove_dir_all(leftover).with_context(|| format!("{}: cannot remove a leftover of an earlier build", leftover.display()))?;
        }
    }
    fs::create_dir_all(&staging).with_context(|| format!("{}: cannot create", staging.display()))?;
    for page in pages {
        // Page paths are made by the renderer from slugs; refuse anything that could escape.
        if page.path.split('/').any(|c| c == ".." || c.is_empty()) || page.path.starts_with('/') {
            bail!("internal error: unsafe page path {:?}", page.path);
        }
        let path = staging.join(&page.path);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
        }
        fs::write(&path, &page.bytes).with_context(|| format!("{}: cannot write", path.display()))?;
    }
    fs::write(staging.join(MARKER), "This folder was written by Dossier and is replaced by each build.\n")?;
    if output.exists() {
        fs::rename(output, &old).with_context(|| format!("{}: cannot move the previous site aside", output.display()))?;
    }
    fs::rename(&staging, output).with_context(|| format!("{}: cannot move the new site into place", output.display()))?;
    if old.exists() {
        fs::remove_dir_all(&old).with_context(|| format!("{}: cannot remove the previous site", old.display()))?;
    }
    Ok(())
}
